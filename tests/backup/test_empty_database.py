"""``pos backup`` of a database that holds no Gerai POS yet (a new instance folder, ``pos init``
never run, an empty file): refused in one line, recorded as a failed backup for ``pos doctor``
and the home page, the folder's good backups never rotated away, and no empty database made.
The tester's: "Cadangan dibuat ... (0 KB, penjualan terakhir id -)", "Cadangan lama dihapus: 1"."""
from __future__ import annotations

import time
from datetime import datetime

import pytest
from sqlalchemy import create_engine

from pos.backup import pg_dump, record, run
from pos.backup.errors import BackupError
from pos.clock import to_local, utcnow
from pos.db import get_db
from tests.conftest import build_app, throwaway_pg


def _folder_with_todays_backup(tmp_path):
    """A backup folder holding this morning's good backup, which a second backup of the same
    day would rotate away (the newest of a day is kept)."""
    folder = tmp_path / "cadangan"
    folder.mkdir()
    morning = to_local(utcnow(), "Asia/Makassar").replace(hour=0, minute=0, second=1, tzinfo=None)
    good = folder / f"gerai-{morning:%Y%m%d-%H%M%S}.db.gz"
    good.write_bytes(b"\x1f\x8b a good backup")
    return folder, good


@pytest.mark.parametrize("left", ["nothing", "an empty file"])
def test_backup_of_a_database_never_initialised_is_refused_and_rotates_nothing(tmp_path, printer, left):
    instance = tmp_path / "baru"
    live = instance / "pos.db"
    if left == "an empty file":
        instance.mkdir()
        live.write_bytes(b"")
    app = build_app(tmp_path, f"sqlite:///{live}", printer, INSTANCE_PATH=str(instance),
                    SQLITE_BACKGROUND_CHECKPOINT=True)   # as the command line's app
    folder, good = _folder_with_todays_backup(tmp_path)
    try:
        result = app.test_cli_runner().invoke(args=["backup", "--to", str(folder)])
        time.sleep(0.6)   # a round of the background checkpointer, which made the empty file
    finally:
        get_db(app).engine.dispose()
    assert result.exit_code == 1, result.output
    assert result.output.startswith("Galat: Basis data ") and result.output.count("\n") == 1
    assert "belum disiapkan: jalankan pos init" in result.output
    assert "Cadangan dibuat" not in result.output and "Cadangan lama dihapus" not in result.output
    assert sorted(folder.iterdir()) == [good]                    # the good backup is still there
    status = record.read(instance)
    assert status.failed_at is not None and "pos init" in status.message   # pos doctor says so
    assert live.exists() is (left == "an empty file")           # no empty database made
    if left == "an empty file":
        assert live.read_bytes() == b""


@pytest.mark.parametrize("backend", ["sqlite"])
def test_cadangkan_sekarang_shares_the_refusal(tmp_path, printer, backend):
    """The Perangkat button runs ``run.take`` as the command does: the same refusal, recorded."""
    live = tmp_path / "kosong.db"
    engine = create_engine(f"sqlite:///{live}")
    with engine.connect() as conn:   # a SQLite file, but no Gerai POS in it
        conn.exec_driver_sql("CREATE TABLE catatan (x)")
        conn.commit()
    folder, good = _folder_with_todays_backup(tmp_path)
    with pytest.raises(BackupError, match="bukan basis data Gerai POS"):
        run.take(engine, tmp_path, folder, now=utcnow(), zone="Asia/Makassar")
    engine.dispose()
    assert sorted(folder.iterdir()) == [good]
    assert "bukan basis data Gerai POS" in record.read(tmp_path).message


@pytest.mark.postgres
def test_pg_backup_of_a_database_without_the_schema_is_refused(tmp_path):
    with throwaway_pg("gerai_kosong") as url:
        engine = create_engine(url)
        try:
            with pytest.raises(BackupError, match=r"^Basis data .* belum disiapkan: jalankan pos init\."):
                pg_dump.take(engine, tmp_path / "cadangan", datetime(2026, 3, 1, 21, 0))
        finally:
            engine.dispose()
    assert not (tmp_path / "cadangan").exists()
