"""``pos restore`` over a damaged live database, the case ``pos doctor`` sends the operator to it
for. The replaced file was set aside through SQLite's backup API, which cannot read a damaged
file: the restore failed with SQLite's English ("database disk image is malformed"), named a
``sebelum-pulih`` file that was never made and left its ``.tmp`` behind. Now the damaged file is
set aside as it is (its bytes, with its -wal and -shm), said so, and the backup restored."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pos.backup import restore
from tests.backup.helpers import backups, sell
from tests.backup.test_restore import receipt_no, sales, shop  # noqa: F401 - a fixture

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])  # PostgreSQL has no file to damage


def _taken(runner, tmp_path) -> Path:
    result = runner.invoke(args=["backup", "--to", str(tmp_path / "cadangan")])
    assert result.exit_code == 0, result.output
    return backups(tmp_path / "cadangan")[-1]


def _middle_overwritten(path: Path) -> None:
    size = path.stat().st_size
    with open(path, "r+b") as file:
        file.seek(size // 2 - 32 * 1024)
        file.write(b"\xde\xad\xbe\xef" * (16 * 1024))    # 64 KB in the middle


def _header_destroyed(path: Path) -> None:
    with open(path, "r+b") as file:
        file.write(b"\x00" * 100)


@pytest.mark.parametrize("damage, said", [(_middle_overwritten, "isinya tidak utuh"),
                                          (_header_destroyed, "tidak terbaca sebagai basis data SQLite")])
def test_a_damaged_live_database_is_set_aside_as_it_is_and_the_backup_restored(
        db, shop, runner, tmp_path, damage, said):  # noqa: F811 - the fixture
    sell(db, *shop)
    made = _taken(runner, tmp_path)
    sell(db, *shop)
    live = Path(db.engine.url.database)
    db.engine.dispose()
    damage(live)
    damaged = live.read_bytes()
    result = runner.invoke(args=["restore", "--yes", str(made)])
    assert result.exit_code == 0, result.output
    assert "malformed" not in result.output and "not a database" not in result.output
    [aside] = live.parent.glob(f"pos.db{restore.ASIDE}*")
    assert aside.read_bytes() == damaged                  # kept as it was, to be looked at later
    assert (f"Basis data lama rusak ({said}): disimpan apa adanya di {aside}") in result.output
    assert "Basis data dipulihkan" in result.output
    assert [p.name for p in live.parent.iterdir() if p.name.endswith(".tmp") or ".pulih-" in p.name
            and p != aside] == []
    assert sqlite3.connect(live).execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert sales(db) == 1
    sell(db, *shop)                                      # the restored database sells
    assert sales(db) == 2


def test_a_damaged_live_database_whose_numbers_cannot_be_read_says_to_check_them(
        db, shop, runner, tmp_path):  # noqa: F811 - the fixture
    sell(db, *shop)
    made = _taken(runner, tmp_path)
    sell(db, *shop)
    live = Path(db.engine.url.database)
    db.engine.dispose()
    _header_destroyed(live)
    result = runner.invoke(args=["restore", "--yes", str(made)])
    assert result.exit_code == 0, result.output
    assert "Nomor terakhir basis data lama tidak terbaca" in result.output


def test_a_restore_that_fails_leaves_no_temporary_file_and_names_only_files_that_exist(
        db, shop, runner, tmp_path, monkeypatch):  # noqa: F811 - the fixture
    sell(db, *shop)
    made = _taken(runner, tmp_path)
    live = Path(db.engine.url.database)

    def failing(source, target, self_contained=False):
        if not self_contained:      # the copy aside is made; writing the backup over live fails
            raise sqlite3.OperationalError("disk I/O error")
        return real(source, target, self_contained)

    real = restore._copy
    monkeypatch.setattr(restore, "_copy", failing)
    result = runner.invoke(args=["restore", "--yes", str(made)])
    assert result.exit_code == 1
    assert "disk I/O error" not in result.output and "Pemulihan gagal" in result.output
    assert [p.name for p in live.parent.iterdir() if p.name.endswith(".tmp") or ".pulih-" in p.name
            and restore.ASIDE not in p.name] == []
    for named in (word.rstrip(".") for word in result.output.split() if str(live.parent) in word):
        assert Path(named).exists(), f"{named} named, and not there"
