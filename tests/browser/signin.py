"""Signing a browser in through the app's own login, without typing it in the page.

Typing the login form and Buka shift costs a test about 2 s of Chromium's CPU on a 2-core
machine (three page loads, each with Playwright's injected script compiled again), which most
browser tests spend before what they are about. ``sign_in_by_client`` posts the same forms
(``/masuk`` and ``/shift/buka``, CSRF token included) with the app's test client on the same
database, then hands the browser the cookies the app set. The login and the shift are the
app's own: the same routes, PIN check, till claim and cookies. The tests of the login page and
of Buka shift type them (``typed=True`` or their own steps).
"""
from __future__ import annotations

import re

LIVE: dict[str, object] = {}   # base URL -> app, of the live servers of this process (conftest)

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_TILL = re.compile(r'<option value="([0-9]+)"')


def _csrf(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def sign_in_by_client(page, base: str, user: str, pin: str, *, float_: str | None = None) -> bool:
    """Log ``user`` in at the first till through the app and give the page its cookies; with
    ``float_``, open the till's shift with it when Buka shift is asked. False when ``base`` is
    not a live server of this process (the caller types the forms instead)."""
    app = LIVE.get(base)
    if app is None:
        return False
    client = app.test_client()
    form = client.get("/masuk").get_data(as_text=True)
    till = _TILL.search(form)
    answer = client.post("/masuk", data={"csrf_token": _csrf(form), "username": user, "pin": pin,
                                         "till_id": till.group(1) if till else ""})
    assert answer.status_code == 303, f"{user} was not let in: {answer.status_code}"
    if float_ is not None:
        screen = client.get("/kasir").get_data(as_text=True)
        if 'id="open-shift"' in screen:
            opened = client.post("/shift/buka", data={"csrf_token": _csrf(screen), "kas_awal": float_},
                                 headers={"HX-Request": "true"})
            assert "HX-Redirect" in opened.headers, opened.get_data(as_text=True)
    cookies = [{"name": name, "value": client.get_cookie(name).value, "url": base, "httpOnly": True,
                "sameSite": "Lax"}
               for name in (app.config["SESSION_COOKIE_NAME"], "pos_till") if client.get_cookie(name)]
    page.context.add_cookies(cookies)
    return True
