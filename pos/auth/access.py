"""Who is signed in, and what they may open: the staff session and ``requires(right)``.

Every protected view is wrapped in ``requires(right)``; the role matrix test
walks the URL map and fails on any route that is neither wrapped nor listed in
``PUBLIC_ENDPOINTS``.
"""
from __future__ import annotations

import functools
import time
from dataclasses import dataclass

from flask import current_app, g, redirect, request, session, url_for
from sqlalchemy import bindparam, select

from pos.auth.models import Role, User
from pos.auth.service import may
from pos.db import get_db
from pos.errors import Forbidden
from pos.web import is_htmx

PUBLIC_ENDPOINTS = {"static", "vendor_htmx.static", "auth.login", "auth.login_post", "auth.logout",
                    "health.healthz", "home.index"}


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
    app.context_processor(lambda: {"staff": g.get("staff")})


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
    if is_htmx():
        return "", 401, {"HX-Redirect": target}
    return redirect(target)
