"""A SQLite file whose bytes were overwritten (a failing disk, a power cut on a cheap card):
``pos`` commands printed some 160 lines of traceback ending "database disk image is malformed",
the WAL checkpointer thread a traceback of its own before every command, and ``pos doctor``
"tidak menjawab … Periksa bahwa disk terpasang" — never that the file is damaged or that a backup
puts it right. Now one line each, and doctor names the damage and ``pos restore``. The tester's
second: random bytes for a pos.db gave every command two lines, the checkpointer's "Checkpoint
WAL berhenti: … (file is not a database)." before the Galat line, both with SQLite's English."""
from __future__ import annotations

import json
import logging
import threading

import pytest
from sqlalchemy import create_engine

from pos.db import get_db, upgrade
from pos.wal import Checkpointer
from tests.conftest import build_app
from tests.test_cli_database import pos_command

GALAT = "Galat: berkas basis data rusak (isinya tidak utuh). Pulihkan dari cadangan: pos restore FILE."
NOT_A_DATABASE = ("Galat: berkas basis data rusak (tidak terbaca sebagai basis data SQLite). Pulihkan dari "
                  "cadangan: pos restore FILE.")


@pytest.fixture
def damaged(tmp_path):
    """``instance/pos.db``, migrated, then 4 KB of its schema overwritten."""
    path = tmp_path / "instance" / "pos.db"
    path.parent.mkdir()
    engine = create_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    with open(path, "r+b") as file:
        file.seek(1000)
        file.write(b"\xde\xad\xbe\xef" * 1024)
    return path


def test_a_command_says_the_file_is_damaged_and_to_restore_in_one_line(damaged, tmp_path):
    done = pos_command(tmp_path, "products", "list")
    assert done.returncode == 1 and done.stdout == "" and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.splitlines() == [GALAT]       # the checkpointer's line is the server's journal's


@pytest.mark.parametrize("args", [("products", "list"), ("user", "list")])
def test_random_bytes_for_a_database_are_one_galat_line_in_indonesian(tmp_path, args):
    path = tmp_path / "instance" / "pos.db"
    path.parent.mkdir()
    path.write_bytes(bytes(range(256)) * 64)           # no SQLite header at all
    done = pos_command(tmp_path, *args)
    assert done.returncode == 1 and done.stdout == "", done.stderr
    assert done.stderr.splitlines() == [NOT_A_DATABASE]


def test_the_checkpointer_logs_one_line_and_stops(damaged, caplog):
    checkpointer = Checkpointer(str(damaged), threading.RLock())
    with caplog.at_level(logging.WARNING, logger="pos.wal"):
        checkpointer.run()          # in this thread: an exception would fail the test
    assert [r.getMessage() for r in caplog.records] == [
        f"Checkpoint WAL berhenti: {damaged} tidak dapat dibaca (isinya tidak utuh)."]


def test_doctor_names_the_damage_and_the_backup(damaged, tmp_path, printer):
    app = build_app(tmp_path, f"sqlite:///{damaged}", printer)
    try:
        result = app.test_cli_runner().invoke(args=["doctor", "--json"])
        assert result.exit_code == 2
        database = json.loads(result.output)["database"]
        assert database["level"] == "error" and database["ok"] is False
        assert database["problem"] == (f"Berkas basis data {damaged} rusak (isinya tidak utuh): "
                                       "penjualan tidak dapat disimpan.")
        assert "pos restore FILE" in database["fix"] and "Backups and restore" in database["fix"]
        assert "disk terpasang" not in database["fix"]
        body = app.test_client().get("/healthz")
        assert body.status_code == 503 and body.get_json()["database"]["error"] == "berkas basis data rusak"
    finally:
        get_db(app).engine.dispose()


def _pages_say(app, caplog, *said: str) -> None:
    client = app.test_client()
    with caplog.at_level(logging.INFO):
        for url in ("/masuk", "/kasir"):
            caplog.clear()
            page = client.get(url, follow_redirects=True)   # (/kasir: to /masuk, signed out)
            assert page.status_code == 503, url
            text = page.get_data(as_text=True)
            assert "Terjadi kesalahan pada server" not in text and "Kesalahan 500" not in text
            assert all(words in text for words in said), text
            logged = [r for r in caplog.records if r.levelno >= logging.WARNING]
            assert len(logged) == 1 and logged[0].exc_info is None, [r.getMessage() for r in logged]
            assert "\n" not in logged[0].getMessage()
        htmx = client.get("/masuk", headers={"HX-Request": "true"})    # the messages partial
        assert htmx.status_code == 503 and said[0] in htmx.get_data(as_text=True)
        assert htmx.headers["HX-Retarget"] == "#messages"


def test_the_server_on_a_damaged_database_says_so_on_every_page(damaged, tmp_path, printer, caplog):
    """It answered a bare 500 ("Terjadi kesalahan pada server") and logged a 130-line traceback per
    request, while /healthz already said "berkas basis data rusak"."""
    app = build_app(tmp_path, f"sqlite:///{damaged}", printer)
    try:
        _pages_say(app, caplog, "Basis data rusak (isinya tidak utuh)", "pos doctor", "pos restore")
    finally:
        get_db(app).engine.dispose()


def test_the_server_on_a_missing_database_says_so_on_every_page(tmp_path, printer, caplog):
    app = build_app(tmp_path, f"sqlite:///{tmp_path / 'pos.db'}", printer, DATABASE_MUST_EXIST=True)
    try:
        _pages_say(app, caplog, "Berkas basis data tidak ada", "pos doctor", "pos restore")
    finally:
        get_db(app).engine.dispose()
    assert not (tmp_path / "pos.db").exists()
