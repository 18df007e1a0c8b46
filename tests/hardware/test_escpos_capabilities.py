"""escpos's printer database read from a kept pickle (``pos.hardware.escpos_capabilities``)."""
from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import time
from importlib.resources import files
from pathlib import Path

import pytest

from pos.db import get_db
from pos.hardware import escpos_capabilities
from pos.hardware.escpos_capabilities import VARIABLE, prepare
from tests.conftest import build_app

DATABASE = Path(str(files("escpos") / "capabilities.json"))

# A new interpreter: escpos is imported once per process, so only a fresh one shows what its
# import read. Prints whether escpos parsed the database itself (YAML), a digest of the
# database it holds and one of the receipt's bytes.
FIRST_RECEIPT = """
import hashlib, json, sys
from pathlib import Path
from pos.hardware import escpos_capabilities
from pos.hardware.escpos_render import render_escpos
from pos.hardware.ports import Receipt
if len(sys.argv) > 1:
    escpos_capabilities.keep_in(Path(sys.argv[1]))
data = render_escpos(Receipt("A-1", ["Gerai Uji", "Beras 5 kg  1 x 65.000"], 32, qr_payload="x"))
import escpos.capabilities
held = json.dumps(escpos.capabilities.CAPABILITIES, sort_keys=True).encode()
print(escpos.capabilities.full_load, hashlib.sha256(held).hexdigest(), hashlib.sha256(data).hexdigest())
"""


def _first_receipt(*folder: Path) -> tuple[str, str, str]:
    env = {k: v for k, v in os.environ.items() if k != VARIABLE}
    out = subprocess.run([sys.executable, "-c", FIRST_RECEIPT, *map(str, folder)], env=env,
                         capture_output=True, text=True, check=True, timeout=60).stdout
    parsed, database, receipt = out.split()
    return parsed, database, receipt


def test_a_process_of_the_app_reads_the_kept_pickle_and_prints_the_same_bytes(tmp_path):
    folder = tmp_path / "cache" / "escpos"
    assert _first_receipt(folder)[0] == "False"   # the pickle was there before escpos looked
    kept = list(folder.glob("*.capabilities.pickle"))
    assert len(kept) == 1 and not list(folder.glob("*.tmp"))
    made = kept[0].stat().st_mtime_ns
    again = _first_receipt(folder)
    assert again[0] == "False" and kept[0].stat().st_mtime_ns == made  # read, not written again
    alone = _first_receipt()                      # no app: escpos parses the file, as it would
    # the same database as escpos's own YAML reading of the file, and the same bytes
    assert alone[0] == "True" and alone[1:] == again[1:]


def test_the_pickle_holds_the_database_file(tmp_path):
    kept = next(prepare(tmp_path).glob("*.capabilities.pickle"))
    assert pickle.loads(kept.read_bytes()) == json.loads(DATABASE.read_text("utf-8"))


def test_a_pickle_cut_short_by_a_power_cut_is_written_again(tmp_path):
    kept = next(prepare(tmp_path).glob("*.capabilities.pickle"))
    whole = kept.read_bytes()
    kept.write_bytes(whole[:100])
    prepare(tmp_path)
    assert kept.read_bytes() == whole


def test_an_updated_database_is_read_again(tmp_path):
    source = tmp_path / "capabilities.json"
    data = json.loads(DATABASE.read_text("utf-8"))
    source.write_text(json.dumps(data), encoding="utf-8")
    kept = next(prepare(tmp_path / "cache", source).glob("*.capabilities.pickle"))
    data["profiles"]["gerai"] = {"name": "Gerai"}
    source.write_text(json.dumps(data), encoding="utf-8")
    later = time.time() + 60
    os.utime(source, (later, later))  # newer than the pickle, as after an update of escpos
    prepare(tmp_path / "cache", source)
    assert pickle.loads(kept.read_bytes())["profiles"]["gerai"] == {"name": "Gerai"}


def test_a_database_that_does_not_parse_leaves_escpos_its_own_way(fresh, tmp_path, monkeypatch):
    broken = tmp_path / "capabilities.json"
    broken.write_text("{not json", encoding="utf-8")
    monkeypatch.setenv("ESCPOS_CAPABILITIES_FILE", str(broken))
    escpos_capabilities.keep_in(tmp_path / "escpos")
    escpos_capabilities.ready()  # no error here: escpos's own import reports such a file
    assert VARIABLE not in os.environ and not list((tmp_path / "escpos").glob("*"))


@pytest.fixture
def fresh(monkeypatch):
    """The module as in a process that has not printed yet; put back afterwards."""
    monkeypatch.setattr(escpos_capabilities, "_ready", False)
    monkeypatch.setattr(escpos_capabilities, "_folder", None)
    monkeypatch.delenv(VARIABLE, raising=False)


def test_without_an_app_escpos_keeps_its_own_way(fresh):
    escpos_capabilities.ready()
    assert VARIABLE not in os.environ


def test_a_folder_that_cannot_be_made_leaves_escpos_its_own_way(fresh, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    escpos_capabilities.keep_in(blocker / "escpos")  # a path under a file: mkdir fails
    escpos_capabilities.ready()                       # no error: printing works as before
    assert VARIABLE not in os.environ


def test_the_app_points_escpos_at_its_instance_folder(fresh, tmp_path, printer):
    app = build_app(tmp_path, f"sqlite:///{tmp_path / 'pos.db'}", printer)  # a new app: its start
    escpos_capabilities.ready()
    folder = Path(app.instance_path) / "cache" / "escpos"
    assert os.environ[VARIABLE] == str(folder)
    assert list(folder.glob("*.capabilities.pickle"))
    get_db(app).engine.dispose()
