"""The redemption report for the distributor: per farmer and fertiliser type over a period,
the kilograms redeemed (*ditebus*, by the sale's business date) and returned (*dikembalikan*, by
the return's business date, as every return is booked: "retur dibukukan pada hari retur"),
net, the receipts and return numbers (each with its sale's receipt: a return of an earlier
day's sale names it) and who collected them (a return's, as its sale says); per day and farmer the same two
figures; totals per type.  A period's figures never change afterwards: a sack returned later
is the later day's, never taken out of a realisation already sent.

The full NIK is in it: the distributor reconciles by NIK (managers only see it).  Returns are
read through plain table descriptions (``pos.returns`` imports this package)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Date, Integer, String, column, select, table
from sqlalchemy.orm import Session

from pos.fertilizer.models import FertilizerRedemption, RdkkFarmer, RdkkSeason
from pos.fertilizer.seasons import kg_number
from pos.inventory.catalog.models import FertilizerType

XLSX_COLUMNS = ["nik", "nama", "kelompok_tani", "desa", "musim", "jenis_pupuk", "kg", "gram",
                "struk", "diambil_oleh", "ditebus_gram", "dikembalikan_gram"]
_return = table("sale_return", column("id", Integer), column("return_no", String),
                column("business_date", Date))
_return_line = table("sale_return_line", column("return_id", Integer),
                     column("sale_line_id", Integer), column("qty", Integer))


@dataclass
class ReportRow:
    nik: str
    name: str
    farmer_group: str | None
    village: str | None
    season: str
    fertilizer: FertilizerType
    redeemed: int = 0      # grams sold in the period
    returned: int = 0      # grams returned in the period (of sales of any day)
    # the sales' numbers, then the returns': "R-GERAI01-000001 (struk GERAI01-0000012)"
    receipts: list[str] = field(default_factory=list)
    takers: list[str] = field(default_factory=list)   # "petani sendiri" and each proxy, in order

    @property
    def grams(self) -> int:
        """Net: redeemed less returned in the period."""
        return self.redeemed - self.returned

    def took(self, taker: str) -> None:
        if taker not in self.takers:
            self.takers.append(taker)


@dataclass(frozen=True)
class DayRow:
    """One farmer's fertiliser type on one business day: redeemed and returned that day."""

    day: date
    nik: str
    name: str
    fertilizer: FertilizerType
    redeemed: int
    returned: int


SELF = "petani sendiri"
_PROXY = (FertilizerRedemption.proxy_name, FertilizerRedemption.proxy_relation,
          FertilizerRedemption.proxy_nik)


def taker(proxy_name: str | None, relation: str | None, proxy_nik: str | None) -> str:
    """Who collected: ``petani sendiri``, or the proxy with the proxy's NIK (what the distributor
    reconciles against): ``Sri (keluarga, NIK 6402104405900003)``."""
    if not proxy_name:
        return SELF
    nik = f", NIK {proxy_nik}" if proxy_nik else ""
    return f"{proxy_name} ({relation or 'wakil'}{nik})"


@dataclass(frozen=True)
class Report:
    starts_on: date
    ends_on: date
    rows: list[ReportRow]
    totals: dict[FertilizerType, int]  # net grams per type
    returned_totals: dict[FertilizerType, int] = field(default_factory=dict)
    days: list[DayRow] = field(default_factory=list)

    @property
    def total_grams(self) -> int:
        return sum(self.totals.values())


def redemptions(session: Session, starts_on: date, ends_on: date) -> Report:
    """Every redemption whose sale's business date is in the period and every return of
    fertiliser whose own business date is, grouped per farmer and type, and per day."""
    farmer = (RdkkFarmer.name, RdkkFarmer.farmer_group, RdkkFarmer.village,
              RdkkSeason.name.label("season"))
    sold = session.execute(
        select(FertilizerRedemption, *farmer)
        .join(RdkkFarmer, RdkkFarmer.id == FertilizerRedemption.farmer_id)
        .join(RdkkSeason, RdkkSeason.id == FertilizerRedemption.season_id)
        .where(FertilizerRedemption.business_date >= starts_on,
               FertilizerRedemption.business_date <= ends_on)
        .order_by(RdkkFarmer.name, FertilizerRedemption.nik, FertilizerRedemption.id)).all()
    back = session.execute(
        select(FertilizerRedemption.nik, FertilizerRedemption.fertilizer, *farmer,
               _return.c.return_no, _return.c.business_date, _return_line.c.qty,
               FertilizerRedemption.receipt_no, *_PROXY)
        .join(_return_line, _return_line.c.sale_line_id == FertilizerRedemption.sale_line_id)
        .join(_return, _return.c.id == _return_line.c.return_id)
        .join(RdkkFarmer, RdkkFarmer.id == FertilizerRedemption.farmer_id)
        .join(RdkkSeason, RdkkSeason.id == FertilizerRedemption.season_id)
        .where(_return.c.business_date >= starts_on, _return.c.business_date <= ends_on)
        .order_by(RdkkFarmer.name, FertilizerRedemption.nik, _return.c.id)).all()
    grouped: dict[tuple[str, str, FertilizerType], ReportRow] = {}
    days: dict[tuple, list[int]] = {}

    def row_of(nik, fertilizer, name, group, village, season) -> ReportRow:
        return grouped.setdefault((season, nik, fertilizer), ReportRow(
            nik, name, group, village, season, fertilizer))

    for redemption, name, group, village, season in sold:
        row = row_of(redemption.nik, redemption.fertilizer, name, group, village, season)
        row.redeemed += redemption.grams
        days.setdefault((redemption.business_date, name, redemption.nik, redemption.fertilizer),
                        [0, 0])[0] += redemption.grams
        if redemption.receipt_no not in row.receipts:
            row.receipts.append(redemption.receipt_no)
        row.took(taker(redemption.proxy_name, redemption.proxy_relation, redemption.proxy_nik))
    for nik, fertilizer, name, group, village, season, return_no, day, grams, sold_on, *proxy in back:
        row = row_of(nik, fertilizer, name, group, village, season)
        row.returned += grams
        days.setdefault((day, name, nik, fertilizer), [0, 0])[1] += grams
        if (number := f"{return_no} (struk {sold_on})") not in row.receipts:   # the sale's, of any day
            row.receipts.append(number)
        row.took(taker(*proxy))   # who collected what came back, as its sale says
    order = list(FertilizerType)
    rows = sorted(grouped.values(), key=lambda r: (r.name, r.nik, order.index(r.fertilizer)))
    totals: dict[FertilizerType, int] = {}
    returned: dict[FertilizerType, int] = {}
    for row in rows:
        totals[row.fertilizer] = totals.get(row.fertilizer, 0) + row.grams
        returned[row.fertilizer] = returned.get(row.fertilizer, 0) + row.returned

    def by_type(figures: dict) -> dict:
        return dict(sorted(figures.items(), key=lambda t: order.index(t[0])))

    per_day = [DayRow(day, nik, name, fertilizer, *grams) for (day, name, nik, fertilizer), grams
               in sorted(days.items(), key=lambda d: (d[0][0], d[0][1], d[0][2], order.index(d[0][3])))]
    return Report(starts_on, ends_on, rows, by_type(totals),
                  by_type({k: v for k, v in returned.items() if v}), per_day)


def xlsx_rows(report: Report) -> list[dict]:
    """The report's rows in file form (kg as text with a decimal comma, grams as a number)."""
    return [{"nik": r.nik, "nama": r.name, "kelompok_tani": r.farmer_group, "desa": r.village,
             "musim": r.season, "jenis_pupuk": r.fertilizer.label, "kg": kg_number(r.grams),
             "gram": r.grams, "struk": ", ".join(r.receipts),
             "diambil_oleh": ", ".join(r.takers),   # as the screen says
             "ditebus_gram": r.redeemed, "dikembalikan_gram": r.returned}
            for r in report.rows]
