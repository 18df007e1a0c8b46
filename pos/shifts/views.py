"""Shift screens at the till: Buka shift (the counted float), Kas masuk / Kas keluar (a manager
above ``POS_CASH_APPROVAL_ABOVE``, the drawer kicked after the commit), Buka laci (the drawer
opened without a sale: a reason, a manager's PIN unless ``POS_CASHIER_OPENS_DRAWER``, recorded
in the shift, then kicked), and the keys that lead to the current shift's Laporan X and Tutup
shift (``report_views``).

A till without an open shift of the signed-in cashier shows the Buka shift form instead of
the scan screen (``sales.views.till`` sends it here).  A shift of another cashier at the
till is shown with whose it is and its Tutup shift: a cashier change is a shift change.
"""
from __future__ import annotations

from flask import Blueprint, current_app, g, redirect, request, url_for

from pos.approvals.dialog import till_actor
from pos.approvals.service import Actor
from pos.auth.access import current_till_id, requires
from pos.clock import utcnow
from pos.db import read_session, transaction
from pos.errors import PosError
from pos.hardware import HardwareError, no_drawer
from pos.money import format_rupiah
from pos.shifts import drawer, gate, service
from pos.shifts.counting import counted_cash
from pos.shifts.models import CashDirection
from pos.shifts.screens import open_screen
from pos.web import business_today, devices, go, render, rupiah_field

bp = Blueprint("shifts", __name__, url_prefix="/shift")
DIRECTIONS = {"masuk": CashDirection.IN, "keluar": CashDirection.OUT}


def actor() -> Actor:
    """The signed-in staff member, and a manager's approval when the dialog sent one (the PIN
    checked before any write transaction: the hash takes about 100 ms)."""
    return till_actor(g.staff.till_id, request.form.get("alasan") or "")


@bp.get("/buka")
@requires("sell")
def open_form():
    """The Buka shift form: Kas awal by denomination or as a total, beside the cash counted
    at this till's last closing; or whose shift is still open here."""
    till_id = current_till_id()
    screen = open_screen(read_session(), till_id, g.staff.id, current_app.config["TIMEZONE"], utcnow())
    if screen["current"] is not None and screen["current"].cashier_id == g.staff.id:
        return redirect(url_for("sales.till"))
    return render("shifts/open.html", **screen)


@bp.post("/buka")
@requires("sell")
def open_submit():
    """Open this till's shift with the counted float; then the scan screen.  A float other
    than the last closing's count needs its note and a manager's PIN (the dialog)."""
    till_id = current_till_id()
    cash = counted_cash(request.form, "kas_awal", "Kas awal", service.MAX_FLOAT)
    note = request.form.get("catatan")
    who = till_actor(till_id, note or "")
    with transaction() as session:
        service.open_shift(session, till_id=till_id, cashier_id=g.staff.id, cash=cash,
                           note=note, day=business_today(), now=utcnow(),
                           zone=current_app.config["TIMEZONE"], coin=current_app.config["CASH_ROUNDING"],
                           actor=who)
    return go(url_for("sales.till"))


def _current_id() -> int:
    """The open shift of this till held by the signed-in cashier (else a clear message)."""
    return gate.require(read_session(), till_id=current_till_id(), user_id=g.staff.id,
                        day=business_today())


@bp.get("/x")
@requires("sell")
def x_report():
    """Laporan X of the current shift (mid-shift figures; nothing is closed)."""
    return go(url_for("shift_reports.show", shift_id=_current_id()))


@bp.get("/tutup")
@requires("sell")
def close_current():
    """Tutup shift of the current shift: the counting screen."""
    return go(url_for("shift_reports.close_form", shift_id=_current_id()))


@bp.get("/kas/<arah>")
@requires("sell")
def cash_form(arah: str):
    """The Kas masuk / Kas keluar form for the till's panel."""
    direction = DIRECTIONS.get(arah)
    if direction is None:
        raise PosError("Pilih kas masuk atau kas keluar.", 404)
    return render("shifts/_cash_form.html", direction=direction, arah=arah,
                  limit=current_app.config["CASH_APPROVAL_ABOVE"])


@bp.post("/kas/<arah>")
@requires("sell")
def cash_move(arah: str):
    """Record the movement (a manager's approval above the limit), then open the drawer; a
    drawer that does not open is said, and the movement stays recorded."""
    direction = DIRECTIONS.get(arah)
    if direction is None:
        raise PosError("Pilih kas masuk atau kas keluar.", 404)
    amount = rupiah_field("jumlah", "Jumlah", maximum=service.MAX_MOVEMENT)
    who, cfg = actor(), current_app.config
    with transaction() as session:
        row = service.move_cash(session, who, direction=direction, amount=amount,
                                reason=request.form.get("alasan", ""), day=business_today(),
                                now=utcnow(), approval_above=cfg["CASH_APPROVAL_ABOVE"],
                                coin=cfg["CASH_ROUNDING"])
        done = f"{direction.label} {format_rupiah(row.amount)} tercatat."
    error = _kick_drawer(f"{direction.label} {format_rupiah(amount)}")
    if error:
        done += f" Laci belum terbuka ({error}); buka dengan kunci laci."
    return render("shifts/_cash_done.html", messages=[("info" if error else "ok", done)])


def _kick_drawer(reason: str) -> str | None:
    """After the commit: open this till's drawer and log it; None, or why not in the cashier's
    words (the device's own, often English, go to the log and the drawer's record)."""
    error, said = _kick()
    with transaction() as session:
        drawer.log(session, till_id=g.staff.till_id, user_id=g.staff.id, reason=reason, error=error)
    return said


def _kick() -> tuple[str | None, str | None]:
    """Open this till's drawer: (None, None), or (why for the record, why in the cashier's words)."""
    till_id, printer = g.staff.till_id, devices().till_printer(g.staff.till_id)
    try:
        printer.open_drawer()
    except HardwareError as failure:
        error = str(failure) or "printer tidak menjawab"
        current_app.logger.warning("Laci kasir %s tidak terbuka: %s", till_id, error)
        return error, failure.summary or "printer tidak menjawab"
    missing = no_drawer(printer)   # dummy://: no drawer answers it
    return missing, missing


@bp.get("/laci")
@requires("sell")
def no_sale_form():
    """The Buka laci form for the till's panel; without an open shift of the cashier's here,
    refused at once (no reason asked for nothing)."""
    return render("shifts/_no_sale_form.html", shift_id=_current_id(), reasons=drawer.NO_SALE_REASONS,
                  alone=current_app.config["CASHIER_OPENS_DRAWER"] or g.staff.may("manage"))


@bp.post("/laci")
@requires("sell")
def no_sale():
    """Record the drawer opened without a sale (who, why, the shift, the approver), commit, then
    kick the drawer; a drawer that does not open is said, and the record stays."""
    reason = drawer.no_sale_reason(request.form.get("reason"), request.form.get("reason_text"))
    who = till_actor(g.staff.till_id, reason)
    with transaction() as session:
        opened = drawer.open_no_sale(session, who, reason=reason, day=business_today(), now=utcnow(),
                                     cashier_alone=current_app.config["CASHIER_OPENS_DRAWER"])
    error, said = _kick()
    with transaction() as session:
        drawer.outcome(session, opened.event_id, error)
    if said:
        done = (f"Buka laci tercatat di shift #{opened.shift_id}, tetapi laci belum terbuka ({said}); "
                "buka dengan kunci laci.")
    else:
        done = f"Laci dibuka tanpa penjualan; tercatat di shift #{opened.shift_id}: {reason}."
    return render("shifts/_cash_done.html", messages=[("warn" if said else "ok", done)])
