"""Price rules kept in the database: member discounts, member prices, quantity tiers, and
the log of every change to them (who, when, old, new).

Rates are basis points (5% = 500); prices are Rupiah per ``price_per`` base units, like
``Product.price``; a tier's minimum quantity is in base units (pcs, gram, ml).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pos.clock import utcnow
from pos.db import Base, BigId, enum_column
from pos.inventory.catalog.models import BusinessUnit


class MemberDiscount(Base):
    """A member discount for one business unit, or for one category (which wins)."""

    __tablename__ = "member_discount"
    __table_args__ = (
        CheckConstraint("rate_bp >= 0 AND rate_bp <= 10000", name="rate_range"),
        CheckConstraint("(business_unit IS NULL) <> (category_id IS NULL)", name="one_scope"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    business_unit: Mapped[BusinessUnit | None] = mapped_column(enum_column(BusinessUnit),
                                                               unique=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"), unique=True)
    rate_bp: Mapped[int]
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class MemberPrice(Base):
    """A product's price for active members."""

    __tablename__ = "member_price"
    __table_args__ = (CheckConstraint("price > 0", name="price_positive"),)

    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), primary_key=True)
    price: Mapped[int]
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class PriceTier(Base):
    """Harga grosir: from ``min_qty`` base units on, everyone pays ``price`` per price unit."""

    __tablename__ = "price_tier"
    __table_args__ = (
        UniqueConstraint("product_id", "min_qty"),
        CheckConstraint("min_qty > 1", name="min_qty_above_one"),
        CheckConstraint("price > 0", name="price_positive"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    min_qty: Mapped[int]
    price: Mapped[int]
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class PriceRuleChange(Base):
    """Every change of a price rule: what (kind and scope), old and new, who and when."""

    __tablename__ = "price_rule_change"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    # diskon_unit, diskon_kategori, harga_anggota, grosir
    kind: Mapped[str] = mapped_column(String(20))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id"), index=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"))
    business_unit: Mapped[str | None] = mapped_column(String(16))
    min_qty: Mapped[int | None]  # the tier changed
    old: Mapped[int | None]
    new: Mapped[int | None]
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    below_cost: Mapped[bool] = mapped_column(default=False)  # confirmed under the cost
    changed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
