"""The manager's list of overrides (views), and the dialog that asks a manager at the till.

Any view whose service raises ``NeedsApproval`` answers an htmx request with the approval
dialog (``sales/_approval_dialog.html``) in the till's ``#approval-dialog``: the asking
form's fields ride along hidden, with the manager's user name, PIN and reason, and the
dialog posts to the same URL, into the same target.
"""
from __future__ import annotations

import re

from flask import Blueprint, current_app, flash, redirect, request

from pos.approvals import seal
from pos.approvals.service import NeedsApproval, carried, listed
from pos.auth.access import requires
from pos.clock import zone_abbreviation
from pos.db import read_session
from pos.web import business_today, date_range, is_htmx, range_refused, render

bp = Blueprint("approvals", __name__, url_prefix="/persetujuan")
_TARGET = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,40}")
LONGEST_RANGE_DAYS = 92


@bp.app_errorhandler(NeedsApproval)
def needs_approval(error: NeedsApproval):
    """Ask for a manager at the till; elsewhere, say what needs one."""
    if not is_htmx():
        flash(error.message, "error")
        return redirect(request.referrer or "/", 303)
    target = request.headers.get("HX-Target") or "cart"
    target = target if _TARGET.fullmatch(target) else "cart"
    swap = error.swap or ("outerHTML" if target == "cart" else "innerHTML")
    fields = carried(request.form)
    return render("sales/_approval_dialog.html", error=error, url=request.path,
                  target=f"#{target}", swap=swap, fields=fields,
                  seal=seal.make(current_app.config["SECRET_KEY"], request.path, fields),
                  reason=(request.form.get("reason") or request.form.get("alasan")
                          or error.suggested)[:200],
                  headers={"HX-Retarget": "#approval-dialog", "HX-Reswap": "innerHTML"})


@bp.get("")
@requires("manage")
def index():
    """Every override (who asked, who approved, why, before and after), by date."""
    today = business_today()
    period = date_range(today, None, labels=("Dari tanggal", "Sampai tanggal"),
                        longest_days=LONGEST_RANGE_DAYS)
    range_refused(period)
    zone = current_app.config["TIMEZONE"]
    rows = [] if period.problem else listed(read_session(), period.start, period.end, zone)
    return render("approvals/index.html", 422 if period.problem else 200, rows=rows, period=period,
                  first=period.start, last=period.end, zone=zone_abbreviation(zone))
