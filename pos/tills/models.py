"""A till: one counter of the gerai, its own devices, who holds it, and what happened at it.

A till with no printer or display of its own uses the outlet's (``POS_PRINTER``,
``POS_DISPLAY``).  ``held_by`` is the cashier whose cart it is: another cashier
cannot sign in there until that cashier signs out or a manager releases the till.
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from pos.clock import utcnow
from pos.db import Base, BigId, enum_column


class Till(Base):
    __tablename__ = "till"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    active: Mapped[bool] = mapped_column(default=True)
    # Device URLs as in POS_PRINTER / POS_DISPLAY; empty: the outlet's.
    printer: Mapped[str | None] = mapped_column(String(200))
    display: Mapped[str | None] = mapped_column(String(200))
    # May the cashier type a weight when there is no scale (a manager's choice)?
    manual_weight: Mapped[bool] = mapped_column(default=False)
    held_by: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    held_since: Mapped[datetime | None]


class TillEventKind(str, enum.Enum):
    TAKE = "take"                # a cashier signed in and holds the till
    LEAVE = "leave"              # the cashier signed out
    RELEASE = "release"          # a manager released a till held by someone else
    CONTINUE_CART = "continue"   # a cashier went on with a cart left by another
    EMPTY_CART = "empty"         # ... or emptied it
    DEVICES = "devices"          # the till's printer, display or manual weight changed


class TillEvent(Base):
    """Who did what at a till that is not a sale: taking it, leaving it, carts left behind."""

    __tablename__ = "till_event"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    till_id: Mapped[int] = mapped_column(ForeignKey("till.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    kind: Mapped[TillEventKind] = mapped_column(enum_column(TillEventKind))
    detail: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
