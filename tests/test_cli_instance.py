"""A ``pos`` command on a data folder (``POS_INSTANCE_PATH``) that is not there says so in one
line and makes nothing: a mistyped path made a new, empty outlet (``pos.db``, a secret key,
``cache/``) and ``pos doctor`` reported on that one as if it were the outlet's. ``pos init`` and
``pos demo`` (``make run``) still make it; the server and the tests' app factory are not the
command line and make it as before. ``pos doctor`` on a folder without ``pos.db`` says the file is
not there, and does not make it."""
from __future__ import annotations

import json

import pytest

from tests.test_cli_database import pos_command


def missing_folder(tmp_path) -> str:
    return (f"Galat: folder data gerai {tmp_path / 'instance'} tidak ada. Periksa POS_INSTANCE_PATH, "
            "atau jalankan pos init untuk gerai baru.\n")


@pytest.mark.parametrize("args", [
    ("doctor",), ("products", "list"), ("user", "add", "budi", "--role", "cashier", "--pin", "1234"),
    ("db", "current"), ("ledger", "status"), ("backup",),
])
def test_a_command_on_a_folder_that_is_not_there_refuses_and_makes_nothing(tmp_path, args):
    done = pos_command(tmp_path, *args, folder=False)
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout == "" and done.stderr == missing_folder(tmp_path)
    assert not (tmp_path / "instance").exists()


def test_pos_init_makes_a_new_outlets_folder(tmp_path):
    done = pos_command(tmp_path, "init", folder=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Basis data siap.")
    assert (tmp_path / "instance" / "pos.db").is_file()
    assert pos_command(tmp_path, "db", "current").stdout.strip()   # the other commands go on now


def test_doctor_on_a_folder_without_its_database_says_the_file_is_not_there(tmp_path):
    done = pos_command(tmp_path, "doctor", "--json")
    assert done.returncode == 2, done.stderr
    database = json.loads(done.stdout)["database"]
    path = tmp_path / "instance" / "pos.db"
    assert (database["level"], database["ok"]) == ("error", False)
    assert database["problem"] == f"Berkas basis data {path} tidak ada: penjualan tidak dapat disimpan."
    assert "pos init" in database["fix"] and "pos restore" in database["fix"]
    assert not path.exists()
    text = pos_command(tmp_path, "doctor").stdout
    assert "GALAT       Basis data: berkas tidak ada" in text and "menjawab" not in text
    assert not path.exists()
