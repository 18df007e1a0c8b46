"""The manager's device page (views): each till's printer, display, typed weights and holder;
the test print, opening the cash drawer with a reason, receipts still waiting for paper,
and the in-store barcode tester."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, request, url_for

from pos import money
from pos.approvals.dialog import till_actor
from pos.auth.access import requires
from pos.auth.service import require_right, staff_name
from pos.backup import record
from pos.db import read_session, transaction
from pos.devices import lan
from pos.display import tokens
from pos.errors import PosError
from pos.hardware import records_only
from pos.hardware.presence import printer_state
from pos.hardware.testpage import ON_DUMMY, test_page_from_config
from pos.inventory.catalog import lookup
from pos.sales import print_worker, printing
from pos.text import sentence
from pos.tills import service as tills
from pos.units import BaseUnit
from pos.web import devices, go, hardware, int_field, is_htmx, message, render

bp = Blueprint("devices", __name__, url_prefix="/perangkat")


@bp.get("")
@requires("manage")
def index():
    """Printer state, the unprinted receipts and the tools."""
    return _page()


def _page(status: int = 200, typed: dict | None = None):
    """The page; ``typed``: a till's form as sent and refused (``till_id``, its fields, the
    field at fault and the message), drawn again as typed."""
    cfg, session = current_app.config, read_session()
    secret = cfg["SECRET_KEY"]
    addresses, links = _lan_addresses()
    counters = [{"till": till, "holder": staff_name(session, till.held_by) if till.held_by else None,
                 "screen": _shown(url_for("display.customer_screen", till_id=till.id,
                                          token=tokens.screen_token(secret, till.id), _external=True),
                                  addresses)[0]}
                for till in tills.all_tills(session)]
    price_check = url_for("display.price_check_page", token=tokens.price_check_token(secret), _external=True)
    return render("devices/index.html", status, typed=typed or {}, printer=cfg["PRINTER"].split("?")[0],
                  printer_status=printer_state(hardware().printer), columns=cfg["RECEIPT_COLUMNS"],
                  unprinted=printing.unprinted(session), counters=counters,
                  display=cfg["DISPLAY"].split("?")[0],
                  patterns=cfg["BARCODE_PATTERNS"], scale=cfg["SCALE"].split("?")[0],
                  price_checks=_shown(price_check, addresses), links=links,
                  backup=record.read(current_app.instance_path))


def _lan_addresses() -> tuple[list[str], str | None]:
    """The addresses the page's links should name, and which note goes with them: opened on
    the mini-PC's own browser (127.0.0.1, localhost, ::1), the address LAN devices open the app
    at (``POS_PUBLIC_URL``, which ``--serve tls`` writes: 'public'), else its LAN addresses
    ('lan', over HTTPS without the app's port behind the proxy of an older ``--serve tls``:
    'proxy'), none found ('loopback': the links stay as opened), or none when the server
    listens on loopback only ('local': POS_HOST=127.0.0.1 without the proxy, no tablet reaches
    it); opened from the LAN, as opened (None)."""
    if not lan.is_loopback(request.host):
        return [], None
    cfg = current_app.config
    if cfg["PUBLIC_URL"]:
        return [cfg["PUBLIC_URL"]], "public"
    if cfg["HOST"] and lan.is_loopback(cfg["HOST"]) and not cfg["TRUST_PROXY"]:
        return [], "local"
    addresses = lan.lan_addresses()
    if addresses and cfg["TRUST_PROXY"]:   # nginx on the LAN's port 443, the app on loopback
        return [f"https://{address}" for address in addresses], "proxy"
    return addresses, "lan" if addresses else "loopback"


def _shown(url: str, addresses: list[str]) -> list[str]:
    """``url`` on each of ``addresses`` (a host, or a base URL; the first is the one linked),
    or as it is."""
    return [lan.at_base(url, address) if "://" in address else lan.on_address(url, address)
            for address in addresses] or [url]


@bp.post("/kasir")
@requires("manage")
def add_till():
    """A new till: it appears in the login's till list at once, with the outlet's devices."""
    with transaction() as session:
        till = tills.add_till(session, request.form.get("code", ""), request.form.get("name", ""))
        made = f"Kasir {till.code} ({till.name}) ditambahkan."
    flash(made, "ok")
    return go(url_for("devices.index"))   # (sent by htmx: a refusal keeps what was typed)


@bp.post("/kasir/<int:till_id>")
@requires("manage")
def set_till_devices(till_id: int):
    """A till's own printer and display (empty: the outlet's), and typed weights."""
    form = request.form
    sent = {"printer": form.get("printer", ""), "display": form.get("display", ""),
            "manual_weight": form.get("manual_weight") == "1"}
    try:
        with transaction() as session:
            till, changed = tills.set_devices(session, till_id, **sent, user_id=g.staff.id)
            name = till.name
    except tills.DeviceAddressError as problem:  # the form again, as typed, the field marked
        if is_htmx():
            raise
        return _page(422, {**sent, "till_id": till_id, "field": problem.field,
                           "problem": problem.message})
    devices().forget(till_id)
    flash(f"Perangkat {name} disimpan." if changed else "Tidak ada yang berubah.", "ok")
    return redirect(url_for("devices.index"), 303)


@bp.post("/kasir/<int:till_id>/lepas")
@requires("manage")
def release_till(till_id: int):
    """Free a till that another staff member holds (they may have gone home signed in)."""
    with transaction() as session:
        require_right(session, g.staff.id, "manage", "Hanya manajer yang boleh melepaskan kasir.")
        held = tills.holder(session, till_id)
        name = staff_name(session, held.user_id) if held else None
        if held is not None:
            tills.release(session, till_id, g.staff.id, name)
    flash(f"Kasir dilepas dari {name}." if name else "Kasir itu tidak sedang dipegang.", "ok")
    if is_htmx():  # the button asked by htmx: reload the page (its table and the message)
        return message("ok", "Kasir dilepas.", headers={"HX-Refresh": "true"})
    return redirect(url_for("devices.index"), 303)


@bp.post("/cetak-uji")
@requires("manage")
def test_print():
    """Print a test page (on the till's own printer, or the outlet's), naming that printer."""
    till_id = int_field("till_id", "Kasir", required=False)
    if till_id is not None:
        tills.get_till(read_session(), till_id)   # an unknown till: 404, nothing printed
    printer = devices().till_printer(till_id)
    printer.print_receipt(test_page_from_config(current_app.config, printer))
    if records_only(printer):   # dummy://: the page is kept in memory, none comes out
        return message("warn", ON_DUMMY)
    return message("ok", "Halaman uji dikirim ke printer.")


@bp.post("/laci")
@requires("manage")
def open_drawer():
    """Open the cash drawer; who and why are logged before the drawer moves, in the shift open
    at the till (its Tutup shift and Laporan X/Z list it) or, with none, outside any shift."""
    if g.staff.till_id is None:
        raise PosError("Pilih mesin kasir saat masuk untuk membuka lacinya.")
    reason = printing.drawer_reason(request.form.get("reason"))
    error, shift_id = print_worker.open_drawer(current_app._get_current_object(),
                                               till_actor(g.staff.till_id, reason), reason=reason)
    if error:
        raise PosError(error, 503)
    if shift_id is None:   # in no shift's report, the audit log says it (``reports.audit``)
        return message("ok", "Laci dibuka dan dicatat di luar shift (tidak ada shift terbuka di mesin "
                             "kasir ini): lihat Laporan › Log audit, Laci kas dibuka.")
    return message("ok", f"Laci dibuka dan dicatat di shift #{shift_id} yang terbuka di mesin kasir ini "
                         "(Buka laci tanpa penjualan di Tutup shift dan Laporan X/Z).")


@bp.post("/struk/<int:job_id>/cetak")
@requires("manage")
def print_pending(job_id: int):
    """Try a receipt that is still waiting for paper again."""
    job = printing.job(read_session(), job_id)
    if job is None:
        raise PosError("Antrean cetak tidak ditemukan.", 404)
    error = print_worker.run_job(current_app._get_current_object(), job_id)
    if error:
        raise PosError(f"Struk belum tercetak: {sentence(printing.problem(error)[0])}", 503)
    no_printer = print_worker.no_printer(current_app, job.till_id)
    return message("warn", no_printer) if no_printer else message("ok", "Struk dicetak.")


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
