"""Stok awal file rows: one row's cells read into plain values and its own problems (no database).

Columns: sku (a product's SKU, or a barcode of one piece or kg), nama and satuan (for people; not
read), jumlah (in the unit the stock screens type it: pieces, or kg / litres with a decimal comma,
``12,5``, or with its unit, ``750 g``), harga_pokok (cost in Rupiah per pcs, kg or litre, as the
catalogue keeps it: ``11500``, ``11.500`` or ``Rp11.500``), batch and kedaluwarsa (``dd-mm-yyyy``)
for batch-tracked goods.  A row whose jumlah, harga_pokok, batch and kedaluwarsa are all empty is
left alone (the downloaded list imports as it is).  An expiry more than 5 years away is a year
typed wrong (``receiving.expiry.beyond``, as receiving asks), refused as ``Far`` unless the file is
sent again confirmed (``FAR_CONFIRM``: the upload's box, ``--far-expiry-ok``; a file has no box per row).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pos.dates import date_problem, parse_day_first
from pos.inventory import stock
from pos.inventory.catalog.spreadsheets import Hint, Row
from pos.inventory.receiving.expiry import FAR_YEARS, beyond
from pos.money import MoneyError, parse_rupiah
from pos.units import BaseUnit, QuantityError

COLUMNS = ["sku", "nama", "satuan", "jumlah", "harga_pokok", "batch", "kedaluwarsa"]
KEY = "sku"
FILLED = ("jumlah", "harga_pokok", "batch", "kedaluwarsa")
# The most one row brings in: what a count line holds (ten receipt lines at their most,
# ``stock.MAX_MOVE``): 1.000 t, 1.000.000 l or 1.000.000 pcs. More is a typo.
MOST = {unit: 10 * most for unit, most in stock.MAX_MOVE.items()}
MOST_COST = 100_000_000   # Rp100 juta per pcs, kg or litre: beyond it a typo
FAR_CONFIRM = "far_expiry_ok"   # the upload's tick box and, as --far-expiry-ok, the command's flag
FAR_LABEL = f"Kedaluwarsa lebih dari {FAR_YEARS} tahun lagi memang benar"
FAR_HINT = Hint(f"Bila tanggal kedaluwarsa yang lebih dari {FAR_YEARS} tahun lagi memang benar, unggah lagi "
                f"dengan centang “{FAR_LABEL}” (perintah: pos inventory opening-stock --far-expiry-ok).")


class Far(str):
    """A row's expiry more than ``FAR_YEARS`` away, said: the file's ``FAR_HINT`` goes under it."""


@dataclass(frozen=True)
class Line:
    """A checked row: base units, cost per price unit, the batch (capitals) and its expiry."""

    line: int
    qty: int
    unit_cost: int
    batch_no: str
    expiry: date | None


def blank(row: Row) -> bool:
    return not any((row.get(column) or "").strip() for column in FILLED)


def expiry_of(text: str) -> date:
    """``31-03-2028`` (or ``31032028``, ``2028-03-31``); a spreadsheet's date cell read as such."""
    if len(text) == 19 and text.endswith(" 00:00:00"):
        text = text[:10]
    return parse_day_first(text)


def read(row: Row, unit: BaseUnit, batch_tracked: bool, today: date,
         far_ok: bool = False) -> tuple[Line | None, list[str]]:
    """The row as a ``Line`` for a product kept in ``unit``, or None and its problems (a far
    expiry one of them unless ``far_ok``)."""
    problems = ["lebih banyak kolom daripada judul."] if row.get("_extra") else []
    qty = _qty(row, unit, problems)
    cost = _cost(row, qty, problems)
    batch_no = stock.batch_number(row.get("batch"))
    typed_expiry = (row.get("kedaluwarsa") or "").strip()
    expiry = None
    if typed_expiry:
        try:
            expiry = expiry_of(typed_expiry)
        except ValueError as error:
            problems.append(date_problem("kedaluwarsa", typed_expiry, error))
    if not batch_tracked:
        if batch_no or typed_expiry:
            problems.append("barang ini tidak dicatat per batch: kosongkan batch dan kedaluwarsa.")
    elif qty:
        if not batch_no:
            problems.append("batch wajib diisi untuk barang ber-batch.")
        elif not stock.names_a_strip(batch_no):
            problems.append(stock.MARKS_ALONE[0].lower() + stock.MARKS_ALONE[1:])
        elif len(batch_no) > stock.BATCH_NO_MAX:
            problems.append(f"batch paling panjang {stock.BATCH_NO_MAX} huruf.")
        if not typed_expiry:
            problems.append("kedaluwarsa wajib diisi untuk barang ber-batch (HH-BB-TTTT).")
        elif expiry is not None and stock.is_expired(expiry, today):
            problems.append(f"kedaluwarsa {expiry:%d-%m-%Y} sudah lewat atau hari ini: barang "
                            "kedaluwarsa tidak dijadikan stok (catat pemusnahan di buku lama).")
        elif expiry is not None and beyond(expiry, today) and not far_ok:
            problems.append(Far(f"kedaluwarsa {expiry:%d-%m-%Y} lebih dari {FAR_YEARS} tahun lagi: "
                                "periksa tahunnya."))
    if problems or qty is None:
        return None, problems
    return Line(row["_line"], qty, cost or 0, batch_no if batch_tracked else "", expiry), []


def _qty(row: Row, unit: BaseUnit, problems: list[str]) -> int | None:
    text = (row.get("jumlah") or "").strip()
    if not text:
        problems.append("jumlah wajib diisi (0 bila tidak ada stok).")
        return None
    try:
        qty = unit.read(text, "jumlah")
    except QuantityError as error:
        problems.append(error.message)
        return None
    if qty is not None and qty > MOST[unit]:
        problems.append(f"jumlah {unit.with_unit(qty)} terlalu besar (paling banyak "
                        f"{unit.with_unit(MOST[unit])} per baris): periksa satuannya.")
        return None
    return qty


def _cost(row: Row, qty: int | None, problems: list[str]) -> int | None:
    text = (row.get("harga_pokok") or "").strip()
    if not text:
        if qty:
            problems.append("harga_pokok wajib diisi (Rupiah per satuan).")
        return None
    try:
        cost = parse_rupiah(text, MOST_COST)
    except MoneyError as error:
        problems.append(error.of_field("harga_pokok"))
        return None
    if cost == 0 and qty:
        problems.append("harga_pokok harus lebih dari Rp0.")
    return cost
