"""The redemption report in detail: one row per receipt line of subsidised fertiliser in a
period, with its business date, receipt number, farmer (full NIK, as the distributor's
report), who collected it (the farmer, or the proxy with the proxy's NIK), the type, the kg
net of returns (the kg returned beside them), as sacks, and the Rupiah net of returns (the
line's amount less the share of the grams returned, ``money.round_half_up``)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Integer, column, select, table
from sqlalchemy.orm import Session

from pos.fertilizer.models import FertilizerRedemption, RdkkFarmer, RdkkSeason
from pos.fertilizer.report import SELF
from pos.fertilizer.sacks import in_sacks, sack_sizes
from pos.inventory.catalog.models import FertilizerType
from pos.money import round_half_up

# The sale line, read through a plain description (``pos.sales`` imports this package).
_line = table("sale_line", column("id", Integer), column("amount", Integer))
COLUMNS = ["tanggal", "struk", "nik", "nama", "kelompok_tani", "desa", "musim", "diambil_oleh",
           "jenis_pupuk", "kg", "kg_dikembalikan", "karung", "nilai_rp"]
KINDS = {"kg": "kg", "kg_dikembalikan": "kg", "nilai_rp": "rupiah"}


@dataclass(frozen=True)
class ReceiptRow:
    business_date: date
    receipt_no: str
    nik: str
    name: str
    farmer_group: str | None
    village: str | None
    season: str
    taker: str
    fertilizer: FertilizerType
    grams: int       # net of returns
    returned: int
    value: int       # Rupiah, net of returns
    sacks: str       # "2 karung + 12,5 kg", or empty


def taker_of(redemption: FertilizerRedemption) -> str:
    """``petani sendiri``, or the proxy: ``Sri (keluarga, NIK 6402104405900003)``."""
    if not redemption.proxy_name:
        return SELF
    nik = f", NIK {redemption.proxy_nik}" if redemption.proxy_nik else ""
    return f"{redemption.proxy_name} ({redemption.proxy_relation or 'wakil'}{nik})"


def per_receipt(session: Session, starts_on: date, ends_on: date) -> list[ReceiptRow]:
    """Every redemption whose business date is in the period, by date and receipt."""
    found = session.execute(
        select(FertilizerRedemption, RdkkFarmer.name, RdkkFarmer.farmer_group, RdkkFarmer.village,
               RdkkSeason.name.label("season"), _line.c.amount)
        .join(RdkkFarmer, RdkkFarmer.id == FertilizerRedemption.farmer_id)
        .join(RdkkSeason, RdkkSeason.id == FertilizerRedemption.season_id)
        .join(_line, _line.c.id == FertilizerRedemption.sale_line_id)
        .where(FertilizerRedemption.business_date >= starts_on,
               FertilizerRedemption.business_date <= ends_on)
        .order_by(FertilizerRedemption.business_date, FertilizerRedemption.receipt_no,
                  FertilizerRedemption.id)).all()
    sizes = sack_sizes(session)
    rows = []
    for redemption, name, group, village, season, amount in found:
        net = redemption.grams - redemption.returned_grams
        rows.append(ReceiptRow(redemption.business_date, redemption.receipt_no, redemption.nik, name,
                               group, village, season, taker_of(redemption), redemption.fertilizer,
                               net, redemption.returned_grams,
                               round_half_up(amount * net, redemption.grams),
                               in_sacks(net, sizes.get(redemption.fertilizer))))
    return rows


def file_rows(rows: list[ReceiptRow]) -> list[dict]:
    """The rows for ``files`` (grams and Rupiah as numbers, the date dd-mm-yyyy)."""
    return [{"tanggal": f"{r.business_date:%d-%m-%Y}", "struk": r.receipt_no, "nik": r.nik, "nama": r.name,
             "kelompok_tani": r.farmer_group, "desa": r.village, "musim": r.season,
             "diambil_oleh": r.taker, "jenis_pupuk": r.fertilizer.label, "kg": r.grams,
             "kg_dikembalikan": r.returned, "karung": r.sacks, "nilai_rp": r.value} for r in rows]
