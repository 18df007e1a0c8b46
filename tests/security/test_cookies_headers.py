"""Cookies and response headers: every cookie the outlet and the hub set is HttpOnly and
SameSite=Lax (and Secure when configured); every answer, pages, partials, files, errors and the
hub's API, carries the browser defences (the outlet's page checks are in tests/test_web.py)."""
from __future__ import annotations

import pytest
from flask import url_for

from pos.ledger_hub.app import create_hub_app
from tests.auth.test_auth import post_login
from tests.factories import login, make_till, make_user
from tests.ledger_hub.web_helpers import PASSWORD, add_operator, csrf_token

DEFENCES = {"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "same-origin"}


@pytest.fixture
def backend():
    """Headers and cookies do not depend on the database: SQLite."""
    return "sqlite"


def attributes(set_cookie: str) -> set[str]:
    """The attributes of one Set-Cookie header, lower case (``httponly``, ``samesite=lax``...)."""
    return {part.strip().lower() for part in set_cookie.split(";")[1:]}


def url_for_static(app, filename: str) -> str:
    """The URL a page names the file by (with its ``?v=`` digest)."""
    with app.test_request_context():
        return url_for("static", filename=filename)


def assert_guarded(cookies: list[str], secure: bool) -> None:
    assert cookies, "no cookie was set"
    for cookie in cookies:
        found = attributes(cookie)
        assert "httponly" in found, cookie
        assert "samesite=lax" in found, cookie
        assert ("secure" in found) is secure, cookie


@pytest.mark.parametrize("secure", [False, True])
def test_outlet_cookies_are_httponly_samesite_and_secure_when_configured(app_factory, secure):
    app = app_factory(SECURE_COOKIES=secure)
    with app.extensions["pos_db"].transaction() as s:
        till = make_till(s).id
        make_user(s, "kasir1", "cashier", "1111")
    client = app.test_client()
    answer = post_login(client, till_id=till)
    assert answer.status_code == 303
    cookies = answer.headers.getlist("Set-Cookie")
    assert {c.split("=", 1)[0] for c in cookies} == {"session", "pos_till"}
    assert_guarded(cookies, secure)


@pytest.mark.parametrize("secure", [False, True])
def test_hub_session_cookie_is_httponly_samesite_and_secure_when_configured(tmp_path, secure):
    app = create_hub_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'hub.db'}", "SECRET_KEY": "x",
                          "TESTING": True, "SESSION_COOKIE_SECURE": secure})
    try:
        client = app.test_client()
        add_operator(app.extensions["ledger_hub_db"], "siti")
        token = csrf_token(client)
        answer = client.post("/masuk", data={"username": "siti", "password": PASSWORD,
                                             "csrf_token": token})
        assert answer.status_code == 303
        cookies = answer.headers.getlist("Set-Cookie")
        assert [c.split("=", 1)[0] for c in cookies] == ["hub_session"]
        assert_guarded(cookies, secure)
    finally:
        app.extensions["ledger_hub_db"].engine.dispose()


def test_outlet_answers_of_every_kind_carry_the_defences(app_factory):
    app = app_factory()
    with app.extensions["pos_db"].transaction() as s:
        till = make_till(s).id
        manager = make_user(s, "manajer", "manager").id
    client = app.test_client()
    login(client, manager, till)
    answers = {"page": client.get("/laporan"),
               "partial": client.get("/kasir", headers={"HX-Request": "true"}),
               "csv": client.get("/katalog/ekspor.csv"), "404": client.get("/tidak-ada"),
               "405": client.put("/kasir"), "static": client.get("/static/js/pos.js")}
    for kind, answer in answers.items():
        answer.close()  # the static file's handle
        for name, value in DEFENCES.items():
            assert answer.headers.get(name) == value, (kind, name, answer.status_code)
        assert "frame-ancestors 'none'" in answer.headers.get("Content-Security-Policy", ""), kind
    assert answers["csv"].headers["Content-Disposition"].startswith("attachment")
    for kind in ("page", "partial", "csv", "404", "405"):  # nothing drawn is kept by the browser
        assert answers[kind].headers["Cache-Control"] == "no-store", kind
    assert answers["static"].headers["Cache-Control"] == "no-cache"  # asked again, by its ETag
    versioned = client.get(url_for_static(app, "js/pos.js"))
    versioned.close()
    assert versioned.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert answers["405"].status_code == 405
    assert answers["405"].headers["Allow"] == "GET, HEAD, OPTIONS"


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
@pytest.mark.parametrize("htmx", [False, True])
def test_a_method_a_page_does_not_take_is_refused_with_405_not_sent_back(app_factory, method,
                                                                           htmx):
    """``PUT /masuk`` is no form that failed (a flash and back to the referrer): it is a
    request this page does not take, answered 405 with the methods it does take."""
    client = app_factory().test_client()
    answer = getattr(client, method)("/masuk", headers={"HX-Request": "true"} if htmx else {})
    assert answer.status_code == 405
    assert answer.headers["Allow"] == "GET, HEAD, OPTIONS, POST"
    assert "Location" not in answer.headers
    assert "Permintaan tidak diizinkan." in answer.get_data(as_text=True)


def test_hub_pages_and_api_carry_the_defences(tmp_path):
    app = create_hub_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'hub.db'}", "SECRET_KEY": "x",
                          "TESTING": True})
    try:
        client = app.test_client()
        for url in ("/masuk", "/api/v1/health", "/tidak-ada"):
            answer = client.get(url)
            for name, value in DEFENCES.items():
                assert answer.headers.get(name) == value, (url, name)
            assert answer.headers["Cache-Control"] == "no-store", url
            assert "script-src 'self';" in answer.headers["Content-Security-Policy"], url
    finally:
        app.extensions["ledger_hub_db"].engine.dispose()
