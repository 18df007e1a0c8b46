"""Shared fixtures: an app per test on a fresh database (SQLite and PostgreSQL), a live
server on a demo gerai, and one headless Chromium for the browser tests.

PostgreSQL tests use one database created for this test run (dropped at the
end) and empty every table after each test.  Under CI=true a missing server is
a failure, never a skip.
"""
from __future__ import annotations

import gc
import os
import shutil
import uuid
from contextlib import contextmanager

import pytest
from hypothesis import settings
from sqlalchemy import create_engine, text

import pos.models
from bench.in_thread import serving
from pos import create_app
from pos.db import get_db
from pos.hardware import Hardware
from pos.hardware.fakes import RecordingPrinter
from tests import app_reuse, midnight
from tests.browser import signin

app_reuse.install()
# Property tests check answers, not speed (speed is `make bench`'s): Hypothesis's default 200 ms
# deadline per example failed a round trip of scale codes while other work shared the two cores.
settings.register_profile("gerai", deadline=None)
settings.load_profile("gerai")
# Each test builds an app of some hundred thousand objects that lives through several of the
# collector's rounds: at CPython's default thresholds (700, 10, 10) the full collections alone
# took about a fifth of a test process's time.  Rarer rounds collect the same garbage.
SUITE_GC, PRODUCTION_GC = (50_000, 50, 10), gc.get_threshold()
gc.set_threshold(*SUITE_GC)
CI = os.environ.get("CI") == "true"
# POS_TEST_NEW_APPS=1: a new app for every test, as before ``app_reuse.ReusedApps`` (to rule
# out, or find, something one test leaves on the app for the next).
NEW_APPS = os.environ.get("POS_TEST_NEW_APPS") == "1"
PG_ADMIN = os.environ.get("POS_TEST_PG_ADMIN_URL",
                          "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before any of the test's fixtures: a test never straddles the turn of the business day
    (``tests.midnight``)."""
    midnight.wait_past_turn()


def unavailable(reason: str):
    if CI:
        pytest.fail(f"{reason} (CI=true: this test may not skip)")
    pytest.skip(reason)


CHROMIUM = os.environ.get("POS_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the whole run, driven by Playwright's sync API."""
    if not os.path.exists(CHROMIUM):
        unavailable(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


@contextmanager
def throwaway_pg(prefix: str):
    """The URL of a new PostgreSQL database named ``<prefix>_<random>``, dropped afterwards
    (a missing server skips, or fails under CI=true)."""
    try:
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as error:  # any connection failure
        unavailable(f"PostgreSQL not reachable at {PG_ADMIN}: {error}")
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def pg_database():
    """The URL of a PostgreSQL database made for this run."""
    with throwaway_pg("gerai_test") as url:
        yield url


@pytest.fixture(scope="session")
def pg_schema(pg_database):
    engine = create_engine(pg_database)
    pos.models.metadata.create_all(engine)
    engine.dispose()
    return pg_database


def empty_tables(engine, tables) -> None:
    """Empty ``tables`` and restart the sequences they own that were used, in one round trip.
    ``TRUNCATE`` does the same but makes new files for each table and index: about 140 ms for
    the outlet's 64 tables against 3 ms for these DELETEs on the few rows a test leaves, and
    a thousand PostgreSQL tests run it."""
    names = {table.name for table in tables}
    ordered = [table.name for table in tables[0].metadata.sorted_tables if table.name in names]
    deletes = "".join(f'DELETE FROM "{name}";' for name in reversed(ordered))
    owners = ", ".join(f"'{name}'" for name in ordered)
    with engine.begin() as conn:
        conn.execute(text(
            f"DO $$ DECLARE s record; BEGIN {deletes} "
            "FOR s IN SELECT q.schemaname, q.sequencename FROM pg_sequences q "
            "JOIN pg_class c ON c.relname = q.sequencename AND c.relkind = 'S' "
            "JOIN pg_depend d ON d.objid = c.oid AND d.deptype IN ('a', 'i') "
            f"JOIN pg_class t ON t.oid = d.refobjid WHERE t.relname IN ({owners}) "
            "AND q.last_value IS NOT NULL "
            "LOOP EXECUTE format('ALTER SEQUENCE %I.%I RESTART', s.schemaname, s.sequencename); "
            "END LOOP; END $$"))


def _empty_all(engine) -> None:
    empty_tables(engine, pos.models.metadata.sorted_tables)


def _sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'pos.db'}"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """An empty SQLite database with the whole schema, made once per test process: each SQLite
    test starts from a copy of it (a file copy takes about 1 ms, ``create_all`` about 120)."""
    path = tmp_path_factory.mktemp("schema") / "template.db"
    engine = create_engine(f"sqlite:///{path}")
    pos.models.metadata.create_all(engine)
    engine.dispose()
    return path


@pytest.fixture(autouse=True)
def _collector_as_in_production(request):
    """A test that judges timing (marked ``serial``) runs with CPython's own thresholds, as the
    server does: a young collection at the suite's threshold walks 50,000 objects at once,
    a pause of tens of milliseconds in the middle of what the test times."""
    if request.node.get_closest_marker("serial") is None:
        yield
        return
    gc.set_threshold(*PRODUCTION_GC)
    try:
        yield
    finally:
        gc.set_threshold(*SUITE_GC)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request):
    return request.param


@pytest.fixture
def printer():
    return RecordingPrinter(columns=32)


def build_app(tmp_path, url: str, printer, **overrides):
    config = {"INSTANCE_PATH": str(tmp_path / "instance"), "DATABASE_URL": url,
              "SECRET_KEY": "test-secret", "TESTING": True, "WTF_CSRF_ENABLED": False,
              "SQLITE_BACKGROUND_CHECKPOINT": False, "PRINT_IN_BACKGROUND": False,
              "OUTLET_CODE": "TST01",
              "OUTLET_NAME": "Gerai Uji"}
    config.update(overrides)
    app = create_app(config, hardware=Hardware(printer=printer))
    app.jinja_env.bytecode_cache = app_reuse.TEMPLATES
    return app


@pytest.fixture
def bare_app(tmp_path, printer):
    """An app on a database file with no tables at all, as before ``pos init`` (its migrations
    then really run)."""
    app = build_app(tmp_path, f"sqlite:///{tmp_path / 'cli.db'}", printer)
    yield app
    get_db(app).engine.dispose()


@pytest.fixture
def app_factory(request, tmp_path, printer, backend):
    """Builds the app on the chosen backend; extra config via keyword arguments."""
    apps = []

    def make(**overrides):
        if backend == "postgresql":
            url = request.getfixturevalue("pg_schema")
        else:
            url = _sqlite_url(tmp_path)
            if not (tmp_path / "pos.db").exists():  # a second app of the test shares the file
                shutil.copyfile(request.getfixturevalue("sqlite_template"), tmp_path / "pos.db")
        if overrides or apps or NEW_APPS:  # settings of its own, or a second app of the test
            app = build_app(tmp_path, url, printer, **overrides)
        else:                  # this process's app, set back (``app_reuse.ReusedApps``)
            app = app_reuse.APPS.take(backend, lambda: build_app(tmp_path, url, printer),
                                      tmp_path / "instance", url, printer)
        apps.append(app)
        return app

    yield make
    for app in apps:
        engine = get_db(app).engine
        if backend == "postgresql":
            _empty_all(engine)
        engine.dispose()


@pytest.fixture
def app(app_factory):
    return app_factory()


@pytest.fixture
def db(app):
    return get_db(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    """The demo gerai seeded once per test process (about 1.5 s); each live server starts
    from a copy of the file.  Without the closed days of history (``pos.demo.history``):
    the till's tests count their own sales.  A module that wants them overrides this
    fixture with ``demo_history_template``."""
    return demo_file(tmp_path_factory, history_days=0)


@pytest.fixture(scope="session")
def demo_history_template(tmp_path_factory):
    """The demo gerai as ``pos demo`` leaves it: with fourteen closed days of shifts and
    sales before today, and the two closed days of the old kasbon before them (about 1.5 s more)."""
    from pos.demo.history import DAYS

    return demo_file(tmp_path_factory, history_days=DAYS)


def demo_file(tmp_path_factory, *, history_days: int) -> midnight.DayFile:
    """A SQLite file holding the demo gerai with ``history_days`` closed days before today,
    made with the test app's settings (outlet TST01), and made again when a run goes past
    midnight (its days were the days before yesterday)."""
    return midnight.DayFile(lambda: _seeded_file(tmp_path_factory, history_days))


def _seeded_file(tmp_path_factory, history_days: int):
    from pos.demo.seed import seed_demo

    folder = tmp_path_factory.mktemp("demo")
    app = build_app(folder, f"sqlite:///{folder / 'demo.db'}", RecordingPrinter(columns=32))
    database = get_db(app)
    pos.models.metadata.create_all(database.engine)
    with database.transaction() as session:
        seed_demo(session, history_days=history_days, config=app.config)
    database.engine.dispose()  # the last connection checkpoints the WAL into the file
    return folder / "demo.db"


@pytest.fixture
def live(tmp_path, printer, demo_template):
    """(base_url, app) of a waitress server on a random port, on a copy of the demo gerai."""
    with live_on_demo(tmp_path, printer, demo_template) as served:
        yield served


@contextmanager
def live_on_demo(tmp_path, printer, demo_template, **overrides):
    """``live``'s server, with settings of a test's own (``PRINT_IN_BACKGROUND=True``)."""
    shutil.copyfile(demo_template, tmp_path / "pos.db")
    app = build_app(tmp_path, f"sqlite:///{tmp_path / 'pos.db'}", printer,
                    WTF_CSRF_ENABLED=True, SQLITE_BACKGROUND_CHECKPOINT=True, **overrides)
    with serving(app) as base:
        signin.LIVE[base] = app
        try:
            yield base, app
        finally:
            signin.LIVE.pop(base, None)
    get_db(app).engine.dispose()


@pytest.fixture
def page(browser):
    """A fresh browser context (cookies, storage) per test, sized like the counter screen."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
