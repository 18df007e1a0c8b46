"""CSRF: every state-changing route of the outlet and of the hub refuses a request without a
valid token, plain form or htmx, for any role; a new route exempt from CSRF fails here unless
it is listed in ``EXEMPT`` with its reason.

The routes are read from the apps' URL maps at collection, like the role matrix."""
from __future__ import annotations

import json
import re
import tempfile
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

import pos.models
from pos import create_app
from pos.auth.models import Role
from pos.db import get_db
from pos.hardware import Hardware
from pos.hardware.fakes import RecordingPrinter
from pos.ledger_hub.app import create_hub_app
from pos.sales.models import CartLine
from tests.auth.test_auth import session_token, session_uid
from tests.conftest import build_app
from tests.factories import login, make_product, make_till, make_user
from tests.ledger_hub.web_helpers import sign_in

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
HTMX = {"HX-Request": "true"}
REFUSED = "Formulir kedaluwarsa atau tidak sah"
# Endpoints that take state-changing requests without a CSRF token, and why.  Adding a
# route here is a security decision: it needs a reason another authentication covers.
EXEMPT = {
    "outlet": {},
    "hub": {"ledger_hub.documents": "the outlets' API: no cookie, every request HMAC-signed"},
}
sqlite_only = pytest.mark.parametrize("backend", ["sqlite"])


def _routes(app) -> list[tuple[str, str, str]]:
    adapter = app.url_map.bind("localhost")
    found = []
    for rule in app.url_map.iter_rules():
        url = adapter.build(rule.endpoint, {name: 1 for name in rule.arguments})
        found += [(rule.endpoint, method, url) for method in sorted(rule.methods & STATE_CHANGING)]
    return found


def _outlet_routes():
    with tempfile.TemporaryDirectory() as instance:
        app = create_app({"INSTANCE_PATH": instance, "DATABASE_URL": "sqlite://", "SECRET_KEY": "x",
                          "SQLITE_BACKGROUND_CHECKPOINT": False, "TESTING": True},
                         hardware=Hardware(printer=RecordingPrinter(columns=32)))
        routes = _routes(app)
        get_db(app).engine.dispose()
    return routes


def _hub_routes():
    with tempfile.TemporaryDirectory() as folder:
        app = create_hub_app({"DATABASE_URL": f"sqlite:///{folder}/hub.db", "SECRET_KEY": "x",
                              "TESTING": True})
        routes = _routes(app)
        app.extensions["ledger_hub_db"].engine.dispose()
    return routes


OUTLET = _outlet_routes()
HUB = _hub_routes()


def is_refused(response) -> bool:
    """The CSRF answer: 400 in the messages area for htmx, back with a flashed error otherwise."""
    if response.status_code == 400:
        return REFUSED in response.get_data(as_text=True)
    return False


def is_refused_plain(client, response) -> bool:
    if response.status_code != 303:
        return False
    with client.session_transaction() as s:
        flashed = s.pop("_flashes", [])
    return any(category == "error" and REFUSED in text for category, text in flashed)


@pytest.fixture(scope="module")
def outlet(tmp_path_factory):
    """One outlet with CSRF on (as served), a till and an admin and a manager."""
    tmp = tmp_path_factory.mktemp("csrf")
    app = build_app(tmp, f"sqlite:///{tmp / 'pos.db'}", RecordingPrinter(columns=32),
                    WTF_CSRF_ENABLED=True)
    database = get_db(app)
    pos.models.metadata.create_all(database.engine)
    with database.transaction() as s:
        till = make_till(s).id
        users = {role: make_user(s, f"u-{role.value}", role.value).id
                 for role in (Role.ADMIN, Role.MANAGER)}
    yield app, till, users
    database.engine.dispose()


def test_the_enumeration_finds_the_state_changing_routes():
    assert {("sales.scan", "POST"), ("auth.logout", "POST"), ("auth.login_post", "POST")} <= \
        {(endpoint, method) for endpoint, method, _ in OUTLET}
    assert len(OUTLET) > 50
    assert ("ledger_hub.documents", "POST") in {(e, m) for e, m, _ in HUB}


@pytest.mark.parametrize("endpoint, method, url", OUTLET, ids=[f"{e}-{m}" for e, m, _ in OUTLET])
def test_every_outlet_route_refuses_a_missing_or_wrong_token(outlet, endpoint, method, url):
    app, till, users = outlet
    tries = {"htmx": ({**HTMX}, {"x": "1"}),
             "htmx, wrong token": ({**HTMX, "X-CSRFToken": "bukan-token"}, {"x": "1"}),
             "form": ({}, {"x": "1"}),
             "form, wrong token": ({}, {"csrf_token": "bukan-token"})}
    for role in users:
        client = app.test_client()
        login(client, users[role], till)
        for name, (headers, data) in tries.items():
            answer = client.open(url, method=method, headers=headers, data=data)
            if endpoint in EXEMPT["outlet"]:
                assert not is_refused(answer), f"{endpoint} is listed as exempt but is not"
                break
            assert is_refused(answer) or is_refused_plain(client, answer), \
                f"{method} {url} ({role.value}, {name}) ran without a valid CSRF token"


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    folder = tmp_path_factory.mktemp("csrf-hub")
    app = create_hub_app({"DATABASE_URL": f"sqlite:///{folder}/hub.db", "SECRET_KEY": "x",
                          "TESTING": True})
    client = app.test_client()
    sign_in(client, app.extensions["ledger_hub_db"])
    yield app, client
    app.extensions["ledger_hub_db"].engine.dispose()


@pytest.mark.parametrize("endpoint, method, url", HUB, ids=[f"{e}-{m}" for e, m, _ in HUB])
def test_every_hub_page_refuses_a_missing_token(hub, endpoint, method, url):
    app, client = hub
    for headers in ({}, HTMX, {"X-CSRFToken": "bukan-token"}):
        answer = client.open(url, method=method, headers=headers, data={"x": "1"})
        if endpoint in EXEMPT["hub"]:
            assert not is_refused(answer), f"{endpoint} is listed as exempt but is not"
        else:
            assert is_refused(answer), f"{method} {url} on the hub ran without a CSRF token"


def test_the_exempt_lists_name_real_endpoints(outlet, hub):
    assert set(EXEMPT["outlet"]) <= set(outlet[0].view_functions)
    assert set(EXEMPT["hub"]) <= set(hub[0].view_functions)


_HX_HEADERS = re.compile(r"<body[^>]*\bhx-headers='([^']*)'")


def test_csrf_token_is_required_for_htmx_posts(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    db, client = app.extensions["pos_db"], app.test_client()
    with db.transaction() as s:
        till = make_till(s)
        cashier = make_user(s)
        make_product(s, name="Indomie Goreng", price=3_500, barcodes_=["8998866200301"])
    login(client, cashier.id, till.id)
    htmx = {"HX-Request": "true"}

    refused = client.post("/kasir/pindai", data={"code": "8998866200301"}, headers=htmx)
    assert refused.status_code == 400
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(CartLine)) == 0

    page = client.get("/kasir")
    assert page.status_code == 200
    found = _HX_HEADERS.search(page.get_data(as_text=True))
    assert found, "the till page carries no hx-headers on <body>"
    token = json.loads(found.group(1))["X-CSRFToken"]
    assert token

    wrong = client.post("/kasir/pindai", data={"code": "8998866200301"},
                        headers={**htmx, "X-CSRFToken": token[:-2] + "xx"})
    assert wrong.status_code == 400
    accepted = client.post("/kasir/pindai", data={"code": "8998866200301"},
                           headers={**htmx, "X-CSRFToken": token})
    assert accepted.status_code == 200
    assert "Indomie Goreng" in accepted.get_data(as_text=True)
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(CartLine)) == 1


def assert_csrf_refused(client, response, back_to: str) -> None:
    """A plain form POST without a token is sent back to its page with a flashed error."""
    assert response.status_code == 303
    assert urlsplit(response.headers["Location"]).path == back_to
    with client.session_transaction() as s:
        flashed = s.get("_flashes", [])
    assert any(category == "error" and "Formulir kedaluwarsa" in text for category, text in flashed)


def test_csrf_token_is_required_for_login(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    db, client = app.extensions["pos_db"], app.test_client()
    with db.transaction() as s:
        make_user(s)
    refused = client.post("/masuk", data={"username": "kasir1", "pin": "1111"},
                          headers={"Referer": "http://localhost/masuk"})
    assert_csrf_refused(client, refused, back_to="/masuk")
    assert session_token(client) is None
    assert app.extensions["pos_login_guard"].sizes() == (0, 0, 0)  # refused before any attempt counted

    form = client.get("/masuk").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    accepted = client.post("/masuk", data={"username": "kasir1", "pin": "1111",
                                           "csrf_token": token})
    assert accepted.status_code == 303
    assert session_uid(client, db) is not None


@sqlite_only
def test_logout_needs_a_csrf_token_too(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    db, client = app.extensions["pos_db"], app.test_client()
    with db.transaction() as s:
        till, cashier = make_till(s), make_user(s)
    login(client, cashier.id, till.id)
    assert_csrf_refused(client, client.post("/keluar"), back_to="/")
    assert session_uid(client, db) == cashier.id


