"""The hub's pages around the books: home, sign in (``/masuk``) and sign out (``/keluar``)."""
from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from pos.ledger_hub import access, outlets

bp = Blueprint("hub_web", __name__)


def _db():
    return current_app.extensions["ledger_hub_db"]


@bp.get("/")
@access.operator_required
def home():
    with _db().reading() as session:
        rows = [(o.code, o.name, o.active) for o in outlets.listing(session)]
    return render_template("ledger_hub/home.html", outlets=rows)


@bp.get("/masuk")
def login():
    if access.current_operator():
        return redirect(access.safe_next(request.args.get("next")), 303)
    return render_template("ledger_hub/login.html", next=request.args.get("next", ""))


@bp.post("/masuk")
def login_post():
    username, password = request.form.get("username", ""), request.form.get("password", "")
    with _db().reading() as session:
        operator = access.authenticate(session, username, password)
        name = operator.username if operator is not None else None
    if name is None:
        return render_template("ledger_hub/login.html", username=username,
                               next=request.form.get("next", ""),
                               error="Nama operator atau kata sandi salah."), 401
    access.sign_in(name)
    return redirect(access.safe_next(request.form.get("next")), 303)


@bp.post("/keluar")
def logout():
    access.sign_out()
    return redirect(url_for("hub_web.login"), 303)
