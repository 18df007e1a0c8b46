"""Products, their barcodes, on-hand stock and the append-only stock ledger.

Quantities are integers in the product's base unit (pieces, grams or
millilitres).  Prices are integer Rupiah for ``price_per`` base units: 1 for
pieces, 1000 for goods priced per kilogram or litre.
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pos.clock import utcnow
from pos.db import Base, BigId, enum_column


class BusinessUnit(str, enum.Enum):
    SEMBAKO = "sembako"
    PUPUK = "pupuk"
    APOTEK = "apotek"
    UMKM = "umkm"
    LAINNYA = "lainnya"


class BaseUnit(str, enum.Enum):
    PCS = "pcs"
    GRAM = "gram"
    ML = "ml"

    @property
    def price_per(self) -> int:
        """Base units one listed price buys: a piece, a kilogram or a litre."""
        return 1 if self is BaseUnit.PCS else 1000

    @property
    def price_label(self) -> str:
        return {"pcs": "pcs", "gram": "kg", "ml": "liter"}[self.value]


class TaxClass(str, enum.Enum):
    PPN = "ppn"                      # taxable at the outlet's PPN rate
    BEBAS = "bebas"                  # exempt staples (PP 49/2022)
    TIDAK_DIPUNGUT = "tidak_dipungut"  # subsidised fertiliser: PPN not collected at retail

    @property
    def label(self) -> str:
        return {"ppn": "PPN", "bebas": "Bebas PPN", "tidak_dipungut": "PPN tidak dipungut"}[self.value]


class StockPolicy(str, enum.Enum):
    ALLOW = "allow"  # sell below zero, with a warning
    BLOCK = "block"  # refuse the sale


class MovementKind(str, enum.Enum):
    OPENING = "opening"
    RECEIPT = "receipt"
    SALE = "sale"
    RETURN = "return"
    ADJUSTMENT = "adjustment"
    COUNT = "count"
    WRITEOFF = "writeoff"


class Category(Base):
    __tablename__ = "category"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)


class Product(Base):
    __tablename__ = "product"
    __table_args__ = (
        CheckConstraint("price >= 0", name="price_nonneg"),
        CheckConstraint("cost >= 0", name="cost_nonneg"),
        CheckConstraint("het IS NULL OR het > 0", name="het_positive"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    sku: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"), index=True)
    business_unit: Mapped[BusinessUnit] = mapped_column(enum_column(BusinessUnit))
    base_unit: Mapped[BaseUnit] = mapped_column(enum_column(BaseUnit, 8), default=BaseUnit.PCS)
    price: Mapped[int]
    cost: Mapped[int] = mapped_column(default=0)
    tax_class: Mapped[TaxClass] = mapped_column(enum_column(TaxClass), default=TaxClass.PPN)
    het: Mapped[int | None]
    weighed: Mapped[bool] = mapped_column(default=False)
    # Price look-up number that label-printing scales put into 21/23-prefixed codes.
    plu: Mapped[int | None] = mapped_column(unique=True)
    batch_tracked: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    stock_policy: Mapped[StockPolicy] = mapped_column(enum_column(StockPolicy, 8),
                                                      default=StockPolicy.ALLOW)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    category: Mapped[Category | None] = relationship()
    barcodes: Mapped[list[ProductBarcode]] = relationship(back_populates="product",
                                                          cascade="all, delete-orphan")

    @property
    def price_per(self) -> int:
        return self.base_unit.price_per


class ProductBarcode(Base):
    """A code printed on the goods; scanning it adds ``qty`` base units."""

    __tablename__ = "product_barcode"
    __table_args__ = (CheckConstraint("qty > 0", name="qty_positive"),)

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    qty: Mapped[int] = mapped_column(default=1)

    product: Mapped[Product] = relationship(back_populates="barcodes")


class ProductWord(Base):
    """One word of a product name, for fast word-prefix search on any database."""

    __tablename__ = "product_word"

    # Byte order on PostgreSQL too, so prefix ranges use the index.
    word: Mapped[str] = mapped_column(
        String(60).with_variant(String(60, collation="C"), "postgresql"), primary_key=True)
    name: Mapped[str] = mapped_column(String(120), primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), primary_key=True)


class StockLevel(Base):
    """Cached on-hand quantity; always equal to the sum of the product's movements."""

    __tablename__ = "stock_level"

    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), primary_key=True)
    on_hand: Mapped[int] = mapped_column(default=0)


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
    user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
