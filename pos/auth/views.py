"""Log in with username + PIN at a chosen till; log out."""
from __future__ import annotations

import time

from flask import Blueprint, current_app, redirect, request, session, url_for

from pos.auth.service import authenticate
from pos.clock import utcnow
from pos.db import read_session, transaction
from pos.tills import service as tills
from pos.web import render

bp = Blueprint("auth", __name__)
TILL_COOKIE = "pos_till"


def _tills():
    return tills.active_tills(read_session())


def _safe_next(target: str | None) -> str | None:
    """A path on this site to return to, or None.

    Browsers read ``/\\host`` as ``//host`` and drop tabs and newlines, so a
    backslash or a control character anywhere makes the target unsafe.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(char) < 32 or ord(char) == 127 for char in target):
        return None
    return target


@bp.get("/masuk")
def login():
    """The login form; the till choice is remembered by this browser."""
    return render("auth/login.html", tills=_tills(), till_id=request.cookies.get(TILL_COOKIE, ""),
                  message=request.args.get("pesan"), next=_safe_next(request.args.get("next")))


@bp.post("/masuk")
def login_post():
    """Check the PIN (counting failures) and start a staff session."""
    cfg = current_app.config
    username, pin = request.form.get("username", ""), request.form.get("pin", "")
    till_raw = request.form.get("till_id", "")
    tills = _tills()
    till_id = next((t.id for t in tills if str(t.id) == till_raw), None)
    with transaction() as db_session:
        result = authenticate(db_session, username, pin, now=utcnow(),
                              max_attempts=cfg["LOGIN_MAX_ATTEMPTS"],
                              lock_seconds=cfg["LOGIN_LOCK_SECONDS"])
        user_id = result.user.id if result.ok else None
    if not result.ok:
        return render("auth/login.html", 422, tills=tills, till_id=till_raw, error=result.message,
                      username=username, next=_safe_next(request.form.get("next")))
    session.clear()
    session.update(uid=user_id, till_id=till_id, seen=int(time.time()))
    response = redirect(_safe_next(request.form.get("next")) or url_for("home.index"), 303)
    if till_id:
        response.set_cookie(TILL_COOKIE, str(till_id), max_age=3600 * 24 * 365, httponly=True,
                            samesite="Lax")
    return response


@bp.post("/keluar")
def logout():
    """End the staff session (the till choice stays with the browser)."""
    session.clear()
    return redirect(url_for("auth.login"), 303)
