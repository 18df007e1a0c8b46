"""Who is signed in to the hub's screens: the operator in Flask's signed session cookie.

``operator_required`` wraps every page (the JSON API stays token-authenticated, no session);
``current_operator()`` is the signed-in username for a view to pass to a service.  Each
request re-reads the operator's row, so a deactivated operator is out at once.

The cookie also carries when the operator signed in and when they were last seen (whole
microseconds of naive UTC).  A session is over after ``SESSION_IDLE_SECONDS`` without a
request, ``SESSION_MAX_SECONDS`` after signing in, or once the operator's
``sessions_valid_after`` is past its sign-in (``sign_out``, a new password, deactivation):
a copy of the cookie is refused then too.
"""
from __future__ import annotations

import functools
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app, g, redirect, request, session, url_for

from pos.auth.throttle import LoginGuard
from pos.clock import utcnow
from pos.ledger_hub import operators
from pos.ledger_hub.lockout import Lockout
from pos.ledger_hub.operators import add, authenticate  # noqa: F401  (the operators, for callers)

SESSION_KEY = "hub_operator"
SIGNED_IN_KEY = "hub_signed_in"   # microseconds since 1970 (UTC)
SEEN_KEY = "hub_seen"
SEEN_STEP = 60 * 1_000_000        # last seen is rewritten at most once a minute
_EPOCH = datetime(1970, 1, 1)


def _micros(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(microseconds=1)


def init_app(app) -> None:
    app.extensions["ledger_hub_login_guard"] = LoginGuard.from_config(app.config)
    app.extensions["ledger_hub_lockout"] = Lockout.from_config(app.config)
    app.before_request(_load_operator)
    app.context_processor(lambda: {"operator": g.get("hub_operator")})


def _load_operator() -> None:
    g.hub_operator = None
    name = session.get(SESSION_KEY)
    if not name or request.blueprint == "ledger_hub":   # the API: tokens, never the session
        return
    now = _micros(utcnow())
    signed_in, seen = session.get(SIGNED_IN_KEY), session.get(SEEN_KEY)
    config = current_app.config
    valid = (isinstance(signed_in, int) and isinstance(seen, int)
             and now - signed_in < config["SESSION_MAX_SECONDS"] * 1_000_000
             and now - seen < config["SESSION_IDLE_SECONDS"] * 1_000_000)
    if valid:
        with current_app.extensions["ledger_hub_db"].reading() as db_session:
            valid = operators.session_valid(db_session, name, _EPOCH + timedelta(microseconds=signed_in))
    if not valid:
        session.clear()
        return
    g.hub_operator = name
    if now - seen >= SEEN_STEP:
        session[SEEN_KEY] = now


def login_guard() -> LoginGuard:
    """This process's guard of its CPU: tries per address a minute, one hash at a time, the
    tarpit (``pos.auth.throttle``); wrong passwords are counted in the database (``lockout``)."""
    return current_app.extensions["ledger_hub_login_guard"]


def check_login(database, username: str, password: str, address: str) -> str | None:
    """The operator's name when the password is right and no lock stands in the way, else
    None.  Only a wrong password of an active operator who is not locked counts towards a
    lock (for ``address`` and for the operator everywhere, in the hub's database, so every
    hub process counts it); a right one clears ``address``'s count."""
    lockout: Lockout = current_app.extensions["ledger_hub_lockout"]
    with database.reading() as db_session:
        operator, right = operators.verify(db_session, username, password)
        if operator is None or lockout.locked(db_session, operator.username, address):
            return None
    with database.transaction() as db_session:
        (lockout.succeeded if right else lockout.failed)(db_session, operator.username, address)
    return operator.username if right else None


def sign_in(username: str) -> None:
    session.clear()
    now = _micros(utcnow())
    session.update({SESSION_KEY: username, SIGNED_IN_KEY: now, SEEN_KEY: now})
    session.permanent = False
    g.hub_operator = username


def sign_out() -> None:
    """End every session of the signed-in operator (a copied cookie too), then this one."""
    name = current_operator()
    if name:
        with current_app.extensions["ledger_hub_db"].transaction() as db_session:
            operators.end_sessions(db_session, name, utcnow())
    session.clear()
    g.hub_operator = None


def current_operator() -> str:
    """The signed-in operator's username ("" outside a page)."""
    return g.get("hub_operator") or ""


def safe_next(target: str | None) -> str:
    """A local path to go back to after signing in; anything else is the home page."""
    parts = urlsplit(target or "")
    if not target or parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("hub_web.home")
    return target


def operator_required(view):
    """A hub page: without a signed-in operator, to ``/masuk`` (and back afterwards)."""
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if not g.get("hub_operator"):
            return redirect(url_for("hub_web.login", next=request.full_path.rstrip("?")), 303)
        return view(*args, **kwargs)
    return wrapped
