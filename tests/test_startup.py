"""The server's start: the garbage collector paused while the app imports and builds, on
again afterwards; a server (not a test, not a command line) freezes what its start made,
so a later collection during a sale does not walk the whole start-up heap; a time zone that is
not one, or scale-label patterns that cannot be read, stop the start (and the command line)
with what to write instead."""
from __future__ import annotations

import gc
import json
import os
import sqlite3
import subprocess
import sys

import pytest

import pos
from pos.errors import PosError
from pos.startup import collector_paused

PROBE = """
import gc, json, sys
import pos
app = pos.create_app({"DATABASE_URL": sys.argv[1], "INSTANCE_PATH": sys.argv[2],
                      "PRINTER": "dummy://", "TESTING": sys.argv[3] == "test",
                      "PRINT_IN_BACKGROUND": False})
print(json.dumps({"enabled": gc.isenabled(), "frozen": gc.get_freeze_count()}))
"""


@pytest.mark.parametrize("was", [True, False])
def test_the_collector_is_paused_inside_and_as_it_was_after(was):
    before = gc.isenabled()
    try:
        (gc.enable if was else gc.disable)()
        with collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is was
        with pytest.raises(RuntimeError), collector_paused():
            raise RuntimeError("a failed start")
        assert gc.isenabled() is was
    finally:
        (gc.enable if before else gc.disable)()


def started(tmp_path, mode: str) -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE, f"sqlite:///{tmp_path / 'pos.db'}",
                           str(tmp_path), mode], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_server_freezes_its_start_and_collects_afterwards(tmp_path):
    server = started(tmp_path, "server")
    assert server["enabled"] and server["frozen"] > 50_000   # the app's classes, modules, ...
    in_test = started(tmp_path, "test")                       # a test's app freezes nothing
    assert in_test == {"enabled": True, "frozen": 0}


@pytest.mark.parametrize("zone", ["Asia/Samarinda", "", "../etc/passwd", 8])
def test_a_zone_that_is_not_one_stops_the_start_with_what_to_write(tmp_path, zone):
    with pytest.raises(PosError, match=r"^POS_TIMEZONE .* bukan zona waktu yang dikenal\. Contoh: "
                                       r"Asia/Makassar \(WITA\)"):
        pos.create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'pos.db'}", "INSTANCE_PATH": str(tmp_path),
                        "TIMEZONE": zone, "TESTING": True, "PRINT_IN_BACKGROUND": False})


@pytest.mark.parametrize("setting, value", [("SIMPANAN_WAJIB", 10.0), ("SIMPANAN_POKOK", "abc"),
                                            ("CASH_ROUNDING", -100), ("MAX_AMOUNT", True)])
def test_a_whole_number_setting_that_is_not_one_stops_the_start(tmp_path, setting, value):
    """POS_SIMPANAN_WAJIB=10.000 was read as 10.0: the till asked for Rp10 a month."""
    with pytest.raises(PosError, match=rf"^POS_{setting} harus angka bulat 0 atau lebih"):
        pos.create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'pos.db'}", "INSTANCE_PATH": str(tmp_path),
                        setting: value, "TESTING": True, "PRINT_IN_BACKGROUND": False})


def test_simpanan_typed_with_a_thousands_dot_stops_the_command_line(tmp_path):
    env = {**os.environ, "POS_INSTANCE_PATH": str(tmp_path), "POS_SIMPANAN_WAJIB": "10.000"}
    done = subprocess.run([sys.executable, "-m", "pos", "db", "current"], env=env, capture_output=True,
                          text=True)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip().startswith("Galat: POS_SIMPANAN_WAJIB harus angka bulat 0 atau lebih")


def test_the_command_line_says_it_without_a_traceback(tmp_path):
    env = {**os.environ, "POS_INSTANCE_PATH": str(tmp_path), "POS_TIMEZONE": "Asia/Samarinda"}
    done = subprocess.run([sys.executable, "-m", "pos", "db", "current"], env=env, capture_output=True,
                          text=True)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip() == ("Galat: POS_TIMEZONE 'Asia/Samarinda' bukan zona waktu yang dikenal. "
                                   "Contoh: Asia/Makassar (WITA), Asia/Jakarta (WIB), Asia/Jayapura (WIT).")
    sqlite3.connect(tmp_path / "pos.db").close()     # (a file that is not there is refused: not this)
    fine = subprocess.run([sys.executable, "-m", "pos", "db", "current"],
                          env={**env, "POS_TIMEZONE": "Asia/Jayapura"}, capture_output=True, text=True)
    assert fine.returncode == 0, fine.stderr



@pytest.mark.parametrize("args, code", [(["--help"], 0), (["report", "--help"], 0), ([], 2)])
def test_the_help_is_shown_whatever_the_settings_and_a_command_says_them(tmp_path, args, code):
    """Help builds no app, so a setting the app cannot start with does not hide it (nor print a
    traceback); the first command that runs says the setting's problem in one line."""
    env = {**os.environ, "POS_INSTANCE_PATH": str(tmp_path), "POS_TIMEZONE": "Mars/Base"}
    done = subprocess.run([sys.executable, "-m", "pos", *args], env=env, capture_output=True, text=True)
    assert done.returncode == code and "Traceback" not in done.stderr + done.stdout
    assert "Penggunaan: pos" in done.stdout + done.stderr
    ran = subprocess.run([sys.executable, "-m", "pos", "report", "day", "--date", "01-12-2026"],
                         env=env, capture_output=True, text=True)
    assert ran.returncode == 1 and "Traceback" not in ran.stderr
    assert ran.stderr.strip() == ("Galat: POS_TIMEZONE 'Mars/Base' bukan zona waktu yang dikenal. "
                                  "Contoh: Asia/Makassar (WITA), Asia/Jakarta (WIB), Asia/Jayapura (WIT).")


@pytest.mark.parametrize("patterns,said", [
    (["21PPPP"], "POS_BARCODE_PATTERNS salah: Pola barcode '21PPPP' tidak valid: contoh 21PPPPPWWWWWC"),
    (["21PPPPPWWWWWC", "21PPPPPRRRRRC"], "POS_BARCODE_PATTERNS salah: Pola barcode dengan awalan 21 "
                                         "bertabrakan dengan pola lain."),
    ("21PPPPPWWWWWC", "POS_BARCODE_PATTERNS harus berupa daftar pola, contoh"),
    ([21], "POS_BARCODE_PATTERNS harus berupa daftar pola, contoh"),
])
def test_scale_label_patterns_that_cannot_be_read_stop_the_start_naming_the_setting(tmp_path, patterns,
                                                                                    said):
    with pytest.raises(PosError) as refused:
        pos.create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'pos.db'}", "INSTANCE_PATH": str(tmp_path),
                        "BARCODE_PATTERNS": patterns, "TESTING": True, "PRINT_IN_BACKGROUND": False})
    assert str(refused.value).startswith(said)
    app = pos.create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'pos.db'}", "INSTANCE_PATH": str(tmp_path),
                          "BARCODE_PATTERNS": [], "TESTING": True, "PRINT_IN_BACKGROUND": False})
    assert app.extensions["pos_patterns"] == ()                # none: no scale labels
