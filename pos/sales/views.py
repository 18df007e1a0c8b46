"""The cashier's screen: scan, search, change lines, pay cash, see and print the receipt.

Each POST runs one service inside one ``transaction()`` and answers with the
cart partial; hardware is touched only after the commit.
"""
from __future__ import annotations

import re

from flask import Blueprint, current_app, g, request

from pos import money
from pos.auth.access import requires
from pos.db import read_session, transaction
from pos.errors import PosError
from pos.hardware import HardwareError, display
from pos.inventory.catalog import lookup
from pos.sales import cart, checkout, pricing, print_worker, printing
from pos.sales.models import PaymentMethod, PrintKind, PrintStatus
from pos.tills.models import Till
from pos.web import business_today, hardware, int_field, live_search, message, render, rupiah_field

bp = Blueprint("sales", __name__, url_prefix="/kasir")
_TIMES = re.compile(r"^\s*(\d{1,3})\s*[*xX]\s*(\S+)\s*$")


def tax_settings() -> pricing.TaxSettings:
    cfg = current_app.config
    return pricing.TaxSettings(cfg["PKP"], cfg["TAX_RATE_BP"], cfg["TAX_INCLUSIVE"])


def _till_id() -> int:
    if g.staff.till_id is None:
        raise PosError("Browser ini belum memilih kasir (till). Keluar lalu pilih kasir saat masuk.")
    return g.staff.till_id


def _shown(view: cart.CartView, product_id: int | None):
    """The cart fragment, after the commit telling the customer's display what was added."""
    row = next((r for r in reversed(view.rows) if r.product_id == product_id), None)
    if row is not None:
        _display(display.two_sides(row.name, money.format_rupiah(row.amount)),
                 display.two_sides("TOTAL", money.format_rupiah(view.totals.total)))
    return render("sales/_cart.html", cart=view, highlight=product_id)


def _display(top: str, bottom: str) -> None:
    """The pole display is a courtesy: a failure is logged, never shown to the cashier."""
    try:
        hardware().display.show(top, bottom)
    except HardwareError as error:
        current_app.logger.info("Layar pelanggan: %s", error)


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
        product_id = cart.scan(db_session, _till_id(), code, times=times,
                               patterns=current_app.extensions["pos_patterns"],
                               limits=current_app.config["MAX_QTY"], today=business_today())
        view = cart.view(db_session, _till_id(), tax_settings())
    return _shown(view, product_id)


@bp.post("/anggota")
@requires("sell")
def attach_member():
    """Attach a member (card, member number or phone) to the current sale."""
    with transaction() as db_session:
        cart.attach_member(db_session, _till_id(), request.form.get("member", ""))
        return _cart_response(db_session)


@bp.post("/anggota/lepas")
@requires("sell")
def detach_member():
    """Take the member off the current sale."""
    with transaction() as db_session:
        cart.detach_member(db_session, _till_id())
        return _cart_response(db_session)


@bp.get("/cari")
@requires("sell")
def search():
    """Live name search for goods without a barcode."""
    return live_search(lookup.search, "sales/_search.html")


@bp.post("/tambah/<int:product_id>")
@requires("sell")
def add(product_id: int):
    """Add one unit of a product chosen from the search list."""
    with transaction() as db_session:
        cart.add_product(db_session, _till_id(), product_id, current_app.config["MAX_QTY"],
                         today=business_today())
        view = cart.view(db_session, _till_id(), tax_settings())
    return _shown(view, product_id)


@bp.post("/timbang/<int:product_id>")
@requires("sell")
def weigh(product_id: int):
    """Read the scale (less the tare typed by the cashier) and add the weighed line."""
    tare = int_field("tare", "Tara (gram)", required=False, blank=0, low=0, high=20_000)
    try:
        grams = hardware().scale.read_stable_grams(tare)
    except HardwareError as error:  # before any write: the scale's answer is the cashier's input
        raise PosError(str(error)) from None
    with transaction() as db_session:
        cart.add_weighed(db_session, _till_id(), product_id, grams, current_app.config["MAX_QTY"])
        view = cart.view(db_session, _till_id(), tax_settings())
    return _shown(view, product_id)


@bp.post("/baris/<int:line_id>/jumlah")
@requires("sell")
def set_qty(line_id: int):
    """Change a line's quantity (in the product's base unit)."""
    qty = int_field("qty", "Jumlah")
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
    tendered = rupiah_field("tendered", "Uang diterima")
    expected = int_field("expected_total", "Total", required=False)
    with transaction() as db_session:
        result = checkout.checkout(
            db_session, till_id=_till_id(), cashier_id=g.staff.id,
            idempotency_key=request.form.get("idempotency_key", ""),
            tenders=[checkout.Tender(PaymentMethod.CASH, tendered)],
            outlet_code=cfg["OUTLET_CODE"], timezone=cfg["TIMEZONE"], tax=tax_settings(),
            expected_total=expected)
    print_error = _announce(result) if result.created else None
    return render("sales/_sale_done.html", sale=result.sale, print_error=print_error,
                  cart=cart.empty_view(tax_settings()),
                  print_job_id=result.print_job_id if result.created else None,
                  queued="pos_print_queue" in current_app.extensions,
                  headers={"HX-Trigger": "sale-done"})


def _announce(result: checkout.CheckoutResult) -> str | None:
    """After the commit: send the receipt to the printer and the total to the pole display.

    Returns the error of a print made right away (None when queued or printed).
    """
    print_error = print_worker.submit(current_app._get_current_object(), result.print_job_id)
    _display(display.two_sides("TOTAL", money.format_rupiah(result.sale.total)),
             display.two_sides("KEMBALI", money.format_rupiah(result.sale.change)))
    return print_error


@bp.get("/cetak/<int:job_id>")
@requires("sell")
def print_status(job_id: int):
    """Whether a receipt has come out yet; polled by the till right after a sale."""
    job = printing.job(read_session(), job_id)
    if job is None:
        raise PosError("Antrean cetak tidak ditemukan.", 404)
    return render("sales/_print_status.html", job_id=job_id, sale_id=job.sale_id,
                  printed=job.status == PrintStatus.PRINTED, attempts=job.attempts,
                  error=job.last_error)


def _receipt_for(sale: checkout.SaleRecord, copy: bool = False):
    known = g.staff.full_name if sale.cashier_id == g.staff.id else None
    return print_worker.build_receipt(current_app, read_session(), sale, copy=copy, cashier=known)


@bp.get("/struk/<int:sale_id>")
@requires("sell")
def show_receipt(sale_id: int):
    """A committed sale's receipt, as printed."""
    sale = checkout.get_sale(read_session(), sale_id)
    return render("sales/receipt_page.html", sale=sale, receipt=_receipt_for(sale))


@bp.get("/struk/<int:sale_id>/teks")
@requires("sell")
def receipt_text(sale_id: int):
    """The receipt as text, shown beside the change right after a sale."""
    sale = checkout.get_sale(read_session(), sale_id)
    return render("sales/_receipt_text.html", receipt=_receipt_for(sale))


@bp.post("/struk/<int:sale_id>/cetak")
@requires("sell")
def reprint(sale_id: int):
    """Print the receipt again, marked SALINAN; the copy job is the reprint log."""
    with transaction() as db_session:
        job_id = printing.enqueue(db_session, sale_id, PrintKind.COPY, requested_by=g.staff.id)
    error = print_worker.run_job(current_app._get_current_object(), job_id)
    if error:
        raise PosError(f"Struk belum tercetak: {error}", 503)
    return message("ok", "Salinan struk dicetak.")
