"""Glue between Flask and the services: who is logged in, rights, rendering, filters.

Every protected view is wrapped in ``requires(right)``; the role matrix test
walks the URL map and fails on any route that is neither wrapped nor listed as
public.
"""
from __future__ import annotations

import functools
import importlib.resources
import re
import time
from dataclasses import dataclass
from datetime import date, datetime

from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for
from sqlalchemy import bindparam, select

from pos import money
from pos.clock import business_date, to_local, utcnow
from pos.auth.models import Role, User
from pos.inventory.models import BaseUnit
from pos.auth.service import may
from pos.db import get_db
from pos.errors import Forbidden, PosError

PUBLIC_ENDPOINTS = {"static", "vendor_htmx.static", "auth.login", "auth.login_post", "auth.logout",
                    "health.healthz", "home.index"}

vendor_bp = Blueprint(
    "vendor_htmx", __name__,
    static_folder=str(importlib.resources.files("js_lib_htmx") / "static" / "htmx"),
    static_url_path="/vendor/htmx",
)


@dataclass(frozen=True)
class Staff:
    id: int
    username: str
    full_name: str
    role: Role
    till_id: int | None

    def may(self, right: str) -> bool:
        return may(self.role, right)


def init_app(app) -> None:
    app.before_request(_load_staff)
    app.jinja_env.filters["rupiah"] = money.format_rupiah
    app.jinja_env.filters["qty"] = format_qty
    app.jinja_env.globals["local_time"] = local_time
    app.context_processor(lambda: {"staff": g.get("staff"), "outlet_name": app.config["OUTLET_NAME"]})


_user_t = User.__table__
_STAFF = select(_user_t.c.id, _user_t.c.username, _user_t.c.full_name, _user_t.c.role,
                _user_t.c.active).where(_user_t.c.id == bindparam("uid"))


def _load_staff() -> None:
    """Put the logged-in staff member on ``g``; expire idle sessions."""
    g.staff = None
    uid = session.get("uid")
    if uid is None:
        return
    now = int(time.time())
    if now - session.get("seen", 0) > current_app.config["IDLE_TIMEOUT_SECONDS"]:
        session.clear()
        g.session_expired = True
        return
    # A short connection of its own: the request's read session should start its
    # snapshot later, after any write this request makes.
    with get_db().engine.connect() as conn:
        row = conn.execute(_STAFF, {"uid": uid}).first()
    if row is None or not row.active:
        session.clear()
        return
    if now - session.get("seen", 0) > 30:  # rewrite the cookie at most twice a minute
        session["seen"] = now
    g.staff = Staff(row.id, row.username, row.full_name, Role(row.role), session.get("till_id"))


def requires(right: str):
    """Allow the view only to logged-in staff whose role has ``right``."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            staff = g.get("staff")
            if staff is None:
                return _to_login()
            if not staff.may(right):
                raise Forbidden("Anda tidak berhak membuka halaman ini.")
            return view(*args, **kwargs)

        wrapper.required_right = right
        return wrapper

    return decorate


def _to_login():
    message = "Sesi berakhir karena tidak aktif. Silakan masuk lagi." if g.get("session_expired") \
        else "Silakan masuk dulu."
    target = url_for("auth.login", next=request.path if request.method == "GET" else None,
                     pesan=message)
    if request.headers.get("HX-Request") == "true":
        return "", 401, {"HX-Redirect": target}
    return redirect(target)


def hardware():
    return current_app.extensions["pos_hardware"]


def business_today() -> date:
    """Today's business date in the outlet's zone."""
    return business_date(utcnow(), current_app.config["TIMEZONE"])


def local_time(moment: datetime | None) -> str:
    """A stored UTC timestamp as the outlet's local ``dd-mm-yyyy HH:MM``; empty for None."""
    if moment is None:
        return ""
    return to_local(moment, current_app.config["TIMEZONE"]).strftime("%d-%m-%Y %H:%M")


_INT = re.compile(r"[+-]?[0-9]{1,12}")


def int_field(name: str, label: str, *, required: bool = True, signed: bool = False) -> int | None:
    """An integer from the form or query string; anything else is a clear message, never a crash."""
    raw = request.values.get(name, "").strip()
    if not raw and not required:
        return None
    if not _INT.fullmatch(raw) or (not signed and raw[0] in "+-"):
        raise PosError(f"{label} harus berupa angka bulat{'' if signed else ' tanpa tanda'}.")
    return int(raw)


def render(template: str, status: int = 200, **context):
    return render_template(template, **context), status


def format_qty(qty: int, base_unit) -> str:
    """The ``qty`` filter: 1500 gram -> ``1,5 kg``; 3 pcs -> ``3``."""
    return BaseUnit(getattr(base_unit, "value", base_unit)).format(qty)
