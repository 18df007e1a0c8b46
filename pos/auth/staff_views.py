"""The Staf screen (views): the staff accounts for managers: add one, give a new PIN, change
a name or SIPA, deactivate or activate again (the rules and the log: ``pos.auth.staff``).

A refused form comes back with what was typed (never a PIN) and the reason; nothing changed.
"""
from __future__ import annotations

from flask import Blueprint, flash, g, redirect, request, url_for

from pos.auth import staff
from pos.auth.access import login_guard, requires
from pos.auth.models import User
from pos.db import read_session, transaction
from pos.errors import PosError
from pos.web import render

bp = Blueprint("staff", __name__, url_prefix="/staf")
FIELDS = ("username", "full_name", "role", "licence_no")


def _index(form: dict | None = None, error: str | None = None, status: int = 200):
    session = read_session()
    rows = staff.listing(session)
    return render("staff/index.html", status, rows=rows, form=form or {},
                  unlicensed=[staff.unlicensed_warning(name) for name in staff.without_licence(session)],
                  locked=login_guard().locked_users(),
                  error=error, roles=staff.roles_for(g.staff.role))


@bp.get("")
@requires("manage")
def index():
    return _index()


@bp.post("/baru")
@requires("manage")
def create():
    """Add an account; the PIN is typed twice."""
    form = {name: request.form.get(name, "") for name in FIELDS}
    try:
        with transaction() as session:
            user = staff.add(session, g.staff.id, pin=request.form.get("pin", ""),
                             pin_again=request.form.get("pin2", ""), **form)
            shown = (user.id, user.full_name, user.role.label)
    except PosError as problem:
        return _index(form, problem.message, problem.status)
    flash(f"Akun {shown[1]} ({shown[2]}) dibuat. Ia masuk dengan nama pengguna dan PIN-nya.", "ok")
    return redirect(url_for("staff.show", user_id=shown[0]), 303)


def _page(user_id: int, error: str | None = None, status: int = 200, form: dict | None = None):
    session = read_session()
    user = staff.target(session, g.staff.id, user_id)
    return render("staff/show.html", status, person=user, log=staff.log_of(session, user_id),
                  locked_minutes=-(-login_guard().lock_left(user_id) // 60),   # whole minutes, up
                  error=error, form=form or {"full_name": user.full_name,
                                             "licence_no": user.licence_no or ""},
                  own=user.id == g.staff.id)


@bp.get("/<int:user_id>")
@requires("manage")
def show(user_id: int):
    return _page(user_id)


def _change(user_id: int, done, form: dict | None = None):
    """Run ``done(session)`` for the account; its message, or the page with the reason."""
    try:
        with transaction() as session:
            text = done(session)
    except PosError as problem:
        if problem.status == 404:
            raise
        return _page(user_id, problem.message, problem.status, form)
    flash(text or "Tidak ada yang berubah.", "ok" if text else "info")
    return redirect(url_for("staff.show", user_id=user_id), 303)


@bp.post("/<int:user_id>/ubah")
@requires("manage")
def edit(user_id: int):
    form = {"full_name": request.form.get("full_name", ""), "licence_no": request.form.get("licence_no", "")}

    def done(session):
        changed = staff.edit(session, g.staff.id, user_id, form["full_name"], form["licence_no"])
        return "Data staf disimpan." if changed else "Tidak ada yang berubah."
    return _change(user_id, done, form)


@bp.post("/<int:user_id>/pin")
@requires("manage")
def new_pin(user_id: int):
    """A new PIN typed twice; the account's open sessions end (its own too, when it is yours)."""
    def done(session):
        ended = staff.new_pin(session, g.staff.id, user_id, request.form.get("pin", ""),
                              request.form.get("pin2", ""))
        name = session.get(User, user_id).full_name
        return f"PIN {name} diganti; {ended} sesi diakhiri. Beri tahu PIN barunya secara langsung."
    answer = _change(user_id, done)
    if answer.status_code != 303:
        return answer
    # the lock the old PIN's wrong tries made goes with it, once the new one is saved
    if login_guard().unlock(user_id):
        flash("Kunci karena PIN salah dibuka: akun ini bisa masuk lagi dengan PIN baru.", "ok")
    if user_id == g.staff.id:   # one's own: its session ended with the old PIN, so say why
        return redirect(url_for("auth.login", pesan="pin"), 303)
    return answer


@bp.post("/<int:user_id>/aktif")
@requires("manage")
def set_active(user_id: int):
    """``aktif=0`` deactivates (open sessions end, a till held is free), ``aktif=1`` activates."""
    wanted = request.form.get("aktif")
    if wanted not in ("0", "1"):
        raise PosError("Formulir tidak lengkap: pilih aktifkan atau nonaktifkan.", 400)

    def done(session):
        ended = staff.set_active(session, g.staff.id, user_id, wanted == "1")
        name = session.get(User, user_id).full_name
        if ended is None:
            return ""
        return (f"{name} diaktifkan lagi." if wanted == "1"
                else f"{name} dinonaktifkan; {ended} sesi diakhiri.")
    return _change(user_id, done)
