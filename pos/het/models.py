"""Ceiling prices (HET): a schedule per product and zone, each row from its effective date.

The ceiling of a product on day D in zone Z is the row with the latest ``effective_from <= D``
among the rows of zone Z or of every zone (``zone`` NULL); on one date a zone's own row wins
(``pos.het.service.ceiling``, and the same rule in SQL for the till's cart query).  A row is
never edited in place to another date: a new ceiling is a new row, and setting one for the
same product, zone and date replaces its price with a ``PriceChange`` ("het") logged.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from pos.clock import utcnow
from pos.db import Base, BigId
from pos.partial_index import partial_index

EVERY_ZONE_WHERE = text("zone IS NULL")


class CeilingPrice(Base):
    __tablename__ = "ceiling_price"
    __table_args__ = (
        UniqueConstraint("product_id", "zone", "effective_from"),
        CheckConstraint("price > 0", name="price_positive"),
        # NULLs are distinct in a unique constraint: one every-zone row per product and date
        partial_index("uq_ceiling_price_every_zone", "product_id", "effective_from", unique=True,
                      where=EVERY_ZONE_WHERE),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    zone: Mapped[str | None] = mapped_column(String(8))  # NULL: every zone
    price: Mapped[int]  # Rupiah per the product's ``price_per`` base units, like product.price
    effective_from: Mapped[date] = mapped_column(Date)  # outlet-local
    note: Mapped[str | None] = mapped_column(String(120))  # its source: "Kepmentan 1117/2025"
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
