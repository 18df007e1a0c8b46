"""``pos backup``: an online copy taken while tills sell is consistent and holds every sale
committed before it began; a backup cut off halfway leaves nothing half-written."""
from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from pos.backup import copy, files, record, usb
from pos.backup.errors import BackupError
from pos.clock import utcnow
from tests.backup.helpers import backups, opened, sell, sqlite_only, stock_shop, while_selling

TILLS = 3


@pytest.fixture
def shop(db):
    return stock_shop(db, TILLS)


@sqlite_only
def test_backup_during_concurrent_sales_is_consistent_and_complete(app, db, backend, shop, runner, tmp_path):
    before, result, sold = while_selling(
        db, shop, lambda: runner.invoke(args=["backup", "--to", str(tmp_path / "cadangan")]),
        first=6, then=3)
    assert result.exit_code == 0, result.output
    assert "Cadangan dibuat" in result.output
    [made] = backups(tmp_path / "cadangan")
    conn = opened(made, tmp_path)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    in_backup = {row[0] for row in conn.execute("SELECT id FROM sale")}
    assert set(before) <= in_backup
    # every sale in the copy is whole: its line and its payment are there with it
    broken = conn.execute("""SELECT s.id FROM sale s WHERE s.total != (SELECT coalesce(sum(amount), 0)
                             FROM sale_line l WHERE l.sale_id = s.id)
                             OR s.total != (SELECT coalesce(sum(amount), 0) FROM payment p
                             WHERE p.sale_id = s.id)""").fetchall()
    assert broken == []
    assert len(sold) > len(before)   # sales went on while it ran
    assert record.warning(app.instance_path, record.read(app.instance_path).last_ok) is None


@sqlite_only
def test_backup_cut_off_in_compression_leaves_earlier_backups_and_no_partial_file(
        app, db, backend, shop, monkeypatch, tmp_path):
    sell(db, *shop[0])
    live = Path(db.engine.url.database)
    target = tmp_path / "cadangan"
    first = copy.take(live, target, datetime(2026, 3, 1, 21, 0))
    before = {p.name: p.read_bytes() for p in target.iterdir()}
    sold_before = live.stat().st_size

    def power_cut(source, dest):
        Path(dest).write_bytes(b"\x1f\x8b half a file")
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(files, "compress", power_cut)
    with pytest.raises(BackupError, match="gagal ditulis"):
        copy.take(live, target, datetime(2026, 3, 2, 21, 0))
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before
    assert list(before) == [first.path.name]
    assert live.stat().st_size == sold_before
    sell(db, *shop[0])  # the live database goes on working


@sqlite_only
def test_a_failed_backup_is_recorded_for_the_home_page(app, db, backend, shop, runner, monkeypatch, tmp_path):
    def disk_full(source, dest):
        raise OSError(28, "No space left")

    monkeypatch.setattr(files, "compress", disk_full)
    result = runner.invoke(args=["backup", "--to", str(tmp_path / "cadangan")])
    assert result.exit_code == 1
    assert "Cadangan gagal ditulis" in result.output
    assert backups(tmp_path / "cadangan") == []
    status = record.read(app.instance_path)
    assert status.failed_at is not None and "disk penuh" in status.message   # not C's English


@sqlite_only
def test_a_disk_gone_read_only_is_said_in_indonesian_not_a_traceback(
        app, db, backend, shop, runner, monkeypatch, tmp_path):
    """A flashdisk turned read-only refused the copy and then the clean-up of it; the clean-up's
    OSError came out as a traceback and hid the real reason, which the home page showed as
    "Kesalahan tak terduga: [Errno 30] Read-only file system"."""
    import errno

    def read_only(*_args):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(files, "compress", read_only)
    monkeypatch.setattr(Path, "unlink", lambda self, missing_ok=False: read_only())
    result = runner.invoke(args=["backup", "--to", str(tmp_path / "cadangan")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "Cadangan gagal ditulis" in result.output and "hanya dapat dibaca" in result.output
    assert "Read-only" not in result.output
    assert "hanya dapat dibaca" in record.read(app.instance_path).message


@sqlite_only
def test_a_folder_sqlite_cannot_write_in_is_said_in_indonesian(app, db, backend, shop, monkeypatch, tmp_path):
    import sqlite3

    def refused(_live, _raw):
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(copy, "snapshot", refused)
    with pytest.raises(BackupError) as said:
        copy.take(Path(db.engine.url.database), tmp_path / "cadangan", datetime(2026, 3, 2, 21, 0))
    assert said.value.message.endswith(": berkas tidak dapat dibuat di folder itu.")


@sqlite_only
def test_a_folder_on_a_read_only_disk_is_said_to_be_read_only_before_the_copy(
        app, db, backend, shop, runner, monkeypatch, tmp_path):
    """A --to folder that exists on a read-only disk said "berkas tidak dapat dibuat di folder itu"
    (SQLite's "unable to open"), where a folder still to be made there said the disk is read-only."""
    import types

    folder = tmp_path / "flashdisk"
    folder.mkdir()
    real = os.statvfs
    monkeypatch.setattr(os, "statvfs", lambda path: types.SimpleNamespace(f_flag=os.ST_RDONLY)
                        if Path(path) == folder else real(path))
    monkeypatch.setattr(copy, "snapshot", lambda *_args: pytest.fail("copied to a read-only disk"))
    result = runner.invoke(args=["backup", "--to", str(folder)])
    assert result.exit_code == 1, result.output
    assert result.output == (f"Galat: Cadangan gagal ditulis ke {folder}: disknya hanya dapat dibaca "
                             "(flashdisk terkunci atau dipasang hanya-baca?).\n")
    assert list(folder.iterdir()) == []
    assert "hanya dapat dibaca" in record.read(app.instance_path).message


def test_usb_drive_by_label(tmp_path):
    by_label, mounts = tmp_path / "by-label", tmp_path / "mounts"
    by_label.mkdir()
    device = tmp_path / "sdb1"
    device.write_text("")
    os.symlink(device, by_label / "GERAI")
    mounts.write_text(f"/dev/sda1 / ext4 rw 0 0\n{device} /media/gerai/GERAI\\040USB vfat rw 0 0\n")
    assert usb.mount_point("GERAI", by_label, mounts) == Path("/media/gerai/GERAI USB")
    mounts.write_text("/dev/sda1 / ext4 rw 0 0\n")
    with pytest.raises(BackupError, match="belum terpasang"):
        usb.mount_point("GERAI", by_label, mounts)
    with pytest.raises(BackupError, match="Flashdisk berlabel LAIN tidak ditemukan"):
        usb.mount_point("LAIN", by_label, mounts)


@sqlite_only
def test_backup_to_a_missing_usb_drive_says_so_and_is_a_failed_backup(app, backend, runner, tmp_path):
    """The drive a backup was meant for is not there: a backup that did not happen, recorded
    (the timer's, or a script's, would otherwise fail unseen)."""
    result = runner.invoke(args=["backup", "--usb-label", "TIDAK-ADA-LABEL-INI"])
    assert result.exit_code == 1
    assert "Flashdisk berlabel TIDAK-ADA-LABEL-INI tidak ditemukan" in result.output
    assert "Pencadangan terakhir gagal: Flashdisk berlabel TIDAK-ADA-LABEL-INI" in record.warning(
        app.instance_path, utcnow())


@sqlite_only
def test_a_folder_whose_parent_is_missing_is_refused_and_never_made(app, db, backend, shop, runner, tmp_path):
    """A mistyped or unmounted target (/media/usb-salah/gerai) was made on the internal disk and
    the backup said "Cadangan dibuat" there."""
    missing = tmp_path / "tidak-ada" / "gerai"
    result = runner.invoke(args=["backup", "--to", str(missing)])
    assert result.exit_code == 1 and f"Folder {missing.parent} tidak ada" in result.output
    assert "--usb-label" in result.output and not missing.parent.exists()


@sqlite_only
def test_typing_mistakes_are_refused_without_being_recorded_as_a_failed_backup(
        app, db, backend, shop, runner, tmp_path):
    """"Galat: Pilih salah satu…" after a good backup made pos doctor and /healthz say
    "Pencadangan terakhir gagal: Pilih salah satu: --to atau --usb-label."."""
    sell(db, *shop[0])
    good = runner.invoke(args=["backup", "--to", str(tmp_path / "cadangan")])
    assert good.exit_code == 0, good.output
    before = record.read(app.instance_path)
    mistakes = {("--to", str(tmp_path / "cadangan"), "--usb-label", "X"):
                "Galat: Pilih salah satu: --to atau --usb-label. Tidak ada cadangan yang dibuat.",
                ("--to", str(tmp_path / "cadangn" / "gerai")):
                f"Galat: Folder {tmp_path / 'cadangn'} tidak ada",
                ("--usb-label", "sdb1/GERAI"): "Galat: Label flashdisk tidak sah: 'sdb1/GERAI'.",
                ("--usb-label", ""): "Galat: Label flashdisk tidak sah: ''."}
    for args, said in mistakes.items():
        result = runner.invoke(args=["backup", *args])
        assert result.exit_code == 1 and said in result.output, (args, result.output)
        assert result.output.count("\n") == 1
        assert record.read(app.instance_path) == before, args      # still the good backup
    assert len(backups(tmp_path / "cadangan")) == 1 and not (tmp_path / "cadangn").exists()
    assert record.warning(app.instance_path, utcnow()) is None
    assert "kurang dari 1 menit yang lalu" in runner.invoke(args=["doctor"]).output


def test_how_long_ago_a_backup_was_made_is_said_in_minutes_under_an_hour():
    now = datetime(2026, 3, 2, 12, 0)
    said = [record.ago(now, now - delta) for delta in (
        timedelta(seconds=20), timedelta(minutes=7, seconds=59), timedelta(minutes=59),
        timedelta(hours=1), timedelta(hours=23, minutes=59), timedelta(days=2, hours=3),
        timedelta(seconds=-30))]                  # a clock set back: not "-1 menit"
    assert said == ["kurang dari 1 menit yang lalu", "7 menit yang lalu", "59 menit yang lalu",
                    "1 jam yang lalu", "23 jam yang lalu", "2 hari 3 jam yang lalu",
                    "kurang dari 1 menit yang lalu"]


def _read_only(*_args, **_kwargs):
    import errno
    raise OSError(errno.EROFS, "Read-only file system")


@sqlite_only
def test_a_status_that_cannot_be_recorded_leaves_the_backup_made_and_says_why(
        app, db, backend, shop, runner, monkeypatch, tmp_path):
    """The instance folder read-only: the backup was written and good, then recording its status
    crashed with a 40-line traceback ("OSError: [Errno 30] … backup-status.json.tmp")."""
    sell(db, *shop[0])
    monkeypatch.setattr(record, "open", _read_only, raising=False)   # the status file's writes only
    result = runner.invoke(args=["backup", "--to", str(tmp_path / "cadangan")])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and "Errno" not in result.output
    [made] = backups(tmp_path / "cadangan")
    assert f"Cadangan dibuat: {made} (" in result.output
    status_file = Path(app.instance_path) / record.FILE_NAME
    assert (f"Catatan: Hasil pencadangan ini tidak dapat dicatat di {status_file}: disknya hanya dapat "
            "dibaca") in result.output
    assert result.output.strip().splitlines()[-1].endswith("beranda dan pos doctor belum mengetahuinya.")
    assert opened(made, tmp_path).execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert record.read(app.instance_path).last_ok is None and not status_file.exists()


@sqlite_only
def test_a_failure_that_cannot_be_recorded_either_is_one_message(app, db, backend, shop, runner,
                                                                   monkeypatch, tmp_path):
    def disk_full(source, dest):
        raise OSError(28, "No space left")

    monkeypatch.setattr(files, "compress", disk_full)
    temp = Path(app.instance_path) / (record.FILE_NAME + files.TEMP_SUFFIX)
    temp.mkdir(parents=True)             # the status cannot be written: a folder holds its name
    result = runner.invoke(args=["backup", "--to", str(tmp_path / "cadangan")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.startswith("Galat: Cadangan gagal ditulis ke ") and result.output.count("\n") == 1
    assert "disk penuh." in result.output and "tidak dapat dicatat" in result.output
    assert record.read(app.instance_path).failed_at is None


@sqlite_only
def test_cadangkan_sekarang_says_when_its_status_cannot_be_recorded(app, db, backend, shop, monkeypatch):
    from tests.factories import login, make_user

    with db.transaction() as s:
        manager = make_user(s, "manajer1", "manager").id
    client = app.test_client()
    login(client, manager)
    monkeypatch.setattr(record, "open", _read_only, raising=False)
    assert client.post("/cadangan").status_code == 303
    page = client.get("/perangkat").get_data(as_text=True)
    assert "Cadangan dibuat: gerai-" in page and "tidak dapat dicatat" in page
    assert len(list((Path(app.instance_path) / "backup").iterdir())) == 1
