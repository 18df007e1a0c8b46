"""Log in with username + PIN at a chosen till; log out.

A login never holds the write lock while the PIN is hashed: the user is read in a
read session, the PIN is checked with no transaction open, and only a successful
login writes (its session row).  Attempts are throttled per client address
(``pos.auth.throttle``).
"""
from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, request, session, url_for

from pos.auth import pins, sessions
from pos.auth.access import LOGIN_MESSAGES, SESSION_KEY, login_guard, secure_cookies
from pos.auth.service import (
    LOGIN_REFUSED,
    authenticate,
    login_candidate,
    staff_name,
    works_at_a_till,
)
from pos.auth.staff import any_staff
from pos.clock import to_local, utcnow
from pos.db import get_db, read_session, transaction
from pos.tills import service as tills
from pos.web import business_today, render

bp = Blueprint("auth", __name__)
TILL_COOKIE = "pos_till"
NO_TILL = ("Pilih mesin kasir tempat Anda berjualan (daftar Kasir (mesin) di bawah PIN), lalu "
           "masukkan PIN lagi.")


def _tills():
    return tills.active_tills(read_session())


def _held_by_another(till_id: int, user_id: int) -> str | None:
    """Why this till cannot be taken: who holds it and since when (None when it is free)."""
    session = read_session()
    other = tills.holder(session, till_id)
    if other is None or other.user_id == user_id:
        return None
    till = tills.get_till(session, till_id)
    since = ""
    if other.since:   # since when: the hour today, the date and hour on an earlier day (overnight)
        held = to_local(other.since, current_app.config["TIMEZONE"])
        since = f" sejak {held:%H:%M}" if held.date() == business_today() else f" sejak {held:%d-%m-%Y %H:%M}"
    name = staff_name(session, other.user_id)
    return (f"{till.name} sedang dipegang {name}{since}. Minta {name} keluar dulu, atau minta "
            "manajer melepaskannya di halaman Perangkat.")


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
    with get_db().reading() as db_session:
        no_staff = not any_staff(db_session)
    return render("auth/login.html", tills=_tills(), till_id=request.cookies.get(TILL_COOKIE, ""),
                  message=LOGIN_MESSAGES.get(request.args.get("pesan", "")), no_staff=no_staff,
                  next=_safe_next(request.args.get("next")))


@bp.post("/masuk")
def login_post():
    """Check the PIN outside any write lock and start a staff session kept on the server."""
    guard, address = login_guard(), request.remote_addr or ""
    wait = guard.admit(address)
    if wait:  # refused before any hash or database work, on a small page, a second late
        guard.tarpit()  # (at most a few at once): a flood costs almost nothing
        return render("auth/too_many.html", 429, wait=wait)
    username, pin = request.form.get("username", ""), request.form.get("pin", "")
    till_raw = request.form.get("till_id", "")
    choices = _tills()
    till_id = next((t.id for t in choices if str(t.id) == till_raw), None)

    def refuse(status: int, error: str | None, no_staff: bool = False):
        return render("auth/login.html", status, tills=choices, till_id=till_raw, error=error,
                      username=username, next=_safe_next(request.form.get("next")),
                      pick_till=error == NO_TILL, no_staff=no_staff)
    with get_db().reading() as db_session:
        candidate = login_candidate(db_session, username)
        if candidate is None and not any_staff(db_session):   # a new gerai: no PIN is wrong yet
            return refuse(422, None, no_staff=True)
    with guard.hash_slot() as turn:  # one hash at a time leaves the other core to the tills
        if not turn:
            return refuse(429, "Terlalu banyak percobaan masuk saat ini. Coba lagi sebentar lagi.")
        user_id = authenticate(candidate, pin, guard, address)  # ~100 ms, no transaction open
    token = None
    if user_id is not None and till_id is None and choices and works_at_a_till(candidate.role):
        return refuse(422, NO_TILL)
    if user_id is not None and till_id is not None and candidate.may("sell"):
        busy = _held_by_another(till_id, user_id)
        if busy:  # told who holds it; never taken over silently
            return refuse(409, busy)
    if user_id is not None:
        with transaction() as db_session:
            token = sessions.start(db_session, user_id, till_id, now=utcnow(), address=address)
            if till_id is not None and candidate.may("sell"):
                tills.take(db_session, till_id, user_id, utcnow())
    if token is None:
        return refuse(422, LOGIN_REFUSED)
    session.clear()
    session[SESSION_KEY] = token
    if pins.refusal(candidate.role, pin):   # a manager's or admin's PIN from before the rule
        flash(pins.LOGIN_WARNING, "warn")   # shown once, on the page the login lands on
    response = redirect(_safe_next(request.form.get("next")) or url_for("home.index"), 303)
    if till_id:
        response.set_cookie(TILL_COOKIE, str(till_id), max_age=3600 * 24 * 365, httponly=True,
                            samesite="Lax", secure=secure_cookies())
    return response


@bp.post("/keluar")
def logout():
    """End the staff session on the server, so a copy of the cookie is refused too (the
    till choice stays with the browser)."""
    token, staff = session.get(SESSION_KEY), g.get("staff")
    if token:
        with transaction() as db_session:
            sessions.end_token(db_session, token, now=utcnow())
            if staff is not None:
                tills.leave(db_session, staff.till_id, staff.id)  # the next cashier may take it
    session.clear()
    return redirect(url_for("auth.login"), 303)
