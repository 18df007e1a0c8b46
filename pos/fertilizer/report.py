"""The redemption report for the distributor: per farmer and fertiliser type over a period,
the kilograms redeemed (net of returns), the receipts and who collected them; totals per type.

The full NIK is in it: the distributor reconciles by NIK (managers only see it)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.fertilizer.models import FertilizerRedemption, RdkkFarmer, RdkkSeason
from pos.fertilizer.seasons import kg_number
from pos.inventory.catalog.models import FertilizerType

XLSX_COLUMNS = ["nik", "nama", "kelompok_tani", "desa", "musim", "jenis_pupuk", "kg", "gram",
                "struk", "diambil_oleh"]


@dataclass
class ReportRow:
    nik: str
    name: str
    farmer_group: str | None
    village: str | None
    season: str
    fertilizer: FertilizerType
    grams: int = 0
    receipts: list[str] = field(default_factory=list)
    takers: list[str] = field(default_factory=list)   # "petani sendiri" and each proxy, in order


SELF = "petani sendiri"


@dataclass(frozen=True)
class Report:
    starts_on: date
    ends_on: date
    rows: list[ReportRow]
    totals: dict[FertilizerType, int]  # grams per type

    @property
    def total_grams(self) -> int:
        return sum(self.totals.values())


def redemptions(session: Session, starts_on: date, ends_on: date) -> Report:
    """Every redemption whose business date is in the period, grouped per farmer and type."""
    found = session.execute(
        select(FertilizerRedemption, RdkkFarmer.name, RdkkFarmer.farmer_group, RdkkFarmer.village,
               RdkkSeason.name.label("season"))
        .join(RdkkFarmer, RdkkFarmer.id == FertilizerRedemption.farmer_id)
        .join(RdkkSeason, RdkkSeason.id == FertilizerRedemption.season_id)
        .where(FertilizerRedemption.business_date >= starts_on,
               FertilizerRedemption.business_date <= ends_on)
        .order_by(RdkkFarmer.name, FertilizerRedemption.nik, FertilizerRedemption.id)).all()
    grouped: dict[tuple[str, str, FertilizerType], ReportRow] = {}
    totals: dict[FertilizerType, int] = {}
    for redemption, name, group, village, season in found:
        net = redemption.grams - redemption.returned_grams
        key = (season, redemption.nik, redemption.fertilizer)
        row = grouped.setdefault(key, ReportRow(redemption.nik, name, group, village, season,
                                                redemption.fertilizer))
        row.grams += net
        if redemption.receipt_no not in row.receipts:
            row.receipts.append(redemption.receipt_no)
        taker = SELF   # who collected: the farmer, or a proxy with the proxy's NIK (what the
        if redemption.proxy_name:   # distributor reconciles against), each once per row
            nik = f", NIK {redemption.proxy_nik}" if redemption.proxy_nik else ""
            taker = f"{redemption.proxy_name} ({redemption.proxy_relation or 'wakil'}{nik})"
        if taker not in row.takers:
            row.takers.append(taker)
        totals[redemption.fertilizer] = totals.get(redemption.fertilizer, 0) + net
    order = list(FertilizerType)
    return Report(starts_on, ends_on, list(grouped.values()),
                  dict(sorted(totals.items(), key=lambda t: order.index(t[0]))))


def xlsx_rows(report: Report) -> list[dict]:
    """The report's rows in file form (kg as text with a decimal comma, grams as a number)."""
    return [{"nik": r.nik, "nama": r.name, "kelompok_tani": r.farmer_group, "desa": r.village,
             "musim": r.season, "jenis_pupuk": r.fertilizer.label, "kg": kg_number(r.grams),
             "gram": r.grams, "struk": ", ".join(r.receipts),
             "diambil_oleh": ", ".join(r.takers)}   # as the screen says
            for r in report.rows]
