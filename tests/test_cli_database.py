"""A ``pos`` command on a database it cannot use says so in one line (exit 1), never a
traceback: before ``pos init`` ("no such table"), on an older schema, with a
``POS_DATABASE_URL`` of no known kind, or in a folder that does not exist. The command line
says it where it runs every command (``root_cli`` and the app's own group, which the tests'
runner uses), not each command; ``pos doctor`` keeps its own report of an empty database."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest

from pos.clock import business_date, utcnow
from pos.db import get_db, upgrade
from pos.errors import PosError
from tests.conftest import build_app

EMPTY = "Galat: Basis data masih kosong: jalankan pos init.\n"


@pytest.fixture
def backend():
    return "sqlite"


@pytest.mark.parametrize("args", [
    ["user", "add", "x1", "--role", "cashier", "--pin", "1234"],
    ["products", "list"],
    ["members", "list"],
    ["inventory", "export", "{tmp}/e.csv"],
    ["day", "status", "--date", "{today}"],   # (an earlier day of an empty outlet is refused)
    ["report", "day", "--date", "{today}"],
    ["shift", "list", "--date", "05-12-2026"],
])
def test_a_command_before_pos_init_says_to_run_it(bare_app, tmp_path, args):
    today = business_date(utcnow(), bare_app.config["TIMEZONE"]).strftime("%d-%m-%Y")
    typed = [a.format(tmp=tmp_path, today=today) for a in args]
    result = bare_app.test_cli_runner().invoke(args=typed)
    assert result.exit_code == 1, result.output
    assert result.output == EMPTY
    assert not (tmp_path / "e.csv").exists()
    init = bare_app.test_cli_runner().invoke(args=["init"])
    assert init.exit_code == 0, init.output
    assert bare_app.test_cli_runner().invoke(args=typed).exit_code == 0


def test_a_command_on_an_older_schema_says_to_upgrade(bare_app):
    upgrade(get_db(bare_app).engine, "0020")      # before the business days (0021)
    result = bare_app.test_cli_runner().invoke(args=["day", "status", "--date", "05-12-2026"])
    assert result.exit_code == 1, result.output
    assert result.output == ("Galat: Skema basis data belum mutakhir (revisi 0020): jalankan pos db "
                             "upgrade.\n")


def pos_command(tmp_path, *args, folder: bool = True, **env):
    """``pos ARGS`` in a new process on the data folder ``tmp_path/instance``, made first unless
    ``folder`` is false (a command other than ``pos init`` refuses a folder that is not there)."""
    if folder:
        (tmp_path / "instance").mkdir(exist_ok=True)
    return subprocess.run([sys.executable, "-m", "pos", *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "POS_INSTANCE_PATH": str(tmp_path / "instance"), **env})


def test_the_pos_command_says_it_too_and_doctor_keeps_its_report(tmp_path):
    (tmp_path / "instance").mkdir()
    sqlite3.connect(tmp_path / "instance" / "pos.db").close()   # empty (one not there: test_missing_database)
    done = pos_command(tmp_path, "products", "list")
    assert done.returncode == 1 and done.stderr == EMPTY and done.stdout == ""
    doctor = pos_command(tmp_path, "doctor")
    assert "Jalankan: pos init" in doctor.stdout and "Traceback" not in doctor.stderr


@pytest.mark.parametrize("url, shown", [
    ("foo://x", "foo://x"),
    ("foo://kasir:rahasia@db/pos", "foo://kasir:***@db/pos"),
    ("bukan url", "bukan url"),
])
def test_a_database_url_of_no_known_kind_stops_the_start(tmp_path, url, shown):
    with pytest.raises(PosError) as refused:
        build_app(tmp_path, url, None)
    assert str(refused.value) == (f"POS_DATABASE_URL tidak dikenal: {shown}. Contoh: "
                                  "postgresql+psycopg://pengguna@host/nama, atau kosongkan untuk SQLite "
                                  "di folder instance.")
    assert "rahasia" not in str(refused.value)


def test_a_sqlite_file_in_a_folder_that_does_not_exist_is_named(tmp_path, printer):
    """The server still starts (``/healthz`` answers 503 until the folder is there); a command says it."""
    missing = tmp_path / "tidak-ada" / "dir"
    app = build_app(tmp_path, f"sqlite:///{missing / 'pos.db'}", printer)
    result = app.test_cli_runner().invoke(args=["init"])
    assert result.exit_code == 1
    assert result.output == f"Galat: Basis data tidak bisa dibuka: folder {missing} tidak ada.\n"
    assert not missing.parent.exists()
    get_db(app).engine.dispose()


def test_the_command_line_says_the_url_and_the_folder_in_one_line(tmp_path):
    bad = pos_command(tmp_path, "doctor", POS_DATABASE_URL="foo://x")
    assert bad.returncode == 1 and bad.stderr.startswith("Galat: POS_DATABASE_URL tidak dikenal: foo://x.")
    assert bad.stderr.count("\n") == 1
    missing = tmp_path / "tidak-ada" / "dir"
    init = pos_command(tmp_path, "init", POS_DATABASE_URL=f"sqlite:///{missing / 'pos.db'}")
    assert init.returncode == 1
    assert init.stderr == f"Galat: Basis data tidak bisa dibuka: folder {missing} tidak ada.\n"


def test_a_database_sqlite_cannot_open_is_named(tmp_path):
    folder = tmp_path / "pos.db"
    folder.mkdir()                                 # a folder where the file should be
    done = pos_command(tmp_path, "products", "list", POS_DATABASE_URL=f"sqlite:///{folder}")
    assert done.returncode == 1 and done.stderr == (f"Galat: Basis data tidak bisa dibuka: {folder}. Periksa "
                                                    "POS_DATABASE_URL dan hak akses foldernya.\n")


@pytest.mark.parametrize("args", [("report", "day", "--date", "01-12-2026"), ("members", "list"),
                                  ("db", "current"), ("day", "status", "--date", "01-12-2026")])
def test_a_postgresql_server_that_does_not_answer_is_one_line(tmp_path, args):
    """PostgreSQL down gave SQLAlchemy's traceback in English from most commands; pos backup and
    pos doctor already said it."""
    done = pos_command(tmp_path, *args, POS_DATABASE_URL="postgresql+psycopg://u:pw@127.0.0.1:1/x")
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr == ("Galat: Server basis data di 127.0.0.1:1 tidak menjawab: periksa bahwa "
                           "PostgreSQL menyala dan POS_DATABASE_URL benar, lalu coba lagi.\n")


def test_the_hubs_commands_are_not_judged_by_the_outlets_database(bare_app, monkeypatch):
    """On the cooperative's server the outlet's database is empty: a hub command's database error
    is the hub's, never "jalankan pos init"."""
    from sqlalchemy.exc import OperationalError

    from pos.ledger_hub import outlets

    def down(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(outlets, "listing", down)
    result = bare_app.test_cli_runner().invoke(args=["ledger-hub", "outlet", "list"])
    assert isinstance(result.exception, OperationalError) and "pos init" not in result.output
