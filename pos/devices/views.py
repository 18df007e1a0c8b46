"""The manager's device page (views): printer state and test print, opening the cash drawer
with a reason, receipts still waiting for paper, and the in-store barcode tester."""
from __future__ import annotations

from flask import Blueprint, current_app, g, request

from pos import money
from pos.auth.access import requires
from pos.db import read_session
from pos.errors import PosError
from pos.hardware.testpage import test_page_from_config
from pos.inventory.catalog import lookup
from pos.sales import print_worker, printing
from pos.units import BaseUnit
from pos.web import hardware, message, render

bp = Blueprint("devices", __name__, url_prefix="/perangkat")


@bp.get("")
@requires("manage")
def index():
    """Printer state, the unprinted receipts and the tools."""
    cfg = current_app.config
    return render("devices/index.html", printer=cfg["PRINTER"].split("?")[0],
                  printer_status=hardware().printer.status(), columns=cfg["RECEIPT_COLUMNS"],
                  unprinted=printing.unprinted(read_session()),
                  patterns=cfg["BARCODE_PATTERNS"], scale=cfg["SCALE"].split("?")[0])


@bp.post("/cetak-uji")
@requires("manage")
def test_print():
    """Print a test page."""
    hardware().printer.print_receipt(test_page_from_config(current_app.config))
    return message("ok", "Halaman uji dikirim ke printer.")


@bp.post("/laci")
@requires("manage")
def open_drawer():
    """Open the cash drawer; who and why are logged before the drawer moves."""
    if g.staff.till_id is None:
        raise PosError("Pilih mesin kasir saat masuk untuk membuka lacinya.")
    error = print_worker.open_drawer(current_app._get_current_object(), till_id=g.staff.till_id,
                                     user_id=g.staff.id, reason=request.form.get("reason", ""))
    if error:
        raise PosError(error, 503)
    return message("ok", "Laci dibuka dan dicatat.")


@bp.post("/struk/<int:job_id>/cetak")
@requires("manage")
def print_pending(job_id: int):
    """Try a receipt that is still waiting for paper again."""
    if printing.job(read_session(), job_id) is None:
        raise PosError("Antrean cetak tidak ditemukan.", 404)
    error = print_worker.run_job(current_app._get_current_object(), job_id)
    if error:
        raise PosError(f"Struk belum tercetak: {error}", 503)
    return message("ok", "Struk dicetak.")


@bp.get("/timbangan")
@requires("manage")
def scale_check():
    """Read the scale once and say what it shows."""
    return message("info", f"Timbangan: {hardware().scale.status()}")


@bp.get("/pola")
@requires("manage")
def pattern_test():
    """Scan a sample label and see how it is read."""
    code = request.args.get("kode", "")
    try:
        hit = lookup.lookup_barcode(read_session(), code, current_app.extensions["pos_patterns"])
    except PosError as problem:
        return render("devices/_pattern.html", code=code, error=problem.message)
    amount = hit.fixed_amount if hit.fixed_amount is not None else \
        money.line_amount(hit.price, hit.qty, BaseUnit(hit.base_unit).price_per)
    return render("devices/_pattern.html", code=code, hit=hit, amount=amount)
