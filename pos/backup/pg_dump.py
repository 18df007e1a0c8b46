"""``take`` on PostgreSQL: ``pg_dump --format=custom`` while the tills sell.

pg_dump reads the whole database in one repeatable-read snapshot, so the archive is one
consistent moment. The newest sale (``SALE``; the ledger hub's: its newest document, ``HUB``)
is read before the dump starts; the archive is then checked (its table of contents lists
that table's rows, every block reads back, that row is in it), fsynced and renamed from a
temporary name in the target folder: a power cut at any step leaves the earlier backups and
the live database as they were."""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from pos.backup import files, pg
from pos.backup.copy import PREFIX, Backup, name_for
from pos.backup.errors import BackupError
from pos.text import os_reason

SUFFIX = ".pgdump"
LOCK_WAIT_MS = 60_000  # a schema change holding a table: give up rather than hang the timer


@dataclass(frozen=True)
class Anchor:
    """The table whose newest row, committed before the dump began, must be in the archive."""

    table: str
    column: str
    newest_first: str   # the ORDER BY that puts the newest row first
    what: str           # the row, in messages
    absent: str         # the database lacks the table: what it is not, and what to do


SALE = Anchor("sale", "id", "id DESC", "penjualan", "bukan basis data Gerai POS, atau belum disiapkan: "
              "jalankan pos init")
HUB = Anchor("hub_document", "document_id", "received_at DESC, document_id DESC", "dokumen",
             "bukan basis data ledger hub")


def latest_sale(engine: Engine, anchor: Anchor = SALE) -> int | str | None:
    """The newest committed row's ``anchor.column`` (None: no row yet); ``BackupError`` when the
    database has no such table (a database never set up: its dump would be no backup)."""
    try:
        with engine.connect() as conn:
            conn.execute(text(f"SET LOCAL lock_timeout = {int(LOCK_WAIT_MS)}"))  # as pg_dump waits
            if conn.execute(text(f"SELECT to_regclass('public.{anchor.table}')")).scalar() is None:
                raise BackupError(f"Basis data {engine.url.database} {anchor.absent}. Tidak ada cadangan "
                                  "yang dibuat; cadangan lama tidak dihapus.")
            return conn.execute(text(f"SELECT {anchor.column} FROM public.{anchor.table} "
                                     f"ORDER BY {anchor.newest_first} LIMIT 1")).scalar()
    except SQLAlchemyError as error:
        first = str(error.orig or error).strip().splitlines()[0]
        raise BackupError(f"Basis data tidak dapat dibaca: {first}.") from None


def check(archive: Path, target: pg.Target, newest: int | str | None, anchor: Anchor = SALE) -> None:
    """Refuse an archive that does not read back whole or lacks the row ``newest``."""
    if not pg.has_data(pg.toc(archive, target), anchor.table):
        raise BackupError(f"Cadangan tidak memuat data tabel {anchor.what} ({anchor.table}).")
    pg.read_through(archive, target)
    if newest is not None and not pg.contains(archive, anchor.table, anchor.column, str(newest), target):
        raise BackupError(f"Cadangan tidak memuat {anchor.what} terakhir ({anchor.column} {newest}).")


def _fsync(path: Path) -> None:
    with open(path, "rb") as written:
        os.fsync(written.fileno())


def take(engine: Engine, directory: Path, now: datetime, anchor: Anchor = SALE,
         prefix: str = PREFIX) -> Backup:
    """Dump the database behind ``engine`` into ``directory`` as
    ``gerai-YYYYMMDD-HHMMSS.pgdump`` (``prefix``; local time ``now``). Raises ``BackupError``;
    on any failure no new file is left behind."""
    target = pg.Target.from_url(engine.url)
    newest = latest_sale(engine, anchor)  # committed before the dump's snapshot: must be in it
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BackupError(f"Folder cadangan {directory} tidak dapat dibuat: {os_reason(error)}.") from None
    final = directory.joinpath(name_for(now, SUFFIX, prefix))
    temp = directory.joinpath(f".{final.name}{files.TEMP_SUFFIX}")
    try:
        files.remove_quietly(*directory.glob(f".{prefix}*{SUFFIX}{files.TEMP_SUFFIX}"))  # a cut-off run
        pg.run(pg.PG_DUMP, ["--format=custom", f"--lock-wait-timeout={LOCK_WAIT_MS}",
                            f"--file={temp}", *target.args()], target, "pg_dump")
        _fsync(temp)
        check(temp, target, newest, anchor)
        files.publish(temp, final)
    except OSError as error:
        raise BackupError(f"Cadangan gagal ditulis ke {directory}: {os_reason(error)}.") from None
    finally:
        files.remove_quietly(temp)
    return Backup(final, final.stat().st_size, newest)
