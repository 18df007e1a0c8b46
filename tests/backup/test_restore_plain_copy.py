"""``pos restore`` of a plain ``.db`` file rather than a ``pos backup`` ``.db.gz``. The tester's:
``cp pos.db copy.db`` while the server ran lacked what was still in the WAL, and the restore
silently lost the newest staff, settings and tills; then it set the real, newer ``pos backup``
file aside saying it "berisi penjualan yang tidak ada di dalamnya", which was untrue (it had the
same sales). A copy of the live file (its header says WAL) is now said to be one and needs a
person's answer (never ``--yes``); one with its ``-wal`` beside it is refused; the set-aside line
says what was compared and claims no sales."""
from __future__ import annotations

import gzip
import re
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from pos.auth.models import User
from pos.backup import cli
from pos.clock import utcnow
from tests.backup.helpers import sell, sqlite_only, stock_shop
from tests.factories import make_user

pytestmark = sqlite_only
WARNING = "bukan cadangan pos backup (.db.gz) tetapi salinan biasa berkas basis data yang sedang dipakai"


def users(db) -> list[str]:
    with db.reading() as s:
        return sorted(s.scalars(select(User.username)))


@pytest.fixture
def copied(db, backend, tmp_path):
    """The tester's steps: a sale, ``cp pos.db`` while the app has the file open (a new cashier
    still in the WAL, so not in the copy), and the folder the copy is in."""
    shop = stock_shop(db, 1)
    sell(db, *shop[0])
    live = Path(db.engine.url.database)
    with db.engine.connect() as conn:          # the whole file in the database, then one more user
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    with db.transaction() as s:
        make_user(s, "kasirbaru")
    assert Path(f"{live}-wal").stat().st_size > 0
    folder = tmp_path / "salinan"
    folder.mkdir()
    copy = folder / "copy.db"
    shutil.copyfile(live, copy)                 # cp: the WAL (kasirbaru) stays behind
    return copy, live


def test_a_copy_of_the_live_file_is_refused_with_yes_and_asked_about_without(db, runner, copied):
    copy, live = copied
    before = users(db)
    assert "kasirbaru" in before
    result = runner.invoke(args=["restore", "--yes", str(copy)])
    assert result.exit_code == 1, result.output
    assert WARNING in result.output
    assert ("Galat: copy.db salinan biasa berkas basis data, bukan cadangan pos backup: tidak dipulihkan "
            "dengan --yes.") in result.output and "Tidak ada yang diubah." in result.output
    assert users(db) == before and list(live.parent.glob("pos.db.sebelum-pulih-*")) == []
    assert list(copy.parent.glob(".pulih-*")) == list(live.parent.glob(".pulih-*")) == []
    result = runner.invoke(args=["restore", str(copy)], input="t\n")
    assert result.exit_code == 1 and "Dibatalkan" in result.output and users(db) == before
    warned, asked = result.output.split("Ganti basis data ")   # the warning comes before the question
    assert WARNING in warned and "pengguna, setelan, kasir, penjualan" in warned
    result = runner.invoke(args=["restore", str(copy)], input="y\n")   # a person who read it
    assert result.exit_code == 0, result.output
    assert "Basis data dipulihkan" in result.output and "kasirbaru" not in users(db)


def test_a_copy_with_its_wal_beside_it_is_refused(db, runner, copied):
    copy, live = copied
    shutil.copyfile(f"{live}-wal", f"{copy}-wal")     # what restore would leave behind
    before = users(db)
    for args, answer in ((["restore", "--yes", str(copy)], None), (["restore", str(copy)], "y\n")):
        result = runner.invoke(args=args, input=answer)
        assert result.exit_code == 1, result.output
        assert ("Galat: Di samping copy.db ada copy.db-wal: perubahan terakhir basis data ini ada di "
                "berkas itu") in result.output and "Tidak ada yang diubah." in result.output
        assert "[y/T]" not in result.output and users(db) == before
        assert list(live.parent.glob("pos.db.sebelum-pulih-*")) == []


def test_a_self_contained_plain_file_restores_with_yes(db, backend, runner, tmp_path):
    """A ``pos backup`` decompressed, and the replaced database kept aside by a restore
    (``pos.db.sebelum-pulih-…``): self-contained files, restored as before, no warning."""
    shop = stock_shop(db, 1)
    sell(db, *shop[0])
    result = runner.invoke(args=["backup", "--to", str(tmp_path / "cadangan")])
    assert result.exit_code == 0, result.output
    made = Path(re.search(r"Cadangan dibuat: (\S+) ", result.output).group(1))
    plain = tmp_path / "cadangan.db"
    plain.write_bytes(gzip.decompress(made.read_bytes()))
    sell(db, *shop[0])
    result = runner.invoke(args=["restore", "--yes", str(plain)])
    assert result.exit_code == 0, result.output
    assert "Perhatian" not in result.output and "1 penjualan" in result.output
    [aside] = Path(db.engine.url.database).parent.glob("pos.db.sebelum-pulih-*")
    assert aside.read_bytes()[18:20] == b"\x01\x01"     # not a WAL database: no -wal it could need
    result = runner.invoke(args=["restore", "--yes", str(aside)])    # undo the restore
    assert result.exit_code == 0, result.output
    assert "Perhatian" not in result.output and "2 penjualan" in result.output


def test_the_newer_backup_set_aside_is_said_as_what_was_compared(db, runner, copied, monkeypatch):
    copy, _live = copied
    later = utcnow() + timedelta(minutes=2)
    monkeypatch.setattr(cli, "utcnow", lambda: later)
    result = runner.invoke(args=["backup", "--to", str(copy.parent)])   # same sales, and kasirbaru
    assert result.exit_code == 0, result.output
    monkeypatch.setattr(cli, "utcnow", lambda: later + timedelta(minutes=1))
    result = runner.invoke(args=["restore", str(copy)], input="y\n")
    assert result.exit_code == 0, result.output
    said = next(line for line in result.output.splitlines() if line.startswith("Disisihkan ke "))
    assert ": 1 cadangan yang lebih baru, dibuat sesudah penjualan terakhir di cadangan ini, " in said
    assert "berisi penjualan yang tidak ada" not in said
    assert "mungkin berisi perubahan yang tidak ada di cadangan ini (penjualan, anggota, stok, " \
           "pengguna, setelan)" in said
