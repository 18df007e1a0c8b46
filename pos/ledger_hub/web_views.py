"""The hub's pages around the books: home, sign in (``/masuk``) and sign out (``/keluar``)."""
from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from pos.ledger_hub import access, outlets

bp = Blueprint("hub_web", __name__)
LOGIN_REFUSED = ("Nama operator atau kata sandi salah. Setelah terlalu banyak kata sandi salah, "
                 "akun dikunci sementara; coba lagi beberapa menit lagi.")


def _db():
    return current_app.extensions["ledger_hub_db"]


@bp.get("/")
@access.operator_required
def home():
    with _db().reading() as session:
        last = outlets.last_days(session)
        rows = [(o.code, o.name, o.active, last.get(o.code)) for o in outlets.listing(session)]
    return render_template("ledger_hub/home.html", outlets=rows)


@bp.get("/masuk")
def login():
    if access.current_operator():
        return redirect(access.safe_next(request.args.get("next")), 303)
    return render_template("ledger_hub/login.html", next=request.args.get("next", ""))


@bp.post("/masuk")
def login_post():
    """Check the password, throttled per address (``access.login_guard``) and locked after wrong
    passwords per address and per operator (``access.check_login``)."""
    username, password = request.form.get("username", ""), request.form.get("password", "")

    def refuse(status: int, error: str, **headers):
        return render_template("ledger_hub/login.html", username=username, error=error,
                               next=request.form.get("next", "")), status, headers
    guard, address = access.login_guard(), request.remote_addr or ""
    wait = guard.admit(address)
    if wait:   # refused before any hash or database work, a second late (a few at once)
        guard.tarpit()
        return refuse(429, f"Terlalu banyak percobaan masuk. Coba lagi dalam {wait} detik.",
                      **{"Retry-After": str(wait)})
    with guard.hash_slot() as turn:
        if not turn:
            return refuse(429, "Terlalu banyak percobaan masuk saat ini. Coba lagi sebentar lagi.")
        name = access.check_login(_db(), username, password, address)
    if name is None:
        return refuse(401, LOGIN_REFUSED)
    guard.give_back(address)   # only refused passwords use up the address's minute
    access.sign_in(name)
    return redirect(access.safe_next(request.form.get("next")), 303)


@bp.post("/keluar")
def logout():
    access.sign_out()
    return redirect(url_for("hub_web.login"), 303)
