"""``pos restore`` of another outlet's backup: its receipt numbers name its outlet, and one that is
not this outlet's (``POS_OUTLET_CODE``, or a code the replaced database sold under) is refused
with both codes named, unless ``--gerai-lain``. The tester's: ``POS_OUTLET_CODE=KDMP-B01 pos
init``, then ``pos restore --yes`` of a GERAI01 backup replaced the outlet's data without a word."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from pos.backup import outlet
from pos.db import get_db
from pos.sales import numbering
from pos.sales.models import Sale
from tests.backup.helpers import backups, sell, sqlite_only, stock_shop
from tests.conftest import build_app

REFUSED = ("Cadangan ini milik gerai TST01, bukan KDMP-B01 (POS_OUTLET_CODE gerai ini): memulihkannya "
           "mengganti penjualan, anggota dan stok gerai ini dengan milik gerai TST01. Bila memang itu "
           "maksudnya (mis. kode gerai ini baru diganti), ulangi dengan --gerai-lain. Tidak ada yang diubah.")


def sales(db) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(Sale))


def take(runner, folder: Path) -> Path:
    result = runner.invoke(args=["backup", "--to", str(folder)])
    assert result.exit_code == 0, result.output
    return backups(folder)[-1] if backups(folder) else sorted(folder.glob("gerai-*.pgdump"))[-1]


@pytest.fixture
def other_outlet(tmp_path, printer, sqlite_template):
    """A second outlet, KDMP-B01, set up (its receipt counter made, as ``pos init`` does) and not
    selling yet."""
    instance = tmp_path / "kdmp"
    instance.mkdir()
    shutil.copyfile(sqlite_template, instance / "pos.db")
    app = build_app(tmp_path, f"sqlite:///{instance / 'pos.db'}", printer, OUTLET_CODE="KDMP-B01",
                    INSTANCE_PATH=str(instance))
    with get_db(app).transaction() as s:     # as pos init leaves it: its counter, at 0
        assert numbering.ensure_sequence(s, "KDMP-B01")
    yield app
    get_db(app).engine.dispose()


@sqlite_only
def test_another_outlets_backup_is_refused_unless_asked_for(db, backend, runner, other_outlet, tmp_path):
    shop = stock_shop(db, 1)
    sell(db, *shop[0])
    sell(db, *shop[0])
    made = take(runner, tmp_path / "cadangan")
    theirs = other_outlet.test_cli_runner()
    live = Path(get_db(other_outlet).engine.url.database)
    result = theirs.invoke(args=["restore", "--yes", str(made)])
    assert result.exit_code == 1
    assert f"Cadangan {made.name}: gerai TST01, 2 penjualan, skema" in result.output
    assert f"Galat: {REFUSED}" in result.output
    assert sales(get_db(other_outlet)) == 0
    assert list(live.parent.glob("pos.db.sebelum-pulih-*")) == [] and list(live.parent.glob(".pulih-*")) == []
    result = theirs.invoke(args=["restore", str(made), "--gerai-lain"], input="t\n")   # still asked
    assert result.exit_code == 1 and "Dibatalkan" in result.output and sales(get_db(other_outlet)) == 0
    # what will happen, before the question; never "dipulihkan" as done before anything was
    before, asked = result.output.split("Ganti basis data ")
    assert before.endswith("Cadangan gerai TST01 akan dipulihkan di gerai KDMP-B01 (--gerai-lain).\n")
    assert "TST01 dipulihkan" not in result.output and "dipulihkan" not in asked
    result = theirs.invoke(args=["restore", "--yes", "--gerai-lain", str(made)])
    assert result.exit_code == 0, result.output
    assert ("Cadangan gerai TST01 akan dipulihkan di gerai KDMP-B01 (--gerai-lain).\n"
            "Basis data dipulihkan: cadangan gerai TST01 kini basis data gerai KDMP-B01.") in result.output
    assert sales(get_db(other_outlet)) == 2


@sqlite_only
def test_a_backup_that_sold_nothing_tells_no_outlet_and_is_restored(db, backend, runner, other_outlet,
                                                                   tmp_path):
    stock_shop(db, 1)
    made = take(runner, tmp_path / "cadangan")
    result = other_outlet.test_cli_runner().invoke(args=["restore", "--yes", str(made)])
    assert result.exit_code == 0, result.output
    assert f"Cadangan {made.name}: gerai -, 0 penjualan" in result.output
    assert "Basis data dipulihkan" in result.output


@sqlite_only
def test_the_outlets_own_backup_from_before_its_code_was_changed_is_restored(app, db, backend, runner,
                                                                            tmp_path):
    """An update that changed POS_OUTLET_CODE and failed restores its own backup: the database it
    replaces sold under the old code, so the old code is this outlet's too."""
    shop = stock_shop(db, 1)
    sell(db, *shop[0])
    made = take(runner, tmp_path / "cadangan")
    app.config["OUTLET_CODE"] = "KDMP-B01"
    result = runner.invoke(args=["restore", "--yes", str(made)])
    assert result.exit_code == 0, result.output
    assert "gerai TST01, 1 penjualan" in result.output and "--gerai-lain" not in result.output


def test_whose_backup_it_is():
    assert outlet.numbered({"TST01": 7, "KDMP-B01": 0, "LAMA": None}) == {"TST01"}
    assert outlet.numbered(None) == set()
    assert outlet.stranger(["GERAI01"], "KDMP-B01").startswith(
        "Cadangan ini milik gerai GERAI01, bukan KDMP-B01 (POS_OUTLET_CODE gerai ini)")
    assert outlet.stranger(["GERAI01", "GERAI02"], "KDMP-B01").startswith(
        "Cadangan ini milik gerai GERAI01, GERAI02, bukan KDMP-B01")
    assert outlet.stranger([], "KDMP-B01") is None                      # nothing sold: nothing to tell
    assert outlet.stranger(["KDMP-B01", "GERAI01"], "KDMP-B01") is None  # sold under both codes
    assert outlet.stranger(["GERAI01"], "KDMP-B01", {"GERAI01"}) is None  # the code before the change


@pytest.mark.postgres
def test_another_outlets_pgdump_is_refused_unless_asked_for(pg_app, pg_db, pg_shop, pg_runner, tmp_path):
    sell(pg_db, *pg_shop[0])
    made = take(pg_runner, tmp_path / "cadangan")
    with pg_db.engine.begin() as conn:         # the live database becomes KDMP-B01's
        conn.execute(text("UPDATE receipt_sequence SET outlet_code = 'KDMP-B01'"))
    pg_app.config["OUTLET_CODE"] = "KDMP-B01"
    result = pg_runner.invoke(args=["restore", "--yes", str(made)])
    assert result.exit_code == 1, result.output
    assert f"Cadangan {made.name}: gerai TST01, 1 penjualan" in result.output
    assert f"Galat: {REFUSED}" in result.output
    with pg_db.engine.connect() as conn:
        assert conn.execute(text("SELECT outlet_code FROM receipt_sequence")).scalars().all() == ["KDMP-B01"]
    result = pg_runner.invoke(args=["restore", "--yes", "--gerai-lain", str(made)])
    assert result.exit_code == 0, result.output
    with pg_db.engine.connect() as conn:       # TST01's numbers back, KDMP-B01's carried on
        assert sorted(conn.execute(text("SELECT outlet_code FROM receipt_sequence")).scalars()) == [
            "KDMP-B01", "TST01"]
