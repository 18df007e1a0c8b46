"""The Pengaturan screen (views): the outlet's static QRIS, checked and previewed, whether the
outlet is PKP (a switch with a confirmation), the outlet's settings from configuration (read
only) and the log of changes."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, flash, g, redirect, request, url_for
from markupsafe import Markup

from pos.auth.access import requires
from pos.db import read_session, transaction
from pos.errors import PosError
from pos.payments import qr, qris
from pos.settings import service
from pos.web import render

bp = Blueprint("settings", __name__, url_prefix="/pengaturan")
CHANGES_SHOWN = 20


@bp.record_once
def _lend_qris_static(state) -> None:
    # ``pos qris make`` (pos.payments, which must not import pos.settings) reads it from here.
    state.app.extensions["pos_qris_static"] = service.qris_static


@bp.get("")
@requires("manage")
def index():
    """The static QRIS (with its merchant and a QR preview), the outlet's settings, the changes."""
    return _page()


@bp.post("/qris")
@requires("manage")
def save_qris():
    """Store the pasted static QRIS (empty: remove it); a bad one is shown back with the reason."""
    pasted = request.form.get("qris_static")
    if pasted is None:
        raise PosError("Formulir tidak lengkap: isian QRIS tidak ada.", 400)
    try:
        with transaction() as session:
            changed = service.put_qris_static(session, pasted, g.staff.id)
    except PosError as problem:  # the form comes back with its text and the reason
        return _page(pasted=pasted, error=problem.message, status=problem.status)
    if not changed:
        flash("QRIS statis tidak berubah.", "info")
    elif pasted.strip():
        flash(f"QRIS statis disimpan: {qris.merchant_name(pasted.strip())}.", "ok")
    else:
        flash("QRIS statis dihapus dari Pengaturan.", "ok")
    return redirect(url_for("settings.index"), 303)


@bp.post("/pkp")
@requires("manage")
def save_pkp():
    """Switch the outlet to PKP or back: first the consequence to confirm, then the change
    (logged); sales from then on are priced with it, past sales keep their tax.  The status
    in force chosen while it comes from ``POS_PKP`` is stored (logged) at once: sales are
    priced as before, and a later ``POS_PKP`` no longer overturns the manager's choice."""
    wanted = request.form.get("pkp")
    if wanted not in ("true", "false"):
        raise PosError("Formulir tidak lengkap: pilih apakah gerai PKP atau tidak.", 400)
    session = read_session()
    if (wanted == "true") == service.pkp(session, current_app.config):
        if service.pkp_source(session) == "Pengaturan":
            flash("Status PKP tidak berubah.", "info")
            return redirect(url_for("settings.index"), 303)
        with transaction() as writing:
            service.put_pkp(writing, wanted, g.staff.id, current_app.config)
        flash("Status PKP disimpan di Pengaturan: " + ("PKP" if wanted == "true" else "bukan PKP")
              + "; POS_PKP tidak lagi menentukannya.", "ok")
        return redirect(url_for("settings.index"), 303)
    if request.form.get("konfirmasi") != "ya":
        return _page(confirm_pkp=wanted == "true")
    with transaction() as session:
        service.put_pkp(session, wanted, g.staff.id, current_app.config)
    flash("Gerai ini sekarang PKP: penjualan berikutnya memungut PPN." if wanted == "true"
          else "Gerai ini sekarang bukan PKP: penjualan berikutnya tanpa PPN.", "ok")
    return redirect(url_for("settings.index"), 303)


def _page(pasted: str | None = None, error: str | None = None, status: int = 200,
          confirm_pkp: bool | None = None):
    session, config = read_session(), current_app.config
    stored = service.get(session, service.QRIS_STATIC)
    current = _summary(service.qris_static(session, config), from_screen=bool(stored))
    changes = [(change, service.brief(change.key, change.old_value),
                service.brief(change.key, change.new_value))
               for change in service.changes(session, limit=CHANGES_SHOWN)]
    return render("settings/index.html", status, current=current, error=error,
                  pasted=(stored or "") if pasted is None else pasted,
                  facts=service.outlet_facts(config), changes=changes,
                  config_file=Path(current_app.instance_path) / "pos.cfg", labels=service.LABELS,
                  pkp=service.pkp(session, config), pkp_source=service.pkp_source(session),
                  confirm_pkp=confirm_pkp)


def _summary(payload: str | None, *, from_screen: bool) -> dict | None:
    """What the screen shows of the QRIS in force: its merchant, city, source and QR."""
    if payload is None:
        return None
    try:
        parsed = qris.parse(payload)
    except qris.QrisError as problem:  # only POS_QRIS_STATIC can be broken: the screen checks
        return {"error": problem.message, "source": "POS_QRIS_STATIC"}
    return {"merchant": parsed.merchant_name, "city": parsed.city,
            "source": "Pengaturan" if from_screen else "POS_QRIS_STATIC",
            "qr": Markup(qr.svg(payload, title=f"QRIS {parsed.merchant_name or ''}".strip()))}
