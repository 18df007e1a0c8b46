"""The outlet's sales, goods, members and savings as CSV files in the field names of the
ministry's SIMKOPDES data dictionary (DOMAIN §3g), so the same data need not be typed again.

The dictionary is known from a published hackathon dataset, not an import specification, so
each file carries only the fields this outlet can fill truthfully; the mapping is documented
in the README ("Ekspor SIMKOPDES").  Money is integer Rupiah; quantities are in the unit the
product is priced in (pcs, or kg / liter with three decimals for weighed goods); timestamps
are outlet-local ``YYYY-MM-DD HH:MM:SS``.  One file per table, named after it.
"""
from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pos.clock import to_local
from pos.dates import MONTHS
from pos.inventory.catalog.models import Product, ProductBarcode
from pos.members.accounts.models import DocumentLine, MemberDocument, OpeningSaving, SavingKind
from pos.members.models import Member
from pos.members.nik import is_woman, mask_nik
from pos.money import round_half_up
from pos.returns.models import ReturnRefund, SaleReturn, SaleReturnLine
from pos.sales.models import Payment, PaymentMethod, Sale, SaleLine, SaleStatus
from pos.text import clean, neutral
from pos.units import BaseUnit

TABLES: dict[str, tuple[str, ...]] = {
    "transaksi_penjualan": ("transaksi_sample_id", "koperasi_ref", "nama_pelanggan", "tanggal_dibuat",
                            "total_pembayaran", "status_transaksi", "metode_pembayaran", "dibuat_pada",
                            "diperbarui_pada"),
    "barang_keluar_produk": ("__row_id", "transaksi_sample_id", "produk_sample_id", "koperasi_ref",
                             "kode_barcode", "tanggal_keluar", "status", "nama_produk", "nama_tampilan",
                             "jumlah_keluar", "harga", "total_nilai", "status_transaksi", "dibuat_pada",
                             "diperbarui_pada"),
    "produk_koperasi": ("produk_sample_id", "koperasi_ref", "kode_barcode", "nama_produk", "unit",
                        "dibuat_pada", "diperbarui_pada"),
    "anggota_koperasi": ("anggota_ref", "koperasi_ref", "nama", "nik", "jenis_kelamin",
                         "status_keanggotaan", "tanggal_terdaftar"),
    "simpanan_anggota": ("simpanan_ref", "koperasi_ref", "anggota_ref", "periode_pembayaran",
                         "jumlah_simpanan", "status", "dibuat_pada", "dibayar_pada"),
}
METHODS = {PaymentMethod.CASH: "Cash", PaymentMethod.QRIS: "QRIS", PaymentMethod.TRANSFER: "Transfer",
           PaymentMethod.MEMBER_CREDIT: "Kasbon"}
UNITS = {BaseUnit.PCS: "pcs", BaseUnit.GRAM: "kg", BaseUnit.ML: "liter"}


@dataclass(frozen=True)
class Written:
    table: str
    path: Path
    rows: int


def _stamp(moment: datetime | None, zone: str) -> str:
    return to_local(moment, zone).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def quantity(qty: int, unit: BaseUnit) -> str:
    """Base units as the priced unit: 1250 gram is ``1.250`` (kg); pieces stay whole."""
    if unit is BaseUnit.PCS:
        return str(qty)
    whole, part = divmod(abs(qty), unit.price_per)
    return f"{'-' if qty < 0 else ''}{whole}.{part:03d}"


def sold_at(amount: int, qty: int, unit: BaseUnit, listed: int) -> int:
    """The unit price after the line's and the sale's discounts, per piece, kg or litre (as
    ``quantity`` writes the count), rounded once: harga x jumlah_keluar is total_nilai to within
    the rounding (Rp15.794 for 5 pieces is harga 3.159); total_nilai is what the line sold for."""
    return round_half_up(amount * unit.price_per, qty) if qty else listed


def saving_period(kind: SavingKind, period: date | None) -> str:
    """``Simpanan Pokok``, ``Simpanan Wajib - April 2026``, ``Simpanan Sukarela``."""
    label = f"Simpanan {kind.value.title()}"
    if kind is SavingKind.WAJIB and period is not None:
        return f"{label} - {MONTHS[period.month - 1]} {period.year}"
    return label


def _barcodes(session: Session) -> dict[int, str]:
    """Each product's first printed code (the smallest), for ``kode_barcode``."""
    return dict(session.execute(select(ProductBarcode.product_id, func.min(ProductBarcode.code))
                                .group_by(ProductBarcode.product_id)).all())


def sales_rows(session: Session, first: date, last: date, ref: str, zone: str):
    """(transaksi_penjualan rows, barang_keluar_produk rows) of the completed sales."""
    sales = session.execute(select(Sale.id, Sale.receipt_no, Sale.created_at, Sale.total, Member.name)
                            .outerjoin(Member, Member.id == Sale.member_id)
                            .where(Sale.business_date.between(first, last),
                                   Sale.status == SaleStatus.COMPLETED)
                            .order_by(Sale.business_date, Sale.id)).all()
    methods: dict[int, list[str]] = defaultdict(list)
    for sale_id, method in session.execute(
            select(Payment.sale_id, Payment.method).join(Sale, Sale.id == Payment.sale_id)
            .where(Sale.business_date.between(first, last)).order_by(Payment.sale_id, Payment.id)):
        if METHODS[method] not in methods[sale_id]:
            methods[sale_id].append(METHODS[method])
    transactions = [{"transaksi_sample_id": s.receipt_no, "koperasi_ref": ref, "nama_pelanggan": s.name or "",
                     "tanggal_dibuat": _stamp(s.created_at, zone), "total_pembayaran": s.total,
                     "status_transaksi": "Paid", "metode_pembayaran": "+".join(methods[s.id]),
                     "dibuat_pada": _stamp(s.created_at, zone), "diperbarui_pada": _stamp(s.created_at, zone)}
                    for s in sales]
    codes = _barcodes(session)
    lines = session.execute(select(SaleLine, Sale.receipt_no, Sale.created_at)
                            .join(Sale, Sale.id == SaleLine.sale_id)
                            .where(Sale.business_date.between(first, last),
                                   Sale.status == SaleStatus.COMPLETED)
                            .order_by(Sale.business_date, Sale.id, SaleLine.line_no)).all()
    goods = [{"__row_id": line.id, "transaksi_sample_id": receipt_no, "produk_sample_id": line.sku,
              "koperasi_ref": ref, "kode_barcode": codes.get(line.product_id, ""),
              "tanggal_keluar": _stamp(created, zone), "status": "Sales", "nama_produk": line.name,
              "nama_tampilan": line.name, "jumlah_keluar": quantity(line.qty, line.base_unit),
              "harga": sold_at(line.amount, line.qty, line.base_unit, line.unit_price),
              "total_nilai": line.amount, "status_transaksi": "Paid",
              "dibuat_pada": _stamp(created, zone), "diperbarui_pada": _stamp(created, zone)}
             for line, receipt_no, created in lines]
    return transactions, goods


def return_rows(session: Session, first: date, last: date, ref: str, zone: str):
    """(transaksi_penjualan rows, barang_keluar_produk rows) of the returns booked in the range,
    each (business day, time, row): the return's number, the money paid back as a negative
    total (its cash rounding in, as the day report's *Retur*), status ``Refunded``; its lines
    with a negative count and value, status ``Return``, at the price they were sold for."""
    found = session.execute(select(SaleReturn.id, SaleReturn.return_no, SaleReturn.created_at,
                                   SaleReturn.business_date, SaleReturn.refund_total,
                                   SaleReturn.rounding, Member.name)
                            .join(Sale, Sale.id == SaleReturn.sale_id)
                            .outerjoin(Member, Member.id == Sale.member_id)
                            .where(SaleReturn.business_date.between(first, last))
                            .order_by(SaleReturn.business_date, SaleReturn.id)).all()
    methods: dict[int, list[str]] = defaultdict(list)
    for return_id, method in session.execute(
            select(ReturnRefund.return_id, ReturnRefund.method)
            .join(SaleReturn, SaleReturn.id == ReturnRefund.return_id)
            .where(SaleReturn.business_date.between(first, last))
            .order_by(ReturnRefund.return_id, ReturnRefund.id)):
        if METHODS[method] not in methods[return_id]:
            methods[return_id].append(METHODS[method])
    transactions = [(r.business_date, r.created_at, {
        "transaksi_sample_id": r.return_no, "koperasi_ref": ref, "nama_pelanggan": r.name or "",
        "tanggal_dibuat": _stamp(r.created_at, zone), "total_pembayaran": -(r.refund_total + r.rounding),
        "status_transaksi": "Refunded", "metode_pembayaran": "+".join(methods[r.id]),
        "dibuat_pada": _stamp(r.created_at, zone), "diperbarui_pada": _stamp(r.created_at, zone)})
        for r in found]
    codes = _barcodes(session)
    goods = [(day, created, {
        "__row_id": f"R{back.id}", "transaksi_sample_id": return_no, "produk_sample_id": line.sku,
        "koperasi_ref": ref, "kode_barcode": codes.get(line.product_id, ""),
        "tanggal_keluar": _stamp(created, zone), "status": "Return", "nama_produk": line.name,
        "nama_tampilan": line.name, "jumlah_keluar": quantity(-back.qty, line.base_unit),
        "harga": sold_at(line.amount, line.qty, line.base_unit, line.unit_price),
        "total_nilai": -back.amount, "status_transaksi": "Refunded",
        "dibuat_pada": _stamp(created, zone), "diperbarui_pada": _stamp(created, zone)})
        for back, line, return_no, created, day in session.execute(
            select(SaleReturnLine, SaleLine, SaleReturn.return_no, SaleReturn.created_at,
                   SaleReturn.business_date)
            .join(SaleReturn, SaleReturn.id == SaleReturnLine.return_id)
            .join(SaleLine, SaleLine.id == SaleReturnLine.sale_line_id)
            .where(SaleReturn.business_date.between(first, last))
            .order_by(SaleReturn.business_date, SaleReturn.id, SaleReturnLine.id))]
    return transactions, goods


def _in_time_order(sold: list[dict], back: list[tuple], key: str) -> list[dict]:
    """Sales rows and returns' (day, time, row) as they happened, by their local time (``key``,
    ``YYYY-MM-DD HH:MM:SS``); within one second a sale before a return (a stable sort)."""
    return sorted(sold + [row for _, _, row in back], key=lambda row: row[key])


def product_rows(session: Session, ref: str, zone: str) -> list[dict]:
    codes = _barcodes(session)
    return [{"produk_sample_id": p.sku, "koperasi_ref": ref, "kode_barcode": codes.get(p.id, ""),
             "nama_produk": p.name, "unit": UNITS[p.base_unit], "dibuat_pada": _stamp(p.created_at, zone),
             "diperbarui_pada": _stamp(p.updated_at, zone)}
            for p in session.scalars(select(Product).order_by(Product.sku))]


def member_rows(session: Session, ref: str, *, full_nik: bool = False) -> list[dict]:
    """Every member; the NIK masked unless ``full_nik`` (it is personal data)."""
    rows = []
    for m in session.scalars(select(Member).order_by(Member.number)):
        gender = ("PEREMPUAN" if is_woman(m.nik) else "LAKI-LAKI") if m.nik else ""
        rows.append({"anggota_ref": m.number, "koperasi_ref": ref, "nama": m.name,
                     "nik": (m.nik or "") if full_nik else mask_nik(m.nik), "jenis_kelamin": gender,
                     "status_keanggotaan": "Approved" if m.active else "Inactive",
                     "tanggal_terdaftar": m.joined_on.isoformat()})
    return rows


def opening_rows(session: Session, first: date, last: date, ref: str, zone: str) -> list[tuple[date, dict]]:
    """Saldo awal simpanan imported in the period (members' savings from the paper books), a line
    per kind held, status PAID: ``Simpanan Wajib - Saldo awal s.d. April 2026``; (its day, row)."""
    rows = []
    for opening, number in session.execute(
            select(OpeningSaving, Member.number).join(Member, Member.id == OpeningSaving.member_id)
            .where(OpeningSaving.business_date.between(first, last))
            .order_by(OpeningSaving.business_date, Member.number)):
        for kind in SavingKind:
            amount = getattr(opening, kind.value)
            if not amount:
                continue
            period = f"{saving_period(kind, None)} - Saldo awal"
            if kind is SavingKind.WAJIB and opening.wajib_through is not None:
                month = opening.wajib_through
                period += f" s.d. {MONTHS[month.month - 1]} {month.year}"
            stamp = _stamp(opening.created_at, zone)
            rows.append((opening.business_date, {
                "simpanan_ref": f"SALDO-AWAL-{number}-{kind.value.upper()}", "koperasi_ref": ref,
                "anggota_ref": number, "periode_pembayaran": period, "jumlah_simpanan": amount,
                "status": "PAID", "dibuat_pada": stamp, "dibayar_pada": stamp}))
    return rows


def saving_rows(session: Session, first: date, last: date, ref: str, zone: str) -> list[dict]:
    """Saldo awal imported in the period first on its day (``opening_rows``), then savings
    received (pokok, wajib per month, sukarela), each one line; a
    withdrawal of sukarela as its own line, its amount negative and its status WITHDRAWN; a
    cancellation's lines status CANCELLED, negative for a deposit given back and positive for a
    withdrawal's money returned."""
    found = session.execute(select(DocumentLine, MemberDocument.doc_no, MemberDocument.created_at,
                                   MemberDocument.business_date, Member.number, MemberDocument.withdrawal,
                                   MemberDocument.reverses_id.is_not(None))
                            .join(MemberDocument, MemberDocument.id == DocumentLine.document_id)
                            .join(Member, Member.id == DocumentLine.member_id)
                            .where(MemberDocument.business_date.between(first, last),
                                   DocumentLine.saving.is_not(None))
                            .order_by(MemberDocument.business_date, MemberDocument.id, DocumentLine.id)).all()
    taken = [(day, {"simpanan_ref": f"{doc_no}-{line.id}", "koperasi_ref": ref, "anggota_ref": number,
                    "periode_pembayaran": saving_period(line.saving, line.period),
                    "jumlah_simpanan": -line.amount if out else line.amount,
                    "status": "CANCELLED" if cancel else "WITHDRAWN" if out else "PAID",
                    "dibuat_pada": _stamp(created, zone), "dibayar_pada": _stamp(created, zone)})
             for line, doc_no, created, day, number, out, cancel in found]
    # a stable sort by day: a day's saldo awal before its documents, each in its own order
    return [row for _, row in sorted(opening_rows(session, first, last, ref, zone) + taken,
                                     key=lambda pair: pair[0])]


def _write(folder: Path, table: str, rows: Iterable[dict]) -> Written:
    path = folder.joinpath(f"{table}.csv")
    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=TABLES[table])
        writer.writeheader()
        for row in rows:  # names typed at the till: no formula reaches a spreadsheet
            writer.writerow({k: neutral(clean(v)) if isinstance(v, str) else v for k, v in row.items()})
            count += 1
    return Written(table, path, count)


def export(session: Session, folder: Path, first: date, last: date, *, koperasi_ref: str, zone: str,
           full_nik: bool = False) -> list[Written]:
    """Write the five files into ``folder`` (made if missing, in a folder that exists: never a
    tree of folders unseen); returns what was written."""
    folder.mkdir(exist_ok=True)
    transactions, goods = sales_rows(session, first, last, koperasi_ref, zone)
    returned, taken_back = return_rows(session, first, last, koperasi_ref, zone)
    return [_write(folder, "transaksi_penjualan", _in_time_order(transactions, returned, "tanggal_dibuat")),
            _write(folder, "barang_keluar_produk", _in_time_order(goods, taken_back, "tanggal_keluar")),
            _write(folder, "produk_koperasi", product_rows(session, koperasi_ref, zone)),
            _write(folder, "anggota_koperasi", member_rows(session, koperasi_ref, full_nik=full_nik)),
            _write(folder, "simpanan_anggota", saving_rows(session, first, last, koperasi_ref, zone))]
