"""``pos restore``: a round trip, the replaced database kept aside, and a corrupt file or one
from a newer schema refused with nothing changed."""
from __future__ import annotations

import gzip
import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pos.sales.models import Sale
from tests.backup.helpers import backups, opened, sell
from tests.factories import make_product, make_till, make_user, open_shift

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])  # PostgreSQL: test_pg_restore.py


@pytest.fixture
def shop(db):
    with db.transaction() as s:
        till = make_till(s)
        user = make_user(s)
        open_shift(s, till.id, user.id)
        make_product(s, name="Indomie Goreng", price=3_500, on_hand=1_000, barcodes_=["8998866200301"])
    return till.id, user.id


def sales(db) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(Sale))


def take(runner, tmp_path) -> Path:
    result = runner.invoke(args=["backup", "--to", str(tmp_path / "cadangan")])
    assert result.exit_code == 0, result.output
    return backups(tmp_path / "cadangan")[-1]


def test_restore_round_trip_keeps_the_replaced_database_aside(app, db, shop, runner, tmp_path):
    sell(db, *shop)
    sell(db, *shop)
    made = take(runner, tmp_path)
    sell(db, *shop)                      # after the backup: gone after the restore
    assert sales(db) == 3
    result = runner.invoke(args=["restore", str(made)], input="tidak\n")
    assert result.exit_code == 1 and "Dibatalkan" in result.output
    assert sales(db) == 3
    result = runner.invoke(args=["restore", "--yes", str(made)])
    assert result.exit_code == 0, result.output
    assert "2 penjualan" in result.output and "Basis data dipulihkan" in result.output
    assert sales(db) == 2
    live = Path(db.engine.url.database)
    [aside] = live.parent.glob("pos.db.sebelum-pulih-*")
    kept = sqlite3.connect(aside)
    assert kept.execute("SELECT count(*) FROM sale").fetchone() == (3,)
    assert kept.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert list(live.parent.glob(".pulih-*")) == []   # no temporary file left
    sell(db, *shop)                      # the restored database sells
    assert sales(db) == 3


def test_the_question_is_asked_in_indonesian_and_tidak_restores_nothing(db, shop, runner, tmp_path):
    sell(db, *shop)
    made = take(runner, tmp_path)
    sell(db, *shop)
    live = Path(db.engine.url.database)
    for answer in ("tidak\n", "t\n", "\n", ""):   # Enter is tidak, and so is the end of the input
        result = runner.invoke(args=["restore", str(made)], input=answer)
        assert result.exit_code == 1, result.output
        assert "dengan cadangan ini? Hentikan dulu aplikasi kasir. [y/T]: " in result.output
        assert "[y/N]" not in result.output and "Dibatalkan. Tidak ada yang diubah." in result.output
        assert sales(db) == 2 and list(live.parent.glob("pos.db.sebelum-pulih-*")) == []
    result = runner.invoke(args=["restore", str(made)], input="mungkin\nya\n")
    assert result.exit_code == 0, result.output
    assert result.output.count("[y/T]: ") == 2 and "Jawab y (ya) atau t (tidak)." in result.output
    assert "Basis data dipulihkan" in result.output and sales(db) == 1
    sell(db, *shop)
    result = runner.invoke(args=["restore", str(made)], input="y\n")
    assert result.exit_code == 0 and sales(db) == 1


def refused(runner, db, path: Path, message: str) -> None:
    before = sales(db)
    result = runner.invoke(args=["restore", "--yes", str(path)])
    assert result.exit_code == 1 and not isinstance(result.exception, Exception)   # no traceback
    assert message in result.output and "Tidak ada yang diubah" in result.output
    assert sales(db) == before
    live = Path(db.engine.url.database)
    assert list(live.parent.glob("pos.db.sebelum-pulih-*")) == []
    assert list(live.parent.glob(".pulih-*")) == []


def test_a_corrupt_backup_is_refused(app, db, shop, runner, tmp_path):
    sell(db, *shop)
    made = take(runner, tmp_path)
    plain = bytearray(gzip.decompress(made.read_bytes()))
    plain[4096 * 2:4096 * 4] = b"\xff" * (4096 * 2)   # pages of the database overwritten
    damaged = tmp_path / "rusak.db.gz"
    damaged.write_bytes(gzip.compress(bytes(plain)))
    refused(runner, db, damaged, "rusak")
    cut = tmp_path / "terpotong.db.gz"
    cut.write_bytes(made.read_bytes()[:200])           # a file cut off halfway: said in Indonesian
    refused(runner, db, cut, "tidak dapat dibaca: berkasnya terpotong (salinan atau unduhan tidak lengkap)")
    text = tmp_path / "catatan.db.gz"
    text.write_bytes(gzip.compress(b"bukan basis data " * 400))
    refused(runner, db, text, "Berkas cadangan rusak: isinya bukan basis data SQLite yang utuh.")
    plain_text = tmp_path / "catatan2.db"
    plain_text.write_bytes(b"bukan basis data " * 400)
    refused(runner, db, plain_text, "Berkas cadangan rusak: isinya bukan basis data SQLite yang utuh.")
    other = tmp_path / "lain.db"
    sqlite3.connect(other).execute("CREATE TABLE catatan (x)").connection.commit()
    refused(runner, db, other, "bukan basis data Gerai POS")
    for name in ("kosong.db.gz", "kosong.db"):          # 0 bytes: a copy that never got written
        (tmp_path / name).write_bytes(b"")
        refused(runner, db, tmp_path / name, f"Berkas cadangan {name} kosong (0 bita): salinan atau "
                "unduhan yang tidak lengkap.")


def test_a_gzip_damaged_inside_is_refused_in_one_line(app, db, shop, runner, tmp_path):
    """The tester's: a file that starts as gzip but whose compressed data is garbage ended in a
    traceback, "zlib.error: Error -3 while decompressing data: invalid code lengths set"."""
    sell(db, *shop)
    made = take(runner, tmp_path)
    garbage = tmp_path / "trunc.db.gz"
    garbage.write_bytes(b"\x1f\x8b\x08\x00garbagegarbage")
    refused(runner, db, garbage, "Galat: Berkas cadangan rusak: isi terkompresinya tidak utuh")
    crc = bytearray(made.read_bytes())
    crc[-8] ^= 0xFF                                     # the checksum at its end does not match
    wrong = tmp_path / "crc.db.gz"
    wrong.write_bytes(bytes(crc))
    refused(runner, db, wrong, "Galat: Berkas cadangan rusak: isi terkompresinya tidak utuh")
    method = bytearray(made.read_bytes())
    method[2] = 9                                       # no compression gzip knows
    unknown = tmp_path / "metode.db.gz"
    unknown.write_bytes(bytes(method))
    refused(runner, db, unknown, "Galat: Berkas cadangan rusak: isi terkompresinya tidak utuh")


def test_a_backup_from_a_newer_schema_is_refused(app, db, shop, runner, tmp_path):
    sell(db, *shop)
    made = take(runner, tmp_path)
    plain = tmp_path / "baru.db"
    plain.write_bytes(gzip.decompress(made.read_bytes()))
    conn = sqlite3.connect(plain)
    conn.execute("CREATE TABLE IF NOT EXISTS alembic_version (version_num VARCHAR(32) NOT NULL)")
    conn.execute("DELETE FROM alembic_version")
    conn.execute("INSERT INTO alembic_version VALUES ('9999')")
    conn.commit()
    conn.close()
    refused(runner, db, plain, "versi aplikasi yang lebih baru (skema 9999)")
    conn = sqlite3.connect(plain)
    conn.execute("UPDATE alembic_version SET version_num = '0001'")  # an older known revision restores
    conn.commit()
    conn.close()
    result = runner.invoke(args=["restore", "--yes", str(plain)])
    assert result.exit_code == 0, result.output
    assert "skema 0001" in result.output and "jalankan `pos db upgrade`" in result.output


def receipt_no(db, sale_id: int) -> str:
    with db.reading() as s:
        return s.get(Sale, sale_id).receipt_no


def test_numbers_given_after_the_backup_are_not_given_again(db, shop, runner, tmp_path):
    sell(db, *shop)
    made = take(runner, tmp_path)
    printed = [receipt_no(db, sell(db, *shop)) for _ in range(3)]   # on paper, not in the backup
    assert printed[-1] == "TST01-0000004"
    result = runner.invoke(args=["restore", "--yes", str(made)])
    assert result.exit_code == 0, result.output
    assert ("Nomor nota penjualan TST01: nomor terakhir di cadangan 1, dilanjutkan dari 4 "
            "(3 nomor sesudah cadangan ini tidak ada di dalamnya).") in result.output
    assert sales(db) == 1
    assert receipt_no(db, sell(db, *shop)) == "TST01-0000005"      # never a second 0000002


def shift_after(db, till_id: int, user_id: int) -> int:
    """The till's shift closed and the next one opened: the new shift's id (its X/Z number)."""
    from pos.clock import utcnow
    from pos.shifts.models import Shift

    with db.transaction() as s:
        s.query(Shift).filter(Shift.till_id == till_id, Shift.closed_at.is_(None)) \
            .update({"closed_at": utcnow()})
        return open_shift(s, till_id, user_id).id


def test_shift_and_stock_count_numbers_given_after_the_backup_are_not_given_again(
        db, shop, runner, tmp_path):
    """A shift's X/Z number and a stock count's SO number are their ids: after a restore, a
    shift closed on paper as Z-3 came back as another shift's Z-3."""
    from pos.inventory.counts.counting import open_count
    from pos.inventory.counts.models import CountScope

    made = take(runner, tmp_path)
    printed = [shift_after(db, *shop) for _ in range(2)]
    with db.transaction() as s:
        count = open_count(s, CountScope.ALL, shop[1])
    result = runner.invoke(args=["restore", "--yes", str(made)])
    assert result.exit_code == 0, result.output
    assert (f"Nomor laporan shift (X/Z): nomor terakhir di cadangan {printed[0] - 1}, dilanjutkan "
            f"dari {printed[-1]}") in result.output
    assert f"Nomor stok opname (SO): nomor terakhir di cadangan 0, dilanjutkan dari {count}" \
        in result.output
    assert shift_after(db, *shop) == printed[-1] + 1
    with db.transaction() as s:
        assert open_count(s, CountScope.ALL, shop[1]) == count + 1


def test_a_backup_restored_again_raises_nothing(db, shop, runner, tmp_path):
    sell(db, *shop)
    made = take(runner, tmp_path)
    result = runner.invoke(args=["restore", "--yes", str(made)])   # nothing sold since
    assert result.exit_code == 0, result.output
    assert "Nomor " not in result.output and "tidak terbaca" not in result.output
    assert receipt_no(db, sell(db, *shop)) == "TST01-0000002"


def test_an_unreadable_live_database_still_restores_and_says_to_check_the_numbers(
        db, shop, runner, tmp_path, monkeypatch):
    from pos.backup import numbers
    sell(db, *shop)
    made = take(runner, tmp_path)
    monkeypatch.setattr(numbers, "given", lambda engine: None)      # as a damaged file reads
    result = runner.invoke(args=["restore", "--yes", str(made)])
    assert result.exit_code == 0, result.output
    assert "Nomor terakhir basis data lama tidak terbaca" in result.output


def test_a_running_server_is_never_restored_over(app, db, shop, runner, tmp_path):
    from pos import server_lock
    sell(db, *shop)
    made = take(runner, tmp_path)
    sell(db, *shop)
    held = server_lock.hold(app.instance_path)          # as a server holds it while it runs
    try:
        result = runner.invoke(args=["restore", "--yes", str(made)])
        assert result.exit_code == 1
        assert "Aplikasi kasir masih berjalan di mesin ini" in result.output
        assert "Tidak ada yang diubah" in result.output and "Cadangan " not in result.output
        assert sales(db) == 2
        assert list(Path(db.engine.url.database).parent.glob("pos.db.sebelum-pulih-*")) == []
    finally:
        os.close(held)                                  # the server stopped
    result = runner.invoke(args=["restore", "--yes", str(made)])
    assert result.exit_code == 0, result.output
    assert sales(db) == 1



def test_shift_numbers_an_older_backup_cannot_go_on_from_are_said(db, shop, runner, tmp_path):
    """A backup from before 0042 (its SQLite shift table gives an id again) left the X/Z numbers
    already printed to be given again, and said nothing."""
    made = take(runner, tmp_path)
    printed = [shift_after(db, *shop) for _ in range(2)]
    plain = tmp_path / "lama.db"
    kept = opened(made, tmp_path)               # the backup as a schema before 0042 made it
    kept.executescript("PRAGMA foreign_keys=OFF; CREATE TABLE shift_old AS SELECT * FROM shift; "
                       "DROP TABLE shift; CREATE TABLE shift (id INTEGER PRIMARY KEY, x); "
                       "INSERT INTO shift (id) SELECT id FROM shift_old; DROP TABLE shift_old; "
                       "DELETE FROM sqlite_sequence WHERE name = 'shift';")
    kept.execute(f"VACUUM INTO '{plain}'")
    kept.close()
    result = runner.invoke(args=["restore", "--yes", str(plain)])
    assert result.exit_code == 0, result.output
    assert (f"Perhatian: nomor laporan shift (X/Z) terakhir {printed[-1]} tidak dapat dilanjutkan: "
            f"cadangan ini dari skema sebelum 0042, yang memberi nomor itu lagi") in result.output
    assert "pos db upgrade" in result.output and "Nomor laporan shift" not in result.output
