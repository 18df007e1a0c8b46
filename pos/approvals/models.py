"""The override log: every action a cashier could not do alone, and what a manager did beyond a
cashier's rights at the till (a price override, a large or below-cost discount, any rule
exception), with who asked, who approved, why, and the values before and after."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column

from pos.clock import utcnow
from pos.db import Base, BigId


class Override(Base):
    __tablename__ = "manager_override"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    # What kind of exception (price_override, line_discount, sale_discount, or another's kind).
    kind: Mapped[str] = mapped_column(String(32))
    # What was asked, in words the manager read in the dialog ("Diskon 20% untuk Gula 1 kg").
    description: Mapped[str] = mapped_column(String(200))
    asked_by: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    # The manager whose PIN approved it; equal to asked_by when a manager did it themselves.
    approved_by: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    # A manager approved their own request (POS_SELF_APPROVAL, an outlet with one manager).
    self_approved: Mapped[bool] = mapped_column(default=False, server_default=false())
    reason: Mapped[str] = mapped_column(String(200))
    before: Mapped[str] = mapped_column(String(100))
    after: Mapped[str] = mapped_column(String(100))
    till_id: Mapped[int | None] = mapped_column(ForeignKey("till.id"))
    # The cart it changed (no foreign key: carts are emptied and parked carts deleted) or a sale.
    cart_id: Mapped[int | None]
    sale_id: Mapped[int | None] = mapped_column(ForeignKey("sale.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class RefusedApproval(Base):
    """A manager's or apoteker's name and PIN typed in an approval dialog and refused (a wrong
    PIN, or no such account): who asked at which till, the name typed, for what.  The login
    throttle bounds how many a till can write (``LOGIN_ATTEMPTS_PER_MINUTE``)."""

    __tablename__ = "refused_approval"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    asked_by: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    till_id: Mapped[int | None] = mapped_column(ForeignKey("till.id"))
    username: Mapped[str] = mapped_column(String(64))            # as typed
    kind: Mapped[str] = mapped_column(String(32))                # the action's (KIND_LABELS), or ""
    address: Mapped[str] = mapped_column(String(45))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
