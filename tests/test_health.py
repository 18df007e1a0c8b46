"""``GET /healthz``: 200 while the database answers, 503 (fast) when it does not.  The other
checks (devices, disk, ledger, backup, clock) are tested in tests/health_checks/."""
from __future__ import annotations

import time

import pytest

from pos.db import get_db, upgrade
from pos.hardware import Hardware
from pos.hardware.fakes import RecordingPrinter
from tests.conftest import build_app
from tests.factories import login, make_till, make_user


@pytest.fixture
def built(tmp_path, printer):
    """Build apps on arbitrary database URLs and dispose their engines afterwards."""
    apps = []

    def make(url: str):
        app = build_app(tmp_path, url, printer)
        apps.append(app)
        return app

    yield make
    for app in apps:
        get_db(app).engine.dispose()


def test_healthz_reports_ok_with_a_reachable_database(client, backend):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.get_json()
    # the test schema is made by create_all, without alembic's stamp: a warning, not an error
    assert body["status"] == "warn" and body["selling"] is True
    assert body["migrations"]["level"] == "warn" and body["migrations"]["current"] is None
    assert body["database"]["ok"] is True and body["database"]["level"] == "ok"
    assert body["database"]["dialect"] == backend
    assert "error" not in body["database"]
    assert body["outlet"] == "TST01"
    assert all("url" not in p for p in body["printers"])  # no device addresses for anonymous callers


@pytest.mark.parametrize("backend", ["sqlite"])
def test_healthz_shows_device_addresses_only_to_a_logged_in_manager(app_factory):
    app = app_factory(PRINTER="network://192.168.1.50:9100?timeout=3")
    app.extensions["pos_hardware"] = Hardware(printer=RecordingPrinter(columns=32))
    with get_db(app).transaction() as s:
        till = make_till(s).id
        manager, cashier = make_user(s, "manajer1", "manager").id, make_user(s, "kasir1").id
    anonymous = app.test_client().get("/healthz")
    assert anonymous.status_code == 200 and "192.168" not in anonymous.get_data(as_text=True)
    as_cashier = app.test_client()
    login(as_cashier, cashier, till)
    assert "192.168" not in as_cashier.get("/healthz").get_data(as_text=True)
    as_manager = app.test_client()
    login(as_manager, manager, till)
    printers = as_manager.get("/healthz").get_json()["printers"]
    assert [(p["till"], p["url"], p["level"]) for p in printers] == \
        [("KASIR-1", "network://192.168.1.50:9100", "ok")]


def test_healthz_needs_no_login(client):
    response = client.get("/healthz", headers={"HX-Request": "true"})
    assert response.status_code == 200 and "HX-Redirect" not in response.headers


def test_healthz_reports_the_migration_revision(built, tmp_path):
    (tmp_path / "migrated.db").touch()   # an empty database: a file not there is said so (not made)
    app = built(f"sqlite:///{tmp_path / 'migrated.db'}")
    before = app.test_client().get("/healthz").get_json()
    assert before["database"]["ok"] is True and before["database"]["revision"] is None
    upgrade(get_db(app).engine)
    after = app.test_client().get("/healthz").get_json()
    assert after["database"]["revision"]


@pytest.mark.parametrize("url", [
    "sqlite:///{tmp}/no/such/dir/pos.db",
    "postgresql+psycopg://postgres@127.0.0.1:1/gerai",
], ids=["sqlite-missing-dir", "postgresql-closed-port"])
def test_healthz_is_503_when_the_database_is_unreachable(built, tmp_path, url):
    app = built(url.format(tmp=tmp_path))
    started = time.perf_counter()
    response = app.test_client().get("/healthz")
    assert time.perf_counter() - started < 5
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "error"
    assert body["database"]["ok"] is False
    assert body["database"]["error"] and len(body["database"]["error"]) <= 200
    assert "127.0.0.1" not in body["database"]["error"]  # no server address for anonymous callers
    assert "revision" not in body["database"]
