"""``pos restore`` on PostgreSQL: a round trip with the replaced database kept aside under a new
name, and a damaged file or one from a newer schema refused with nothing changed."""
from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.pool import NullPool

from pos.backup import pg
from pos.sales.models import Sale
from tests.backup.helpers import sell

pytestmark = pytest.mark.postgres


def sales(db) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(Sale))


def beside(db) -> list[str]:
    """The databases a restore made beside the live one (kept aside, or half-made)."""
    live = db.engine.url.database
    with db.engine.connect() as conn:
        return conn.execute(text("SELECT datname FROM pg_database WHERE starts_with(datname, :n) "
                                 "AND datname <> :n ORDER BY datname"), {"n": live}).scalars().all()


def take(runner, tmp_path) -> Path:
    result = runner.invoke(args=["backup", "--to", str(tmp_path / "cadangan")])
    assert result.exit_code == 0, result.output
    return sorted((tmp_path / "cadangan").glob("gerai-*.pgdump"))[-1]


def test_pg_restore_round_trip_keeps_the_replaced_database_aside(pg_db, pg_shop, pg_runner, tmp_path):
    sell(pg_db, *pg_shop[0])
    sell(pg_db, *pg_shop[1])
    made = take(pg_runner, tmp_path)
    sell(pg_db, *pg_shop[0])                 # after the backup: gone after the restore
    assert sales(pg_db) == 3
    result = pg_runner.invoke(args=["restore", str(made)], input="tidak\n")
    assert result.exit_code == 1 and "Dibatalkan" in result.output
    assert sales(pg_db) == 3 and beside(pg_db) == []
    with pg_db.engine.connect() as conn:     # the database's own settings stay with its name
        conn.execute(text(f'ALTER DATABASE "{pg_db.engine.url.database}" SET work_mem TO \'5MB\''))
        conn.commit()
    result = pg_runner.invoke(args=["restore", "--yes", str(made)])
    assert result.exit_code == 0, result.output
    with pg_db.engine.connect() as conn:
        assert conn.execute(text("SHOW work_mem")).scalar() == "5MB"
    assert "2 penjualan" in result.output and "Basis data dipulihkan" in result.output
    assert "pos db upgrade" not in result.output          # the dump is at the head revision
    assert sales(pg_db) == 2
    [aside] = beside(pg_db)
    assert aside.startswith(pg_db.engine.url.database + "_sebelum_") and aside in result.output
    kept = create_engine(pg_db.engine.url.set(database=aside), poolclass=NullPool)
    with kept.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM sale")).scalar() == 3
    kept.dispose()
    assert ("Nomor nota penjualan TST01: nomor terakhir di cadangan 2, dilanjutkan dari 3 "
            "(1 nomor sesudah cadangan ini tidak ada di dalamnya).") in result.output
    sold = sell(pg_db, *pg_shop[1])          # the restored database sells, its ids go on
    assert sales(pg_db) == 3
    with pg_db.reading() as s:               # the third receipt, printed before, is not reissued
        assert s.get(Sale, sold).receipt_no == "TST01-0000004"


def refused(runner, db, path: Path, message: str) -> None:
    before = sales(db)
    result = runner.invoke(args=["restore", "--yes", str(path)])
    assert result.exit_code == 1, result.output
    assert message in result.output and "Tidak ada yang diubah" in result.output
    assert sales(db) == before
    assert beside(db) == []


def test_a_damaged_dump_is_refused(pg_db, pg_shop, pg_runner, tmp_path, monkeypatch):
    # pg_restore fails, crashes or (on some damage) spins: each is refused, a spin after 10 s
    monkeypatch.setattr(pg, "READ_MIN_SECONDS", 10)
    sell(pg_db, *pg_shop[0])
    made = take(pg_runner, tmp_path)
    whole = made.read_bytes()
    cut = tmp_path / "terpotong.pgdump"
    cut.write_bytes(whole[:len(whole) // 2])            # a file cut off halfway
    refused(pg_runner, pg_db, cut, "Berkas cadangan rusak")
    damaged = bytearray(whole)
    end = len(damaged) - 64
    damaged[end - 2048:end] = b"\xff" * 2048            # data blocks overwritten; the TOC whole
    (tmp_path / "rusak.pgdump").write_bytes(bytes(damaged))
    refused(pg_runner, pg_db, tmp_path / "rusak.pgdump", "Berkas cadangan rusak (Memeriksa isi")
    (tmp_path / "catatan.pgdump").write_text("bukan cadangan\n")
    refused(pg_runner, pg_db, tmp_path / "catatan.pgdump", "bukan cadangan pg_dump")
    refused(pg_runner, pg_db, tmp_path / "tidak-ada.pgdump", "tidak ditemukan")
    (tmp_path / "kosong.pgdump").write_bytes(b"")       # 0 bytes: a copy that never got written
    refused(pg_runner, pg_db, tmp_path / "kosong.pgdump",
            "Berkas cadangan kosong.pgdump kosong (0 bita): salinan atau unduhan yang tidak lengkap.")


def test_a_read_back_that_never_ends_is_stopped_and_refused(pg_db, pg_shop, pg_runner, tmp_path,
                                                           monkeypatch):
    sell(pg_db, *pg_shop[0])
    made = take(pg_runner, tmp_path)
    marker = f"{uuid.uuid4().int % 10**6}.5"            # this test's own sleeping stand-in
    spinning = tmp_path / "pg_restore"                  # lists the archive, then never ends
    spinning.write_text(f'#!/bin/sh\ncase "$*" in *--list*) exec {pg.program(pg.PG_RESTORE)} "$@";; '
                        f'esac\nexec sleep {marker}\n')
    spinning.chmod(0o755)
    monkeypatch.setattr(pg, "PG_RESTORE", str(spinning))
    monkeypatch.setattr(pg, "READ_MIN_SECONDS", 1)
    refused(pg_runner, pg_db, made, "Berkas cadangan rusak (Memeriksa isi cadangan gagal: "
                                    "pg_restore tidak selesai dalam 1 detik dan dihentikan.)")
    assert subprocess.run(["pgrep", "-f", f"sleep {marker}"], check=False).returncode == 1


def test_a_dump_from_a_newer_schema_is_refused(pg_db, pg_shop, pg_runner, tmp_path):
    sell(pg_db, *pg_shop[0])
    with pg_db.engine.begin() as conn:
        head = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    made = take(pg_runner, tmp_path)
    with pg_db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": head})
    sell(pg_db, *pg_shop[0])
    refused(pg_runner, pg_db, made, "versi aplikasi yang lebih baru (skema 9999)")


def test_pg_restore_raises_the_sequences_of_numbers_that_are_ids(pg_db, pg_shop, pg_runner, tmp_path):
    """A restored dump sets each sequence back to the backup's moment: the next shift took the id
    (the X/Z number) of one closed on paper after the backup, as the next goods receipt its GR."""
    from pos.inventory.receiving import receipts
    from tests.backup.test_restore import shift_after

    made = take(pg_runner, tmp_path)
    printed = shift_after(pg_db, *pg_shop[0])
    with pg_db.transaction() as s:
        supplier = receipts.create_supplier(s, "Bulog", "bulog")
        received = receipts.create_draft(s, supplier, "SJ-1", pg_shop[0][1])
    result = pg_runner.invoke(args=["restore", "--yes", str(made)])
    assert result.exit_code == 0, result.output
    assert f"Nomor laporan shift (X/Z): nomor terakhir di cadangan {printed - 1}, dilanjutkan " \
           f"dari {printed}" in result.output
    assert f"Nomor penerimaan barang (GR): nomor terakhir di cadangan 0, dilanjutkan dari {received}" \
        in result.output
    assert shift_after(pg_db, *pg_shop[0]) == printed + 1
    with pg_db.transaction() as s:
        supplier = receipts.create_supplier(s, "Bulog", "bulog")
        assert receipts.create_draft(s, supplier, "SJ-2", pg_shop[0][1]) == received + 1
