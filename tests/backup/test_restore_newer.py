"""After ``pos restore`` of an older backup, the backups newer than it hold sales the restored
database lacks: they are set aside (``sebelum-pulih-…/``), where the rotation of the next backup
never removes them. The tester's: backup 220052 (sales up to 283), restore of an older one
(281), then ``pos backup`` 220056: "Cadangan lama dihapus: 1", and 220052 was gone."""
from __future__ import annotations

import os
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from pos.backup import cli, copy, newer, pg, pg_dump, usb
from tests.backup.helpers import opened, sell, sqlite_only, stock_shop

EVENING = datetime(2026, 3, 1, 14, 0, 49)   # UTC; the outlet's local time names the files


@pytest.fixture
def clock(monkeypatch):
    """Sets the moment ``pos backup`` and ``pos restore`` see."""
    def at(seconds: int) -> None:
        monkeypatch.setattr(cli, "utcnow", lambda: EVENING + timedelta(seconds=seconds))
    return at


def backed_up(runner, folder: Path) -> tuple[Path, str]:
    result = runner.invoke(args=["backup", "--to", str(folder)])
    assert result.exit_code == 0, result.output
    made = Path(re.search(r"Cadangan dibuat: (\S+) ", result.output).group(1))
    return made, result.output


def the_tester_s_steps(runner, clock, sell_two, folder: Path, sales_in) -> None:
    sell_two()
    clock(-86_400)
    older, _ = backed_up(runner, folder)          # yesterday's: sales 1-2
    sell_two()
    clock(3)
    newest, _ = backed_up(runner, folder)         # today's: sales 1-4, the only backup of 3 and 4
    clock(5)
    result = runner.invoke(args=["restore", "--yes", str(older)])
    assert result.exit_code == 0, result.output
    aside = next(folder.glob(f"{newer.FOLDER}*")) / newest.name
    assert f"Disisihkan ke {aside.parent}: 1 cadangan yang lebih baru" in result.output
    assert newest.name in result.output and not newest.exists() and older.exists()
    clock(7)
    made, said = backed_up(runner, folder)        # today's newest: today's earlier one was removed
    assert "Cadangan lama dihapus" not in said and older.exists() and made.exists()
    assert sales_in(aside) == [1, 2, 3, 4]        # sales 3 and 4 are still in a backup
    assert sales_in(made) == [1, 2]
    result = runner.invoke(args=["restore", "--yes", str(aside)])   # and it restores from there
    assert result.exit_code == 0, result.output
    assert f"Disisihkan ke {folder}" in result.output     # the backup made since, 1-2 only
    assert not made.exists() and made.name in result.output


@sqlite_only
def test_a_backup_newer_than_the_restored_one_is_never_rotated_away(db, backend, runner, clock, tmp_path):
    shop = stock_shop(db, 1)

    def sales_in(path: Path) -> list[int]:
        return [row[0] for row in opened(path, tmp_path).execute("SELECT id FROM sale ORDER BY id")]

    def sell_two() -> None:
        sell(db, *shop[0])
        sell(db, *shop[0])

    the_tester_s_steps(runner, clock, sell_two, tmp_path / "cadangan", sales_in)


@pytest.mark.postgres
def test_a_pgdump_newer_than_the_restored_one_is_never_rotated_away(pg_db, pg_shop, pg_runner, clock,
                                                                   tmp_path):
    def sales_in(path: Path) -> list[int]:
        target = pg.Target.from_url(pg_db.engine.url)
        return sorted(int(value) for value in pg.rows(path, "sale", "id", target))

    def sell_two() -> None:
        sell(pg_db, *pg_shop[0])
        sell(pg_db, *pg_shop[1])

    the_tester_s_steps(pg_runner, clock, sell_two, tmp_path / "cadangan", sales_in)
    assert all(path.suffix == pg_dump.SUFFIX for path in (tmp_path / "cadangan").rglob("gerai-*"))


def test_newer_by_name_else_by_the_newest_sale_else_all(tmp_path):
    folder = tmp_path / "cadangan"
    folder.mkdir()
    moments = [datetime(2026, 3, 1, 21, 0), datetime(2026, 3, 1, 22, 0), datetime(2026, 3, 2, 21, 0)]
    made = [folder / copy.name_for(moments[0]), folder / copy.name_for(moments[1], pg_dump.SUFFIX),
            folder / copy.name_for(moments[2])]
    for path in made:
        path.write_bytes(b"x")
    (folder / "catatan.txt").write_text("bukan cadangan")
    zone = "Asia/Makassar"
    assert newer.since(made[0], None, zone) == moments[0]
    renamed = tmp_path / "cadangan-lama.db.gz"    # a copy under another name: its newest sale says
    assert newer.since(renamed, datetime(2026, 3, 1, 13, 30), zone) == datetime(2026, 3, 1, 21, 30)
    assert newer.since(renamed, None, zone) is None
    assert newer.compared(made[0], None) == newer.BY_NAME         # and the line says which it was
    assert newer.compared(renamed, datetime(2026, 3, 1, 13, 30)) == newer.BY_SALE
    assert newer.compared(renamed, None) == newer.UNTOLD
    assert newer.newer(folder, moments[0], made[0]) == made[1:]         # both kinds
    assert newer.newer(folder, datetime(2026, 3, 1, 21, 30), renamed) == made[1:]
    assert newer.newer(folder, None, made[0]) == made[1:]               # all, but the one restored
    moved, stuck = newer.set_aside([folder, folder, folder / "tidak-ada"], moments[0], made[0],
                                   datetime(2026, 3, 3, 8, 0))
    assert stuck == [] and [(m.folder.name, m.names) for m in moved] == [
        ("sebelum-pulih-20260303-080000", [made[1].name, made[2].name])]
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [made[0].name, "catatan.txt", "sebelum-pulih-20260303-080000"])
    assert newer.folders(made[0], tmp_path / "instance") == [folder, tmp_path / "instance" / "backup"]
    assert newer.folders(moved[0].folder / made[1].name, "i", [Path("/media/u")]) == [
        folder, Path("i/backup"), Path("/media/u")]          # restored from a set-aside folder
    # a folder already set aside is left as it is
    assert newer.set_aside([moved[0].folder], None, made[0], datetime(2026, 3, 4)) == ([], [])


def test_a_backup_that_cannot_be_moved_is_named_with_what_to_do(tmp_path, monkeypatch):
    import errno
    folder = tmp_path / "cadangan"
    folder.mkdir()
    later = folder / copy.name_for(datetime(2026, 3, 2, 21, 0))
    later.write_bytes(b"x")

    def read_only(*_args):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(os, "replace", read_only)
    moved, [stuck] = newer.set_aside([folder], datetime(2026, 3, 1), tmp_path / "lama.db.gz",
                                     datetime(2026, 3, 3))
    assert moved == [] and later.exists()
    assert str(stuck).startswith(f"Cadangan {later} lebih baru daripada cadangan ini tetapi tidak dapat "
                                 "disisihkan (disknya hanya dapat dibaca")
    assert "pindahkan sendiri ke folder lain" in str(stuck)


def test_the_backup_folders_of_mounted_drives_are_found(tmp_path):
    drive = tmp_path / "media" / "GERAI USB"
    (drive / usb.FOLDER).mkdir(parents=True)
    (tmp_path / "media" / "lain" / usb.FOLDER).mkdir(parents=True)   # not mounted
    mounts = tmp_path / "mounts"
    mounts.write_text(f"/dev/sda1 / ext4 rw 0 0\n/dev/sdb1 {str(drive).replace(' ', chr(92) + '040')} "
                      f"vfat rw 0 0\n/dev/sdc1 {tmp_path / 'lain'} vfat rw 0 0\n")
    (tmp_path / "lain" / usb.FOLDER).mkdir(parents=True)     # mounted, but not where drives are
    assert usb.mounted_folders(mounts, (str(tmp_path / "media"),)) == [drive / usb.FOLDER]
    assert usb.mounted_folders(mounts) == []                 # none under /media, /run/media, /mnt
    assert usb.mounted_folders(tmp_path / "tidak-ada", (str(tmp_path),)) == []
