"""The hub on a fresh database per test: SQLite in tmp_path, or a PostgreSQL database made
for this run (dropped at the end; the hub's tables emptied after each test)."""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from pos.hardware.fakes import RecordingPrinter
from pos.ledger_hub import outlets
from pos.ledger_hub.app import create_hub_app
from pos.ledger_hub.schema import metadata
from tests.conftest import build_app, empty_tables, throwaway_pg

# Every hub table but the schema version (the SHU's and the books' too: schema imports them).
HUB_TABLE_LIST = [t for t in metadata.sorted_tables if t.name != "hub_schema_version"]
HUB_TABLES = ", ".join(t.name for t in HUB_TABLE_LIST)


@pytest.fixture(scope="session")
def hub_pg_url():
    """A PostgreSQL database for the hub's tests (its own, not the outlet tests' one)."""
    with throwaway_pg("gerai_hub_test") as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def hub_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'hub.db'}"
        return
    url = request.getfixturevalue("hub_pg_url")
    yield url
    engine = create_engine(url)
    with engine.connect() as conn:
        made = conn.execute(text("SELECT to_regclass('hub_document')")).scalar() is not None
    if made:
        empty_tables(engine, HUB_TABLE_LIST)
    engine.dispose()


@pytest.fixture
def hub_app(hub_url):
    app = create_hub_app({"DATABASE_URL": hub_url, "TESTING": True, "SECRET_KEY": "hub-test"})
    yield app
    app.extensions["ledger_hub_db"].engine.dispose()


@pytest.fixture
def hub_runner(tmp_path, hub_url):
    """The ``pos`` CLI of an outlet app whose POS_LEDGER_DATABASE_URL is the test hub."""
    app = build_app(tmp_path, f"sqlite:///{tmp_path / 'pos.db'}", RecordingPrinter(columns=32),
                    LEDGER_DATABASE_URL=hub_url, CLI=True)
    return app.test_cli_runner()


@pytest.fixture
def hub_db(hub_app):
    return hub_app.extensions["ledger_hub_db"]


@pytest.fixture
def hub_client(hub_app):
    return hub_app.test_client()


@pytest.fixture
def creds(hub_db):
    """Credentials of outlet KDMP01."""
    with hub_db.transaction() as session:
        return outlets.add(session, "KDMP01", "Gerai Desa Makmur")


@pytest.fixture
def other(hub_db):
    """Credentials of a second outlet, KDMP02."""
    with hub_db.transaction() as session:
        return outlets.add(session, "KDMP02", "Gerai Desa Sejahtera")
