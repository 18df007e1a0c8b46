"""The redemption report in detail: one row per receipt line of subsidised fertiliser sold in
a period (its business date, receipt number, farmer with the full NIK as the distributor's
report, who collected it: the farmer, or the proxy with the proxy's NIK; type, kg, sacks and
the line's Rupiah), and one row per return line of it booked in the period, on the return's
own business date as every return is (its return number, the sale's receipt, kg and Rupiah
(and sacks) negative: the line's amount times the share of its grams returned, ``money.round_half_up``).
A period's rows never change afterwards, and its kg add up to the report's net totals.
Sale lines and returns are read through plain table descriptions (``pos.sales`` and
``pos.returns`` import this package)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Date, Integer, String, column, select, table
from sqlalchemy.orm import Session

from pos.fertilizer.models import FertilizerRedemption, RdkkFarmer, RdkkSeason
from pos.fertilizer.report import taker
from pos.fertilizer.sacks import in_sacks, sack_sizes
from pos.inventory.catalog.models import FertilizerType
from pos.money import round_half_up

_line = table("sale_line", column("id", Integer), column("amount", Integer))
_return = table("sale_return", column("id", Integer), column("return_no", String),
                column("business_date", Date))
_return_line = table("sale_return_line", column("id", Integer), column("return_id", Integer),
                     column("sale_line_id", Integer), column("qty", Integer))
SOLD, RETURNED = "penebusan", "retur"
COLUMNS = ["tanggal", "nomor", "baris", "struk_penjualan", "nik", "nama", "kelompok_tani", "desa", "musim",
           "diambil_oleh", "jenis_pupuk", "kg", "karung", "nilai_rp"]
KINDS = {"kg": "kg", "nilai_rp": "rupiah"}


@dataclass(frozen=True)
class ReceiptRow:
    business_date: date
    number: str        # the receipt's, or the return's
    kind: str          # SOLD or RETURNED
    receipt_no: str    # the sale's receipt (a return's too)
    nik: str
    name: str
    farmer_group: str | None
    village: str | None
    season: str
    taker: str
    fertilizer: FertilizerType
    grams: int         # negative for a return
    value: int         # Rupiah, negative for a return
    sacks: str         # "2 karung + 12,5 kg" of the grams, "-1 karung" for a return, or empty


def taker_of(redemption: FertilizerRedemption) -> str:
    """``petani sendiri``, or the proxy: ``Sri (keluarga, NIK 6402104405900003)``."""
    return taker(redemption.proxy_name, redemption.proxy_relation, redemption.proxy_nik)


def _base():
    return (select(FertilizerRedemption, RdkkFarmer.name, RdkkFarmer.farmer_group, RdkkFarmer.village,
                   RdkkSeason.name.label("season"), _line.c.amount)
            .join(RdkkFarmer, RdkkFarmer.id == FertilizerRedemption.farmer_id)
            .join(RdkkSeason, RdkkSeason.id == FertilizerRedemption.season_id)
            .join(_line, _line.c.id == FertilizerRedemption.sale_line_id))


def per_receipt(session: Session, starts_on: date, ends_on: date) -> list[ReceiptRow]:
    """The period's sales and returns of subsidised fertiliser, by date, then number."""
    sold = session.execute(_base().where(FertilizerRedemption.business_date >= starts_on,
                                         FertilizerRedemption.business_date <= ends_on)
                           .order_by(FertilizerRedemption.id)).all()
    back = session.execute(
        _base().add_columns(_return.c.return_no, _return.c.business_date.label("returned_on"),
                            _return_line.c.qty)
        .join(_return_line, _return_line.c.sale_line_id == FertilizerRedemption.sale_line_id)
        .join(_return, _return.c.id == _return_line.c.return_id)
        .where(_return.c.business_date >= starts_on, _return.c.business_date <= ends_on)
        .order_by(_return_line.c.id)).all()
    sizes = sack_sizes(session)
    rows = []
    for found, sign in ((sold, 1), (back, -1)):
        for r, name, group, village, season, amount, *returned in found:
            grams = returned[2] if returned else r.grams
            rows.append(ReceiptRow(
                returned[1] if returned else r.business_date, returned[0] if returned else r.receipt_no,
                RETURNED if returned else SOLD, r.receipt_no, r.nik, name, group, village, season,
                taker_of(r), r.fertilizer, sign * grams, sign * round_half_up(amount * grams, r.grams),
                in_sacks(sign * grams, sizes.get(r.fertilizer))))
    return sorted(rows, key=lambda row: (row.business_date, row.kind == RETURNED, row.number))


def file_rows(rows: list[ReceiptRow]) -> list[dict]:
    """The rows for ``files`` (grams and Rupiah as numbers, the date dd-mm-yyyy)."""
    return [{"tanggal": f"{r.business_date:%d-%m-%Y}", "nomor": r.number, "baris": r.kind,
             "struk_penjualan": r.receipt_no, "nik": r.nik, "nama": r.name, "kelompok_tani": r.farmer_group,
             "desa": r.village, "musim": r.season, "diambil_oleh": r.taker, "jenis_pupuk": r.fertilizer.label,
             "kg": r.grams, "karung": r.sacks, "nilai_rp": r.value} for r in rows]
