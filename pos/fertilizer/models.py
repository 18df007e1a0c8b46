"""Tables of pos.fertilizer: the e-RDKK seasons, the farmers on each season's list, their
allocation per fertiliser type (grams: allocation kg x 1000), and every redemption at the till.

``RdkkAllocation.taken_grams`` is the running total a checkout raises with one conditional
UPDATE (never past ``allocated_grams``: a CHECK guards it too); a return lowers it again.
A farmer dropped from a re-imported list who has redemptions is kept, unlisted, for the report.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pos.clock import utcnow
from pos.db import Base, BigId, enum_column
from pos.inventory.catalog.models import FertilizerType

# The nine commodities of the subsidy programme (DOMAIN.md 3c), as the list writes them.
COMMODITIES = ("padi", "jagung", "kedelai", "cabai", "bawang merah", "bawang putih", "tebu rakyat",
               "kopi", "kakao")


class RdkkSeason(Base):
    """A planting season's list (``MT I 2026``), in force from ``starts_on`` to ``ends_on``
    (outlet-local dates, both included; seasons never overlap)."""

    __tablename__ = "rdkk_season"
    __table_args__ = (CheckConstraint("ends_on >= starts_on", name="dates_in_order"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    imported_by: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    source_file: Mapped[str | None] = mapped_column(String(200))


class RdkkFarmer(Base):
    __tablename__ = "rdkk_farmer"
    __table_args__ = (UniqueConstraint("season_id", "nik", name="uq_rdkk_farmer_season_nik"),
                      UniqueConstraint("season_id", "kartu_tani", name="uq_rdkk_farmer_season_kartu_tani"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("rdkk_season.id"))
    nik: Mapped[str] = mapped_column(String(16), index=True)
    kartu_tani: Mapped[str | None] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(100))
    farmer_group: Mapped[str | None] = mapped_column(String(100))
    village: Mapped[str | None] = mapped_column(String(100))
    commodity: Mapped[str | None] = mapped_column(String(20))
    # False: dropped by a later import of the season, kept because they redeemed before
    listed: Mapped[bool] = mapped_column(default=True)


class RdkkAllocation(Base):
    __tablename__ = "rdkk_allocation"
    __table_args__ = (
        UniqueConstraint("farmer_id", "fertilizer", name="uq_rdkk_allocation_farmer_type"),
        CheckConstraint("taken_grams >= 0", name="taken_nonneg"),
        CheckConstraint("taken_grams <= allocated_grams", name="taken_within_allocation"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    farmer_id: Mapped[int] = mapped_column(ForeignKey("rdkk_farmer.id"))
    fertilizer: Mapped[FertilizerType] = mapped_column(enum_column(FertilizerType, 12))
    allocated_grams: Mapped[int]
    taken_grams: Mapped[int] = mapped_column(default=0)


class FertilizerRedemption(Base):
    """One sale line of subsidised fertiliser: who redeemed how many grams of which type, and
    who collected it for the farmer (a proxy).  ``returned_grams`` grows with returns."""

    __tablename__ = "fertilizer_redemption"
    __table_args__ = (
        CheckConstraint("grams > 0", name="grams_positive"),
        CheckConstraint("returned_grams >= 0 AND returned_grams <= grams", name="returned_within"),
        Index("ix_fertilizer_redemption_day", "business_date"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sale.id"), index=True)
    sale_line_id: Mapped[int] = mapped_column(ForeignKey("sale_line.id"), unique=True)
    receipt_no: Mapped[str] = mapped_column(String(40))
    business_date: Mapped[date]
    season_id: Mapped[int] = mapped_column(ForeignKey("rdkk_season.id"))
    farmer_id: Mapped[int] = mapped_column(ForeignKey("rdkk_farmer.id"), index=True)
    allocation_id: Mapped[int] = mapped_column(ForeignKey("rdkk_allocation.id"))
    nik: Mapped[str] = mapped_column(String(16))
    fertilizer: Mapped[FertilizerType] = mapped_column(enum_column(FertilizerType, 12))
    grams: Mapped[int]
    returned_grams: Mapped[int] = mapped_column(default=0)
    proxy_name: Mapped[str | None] = mapped_column(String(100))
    proxy_nik: Mapped[str | None] = mapped_column(String(16))
    proxy_relation: Mapped[str | None] = mapped_column(String(40))
    cashier_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
