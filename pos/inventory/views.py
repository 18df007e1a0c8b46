"""Stock clerk screens: in-store codes for goods without a barcode, and shelf labels.

Labels print either as an A4 sticker sheet (a page of SVG the browser prints)
or on the thermal printer; the printer is reached only after the data is read,
and a printer failure is a message, never a lost change.
"""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, request, url_for
from sqlalchemy.exc import IntegrityError

from pos.db import read_session, transaction
from pos.errors import PosError
from pos.hardware import HardwareError
from pos.hardware.label_sheets import a4_sheet_svg
from pos.inventory import catalog, labels
from pos.web import hardware, render, requires

bp = Blueprint("inventory", __name__, url_prefix="/barang")
FORMATS = {"a4": "Lembar stiker A4 (3 x 8)", "thermal": "Printer struk (thermal)"}
_PRINT_FAILED = "Label belum tercetak"


def _ids(name: str) -> list[int]:
    """The posted ids of ``name`` (``name`` or ``name[]``), all positive integers."""
    raw = request.form.getlist(name) or request.form.getlist(f"{name}[]")
    if any(not value.strip().isdigit() or len(value.strip()) > 12 for value in raw):
        raise PosError("Pilihan barang tidak sah. Muat ulang halaman lalu coba lagi.")
    return [int(value) for value in raw]


def _label_items() -> list[tuple[int, int]]:
    """(product id, copies) rows of the label form; copies are checked by the service."""
    product_ids, copies = _ids("product_id"), request.form.getlist("copies")
    if len(copies) != len(product_ids):
        raise PosError("Setiap barang perlu jumlah label.")
    counts = []
    for value in copies:
        value = value.strip()
        if not value.lstrip("-").isdigit() or len(value) > 6:
            raise PosError("Jumlah label harus angka bulat.")
        counts.append(int(value))
    return list(zip(product_ids, counts))


def _avoid_prefixes() -> tuple[str, ...]:
    return tuple(p.prefix for p in current_app.extensions["pos_patterns"])


@bp.get("/label")
@requires("stock")
def label_page():
    """Pick goods and copies for labels; give in-store codes to goods without a barcode."""
    missing = labels.products_without_barcode(read_session())
    return render("inventory/labels.html", missing=missing, formats=FORMATS,
                  max_copies=labels.MAX_COPIES)


@bp.get("/cari")
@requires("stock")
def search():
    """Live name search for the label form."""
    query = request.args.get("q", "")
    found = catalog.search(read_session(), query, current_app.config["SEARCH_LIMIT"])
    return render("inventory/_label_search.html", results=found, query=query)


@bp.post("/kode-toko")
@requires("stock")
def assign_codes():
    """Give the chosen goods without a barcode the next free in-store EAN-13 codes."""
    product_ids = _ids("product_id")
    try:
        with transaction() as db_session:
            assigned = labels.assign_instore_codes(
                db_session, product_ids, current_app.config["INSTORE_PREFIX"], _avoid_prefixes())
    except IntegrityError:
        # Another clerk took the same code at the same moment (PostgreSQL); nothing was saved.
        raise PosError("Kode bentrok dengan proses lain. Coba lagi.", 409) from None
    return render("inventory/_no_barcode.html", missing=labels.products_without_barcode(
        read_session()), assigned=_named(assigned), kept=_named(assigned.kept))


def _named(codes: dict[int, str]) -> list[dict]:
    """Rows (id, name, price, code) for codes keyed by product id, for the partial."""
    session = read_session()
    rows = []
    for product_id, code in codes.items():
        product = catalog.get_product(session, product_id)
        rows.append({"id": product.id, "name": product.name, "price": product.price,
                     "base_unit": product.base_unit, "code": code})
    return rows


@bp.post("/label")
@requires("stock")
def print_labels():
    """Labels for the chosen rows: an A4 sheet to print from the browser, or the thermal printer."""
    kind = request.form.get("format", "")
    if kind not in FORMATS:
        raise PosError("Pilih format label: A4 atau printer thermal.", 400)
    items = _label_items()
    chosen = labels.label_data(read_session(), items)
    if kind == "a4":
        return render("inventory/label_sheet.html", pages=a4_sheet_svg(chosen), count=len(chosen))
    try:
        hardware().printer.print_labels(chosen)
    except HardwareError as error:
        message = str(error)
        if not message.startswith(_PRINT_FAILED):
            message = f"{_PRINT_FAILED}: {message}"
        flash(message, "error")
    else:
        flash(f"{len(chosen)} label dikirim ke printer.", "ok")
    return redirect(url_for("inventory.label_page"), 303)
