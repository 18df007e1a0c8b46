"""``GET /healthz``: 200 while the database answers, 503 (fast) when it does not."""
from __future__ import annotations

import time

import pytest

from pos.db import get_db, upgrade
from tests.conftest import build_app


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
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["database"]["dialect"] == backend
    assert "error" not in body["database"]
    assert body["outlet"] == "TST01"
    assert body["printer"] == {"configured": "dummy://"}


def test_healthz_needs_no_login(client):
    response = client.get("/healthz", headers={"HX-Request": "true"})
    assert response.status_code == 200 and "HX-Redirect" not in response.headers


def test_healthz_reports_the_migration_revision(built, tmp_path):
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
    assert "revision" not in body["database"]
