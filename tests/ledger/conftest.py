"""The outlet and the hub the end-to-end modules share (``test_e2e``, ``test_e2e_refusals``):
made once per test process, not once per module (seeding the outlet's days and starting the
hub took about 13 s each time). Each test gets the hub emptied (``hub``) and its own copy of
the outlet (``make_outlet``)."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from pos.db import Database, get_db
from pos.demo.old_kasbon import OLD
from pos.hardware.fakes import RecordingPrinter
from pos.ledger_hub import outlets, schema
from tests.conftest import build_app, demo_file, empty_tables, throwaway_pg
from tests.ledger_hub.conftest import HUB_TABLE_LIST
from tests.ledger_hub.test_serve import POS, free_port, wait_healthy

DAYS = 4                          # closed days in the outlet's history (documents queued)


@pytest.fixture(scope="session")
def outlet_template(tmp_path_factory):
    """The demo outlet TST01 with DAYS closed days (their documents queued), made once: the two
    days of the old kasbon and the history's last two."""
    return demo_file(tmp_path_factory, history_days=DAYS - len(OLD))


class Hub:
    """``pos ledger-hub serve`` in a subprocess on a fixed free port: start, kill, start again."""

    def __init__(self, database_url: str, folder: Path):
        self.database_url, self.folder = database_url, folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "POS_LEDGER_DATABASE_URL": database_url,
                    "POS_INSTANCE_PATH": str(folder / "instance")}
        self.process: subprocess.Popen | None = None
        self.engine = create_engine(database_url)
        schema.ensure(self.engine)

    def start(self) -> None:
        if self.process is not None and self.process.poll() is None:
            return
        log = (self.folder / "hub.log").open("a")
        self.process = subprocess.Popen([POS, "ledger-hub", "serve", "--host", "127.0.0.1",
                                         "--port", str(self.port)], env=self.env, stdout=log,
                                        stderr=subprocess.STDOUT)
        log.close()
        wait_healthy(self.url, self.process)

    def stop(self, *, kill: bool = False) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        self.process.wait(timeout=10)

    def documents(self) -> list[tuple[str, date]]:
        """(document_id, business_date) as the hub stored them, in the order they arrived."""
        with self.engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(
                "SELECT document_id, business_date FROM hub_document ORDER BY received_at, document_id"))]

    def line_count(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM hub_journal_line")).scalar_one()


@pytest.fixture(scope="session")
def hub_process(tmp_path_factory):
    with throwaway_pg("gerai_hub_e2e") as url:
        hub = Hub(url, tmp_path_factory.mktemp("hub"))
        try:
            yield hub
        finally:
            hub.stop()
            hub.engine.dispose()


@pytest.fixture
def hub(hub_process):
    """The running hub, emptied, with outlets TST01 and KDMP02; ``hub.creds[code]``."""
    hub_process.start()
    empty_tables(hub_process.engine, HUB_TABLE_LIST)
    database = Database(hub_process.engine)
    with database.transaction() as session:
        hub_process.creds = {code: outlets.add(session, code, code) for code in ("TST01", "KDMP02")}
    yield hub_process
    hub_process.start()   # a test that stopped it leaves it running for the next


@pytest.fixture
def make_outlet(tmp_path, outlet_template, hub):
    """The outlet app on a copy of the template, pointed at the hub (``**config`` overrides)."""
    apps = []

    def make(**config):
        if not (tmp_path / "pos.db").exists():
            shutil.copyfile(outlet_template, tmp_path / "pos.db")
        creds = hub.creds["TST01"]
        settings = {"LEDGER_URL": hub.url, "LEDGER_TOKEN": creds.token, "LEDGER_SECRET": creds.secret,
                    "LEDGER_DATABASE_URL": hub.database_url, "CLI": True} | config
        app = build_app(tmp_path, f"sqlite:///{tmp_path / 'pos.db'}", RecordingPrinter(columns=32),
                        **settings)
        apps.append(app)
        return app

    yield make
    for app in apps:
        get_db(app).engine.dispose()
