"""``pos db upgrade`` backs the database up first, into a folder of its own the rotation never
touches. Following the README by hand (``pos backup``, ``pos db upgrade``, another ``pos backup``
that day) lost the only backup of the old schema: "Cadangan lama dihapus: 1.", the rotation
keeping the newest backup of each day."""
from __future__ import annotations

import gzip
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from pos.db import current_revision, get_db, migration_revisions, upgrade
from tests.conftest import build_app, throwaway_pg

(HEAD,) = migration_revisions()[1]


def revision_in(backup: Path, tmp_path: Path) -> str:
    plain = tmp_path / "dibuka.db"
    plain.write_bytes(gzip.decompress(backup.read_bytes()))
    with sqlite3.connect(plain) as conn:
        return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]


@pytest.fixture
def old(bare_app):
    """The outlet's database at revision 0030, with a till."""
    engine = get_db(bare_app).engine
    upgrade(engine, "0030")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO till (code, name, active) VALUES ('KASIR-1', 'Kasir 1', 1)"))
    return bare_app


def test_the_upgrade_backs_up_first_where_the_rotation_does_not_look(old, tmp_path):
    runner = old.test_cli_runner()
    daily = Path(old.instance_path) / "backup"
    assert runner.invoke(args=["backup"]).exit_code == 0            # the README's "back up"
    done = runner.invoke(args=["db", "upgrade"])
    assert done.exit_code == 0, done.output
    folder = daily / f"pembaruan-0030-{HEAD}"
    [aside] = folder.iterdir()
    assert done.output.startswith(f"Cadangan sebelum pembaruan dibuat: {aside} (")
    assert "cadangan harian tidak menghapusnya" in done.output
    assert f"Skema diperbarui dari 0030 ke {HEAD}" in done.output
    assert revision_in(aside, tmp_path) == "0030"
    for _ in range(2):   # later the same day: the rotation keeps the day's newest in backup/
        again = runner.invoke(args=["backup"])
        assert again.exit_code == 0, again.output
    assert list(folder.iterdir()) == [aside]
    nothing = runner.invoke(args=["db", "upgrade"])   # nothing to change: nothing backed up
    assert "Cadangan" not in nothing.output and list(folder.iterdir()) == [aside]


def test_without_a_backup_the_upgrade_stops_unless_told_not_to_back_up(old):
    (Path(old.instance_path) / "backup").write_text("bukan folder")   # no folder can be made there
    runner = old.test_cli_runner()
    stopped = runner.invoke(args=["db", "upgrade"])
    assert stopped.exit_code == 1
    assert stopped.output.startswith("Galat: Cadangan sebelum pembaruan gagal: Folder cadangan ")
    assert stopped.output.endswith("Skema tidak diubah (0030). Perbaiki dulu, atau ulangi dengan "
                                   "--no-backup bila basis data sudah dicadangkan.\n")
    assert current_revision(get_db(old).engine) == "0030"
    told = runner.invoke(args=["db", "upgrade", "--no-backup"])
    assert told.exit_code == 0, told.output
    assert told.output.startswith(f"Skema diperbarui dari 0030 ke {HEAD}")


@pytest.mark.postgres
def test_on_postgresql_the_upgrade_dumps_first(tmp_path, printer):
    with throwaway_pg("gerai_pembaruan") as url:
        app = build_app(tmp_path, url, printer)
        try:
            upgrade(get_db(app).engine, "0030")
            done = app.test_cli_runner().invoke(args=["db", "upgrade"])
            assert done.exit_code == 0, done.output
            [aside] = (Path(app.instance_path) / "backup" / f"pembaruan-0030-{HEAD}").iterdir()
            assert aside.name.endswith(".pgdump")
            assert done.output.startswith(f"Cadangan sebelum pembaruan dibuat: {aside} (")
        finally:
            get_db(app).engine.dispose()
