"""The stock ledger: on-hand per product and per batch, and the append-only movements.

Quantities are integers in the product's base unit (pieces, grams or
millilitres).  Only ``pos.inventory.stock`` writes these tables.
"""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pos.clock import utcnow
from pos.db import Base, BigId, enum_column


class MovementKind(str, enum.Enum):
    OPENING = "opening"
    RECEIPT = "receipt"
    SALE = "sale"
    RETURN = "return"
    ADJUSTMENT = "adjustment"
    COUNT = "count"
    WRITEOFF = "writeoff"


class StockLevel(Base):
    """Cached on-hand quantity; always equal to the sum of the product's movements."""

    __tablename__ = "stock_level"

    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), primary_key=True)
    on_hand: Mapped[int] = mapped_column(default=0)


class Batch(Base):
    """One batch (lot) of a batch-tracked product, with its expiry and what is left of it."""

    __tablename__ = "batch"
    __table_args__ = (UniqueConstraint("product_id", "batch_no"),
                      Index("ix_batch_product_expiry", "product_id", "expiry"),
                      CheckConstraint("on_hand >= 0", name="on_hand_nonneg"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    batch_no: Mapped[str] = mapped_column(String(40))
    expiry: Mapped[date | None]
    on_hand: Mapped[int] = mapped_column(default=0)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class StockMovement(Base):
    """Append-only: every change of stock, signed, with who, when and why."""

    __tablename__ = "stock_movement"
    __table_args__ = (
        Index("ix_stock_movement_product_created", "product_id", "created_at"),
        CheckConstraint("qty <> 0", name="qty_nonzero"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    qty: Mapped[int]
    kind: Mapped[MovementKind] = mapped_column(enum_column(MovementKind))
    sale_id: Mapped[int | None] = mapped_column(ForeignKey("sale.id"), index=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batch.id"), index=True)
    # The receipt, count or adjustment document behind the movement, as "kind:id".
    ref: Mapped[str | None] = mapped_column(String(40), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # What an adjustment, write-off or count difference was valued at when approved (cost per
    # price unit), for the day's journal; None: the product's cost (the other movements).
    unit_cost: Mapped[int | None]
