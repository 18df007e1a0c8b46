"""The catalog: products, their categories, barcodes, packs, search words and change log.

Quantities are integers in the product's base unit (``pos.units.BaseUnit``:
pieces, grams or millilitres).  Prices are integer Rupiah for ``price_per``
base units: 1 for pieces, 1000 for goods priced per kilogram or litre.
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pos.clock import utcnow
from pos.db import Base, BigId, enum_column
from pos.units import BaseUnit


class BusinessUnit(str, enum.Enum):
    SEMBAKO = "sembako"
    PUPUK = "pupuk"
    APOTEK = "apotek"
    UMKM = "umkm"
    LAINNYA = "lainnya"


class TaxClass(str, enum.Enum):
    PPN = "ppn"                      # taxable at the outlet's PPN rate
    BEBAS = "bebas"                  # exempt staples (PP 49/2022)
    TIDAK_DIPUNGUT = "tidak_dipungut"  # subsidised fertiliser: PPN not collected at retail

    @property
    def label(self) -> str:
        return {"ppn": "PPN", "bebas": "Bebas PPN", "tidak_dipungut": "PPN tidak dipungut"}[self.value]


class DrugClass(str, enum.Enum):
    """Golongan obat (Permenkes 917/1993, 949/2000): what a pharmacy product needs to be sold."""

    BEBAS = "bebas"                    # green circle: over the counter
    BEBAS_TERBATAS = "bebas_terbatas"  # blue circle: over the counter, limited per sale
    KERAS = "keras"                    # red "K": prescription and a pharmacist
    PSIKOTROPIKA = "psikotropika"      # not sold by the gerai
    NARKOTIKA = "narkotika"            # not sold by the gerai

    @property
    def label(self) -> str:
        return {"bebas": "Obat bebas", "bebas_terbatas": "Obat bebas terbatas",
                "keras": "Obat keras", "psikotropika": "Psikotropika",
                "narkotika": "Narkotika"}[self.value]


class FertilizerType(str, enum.Enum):
    """The subsidised fertiliser types of an e-RDKK allocation."""

    UREA = "urea"
    NPK = "npk"
    NPK_KAKAO = "npk_kakao"
    ZA = "za"
    ORGANIK = "organik"

    @property
    def label(self) -> str:
        return {"urea": "Urea", "npk": "NPK", "npk_kakao": "NPK Kakao", "za": "ZA",
                "organik": "Organik"}[self.value]


class LpgKind(str, enum.Enum):
    """LPG 3 kg (subsidised): a refill (an empty cylinder handed in) or a new cylinder."""

    REFILL = "refill"
    NEW = "new"

    @property
    def label(self) -> str:
        return {"refill": "Isi ulang (tukar tabung kosong)", "new": "Tabung baru"}[self.value]


class StockPolicy(str, enum.Enum):
    ALLOW = "allow"  # sell below zero, with a warning
    BLOCK = "block"  # refuse the sale


class Category(Base):
    __tablename__ = "category"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)


class Product(Base):
    __tablename__ = "product"
    __table_args__ = (
        CheckConstraint("price >= 0", name="price_nonneg"),
        CheckConstraint("cost >= 0", name="cost_nonneg"),
        CheckConstraint("max_per_sale IS NULL OR max_per_sale > 0", name="max_per_sale_positive"),
        # a SKU typed in any letters is looked up by its capitals (``codes``, revision 0052)
        Index("ix_product_sku_upper", func.upper(text("sku"))),
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
    weighed: Mapped[bool] = mapped_column(default=False)
    # Price look-up number that label-printing scales put into 21/23-prefixed codes.
    plu: Mapped[int | None] = mapped_column(unique=True)
    batch_tracked: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    stock_policy: Mapped[StockPolicy] = mapped_column(enum_column(StockPolicy, 8),
                                                      default=StockPolicy.ALLOW)
    # Reorder when on hand falls to this many base units (0: no reorder point).
    reorder_point: Mapped[int] = mapped_column(default=0)
    # Where it stands in the gerai ("A3", "Rak obat 2"): counts can cover one shelf.
    shelf: Mapped[str | None] = mapped_column(String(20), index=True)
    # Regulated goods (issue 10): the drug class of a pharmacy product, its most per sale
    # (bebas terbatas), the e-RDKK type of a subsidised fertiliser, LPG 3 kg, and the per-buyer
    # limit rule the product counts towards (SPHP rice: 2 packs per buyer per day).
    drug_class: Mapped[DrugClass | None] = mapped_column(enum_column(DrugClass))
    max_per_sale: Mapped[int | None]
    subsidy: Mapped[FertilizerType | None] = mapped_column(enum_column(FertilizerType, 12))
    lpg: Mapped[LpgKind | None] = mapped_column(enum_column(LpgKind, 8))
    limit_rule_id: Mapped[int | None] = mapped_column(ForeignKey("limit_rule.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    category: Mapped[Category | None] = relationship()
    barcodes: Mapped[list[ProductBarcode]] = relationship(back_populates="product",
                                                          cascade="all, delete-orphan")
    packs: Mapped[list[PackUnit]] = relationship(order_by="PackUnit.qty",
                                                 cascade="all, delete-orphan")

    @property
    def price_per(self) -> int:
        return self.base_unit.price_per


class ProductBarcode(Base):
    """A code printed on the goods; scanning it adds ``qty`` base units."""

    __tablename__ = "product_barcode"
    __table_args__ = (CheckConstraint("qty > 0", name="qty_positive"),
                      Index("ix_product_barcode_code_upper", func.upper(text("code"))))  # any letters

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    qty: Mapped[int] = mapped_column(default=1)

    product: Mapped[Product] = relationship(back_populates="barcodes")


class PackUnit(Base):
    """A pack the goods come or go in: karung 50 kg = 50,000 g, karton = 40 pcs."""

    __tablename__ = "pack_unit"
    __table_args__ = (UniqueConstraint("product_id", "name"),
                      CheckConstraint("qty > 1", name="qty_above_one"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    name: Mapped[str] = mapped_column(String(20))
    qty: Mapped[int]  # base units in one pack


class PriceChange(Base):
    """Every change of a product's fields: a selling price, cost or ceiling (HET, ``pos.het``) as
    Rupiah in ``old`` and ``new``; any other field (LPG kind, drug class, a flag, a barcode...)
    as its value in words in ``old_text`` and ``new_text`` (``catalog.history``); who and when."""

    __tablename__ = "price_change"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    field: Mapped[str] = mapped_column(String(20))  # price, cost, het, lpg, barcode, created...
    old: Mapped[int | None]
    new: Mapped[int | None]
    old_text: Mapped[str | None] = mapped_column(String(200))
    new_text: Mapped[str | None] = mapped_column(String(200))
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    reason: Mapped[str | None] = mapped_column(String(200))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProductWord(Base):
    """One word of a product name, for fast word-prefix search on any database."""

    __tablename__ = "product_word"

    # Byte order on PostgreSQL too, so prefix ranges use the index.
    word: Mapped[str] = mapped_column(
        String(60).with_variant(String(60, collation="C"), "postgresql"), primary_key=True)
    name: Mapped[str] = mapped_column(String(120), primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), primary_key=True)
