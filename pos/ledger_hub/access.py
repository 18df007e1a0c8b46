"""Who is signed in to the hub's screens: the operator in Flask's signed session cookie.

``operator_required`` wraps every page (the JSON API stays token-authenticated, no session);
``current_operator()`` is the signed-in username for a view to pass to a service.  Each
request re-reads the operator's row, so a deactivated operator is out at once.
"""
from __future__ import annotations

import functools
from urllib.parse import urlsplit

from flask import current_app, g, redirect, request, session, url_for

from pos.ledger_hub import operators
from pos.ledger_hub.operators import add, authenticate  # noqa: F401  (the operators, for callers)

SESSION_KEY = "hub_operator"


def init_app(app) -> None:
    app.before_request(_load_operator)
    app.context_processor(lambda: {"operator": g.get("hub_operator")})


def _load_operator() -> None:
    g.hub_operator = None
    name = session.get(SESSION_KEY)
    if not name or request.blueprint == "ledger_hub":   # the API: tokens, never the session
        return
    with current_app.extensions["ledger_hub_db"].reading() as db_session:
        active = operators.is_active(db_session, name)
    if active:
        g.hub_operator = name
    else:
        session.clear()


def sign_in(username: str) -> None:
    session.clear()
    session[SESSION_KEY] = username
    session.permanent = False
    g.hub_operator = username


def sign_out() -> None:
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
