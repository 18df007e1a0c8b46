"""Stock clerk screens (views): in-store codes for goods without a barcode, and shelf labels.

Labels print either as an A4 sticker sheet (a page of SVG the browser prints)
or on the thermal printer; the printer is reached only after the data is read,
and a printer failure is a message, never a lost change.
"""
from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, request, url_for

from pos.auth.access import requires, till_printer
from pos.db import read_session, transaction
from pos.errors import PosError
from pos.hardware import HardwareError, not_printed
from pos.hardware.label_sheets import a4_sheet_svg
from pos.inventory.catalog import lookup, products
from pos.inventory.labels import instore, shelf
from pos.web import int_list, is_htmx, live_search, render

bp = Blueprint("labels", __name__, url_prefix="/barang")
FORMATS = {"a4": "Lembar stiker A4 (3 x 8)", "thermal": "Printer struk (thermal)"}
_PRINT_FAILED = "Label belum tercetak"
_TAMPERED = "Pilihan barang tidak sah. Muat ulang halaman lalu coba lagi."


def _label_items(kind: str) -> list[tuple[int, int]]:
    """(product id, copies) rows of the label form; copies are checked by the service. A count
    that is no whole number ("abc", "2,5": the field is a number box, so a changed form) is
    refused as 0 or 9999 are: the page again with its rows and format (``LabelsRefused``); so is a
    count left empty, or missing from a changed form, asked for as such."""
    product_ids = int_list("product_id", _TAMPERED)
    typed = [value.strip() for value in request.form.getlist("copies")]
    if len(typed) != len(product_ids) or "" in typed:   # a count left out: the rows come back
        rows = [(product_id, typed[n] if n < len(typed) else "")
                for n, product_id in enumerate(product_ids)]
        raise LabelsRefused("Setiap barang perlu jumlah label.", rows, kind)
    try:
        copies = int_list("copies", "Jumlah label harus angka bulat.", signed=True)
    except PosError as refused:
        raise LabelsRefused(refused.message, list(zip(product_ids, typed, strict=True)), kind) from None
    return list(zip(product_ids, copies, strict=True))


class LabelsRefused(PosError):
    """A label form refused before the service read it, with the rows it was sent with."""
    def __init__(self, message: str, items: list[tuple[int, int | str]], kind: str):
        super().__init__(message)
        self.items, self.kind = items, kind


def _avoid_prefixes() -> tuple[str, ...]:
    return tuple(p.prefix for p in current_app.extensions["pos_patterns"])


@bp.get("/label")
@requires("stock")
def label_page():
    """Pick goods and copies for labels; give in-store codes to goods without a barcode. Back
    from an A4 sheet, or from the thermal printer, the rows it was made of come along
    (``?product_id=…&copies=…``), and the format chosen (``&format=thermal``)."""
    ids, copies = request.args.getlist("product_id"), request.args.getlist("copies")
    items = [(int(i), int(c)) for i, c in zip(ids, copies, strict=False)
             if i.isascii() and i.isdigit() and c.isascii() and c.isdigit() and len(i + c) < 16]
    return _page(items=items[:instore.MAX_PRODUCTS], kind=request.args.get("format", ""))


def _page(problem: str | None = None, items: list[tuple[int, int | str]] = (), status: int = 200,
          kind: str = ""):
    """The label page; after a refusal with the rows asked for still in the form (they lived
    only in the page, and the refusal's new page had none of them) and the format chosen (it
    came back as A4: pressed again, a thermal request made a sheet)."""
    session = read_session()
    found = instore.known_products(session, [i for i, _ in items]) if items else {}
    rows = [(found[product_id], copies) for product_id, copies in items if product_id in found]
    return render("labels/labels.html", status, missing=instore.products_without_barcode(session),
                  formats=FORMATS, max_copies=shelf.MAX_COPIES, rows=rows, problem=problem,
                  chosen=kind if kind in FORMATS else "a4")


@bp.get("/cari")
@requires("stock")
def search():
    """Live name search for the label form."""
    return live_search(lookup.search, "labels/_label_search.html")


@bp.post("/kode-toko")
@requires("stock")
def assign_codes():
    """Give the chosen goods without a barcode the next free in-store EAN-13 codes."""
    product_ids = int_list("product_id", _TAMPERED)
    # Two clerks taking the same code at once (PostgreSQL) is a unique-key clash; the
    # errors handler answers it with 409 "try again", and nothing was saved.
    with transaction() as db_session:
        assigned = instore.assign_instore_codes(
            db_session, product_ids, current_app.config["INSTORE_PREFIX"], _avoid_prefixes(),
            user_id=g.staff.id)
    return render("labels/_no_barcode.html", missing=instore.products_without_barcode(
        read_session()), assigned=_named(assigned), kept=_named(assigned.kept))


def _named(codes: dict[int, str]) -> list[dict]:
    """Rows (id, name, price, code) for codes keyed by product id, for the partial."""
    session = read_session()
    rows = []
    for product_id, code in codes.items():
        product = products.get_product(session, product_id)
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
    try:
        items = _label_items(kind)
        chosen = shelf.label_data(read_session(), items)
    except LabelsRefused as refused:
        if is_htmx():
            raise
        return _page(refused.message, refused.items, 422, kind)   # as typed, to be put right
    except instore.LabelError as refused:
        if is_htmx():
            raise
        return _page(refused.message, items, 422, kind)   # the page again, its rows and format kept
    rows = {"product_id": [i for i, _ in items], "copies": [c for _, c in items]}
    if kind == "a4":
        back = url_for("labels.label_page", **rows)
        return render("labels/label_sheet.html", pages=a4_sheet_svg(chosen), count=len(chosen), back=back)
    printer = till_printer()   # the signed-in till's own, else the outlet's
    try:
        printer.print_labels(chosen)
    except HardwareError as error:
        current_app.logger.warning("Label belum tercetak: %s", error)   # the device's own words
        message = error.summary or str(error)
        if not message.startswith(_PRINT_FAILED):
            message = f"{_PRINT_FAILED}: {message}"
        flash(message, "error")
    else:
        unprinted = not_printed(printer, "Label")   # dummy://: recorded, nothing on paper
        if unprinted is None:
            flash(f"{len(chosen)} label dikirim ke printer.", "ok")
            return redirect(url_for("labels.label_page", format=kind), 303)
        flash(unprinted, "warn")
    # Not printed: the rows come back with the format, to print again or as an A4 sheet.
    return redirect(url_for("labels.label_page", format=kind, **rows), 303)
