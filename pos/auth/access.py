"""Who is signed in, and what they may open: the staff session and ``requires(right)``.

The cookie carries only a random session token (``pos.auth.sessions``); the
server's row says whose session it is, at which till, and whether it is still
open.  Idle expiry is judged on the row's ``last_seen``, which is written at
most every 30 seconds, so an ordinary request (a scan) adds no write.

Every protected view is wrapped in ``requires(right)``; the role matrix test
walks the URL map and fails on any route that is neither wrapped nor listed in
``PUBLIC_ENDPOINTS``.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app, g, redirect, request, session, url_for

from pos.auth import sessions
from pos.auth.models import Role
from pos.auth.service import may
from pos.auth.throttle import LoginGuard
from pos.clock import utcnow
from pos.db import get_db
from pos.errors import Forbidden, PosError
from pos.web import devices, is_htmx

SESSION_KEY = "sid"  # the key of the session token in Flask's (signed) session cookie

PUBLIC_ENDPOINTS = {"static", "vendor_htmx.static", "auth.login", "auth.login_post", "auth.logout",
                    "health.healthz", "home.index",
                    # The read-only screens: their own token link checks every request.
                    "display.customer_screen", "display.customer_screen_part",
                    "display.price_check_page", "display.price_lookup"}


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
    # POS_SECURE_COOKIES (HTTPS): every cookie the app sets is Secure, the session's too.
    if app.config["SECURE_COOKIES"]:
        app.config["SESSION_COOKIE_SECURE"] = True
    app.extensions["pos_login_guard"] = LoginGuard.from_config(app.config)
    app.before_request(_load_staff)
    app.context_processor(lambda: {"staff": g.get("staff")})


def login_guard() -> LoginGuard:
    return current_app.extensions["pos_login_guard"]


def secure_cookies() -> bool:
    return bool(current_app.config["SECURE_COOKIES"])


def _load_staff() -> None:
    """Put the logged-in staff member on ``g``; refuse ended, idle or deactivated sessions."""
    g.staff = None
    token = session.get(SESSION_KEY)
    if token is None:
        return
    database, now = get_db(), utcnow()
    # A short read of its own: the request's read session should start its snapshot later,
    # after any write this request makes.
    found = sessions.current(database, token)
    if found is None or not found.active:
        session.clear()
        return
    if found.idle(now, current_app.config["IDLE_TIMEOUT_SECONDS"]):
        with database.transaction(bookkeeping=True) as db_session:
            sessions.end(db_session, found.session_id, now=now, reason="idle")
        session.clear()
        g.session_expired = True
        return
    if found.due_for_touch(now):  # at most twice a minute per session: a scan adds no write
        # and no fsync: a power cut that loses a touch only makes the session look idle sooner
        with database.transaction(durable=False, bookkeeping=True) as db_session:
            sessions.touch(db_session, found.session_id, now)
    g.staff = Staff(found.user_id, found.username, found.full_name, found.role, found.till_id)


def current_till_id() -> int:
    """The till this browser signed in at; a clear message when it chose none."""
    if g.staff.till_id is None:
        raise PosError("Browser ini belum memilih mesin kasir. Keluar, lalu pilih mesin kasir saat masuk.")
    return g.staff.till_id


def till_printer():
    """The printer for what a screen prints now: the signed-in till's own when it has one, else
    the outlet's (``POS_PRINTER``), as for a browser at no till.  Thermal labels, member cards,
    a QRIS bill, shift reports and the slips of returns and savings all print here, and their
    dummy:// note (``hardware.not_printed``) asks of this same printer."""
    staff = g.get("staff")
    return devices().till_printer(staff.till_id if staff is not None else None)


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


# Why the login page is shown, named in its link (``?pesan=``) by key: a link can never make
# the page say words of its own ("PIN salah, telepon 0812…").
LOGIN_MESSAGES = {"masuk": "Silakan masuk dulu.",
                  "habis": "Sesi berakhir karena tidak aktif. Silakan masuk lagi.",
                  "tertolak": "Sesi berakhir karena tidak aktif, jadi perintah terakhir (misalnya "
                              "pembayaran) tidak dijalankan dan tidak tersimpan. Masuk lagi, lalu ulangi.",
                  "pin": "PIN Anda sudah diganti dan sesi Anda diakhiri. Masuk lagi dengan PIN baru."}


def _to_login():
    """The login page, which leads back to the page the user was on: for htmx, the page that
    asked (``HX-Current-URL``), never the fragment it asked for (F9 after a session ended led,
    once logged in again, to the bare text of /kasir/bayar/pilihan instead of the till)."""
    back = _page_of(request.headers.get("HX-Current-URL")) if is_htmx() else \
        (request.path if request.method == "GET" else None)
    if not g.get("session_expired"):
        why = "masuk"
    else:   # a POST refused (a sale's Selesai): the cashier must know it was not saved
        why = "habis" if request.method in ("GET", "HEAD") else "tertolak"
    target = url_for("auth.login", next=back, pesan=why)
    if is_htmx():
        return "", 401, {"HX-Redirect": target}
    return redirect(target)


def _page_of(url: str | None) -> str | None:
    """The path (and query) of a page on this site, from the URL its browser names; None for
    another site's or none (the login page checks it again: ``auth.views._safe_next``)."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.netloc and parts.netloc != request.host:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "") if parts.path else None
