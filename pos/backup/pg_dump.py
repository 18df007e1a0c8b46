"""``take`` on PostgreSQL: ``pg_dump --format=custom`` while the tills sell.

pg_dump reads the whole database in one repeatable-read snapshot, so the archive is one
consistent moment. The id of the newest sale is read before the dump starts; the archive is
then checked (its table of contents lists the sale table's rows, every block reads back, that
sale is in it), fsynced and renamed from a temporary name in the target folder: a power cut
at any step leaves the earlier backups and the live database as they were."""
from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from pos.backup import files, pg
from pos.backup.copy import PREFIX, Backup, name_for
from pos.backup.errors import BackupError

SUFFIX = ".pgdump"
LOCK_WAIT_MS = 60_000  # a schema change holding a table: give up rather than hang the timer


def latest_sale(engine: Engine) -> int | None:
    """The newest committed sale's id (None: no sale yet, or no sale table)."""
    try:
        with engine.connect() as conn:
            conn.execute(text(f"SET LOCAL lock_timeout = {int(LOCK_WAIT_MS)}"))  # as pg_dump waits
            if conn.execute(text("SELECT to_regclass('public.sale')")).scalar() is None:
                return None
            return conn.execute(text("SELECT max(id) FROM public.sale")).scalar()
    except SQLAlchemyError as error:
        first = str(error.orig or error).strip().splitlines()[0]
        raise BackupError(f"Basis data tidak dapat dibaca: {first}.") from None


def check(archive: Path, target: pg.Target, sale_id: int | None) -> None:
    """Refuse an archive that does not read back whole or lacks the sale ``sale_id``."""
    if not pg.has_data(pg.toc(archive, target), "sale"):
        raise BackupError("Cadangan tidak memuat data tabel penjualan (sale).")
    pg.read_through(archive, target)
    if sale_id is not None and not pg.contains(archive, "sale", "id", str(sale_id), target):
        raise BackupError(f"Cadangan tidak memuat penjualan terakhir (id {sale_id}).")


def _fsync(path: Path) -> None:
    with open(path, "rb") as written:
        os.fsync(written.fileno())


def take(engine: Engine, directory: Path, now: datetime) -> Backup:
    """Dump the database behind ``engine`` into ``directory`` as
    ``gerai-YYYYMMDD-HHMMSS.pgdump`` (local time ``now``). Raises ``BackupError``; on any
    failure no new file is left behind."""
    target = pg.Target.from_url(engine.url)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BackupError(f"Folder cadangan {directory} tidak dapat dibuat: {error.strerror}.") from None
    final = directory.joinpath(name_for(now, SUFFIX))
    temp = directory.joinpath(f".{final.name}{files.TEMP_SUFFIX}")
    try:
        files.remove_quietly(*directory.glob(f".{PREFIX}*{SUFFIX}{files.TEMP_SUFFIX}"))  # a cut-off run
        sale_id = latest_sale(engine)  # committed before the dump's snapshot: must be in it
        pg.run(pg.PG_DUMP, ["--format=custom", f"--lock-wait-timeout={LOCK_WAIT_MS}",
                            f"--file={temp}", *target.args()], target, "pg_dump")
        _fsync(temp)
        check(temp, target, sale_id)
        files.publish(temp, final)
    except OSError as error:
        raise BackupError(f"Cadangan gagal ditulis ke {directory}: {error.strerror or error}.") from None
    finally:
        files.remove_quietly(temp)
    return Backup(final, final.stat().st_size, sale_id)
