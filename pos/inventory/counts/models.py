"""Stock counts (stock opname) and adjustment requests that wait for a manager."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from pos.clock import utcnow
from pos.db import Base, BigId, enum_column


class CountScope(str, enum.Enum):
    ALL = "all"
    CATEGORY = "category"
    SHELF = "shelf"


class CountStatus(str, enum.Enum):
    OPEN = "open"
    APPROVED = "approved"
    CANCELLED = "cancelled"


class AdjustmentKind(str, enum.Enum):
    ADJUSTMENT = "adjustment"
    WRITEOFF = "writeoff"   # expired or damaged goods taken out of stock


class ApprovalStatus(str, enum.Enum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class CountSession(Base):
    __tablename__ = "count_session"
    # Its number (SO-000012) is its id: never given twice, after a restore either.
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    scope: Mapped[CountScope] = mapped_column(enum_column(CountScope))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"))
    shelf: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[CountStatus] = mapped_column(enum_column(CountStatus), default=CountStatus.OPEN)
    created_by: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    approved_at: Mapped[datetime | None]
    # Approved by someone who opened or counted it (allowed only with POS_SELF_APPROVAL).
    self_approved: Mapped[bool] = mapped_column(default=False, server_default=false())


class CountLine(Base):
    """A counted quantity and what the system held at that moment (sales go on meanwhile)."""

    __tablename__ = "count_line"
    __table_args__ = (UniqueConstraint("session_id", "product_id", "batch_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("count_session.id", ondelete="CASCADE"),
                                            index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batch.id"))
    counted: Mapped[int]
    expected: Mapped[int]
    unit_cost: Mapped[int]  # cost per price unit when counted, for the variance in Rupiah
    counted_by: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    counted_at: Mapped[datetime] = mapped_column(default=utcnow)


class StockAdjustment(Base):
    """A manual correction or write-off: requested with a reason, posted when a manager approves."""

    __tablename__ = "stock_adjustment"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[AdjustmentKind] = mapped_column(enum_column(AdjustmentKind))
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batch.id"))
    qty: Mapped[int]  # signed change in base units
    reason: Mapped[str] = mapped_column(String(200))
    status: Mapped[ApprovalStatus] = mapped_column(enum_column(ApprovalStatus),
                                                   default=ApprovalStatus.PENDING, index=True)
    requested_by: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    decided_at: Mapped[datetime | None]
    # Approved by the person who requested it (allowed only with POS_SELF_APPROVAL).
    self_approved: Mapped[bool] = mapped_column(default=False, server_default=false())
