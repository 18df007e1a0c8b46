"""The cashier's screen: scan, search, change lines, pay cash, see and print the receipt.

Each POST runs one service inside one ``transaction()`` and answers with the
cart partial; hardware is touched only after the commit.
"""
from __future__ import annotations

import re

from flask import Blueprint, current_app, g, request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from pos import money
from pos.auth.models import User
from pos.db import get_db, read_session, transaction
from pos.errors import PosError
from pos.hardware import HardwareError
from pos.inventory import catalog
from pos.sales import cart, checkout, pricing, receipt
from pos.sales.models import PaymentMethod, Till
from pos.web import hardware, render, requires

bp = Blueprint("sales", __name__, url_prefix="/kasir")
_TIMES = re.compile(r"^\s*(\d{1,3})\s*[*xX]\s*(\S+)\s*$")


def tax_settings() -> pricing.TaxSettings:
    cfg = current_app.config
    return pricing.TaxSettings(cfg["PKP"], cfg["TAX_RATE_BP"], cfg["TAX_INCLUSIVE"])


def outlet_info() -> receipt.OutletInfo:
    cfg = current_app.config
    return receipt.OutletInfo(cfg["OUTLET_NAME"], cfg["OUTLET_ADDRESS"], cfg["OUTLET_NPWP"],
                              cfg["RECEIPT_FOOTER"], cfg["TIMEZONE"])


def _till_id() -> int:
    if g.staff.till_id is None:
        raise PosError("Browser ini belum memilih kasir (till). Keluar lalu pilih kasir saat masuk.")
    return g.staff.till_id


def _int_field(name: str, label: str) -> int:
    raw = request.form.get(name, "").strip()
    if not raw.isdigit() or len(raw) > 12:
        raise PosError(f"{label} harus berupa angka bulat positif.")
    return int(raw)


def _cart_response(db_session, status: int = 200, **extra):
    view = cart.view(db_session, _till_id(), tax_settings())
    return render("sales/_cart.html", status, cart=view, **extra)


@bp.get("")
@requires("sell")
def till():
    """The till page; the cart is read from the server, so a reload loses nothing."""
    till_id = _till_id()
    session = read_session()
    view = cart.view(session, till_id, tax_settings())
    till_row = session.get(Till, till_id)
    return render("sales/till.html", cart=view, till=till_row)


@bp.post("/pindai")
@requires("sell")
def scan():
    """A scanned or typed code (``3*code`` adds three): add it or say why not."""
    raw = request.form.get("code", "")
    times, code = 1, raw
    if match := _TIMES.match(raw):
        times, code = int(match.group(1)), match.group(2)
    with transaction() as db_session:
        hit = catalog.lookup_barcode(db_session, code)
        cart.add(db_session, _till_id(), hit, times=times, limits=current_app.config["MAX_QTY"])
        return _cart_response(db_session, highlight=hit.product_id)


@bp.get("/cari")
@requires("sell")
def search():
    """Live name search for goods without a barcode."""
    query = request.args.get("q", "")
    found = catalog.search(read_session(), query, current_app.config["SEARCH_LIMIT"])
    return render("sales/_search.html", results=found, query=query)


@bp.post("/tambah/<int:product_id>")
@requires("sell")
def add(product_id: int):
    """Add one unit of a product chosen from the search list."""
    with transaction() as db_session:
        cart.add_product(db_session, _till_id(), product_id, current_app.config["MAX_QTY"])
        return _cart_response(db_session, highlight=product_id)


@bp.post("/baris/<int:line_id>/jumlah")
@requires("sell")
def set_qty(line_id: int):
    """Change a line's quantity (in the product's base unit)."""
    qty = _int_field("qty", "Jumlah")
    with transaction() as db_session:
        cart.set_qty(db_session, _till_id(), line_id, qty, current_app.config["MAX_QTY"])
        return _cart_response(db_session)


@bp.post("/baris/<int:line_id>/hapus")
@requires("sell")
def remove(line_id: int):
    """Remove one line from the cart."""
    with transaction() as db_session:
        cart.remove(db_session, _till_id(), line_id)
        return _cart_response(db_session)


@bp.post("/kosongkan")
@requires("sell")
def clear():
    """Empty the whole cart."""
    with transaction() as db_session:
        cart.clear(db_session, _till_id())
        return _cart_response(db_session)


@bp.post("/bayar")
@requires("sell")
def pay():
    """Take cash and commit the sale once, whatever retries or double clicks happen."""
    cfg = current_app.config
    try:
        tendered = money.parse_rupiah(request.form.get("tendered", ""), cfg["MAX_AMOUNT"])
    except money.MoneyError as problem:
        raise PosError(str(problem)) from None
    key = request.form.get("idempotency_key", "")
    expected = _int_field("expected_total", "Total") if request.form.get("expected_total") else None
    try:
        with transaction() as db_session:
            result = checkout.checkout(
                db_session, till_id=_till_id(), cashier_id=g.staff.id, idempotency_key=key,
                tenders=[checkout.Tender(PaymentMethod.CASH, tendered)],
                outlet_code=cfg["OUTLET_CODE"], timezone=cfg["TIMEZONE"], tax=tax_settings(),
                expected_total=expected)
    except IntegrityError:
        # Two requests with one key raced (PostgreSQL); the other one made the sale.
        with get_db().reading() as db_session:
            existing = checkout.find_by_key(db_session, checkout.valid_key(key))
        if existing is None:
            raise
        result = checkout.CheckoutResult(existing, created=False)
    slip = _receipt_for(result.sale)
    print_error = _print(slip) if result.created else None
    view = cart.view(read_session(), _till_id(), tax_settings())
    response = render("sales/_sale_done.html", sale=result.sale, receipt=slip,
                      print_error=print_error, cart=view)
    return response[0], 200, {"HX-Trigger": "sale-done"}


def _receipt_for(sale: checkout.SaleRecord, copy: bool = False):
    name = read_session().scalar(select(User.full_name).where(User.id == sale.cashier_id)) or "-"
    return receipt.build(sale, outlet_info(), name, current_app.config["RECEIPT_COLUMNS"], copy=copy)


def _print(slip) -> str | None:
    """Print after the commit; a failure is reported, never raised."""
    try:
        hardware().printer.print_receipt(slip)
    except HardwareError as error:
        current_app.logger.warning("Struk %s belum tercetak: %s", slip.receipt_no, error)
        return str(error)
    return None


@bp.get("/struk/<int:sale_id>")
@requires("sell")
def show_receipt(sale_id: int):
    """A committed sale's receipt, as printed."""
    sale = checkout.get_sale(read_session(), sale_id)
    return render("sales/receipt_page.html", sale=sale, receipt=_receipt_for(sale))


@bp.post("/struk/<int:sale_id>/cetak")
@requires("sell")
def reprint(sale_id: int):
    """Print the receipt again, marked SALINAN."""
    sale = checkout.get_sale(read_session(), sale_id)
    error = _print(_receipt_for(sale, copy=True))
    if error:
        raise PosError(f"Struk belum tercetak: {error}", 503)
    return render("_messages.html", messages=[("ok", f"Salinan struk {sale.receipt_no} dicetak.")])
