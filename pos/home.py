"""The start page after login: what waits (for a manager: corrections and adjustments to
approve, open counts, unprinted receipts, prices above a ceiling (HET); for a clerk: open
counts), each a link to its list; for a manager, every health check that is not OK
(``pos.health_checks``: database, disk, clock, printers, ledger queue, backup) with its fix; and
the tiles this role may open."""
from flask import Blueprint, current_app, g, redirect, url_for

from pos.auth import staff as staff_accounts
from pos.auth.service import works_at_a_till
from pos.clock import utcnow
from pos.db import read_session
from pos.health_checks.check import problems
from pos.health_checks.run import run as health_checks
from pos.het.service import above_count, zone_of
from pos.inventory.waiting import stock_waiting
from pos.ledger.outbox import state as ledger_state
from pos.sales.printing import pending_count
from pos.shifts.zreport import listed as shifts_listed
from pos.web import business_today, devices, render

bp = Blueprint("home", __name__)
UNPRINTED_SHOWN = 99  # more than this shows as "99+"


@bp.get("/")
def index():
    """Cashiers go straight to the till; other roles see what waits and the menu."""
    staff = g.get("staff")
    if staff is None:
        return redirect(url_for("auth.login"))
    if works_at_a_till(staff.role):
        return redirect(url_for("sales.till"))
    session = read_session()
    waiting = stock_waiting(session) if staff.may("stock") else None
    printing = pending_count(session) if staff.may("manage") else None
    # catalog prices above a ceiling (HET) in force or about to take effect: fix before the date
    over_het = above_count(session, business_today(), zone_of(current_app.config)) \
        if staff.may("manage") else None
    open_shifts = shifts_listed(session, open_only=True) if staff.may("manage") else None
    ledger = ledger_state(session) if staff.may("manage") else None   # days not yet at the hub
    health = problems(health_checks(session, current_app.config, current_app.instance_path, devices(),
                                    utcnow())) if staff.may("manage") else None
    # an apoteker without a SIPA cannot approve obat keras: the manager gives it on Staf
    unlicensed = [staff_accounts.unlicensed_warning(name)
                  for name in staff_accounts.without_licence(session)] if staff.may("manage") else []
    return render("home.html", unlicensed=unlicensed, waiting=waiting, unprinted=printing,
                  unprinted_shown=UNPRINTED_SHOWN, over_het=over_het, open_shifts=open_shifts, ledger=ledger,
                  health=health)
