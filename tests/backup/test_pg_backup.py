"""``pos backup`` on PostgreSQL: pg_dump while tills sell holds every sale committed before it
began, each whole; the password never reaches the command line; a failed dump leaves no file
and is on the home page; rotation keeps each kind's set."""
from __future__ import annotations

import re
import subprocess
from datetime import datetime, timedelta

import pytest
from sqlalchemy import make_url, text

from pos.backup import copy, pg, pg_dump, record, rotation
from pos.clock import to_local, utcnow
from tests.backup.helpers import sell, while_selling

pytestmark = pytest.mark.postgres


def dumps(directory) -> list:
    return sorted(directory.glob("gerai-*.pgdump"))


def column(archive, table: str, name: str, url) -> list[int]:
    return [int(value) for value in pg.rows(archive, table, name, pg.Target.from_url(url))]


def test_pg_backup_during_concurrent_sales_is_consistent_and_complete(pg_app, pg_db, pg_shop,
                                                                       pg_runner, tmp_path):
    before, result, sold = while_selling(
        pg_db, pg_shop, lambda: pg_runner.invoke(args=["backup", "--to", str(tmp_path / "cadangan")]),
        first=4, then=2)
    assert result.exit_code == 0, result.output
    [made] = dumps(tmp_path / "cadangan")
    assert re.fullmatch(r"gerai-\d{8}-\d{6}\.pgdump", made.name)
    assert list((tmp_path / "cadangan").glob(".*")) == []          # no temporary file left
    latest = int(re.search(r"penjualan terakhir id (\d+)", result.output).group(1))
    assert latest >= max(before)
    url = pg_db.engine.url
    in_dump = set(column(made, "sale", "id", url))
    assert set(before) | {latest} <= in_dump
    # one snapshot: every sale in the dump has its lines and payments, and nothing else does
    assert set(column(made, "sale_line", "sale_id", url)) == in_dump
    assert set(column(made, "payment", "sale_id", url)) == in_dump
    assert len(sold) > len(before)   # sales went on while it ran
    status = record.read(pg_app.instance_path)
    assert status.failed_at is None and status.message == str(made)
    assert record.warning(pg_app.instance_path, utcnow()) is None


def test_the_password_goes_in_the_environment_never_on_the_command_line(monkeypatch):
    target = pg.Target.from_url(make_url("postgresql+psycopg://gerai:r%40hasia@db.lokal:5433/toko"
                                         "?sslmode=require"))
    assert target.args() == ["--no-password", "--host=db.lokal", "--port=5433", "--username=gerai",
                             "--dbname=toko"]
    assert target.args("toko_pulih")[-1] == "--dbname=toko_pulih"
    seen = {}

    def fake_run(argv, **kwargs):
        seen.update(kwargs, argv=argv)
        return subprocess.CompletedProcess(argv, 0, "", "")

    monkeypatch.setattr(pg.subprocess, "run", fake_run)
    pg.run(pg.PG_DUMP, ["--format=custom", *target.args()], target, "pg_dump")
    assert isinstance(seen["argv"], list) and not seen.get("shell")
    assert not any("r@hasia" in arg for arg in seen["argv"])
    assert seen["env"]["PGPASSWORD"] == "r@hasia" and seen["env"]["PGSSLMODE"] == "require"


def test_a_failed_dump_leaves_no_file_and_is_on_the_home_page(pg_app, pg_db, pg_shop, pg_runner,
                                                             monkeypatch, tmp_path):
    sell(pg_db, *pg_shop[0])
    monkeypatch.setattr(pg_dump, "LOCK_WAIT_MS", 300)
    with pg_db.engine.connect() as holder:   # a schema change holding the product table
        holder.execute(text("LOCK TABLE product IN ACCESS EXCLUSIVE MODE"))
        result = pg_runner.invoke(args=["backup", "--to", str(tmp_path / "cadangan")])
        holder.rollback()
    assert result.exit_code == 1
    assert "pg_dump gagal" in result.output and "LOCK TABLE public.product" in result.output
    assert list((tmp_path / "cadangan").iterdir()) == []
    status = record.read(pg_app.instance_path)
    assert status.failed_at is not None and "pg_dump gagal" in status.message
    assert "Pencadangan terakhir gagal: pg_dump gagal" in record.warning(pg_app.instance_path, utcnow())
    result = pg_runner.invoke(args=["backup", "--to", str(tmp_path / "cadangan")])
    assert result.exit_code == 0, result.output            # the lock gone, the backup goes through
    assert record.warning(pg_app.instance_path, utcnow()) is None


def test_rotation_keeps_each_kinds_set(pg_app, pg_db, pg_shop, pg_runner, tmp_path):
    sell(pg_db, *pg_shop[0])
    folder = tmp_path / "cadangan"
    folder.mkdir()
    today = to_local(utcnow(), pg_app.config["TIMEZONE"]).date()
    yesterday = datetime.combine(today - timedelta(days=1), datetime.min.time())
    old = datetime(today.year - 2, 1, 15, 21)
    names = {key: copy.name_for(at, suffix) for key, (at, suffix) in {
        "pg_early": (yesterday.replace(hour=3), pg_dump.SUFFIX),
        "pg_late": (yesterday.replace(hour=21), pg_dump.SUFFIX),
        "pg_old": (old, pg_dump.SUFFIX),
        "db_early": (yesterday.replace(hour=4), copy.SUFFIX),   # older than pg_late, other kind
        "db_old": (old, copy.SUFFIX)}.items()}
    # each kind's newest 14 are never deleted: the 12 days before yesterday of both, and today's
    # (the new dump; a .db.gz made just after midnight), so the rule alone decides the rest
    recent = [copy.name_for(at, suffix) for suffix in rotation.KINDS
              for at in (yesterday - timedelta(days=n) + timedelta(hours=21) for n in range(1, 13))]
    recent.append(copy.name_for(yesterday + timedelta(days=1), copy.SUFFIX))
    for name in [*names.values(), *recent]:
        (folder / name).write_bytes(b"x")
    (folder / "catatan.txt").write_text("bukan cadangan")
    result = pg_runner.invoke(args=["backup", "--to", str(folder)])
    assert result.exit_code == 0, result.output
    assert "Cadangan lama dihapus: 3." in result.output
    [new] = [p.name for p in dumps(folder) if p.name not in {*names.values(), *recent}]
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [new, names["pg_late"], names["db_early"], "catatan.txt", *recent])


def test_an_exported_pgpassword_reaches_the_client_programs_unless_the_url_has_one(monkeypatch):
    """The app connected with the operator's PGPASSWORD (libpq reads it) but pos backup, pos
    restore and the hub's backup took it away from pg_dump and pg_restore, which then failed."""
    monkeypatch.setenv("PGPASSWORD", "dari-env")
    bare = pg.Target.from_url(make_url("postgresql+psycopg://gerai@db.lokal/toko"))
    assert bare.env()["PGPASSWORD"] == "dari-env"
    given = pg.Target.from_url(make_url("postgresql+psycopg://gerai:r%40hasia@db.lokal/toko"))
    assert given.env()["PGPASSWORD"] == "r@hasia"
    monkeypatch.delenv("PGPASSWORD")
    assert "PGPASSWORD" not in bare.env()
