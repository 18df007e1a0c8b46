"""A shift's Tutup shift (count the drawer and the other tenders, a manager confirms inline),
its report (Laporan X while open, Laporan Z once closed; printed on the till's printer) and
the managers' list of shifts by date.  CSV, XLSX and PDF are ``reports.shift_views``.

A closed shift never changes: the service refuses, and these screens offer no edit.
"""
from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, request, url_for

from pos.approvals.dialog import till_actor
from pos.approvals.service import Actor
from pos.auth.access import requires, till_printer
from pos.clock import utcnow
from pos.db import get_db, read_session, transaction
from pos.errors import Forbidden, PosError
from pos.hardware import HardwareError, not_printed
from pos.shifts import service, zreport, zreport_text
from pos.shifts.counting import counted_cash
from pos.shifts.denominations import DENOMINATIONS
from pos.shifts.figures import LABELS, METHODS, SETTLED
from pos.text import sentence
from pos.web import business_today, date_field, go, message, render, rupiah_field, typed_field

bp = Blueprint("shift_reports", __name__, url_prefix="/shift")


def actor(reason: str | None) -> Actor:
    """The signed-in staff member, and a manager's approval when the dialog sent one (the PIN
    checked before the write transaction)."""
    return till_actor(g.staff.till_id, reason or "")


def visible(shift_id: int) -> zreport.ZReport:
    """The report of ``shift_id`` for someone who may see it: its cashier, anyone at its till,
    or a manager (``reports``)."""
    z = zreport.build(read_session(), shift_id)
    shift = service.get(read_session(), shift_id)
    staff = g.staff
    if not (staff.may("reports") or shift.cashier_id == staff.id or shift.till_id == staff.till_id):
        raise Forbidden("Laporan shift ini hanya untuk kasirnya dan manajer.")
    return z


@bp.get("")
@requires("reports")
def index():
    """Shifts of a business day: till, cashier, expected, counted, difference; and every
    shift still open.  A date typed wrong draws the form again, as typed, with the message."""
    day, typed, problem = typed_field(date_field, "tanggal", "Tanggal", business_today())
    session = read_session()
    return render("shifts/list.html", 422 if problem else 200, day=typed if problem else day,
                  problem=problem, rows=None if problem else zreport.listed(session, day=day),
                  still_open=zreport.listed(session, open_only=True))


@bp.get("/<int:shift_id>")
@requires("sell")
def show(shift_id: int):
    """Laporan Z of a closed shift, Laporan X of an open one."""
    z = visible(shift_id)
    return render("shifts/report.html", z=z, printed=_text(z))


def _text(z: zreport.ZReport):
    cfg = current_app.config
    return zreport_text.receipt(z, outlet_name=cfg["OUTLET_NAME"], timezone=cfg["TIMEZONE"],
                                columns=cfg["RECEIPT_COLUMNS"])


def _print(shift_id: int) -> str | None:
    """After the commit: the report on this till's printer; the device's error, or None."""
    with get_db(current_app).reading() as session:   # a fresh read, after the close's commit
        z = zreport.build(session, shift_id)
    try:
        till_printer().print_receipt(_text(z))
    except HardwareError as failure:
        current_app.logger.warning("Laporan shift %s belum tercetak: %s", shift_id, failure)
        return failure.summary or "printer tidak menjawab"   # the device's own words: in the log
    return None


@bp.post("/<int:shift_id>/cetak")
@requires("sell")
def reprint(shift_id: int):
    visible(shift_id)
    error = _print(shift_id)
    if error:
        raise PosError(f"Laporan shift belum tercetak: {error}", 503)
    unprinted = not_printed(till_printer(), "Laporan shift")   # dummy://
    return message("warn", unprinted) if unprinted else message("ok", "Laporan shift dicetak.")


@bp.get("/<int:shift_id>/tutup")
@requires("sell")
def close_form(shift_id: int):
    """Count the drawer by denomination (or type the total) and type QRIS and transfer as their
    settlement says (left empty: never filled with what is expected); kasbon is shown, not
    counted.  The differences show as they are typed."""
    z = visible(shift_id)
    if z.closed:
        flash("Shift ini sudah ditutup; shift yang ditutup tidak berubah lagi.", "info")
        return redirect(url_for("shift_reports.show", shift_id=shift_id))
    expected = z.figures.expected
    return render("shifts/close.html", z=z, denominations=DENOMINATIONS, expected=expected,
                  others=[(m, LABELS[m], expected[m]) for m in SETTLED],
                  shown=[(m, LABELS[m], expected[m]) for m in METHODS[1:] if m not in SETTLED],
                  formula=z.cash_formula())


@bp.post("/<int:shift_id>/tutup")
@requires("sell")
def close_submit(shift_id: int):
    """Close the shift with what was counted and why it differs; a cashier needs a manager's
    PIN (the dialog).  Then the Z report, printed on this till's printer."""
    visible(shift_id)
    cash = counted_cash(request.form, "kas_dihitung", "Uang tunai dihitung", service.MAX_MOVEMENT)
    others = {m: rupiah_field(f"dihitung_{m}", f"{LABELS[m]} dihitung",  # -: refunds were more
                              maximum=service.MAX_MOVEMENT, required=False, signed=True)
              for m in SETTLED}
    who = actor(reason=request.form.get("alasan"))
    with transaction() as session:
        service.close_shift(session, who, shift_id=shift_id, cash=cash,
                            counted_other={m: v for m, v in others.items() if v is not None},
                            reason=request.form.get("alasan"), now=utcnow(),
                            coin=current_app.config["CASH_ROUNDING"],
                            zone=current_app.config["TIMEZONE"], must_count=SETTLED)
    error = _print(shift_id) if g.staff.till_id is not None else None
    if error:
        flash(f"Shift ditutup, tetapi laporan Z belum tercetak: {sentence(error)} Cetak ulang dari "
              "halaman ini.", "error")
    else:
        flash("Shift ditutup. Laporan Z di bawah.", "ok")
    return go(url_for("shift_reports.show", shift_id=shift_id))
