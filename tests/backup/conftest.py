"""PostgreSQL backup tests: each gets its own database (``tests.conftest.throwaway_pg``), with
the schema, the migrations' head revision stamped, and a shop selling instant noodles; every
database a restore made beside it (``_sebelum_``, ``_pulih_``) is dropped afterwards. Without
a server these tests skip, and under CI=true they fail (``throwaway_pg``)."""
from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import create_engine, make_url, text

import pos.models
from pos.db import get_db, migrations_config
from tests.backup.helpers import stock_shop
from tests.conftest import PG_ADMIN, build_app, throwaway_pg

TILLS = 2


def _drop_beside(url: str) -> None:
    name = make_url(url).database
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        found = conn.execute(text("SELECT datname FROM pg_database WHERE starts_with(datname, :n) "
                                  "AND datname <> :n"), {"n": name}).scalars().all()
        for other in found:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{other}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def pg_app(tmp_path, printer):
    """The app on a PostgreSQL database of its own, dropped (with its neighbours) at the end."""
    with throwaway_pg("gerai_cadangan") as url:
        engine = create_engine(url)
        pos.models.metadata.create_all(engine)
        command.stamp(migrations_config(engine), "head")
        engine.dispose()
        app = build_app(tmp_path, url, printer)
        try:
            yield app
        finally:
            get_db(app).engine.dispose()
            _drop_beside(url)


@pytest.fixture
def pg_db(pg_app):
    return get_db(pg_app)


@pytest.fixture
def pg_runner(pg_app):
    return pg_app.test_cli_runner()


@pytest.fixture
def pg_shop(pg_db):
    """(till id, cashier id) of each open till, and Indomie Goreng with plenty of stock."""
    return stock_shop(pg_db, TILLS)
