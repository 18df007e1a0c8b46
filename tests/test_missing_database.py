"""An outlet's SQLite file that is not there (moved away, a disk not mounted) is said so and
never made empty. ``pos products list`` said "Basis data masih kosong: jalankan pos init." and
left a 0-byte ``pos.db`` (so did the other commands, and the server an empty WAL file on its
first page); ``pos doctor`` then said only "Skema: kosong", and a restore took the empty file
for the replaced database and carried no receipt number, so numbers already printed were given
again. Only ``pos init`` and ``pos demo`` (a new outlet; ``make run`` runs both) make the file,
and ``pos restore`` writes it from the backup."""
from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import build_app
from tests.test_cli_database import pos_command


def missing(path) -> str:
    return (f"Galat: Basis data {path} tidak ada: pulihkan dari cadangan (pos restore FILE), atau "
            "pos init untuk gerai baru.")


@pytest.mark.parametrize("args", [("products", "list"), ("user", "list"), ("members", "list"),
                                  ("day", "status", "--date", "05-12-2026"), ("db", "current")])
def test_a_command_on_a_missing_database_says_so_and_makes_no_file(tmp_path, args):
    done = pos_command(tmp_path, *args)
    live = tmp_path / "instance" / "pos.db"
    assert done.returncode == 1 and done.stdout == "", done.stderr
    assert done.stderr.splitlines() == [missing(live)]
    assert not live.exists() and list((tmp_path / "instance").glob("pos.db*")) == []


def test_a_new_outlet_is_still_made_by_pos_init_then_pos_demo(tmp_path):
    """``make run`` on a fresh clone: ``pos init``, then ``pos demo --if-empty``."""
    init = pos_command(tmp_path, "init", folder=False)
    assert init.returncode == 0, init.stderr
    demo = pos_command(tmp_path, "demo", "--if-empty")
    assert demo.returncode == 0, demo.stderr
    assert pos_command(tmp_path, "products", "list").returncode == 0


def test_pos_demo_makes_a_new_outlet_too(tmp_path):
    demo = pos_command(tmp_path, "demo", "--if-empty", folder=False)
    assert demo.returncode == 0, demo.stderr
    assert (tmp_path / "instance" / "pos.db").is_file()


def test_the_server_never_makes_the_file(tmp_path, printer):
    app = build_app(tmp_path, f"sqlite:///{tmp_path / 'pos.db'}", printer, DATABASE_MUST_EXIST=True,
                    PROPAGATE_EXCEPTIONS=False)
    client = app.test_client()
    for url in ("/masuk", "/kasir", "/healthz"):
        client.get(url)
    assert list(tmp_path.glob("pos.db*")) == []


def test_the_outlets_own_start_refuses_to_make_the_file(tmp_path):
    """``waitress-serve --call pos:create_app`` (no settings of a test's own) is the server."""
    probe = ("import pos; app = pos.create_app(); app.test_client().get('/masuk'); "
             "app.test_client().get('/kasir')")
    instance = tmp_path / "instance"
    instance.mkdir()
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120,
                          env={"POS_INSTANCE_PATH": str(instance), "PATH": "/usr/bin:/bin",
                               "POS_SECRET_KEY": "x"})
    assert done.returncode == 0, done.stderr
    assert list(instance.glob("pos.db*")) == []


def test_pos_restore_puts_a_missing_database_back_from_its_backup(tmp_path):
    assert pos_command(tmp_path, "init", folder=False).returncode == 0
    made = pos_command(tmp_path, "backup")
    assert made.returncode == 0, made.stderr
    [backup] = (tmp_path / "instance" / "backup").glob("gerai-*.db.gz")
    live = tmp_path / "instance" / "pos.db"
    live.rename(tmp_path / "dipindah.db")
    assert pos_command(tmp_path, "user", "list").returncode == 1 and not live.exists()
    restored = pos_command(tmp_path, "restore", "--yes", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert "Basis data dipulihkan." in restored.stdout and "sebelum-pulih" not in restored.stdout
    assert pos_command(tmp_path, "user", "list").returncode == 0
