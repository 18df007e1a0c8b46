"""The role matrix: every route is public or guarded, and each role gets exactly its rights.

The routes are read from the app's URL map when the tests are collected, so a
new route shows up here by itself: unguarded it fails, guarded it is checked
for every role and for anonymous visitors.
"""
from __future__ import annotations

import tempfile
from urllib.parse import urlsplit

import pytest

import pos.models
from pos import create_app
from pos.auth.access import PUBLIC_ENDPOINTS
from pos.auth.models import Role
from pos.auth.service import RIGHTS, may
from pos.db import get_db
from pos.hardware import Hardware
from pos.hardware.fakes import RecordingPrinter
from tests.conftest import build_app
from tests.factories import login, make_till, make_user

METHODS = ("GET", "POST")
ALL_RIGHTS = frozenset().union(*RIGHTS.values())
HTMX = {"HX-Request": "true"}


@pytest.fixture
def backend():
    """The matrix is about routing and rights, not SQL: SQLite only."""
    return "sqlite"


def _routes() -> list[tuple[str, str, str]]:
    """(endpoint, method, url with dummy ids) of every route that is not public."""
    with tempfile.TemporaryDirectory() as instance:
        app = create_app({"INSTANCE_PATH": instance, "DATABASE_URL": "sqlite://",
                          "SECRET_KEY": "x", "SQLITE_BACKGROUND_CHECKPOINT": False, "TESTING": True},
                         hardware=Hardware(printer=RecordingPrinter(columns=32)))
        adapter = app.url_map.bind("localhost")
        routes = []
        for rule in app.url_map.iter_rules():
            if rule.endpoint in PUBLIC_ENDPOINTS:
                continue
            url = adapter.build(rule.endpoint, {name: 1 for name in rule.arguments})
            routes += [(rule.endpoint, m, url) for m in sorted(rule.methods) if m in METHODS]
        get_db(app).engine.dispose()
    return routes


ROUTES = _routes()
ROUTE_IDS = [f"{endpoint}-{method}" for endpoint, method, _ in ROUTES]


@pytest.fixture(scope="module")
def matrix(tmp_path_factory):
    """One app shared by the whole matrix, with a till and one user per role."""
    tmp = tmp_path_factory.mktemp("roles")
    app = build_app(tmp, f"sqlite:///{tmp / 'pos.db'}", RecordingPrinter(columns=32))
    database = get_db(app)
    pos.models.metadata.create_all(database.engine)
    with database.transaction() as s:
        till = make_till(s).id
        users = {role: make_user(s, f"u-{role.value}", role.value).id for role in Role}
    yield app, till, users
    database.engine.dispose()


def call(client, method: str, url: str, headers=None):
    return client.open(url, method=method, headers=headers or {})


def test_every_route_is_public_or_names_a_known_right(app):
    unguarded, unknown = [], []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        right = getattr(app.view_functions[rule.endpoint], "required_right", None)
        if right is None:
            unguarded.append(rule.rule)
        elif right not in ALL_RIGHTS:
            unknown.append((rule.rule, right))
    assert unguarded == [], "routes without @requires(...) and not in PUBLIC_ENDPOINTS"
    assert unknown == [], "routes requiring a right that no role has"


def test_public_endpoints_all_exist(app):
    assert PUBLIC_ENDPOINTS <= set(app.view_functions)


def test_matrix_covers_the_known_routes():
    endpoints = {endpoint for endpoint, _, _ in ROUTES}
    assert {"sales.till", "sales.scan", "sales.pay", "reports.day"} <= endpoints
    assert not endpoints & PUBLIC_ENDPOINTS


def test_every_right_belongs_to_the_admin():
    # but approving obat keras, which needs an apoteker's licence (issue 10)
    assert RIGHTS[Role.ADMIN] == ALL_RIGHTS - {"dispense"}


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
@pytest.mark.parametrize("endpoint, method, url", ROUTES, ids=ROUTE_IDS)
def test_role_gets_exactly_its_rights(matrix, role, endpoint, method, url):
    app, till, users = matrix
    client = app.test_client()
    login(client, users[role], till)
    right = app.view_functions[endpoint].required_right
    # POSTs come from htmx at the till; a plain GET is a page load.
    response = call(client, method, url, HTMX if method == "POST" else None)
    if may(role, right):
        assert response.status_code not in (401, 403), response.get_data(as_text=True)[:300]
        # a permitted action may send htmx on to its page, never to the login
        assert urlsplit(response.headers.get("HX-Redirect", "/")).path != "/masuk"
        if response.status_code in (301, 302, 303):
            assert urlsplit(response.headers["Location"]).path != "/masuk"
    else:
        assert response.status_code == 403
        assert "tidak berhak" in response.get_data(as_text=True)


@pytest.mark.parametrize("endpoint, method, url", ROUTES, ids=ROUTE_IDS)
def test_anonymous_is_sent_to_login(matrix, endpoint, method, url):
    app = matrix[0]
    client = app.test_client()
    response = call(client, method, url)
    assert response.status_code in (302, 303)
    assert urlsplit(response.headers["Location"]).path == "/masuk"

    htmx = call(client, method, url, HTMX)
    assert htmx.status_code == 401
    assert urlsplit(htmx.headers["HX-Redirect"]).path == "/masuk"


@pytest.mark.parametrize("endpoint, method, url", ROUTES, ids=ROUTE_IDS)
def test_unknown_session_token_is_sent_to_login(matrix, endpoint, method, url):
    """A cookie naming no session on the server (forged, or from another database)."""
    app = matrix[0]
    client = app.test_client()
    with client.session_transaction() as s:
        s["sid"] = "no-such-session"
    response = call(client, method, url)
    assert response.status_code in (302, 303)
    assert urlsplit(response.headers["Location"]).path == "/masuk"
    with client.session_transaction() as s:
        assert "sid" not in s


def test_forbidden_plain_form_post_does_nothing(matrix):
    """Without htmx a refusal is flashed and redirected back, but the view never runs."""
    app, till, users = matrix
    client = app.test_client()
    login(client, users[Role.CLERK], till)
    response = client.post("/kasir/pindai", data={"code": "1"})
    assert response.status_code == 303
    assert urlsplit(response.headers["Location"]).path != "/masuk"
    with client.session_transaction() as s:
        assert any("tidak berhak" in text for _, text in s.get("_flashes", []))


@pytest.mark.parametrize("role, lands_on", [
    (Role.CASHIER, "/kasir"), (Role.CLERK, None), (Role.MANAGER, None), (Role.ADMIN, None)])
def test_home_page_sends_each_role_to_its_start(matrix, role, lands_on):
    app, till, users = matrix
    client = app.test_client()
    login(client, users[role], till)
    response = client.get("/")
    if lands_on:
        assert response.status_code == 302 and response.headers["Location"] == lands_on
    else:
        assert response.status_code == 200


def test_home_page_sends_anonymous_to_login(matrix):
    response = matrix[0].test_client().get("/")
    assert response.status_code == 302 and urlsplit(response.headers["Location"]).path == "/masuk"

