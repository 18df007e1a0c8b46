"""Suppliers and goods receipts (draft -> posted; corrected only by a reversing receipt)."""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pos.clock import utcnow
from pos.db import Base, BigId, enum_column


class SupplierKind(str, enum.Enum):
    BULOG = "bulog"
    PUPUK = "pupuk"        # Pupuk Indonesia distributor
    PBF = "pbf"            # pharmacy wholesaler (Pedagang Besar Farmasi)
    UMKM = "umkm"
    LAINNYA = "lainnya"

    @property
    def label(self) -> str:
        return {"bulog": "Bulog", "pupuk": "Distributor pupuk", "pbf": "PBF farmasi",
                "umkm": "UMKM lokal", "lainnya": "Lainnya"}[self.value]


class ReceiptStatus(str, enum.Enum):
    DRAFT = "draft"
    POSTED = "posted"
    REVERSED = "reversed"


class Supplier(Base):
    __tablename__ = "supplier"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[SupplierKind] = mapped_column(enum_column(SupplierKind))
    phone: Mapped[str | None] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(default=True)


class GoodsReceipt(Base):
    """A delivery: its supplier, delivery note (surat jalan / DO) and lines."""

    __tablename__ = "goods_receipt"
    # Its number is its id (GR-000004): on SQLite an id is never given again after its row goes
    # (a deleted draft, a cancelled correction), as a PostgreSQL sequence never gives one twice.
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("supplier.id"), index=True)
    delivery_note: Mapped[str] = mapped_column(String(60))
    status: Mapped[ReceiptStatus] = mapped_column(enum_column(ReceiptStatus),
                                                  default=ReceiptStatus.DRAFT)
    note: Mapped[str | None] = mapped_column(Text)
    # A correcting receipt names the posted receipt it reverses, and the approving manager.
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("goods_receipt.id"))
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    # The correction was approved by the clerk who made it (only with POS_SELF_APPROVAL).
    self_approved: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Posted although its delivery note number was already used for this supplier, confirmed
    # by the clerk (a split delivery).
    delivery_note_reused: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_by: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    posted_by: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    posted_at: Mapped[datetime | None]
    # A delivery rejected whole, posted by mistake, cancelled by a manager (``cancel``): who,
    # when and why.  It stays POSTED (it never moved stock or cost) and is marked cancelled.
    cancelled_by: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str | None] = mapped_column(String(200))

    lines: Mapped[list[GoodsReceiptLine]] = relationship(
        order_by="GoodsReceiptLine.id", cascade="all, delete-orphan")

    @property
    def rejected_whole(self) -> bool:
        """A delivery refused whole: it has lines and none took anything into stock (every one
        received 0, its packs under damaged), so posting it changed no stock and no cost, and
        there is nothing for a correction to take back."""
        return bool(self.lines) and not any(line.qty_packs > 0 for line in self.lines)


class GoodsReceiptLine(Base):
    """Received, ordered and damaged quantities in packs; cost per pack; batch for tracked goods."""

    __tablename__ = "goods_receipt_line"
    __table_args__ = (CheckConstraint("pack_qty > 0", name="pack_qty_positive"),
                      CheckConstraint("qty_packs >= 0", name="qty_nonneg"),
                      CheckConstraint("damaged_packs >= 0", name="damaged_nonneg"),
                      CheckConstraint("cost_per_pack >= 0", name="cost_nonneg"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    receipt_id: Mapped[int] = mapped_column(ForeignKey("goods_receipt.id", ondelete="CASCADE"),
                                            index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    pack_name: Mapped[str] = mapped_column(String(20))
    pack_qty: Mapped[int]          # base units per pack
    qty_packs: Mapped[int]         # good packs taken into stock
    ordered_packs: Mapped[int | None]
    damaged_packs: Mapped[int] = mapped_column(default=0)
    reason: Mapped[str | None] = mapped_column(String(200))  # why ordered != received, damage
    cost_per_pack: Mapped[int]
    batch_no: Mapped[str | None] = mapped_column(String(40))
    expiry: Mapped[date | None]
