"""Receipts at the till (views): today's sales of this till (Riwayat), a receipt, its copy.

Found by receipt number or by scanning the receipt's QR; opened and reprinted by
keyboard.  A copy is a print job of its own (the reprint log) and never opens
the drawer.
"""
from __future__ import annotations

from flask import Blueprint, current_app, g, request, url_for

from pos.auth.access import current_till_id, requires
from pos.db import read_session, transaction
from pos.errors import PosError
from pos.sales import checkout, history, print_worker, printing
from pos.sales.models import PrintKind, PrintStatus
from pos.text import sentence
from pos.web import business_today, go, message, render

bp = Blueprint("receipts", __name__, url_prefix="/kasir")


@bp.get("/riwayat")
@requires("sell")
def history_page():
    """Today's sales of this till; a typed or scanned receipt number opens its receipt."""
    text = request.args.get("q", "").strip()[:80]
    session = read_session()
    opening = bool(text) and request.args.get("buka") == "1"
    if opening:
        sale_id = history.find_receipt(session, text, current_app.config["OUTLET_CODE"])
        if sale_id is not None:
            return go(url_for("receipts.show", sale_id=sale_id))
    sales = history.todays_sales(session, current_till_id(), business_today(), text)
    if opening and len(sales) == 1:   # Enter takes the only receipt listed, as a search does
        return go(url_for("receipts.show", sale_id=sales[0].id))
    return render("sales/history.html", partial="sales/_history_rows.html", sales=sales,
                  query=text, day=business_today())


@bp.get("/cetak/<int:job_id>")
@requires("sell")
def print_status(job_id: int):
    """Whether a receipt has come out yet; polled by the till right after a sale while the job is
    in flight (queued, or at a printer that answers slowly), until it printed or failed with a
    reason.  Its attempt counts when it is claimed, before the send: an attempt with no result
    is a print under way, unless none is (the server ended while it printed: cut off)."""
    job = printing.job(read_session(), job_id)
    if job is None:
        raise PosError("Antrean cetak tidak ditemukan.", 404)
    waiting = job.last_error is None and (job.attempts == 0 or print_worker.in_flight(job_id))
    return render("sales/_print_status.html", job_id=job_id, sale_id=job.sale_id,
                  printed=job.status == PrintStatus.PRINTED, waiting=waiting,
                  no_printer=print_worker.no_printer(current_app, job.till_id),
                  problem=printing.problem(job.last_error))


def _receipt_for(sale: checkout.SaleRecord, copy: bool = False):
    known = g.staff.full_name if sale.cashier_id == g.staff.id else None
    return print_worker.build_receipt(current_app, read_session(), sale, copy=copy, cashier=known)


@bp.get("/struk/<int:sale_id>")
@requires("sell")
def show(sale_id: int):
    """A committed sale's whole receipt, as printed, with its copy button."""
    sale = checkout.get_sale(read_session(), sale_id)
    return render("sales/receipt_page.html", sale=sale, receipt=_receipt_for(sale))


@bp.get("/struk/<int:sale_id>/teks")
@requires("sell")
def text(sale_id: int):
    """The receipt as text, shown beside the change right after a sale."""
    sale = checkout.get_sale(read_session(), sale_id)
    return render("sales/_receipt_text.html", receipt=_receipt_for(sale))


@bp.post("/struk/<int:sale_id>/cetak")
@requires("sell")
def reprint(sale_id: int):
    """Print the receipt again, marked SALINAN; the copy job is the reprint log.  A receipt
    that never printed is printed itself (no copy is queued beside it: the retry printed both)."""
    with transaction() as db_session:
        job_id = printing.unprinted_receipt(db_session, sale_id)
        original = job_id is not None
        if not original:
            job_id = printing.enqueue(db_session, sale_id, PrintKind.COPY, requested_by=g.staff.id,
                                      till_id=g.staff.till_id)
    error = print_worker.run_job(current_app._get_current_object(), job_id)
    if error:
        raise PosError(f"Struk belum tercetak: {sentence(printing.problem(error)[0])}", 503)
    unprinted = print_worker.no_printer(current_app, g.staff.till_id)
    if unprinted:
        return message("warn", unprinted)
    return message("ok", "Struk dicetak." if original else "Salinan struk dicetak.")
