"""Goods receiving screens for stock clerks (drafts, posting, corrections).

Each POST parses the form, runs one receiving service inside one
``transaction()`` and answers with the partial it changed (the lines, a line's
totals, the supplier list) or, for page changes, a redirect that htmx follows.
"""
from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, g, redirect, request, url_for

from pos import money
from pos.db import read_session, transaction
from pos.errors import PosError
from pos.inventory import (
    catalog, receiving, receiving_queries as queries, receiving_reversal, receiving_scan,
)
from pos.inventory.models_receiving import ReceiptStatus
from pos.web import business_today, render, requires

bp = Blueprint("receiving", __name__, url_prefix="/penerimaan")


def _count(name: str, label: str, blank: int | None = 0) -> int | None:
    """A whole number of packs from the form; an empty field means ``blank``."""
    raw = request.form.get(name, "").strip()
    if not raw:
        return blank
    if not raw.isdigit() or len(raw) > 9:
        raise PosError(f"{label} harus angka bulat 0 sampai 1.000.000.")
    return int(raw)


def _id_field(name: str, label: str) -> int:
    raw = request.form.get(name, "").strip()
    if not raw.isdigit() or len(raw) > 12:
        raise PosError(f"Pilih {label} dulu.")
    return int(raw)


def _cost() -> int:
    try:
        return money.parse_rupiah(request.form.get("cost_per_pack", ""), receiving.MAX_COST)
    except money.MoneyError as problem:
        raise PosError(f"Harga beli per kemasan: {problem}") from None


def _expiry() -> date | None:
    raw = request.form.get("expiry", "").strip()
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        raise PosError("Tanggal kedaluwarsa tidak valid (tahun-bulan-tanggal).") from None


def _line_values() -> receiving.LineValues:
    form = request.form
    return receiving.LineValues(
        pack_name=form.get("pack_name", ""), qty_packs=_count("qty_packs", "Jumlah diterima"),
        cost_per_pack=_cost(), ordered_packs=_count("ordered_packs", "Jumlah dipesan", None),
        damaged_packs=_count("damaged_packs", "Jumlah rusak"), reason=form.get("reason"),
        batch_no=form.get("batch_no"), expiry=_expiry())


def _go(url: str):
    """Another page: htmx follows ``HX-Redirect``; a plain form gets a 303."""
    if request.headers.get("HX-Request") == "true":
        return "", 200, {"HX-Redirect": url}
    return redirect(url, 303)


def _lines(db_session, receipt_id: int, **extra):
    detail = queries.receipt_detail(db_session, receipt_id)
    return render("receiving/_lines.html", d=detail, **extra)


@bp.get("")
@requires("stock")
def index():
    """Recent receipts and the form to start one."""
    session = read_session()
    return render("receiving/index.html", receipts=queries.recent_receipts(session),
                  suppliers=queries.suppliers(session), kinds=queries.supplier_kinds(),
                  labels=queries.STATUS_LABELS)


@bp.post("/pemasok")
@requires("stock")
def add_supplier():
    """Add a supplier and answer with the supplier list, the new one chosen."""
    form = request.form
    with transaction() as db_session:
        supplier_id = receiving.create_supplier(db_session, form.get("name", ""),
                                                form.get("kind", ""), form.get("phone"))
        return render("receiving/_supplier_select.html", suppliers=queries.suppliers(db_session),
                      selected=supplier_id, added=True)


@bp.post("")
@requires("stock")
def create():
    """Start a draft for a delivery and open it."""
    supplier_id = _id_field("supplier_id", "pemasok")
    with transaction() as db_session:
        receipt_id = receiving.create_draft(db_session, supplier_id,
                                            request.form.get("delivery_note", ""), g.staff.id)
    return _go(url_for(".edit", receipt_id=receipt_id))


@bp.get("/<int:receipt_id>")
@requires("stock")
def edit(receipt_id: int):
    """A draft to fill in, or a posted receipt to read (and correct)."""
    detail = queries.receipt_detail(read_session(), receipt_id)
    receipt = detail.receipt
    if receipt.status is ReceiptStatus.DRAFT and receipt.reverses_id is None:
        return render("receiving/draft.html", d=detail)
    return render("receiving/receipt.html", d=detail, labels=queries.STATUS_LABELS)


@bp.get("/<int:receipt_id>/baris")
@requires("stock")
def lines(receipt_id: int):
    """The lines as stored (the screen reloads them after a refused change)."""
    return _lines(read_session(), receipt_id)


@bp.post("/<int:receipt_id>/pindai")
@requires("stock")
def scan(receipt_id: int):
    """A scanned or typed code: add its pack, or one more of it."""
    with transaction() as db_session:
        line_id = receiving_scan.scan(db_session, receipt_id, request.form.get("code", ""))
        return _lines(db_session, receipt_id, highlight=line_id)


@bp.get("/<int:receipt_id>/cari")
@requires("stock")
def search(receipt_id: int):
    """Live name search for goods to add."""
    query = request.args.get("q", "")
    found = catalog.search(read_session(), query, current_app.config["SEARCH_LIMIT"])
    return render("receiving/_search.html", results=found, query=query, receipt_id=receipt_id)


@bp.post("/<int:receipt_id>/tambah/<int:product_id>")
@requires("stock")
def add(receipt_id: int, product_id: int):
    """Add a product picked from the search list."""
    with transaction() as db_session:
        line_id = receiving_scan.add_product(db_session, receipt_id, product_id)
        return _lines(db_session, receipt_id, highlight=line_id)


@bp.post("/<int:receipt_id>/baris/<int:line_id>")
@requires("stock")
def update_line(receipt_id: int, line_id: int):
    """Save one line; the answer updates only its totals, so typing elsewhere is kept."""
    values = _line_values()
    with transaction() as db_session:
        receiving.update_line(db_session, receipt_id, line_id, values, today=business_today())
        detail = queries.receipt_detail(db_session, receipt_id)
        return render("receiving/_line_saved.html", d=detail, row=detail.row(line_id))


@bp.post("/<int:receipt_id>/baris/<int:line_id>/hapus")
@requires("stock")
def remove_line(receipt_id: int, line_id: int):
    """Take a line off the draft."""
    with transaction() as db_session:
        receiving.remove_line(db_session, receipt_id, line_id)
        return _lines(db_session, receipt_id)


@bp.post("/<int:receipt_id>/kemasan")
@requires("stock")
def add_pack(receipt_id: int):
    """A new pack unit (karung 50 kg, dus) for a product on this draft."""
    product_id = _id_field("product_id", "barang")
    qty = _count("qty", "Isi kemasan", None)
    if qty is None:
        raise PosError("Isi kemasan (dalam satuan dasar) wajib diisi.")
    with transaction() as db_session:
        pack = receiving.add_draft_pack(db_session, receipt_id, product_id,
                                        request.form.get("name", ""), qty)
        return _lines(db_session, receipt_id, pack_added=pack.name)


@bp.post("/<int:receipt_id>/posting")
@requires("stock")
def post(receipt_id: int):
    """Post the draft: stock and costs change in one transaction, then it is read-only."""
    with transaction() as db_session:
        receiving.post(db_session, receipt_id, g.staff.id, business_today())
    return _go(url_for(".edit", receipt_id=receipt_id))


@bp.post("/<int:receipt_id>/hapus")
@requires("stock")
def discard(receipt_id: int):
    """Throw away a draft that was never posted."""
    with transaction() as db_session:
        receiving.discard_draft(db_session, receipt_id)
    return _go(url_for(".index"))


@bp.post("/<int:receipt_id>/koreksi")
@requires("stock")
def reverse(receipt_id: int):
    """Start a correcting receipt that a manager has to approve."""
    with transaction() as db_session:
        reversal_id = receiving_reversal.create_reversal(
            db_session, receipt_id, g.staff.id, request.form.get("reason", ""))
    return _go(url_for(".edit", receipt_id=reversal_id))


@bp.post("/<int:receipt_id>/setujui")
@requires("manage")
def approve(receipt_id: int):
    """A manager approves a correction and posts it."""
    with transaction() as db_session:
        receiving_reversal.post_reversal(db_session, receipt_id, g.staff.id)
    return _go(url_for(".edit", receipt_id=receipt_id))
