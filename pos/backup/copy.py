"""``take``: an online copy of the live SQLite database while the tills sell.

SQLite's backup API copies the pages under one read transaction (WAL lets the tills keep
writing), so the copy is one consistent moment, never a file copy of a live database. The
copy is checked (``PRAGMA integrity_check``, and the latest sale committed before the copy
began is in it), compressed to a temporary name in the target directory, fsynced and renamed:
a power cut at any step leaves the earlier backups and the live database as they were."""
from __future__ import annotations

import errno
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pos.backup import files
from pos.backup.errors import BackupError
from pos.text import os_reason

PREFIX = "gerai-"
SUFFIX = ".db.gz"
STAMP = "%Y%m%d-%H%M%S"


@dataclass(frozen=True)
class Backup:
    path: Path
    size: int
    # The newest row committed before the copy began: a sale's id (the ledger hub's: the
    # newest document's id); None when there was none.
    latest_sale: int | str | None


def name_for(at: datetime, suffix: str = SUFFIX, prefix: str = PREFIX) -> str:
    """``gerai-YYYYMMDD-HHMMSS`` and the kind's suffix (``.db.gz``; ``.pgdump`` for PostgreSQL);
    the ledger hub's backups start with ``hub-``."""
    return f"{prefix}{at.strftime(STAMP)}{suffix}"


def taken_at(name: str, suffix: str = SUFFIX, prefix: str = PREFIX) -> datetime | None:
    """When a backup named by ``name_for(at, suffix, prefix)`` was taken (None for any other file)."""
    if not (name.startswith(prefix) and name.endswith(suffix)):
        return None
    try:
        return datetime.strptime(name[len(prefix):-len(suffix)], STAMP)
    except ValueError:
        return None


# A database without the ``sale`` table (a new instance folder, an empty file): a backup of it
# would be "made", then rotate the day's real backup away, and no restore would take it.
NOT_READY = ("Basis data {live} bukan basis data Gerai POS, atau belum disiapkan: jalankan pos init. "
             "Tidak ada cadangan yang dibuat; cadangan lama tidak dihapus.")


def latest_sale(conn: sqlite3.Connection, live: Path) -> int | None:
    """The newest sale's id (None: no sale yet); ``BackupError`` without the ``sale`` table."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sale'").fetchone() is None:
        raise BackupError(NOT_READY.format(live=live))
    return conn.execute("SELECT max(id) FROM sale").fetchone()[0]


def ready(live: Path) -> None:
    """``BackupError`` unless ``live`` is a Gerai POS database, before anything is made."""
    if not live.exists():
        raise BackupError(NOT_READY.format(live=live))
    try:
        conn = sqlite3.connect(f"file:{live}?mode=ro", uri=True, timeout=30)
        try:
            latest_sale(conn, live)
        finally:
            conn.close()
    except sqlite3.Error as error:
        raise BackupError(f"Basis data {live} tidak dapat dibaca: {error}.") from None


def check(path: Path, sale_id: int | None) -> None:
    """Refuse a copy that is damaged or lacks the sale ``sale_id``."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        if result != ["ok"]:
            raise BackupError(f"Salinan rusak (integrity_check: {'; '.join(result[:3])}).")
        if sale_id is not None and conn.execute(
                "SELECT count(*) FROM sale WHERE id = ?", (sale_id,)).fetchone()[0] != 1:
            raise BackupError(f"Salinan tidak memuat penjualan terakhir (id {sale_id}).")
    except sqlite3.DatabaseError as error:
        raise BackupError(f"Salinan tidak dapat dibaca: {error}.") from None
    finally:
        conn.close()


def snapshot(live: Path, target: Path) -> int | None:
    """Copy ``live`` into the new file ``target`` through the backup API; returns the latest
    sale id read just before the copy began."""
    source = sqlite3.connect(f"file:{live}?mode=ro", uri=True, timeout=30)
    try:
        source.execute("PRAGMA busy_timeout=30000")
        sale_id = latest_sale(source, live)   # before the copy's file is made
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)  # every page in one step: one read transaction, one moment
            dest.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            dest.close()
    finally:
        source.close()
    return sale_id


# SQLite's words for a copy it could not write, in the operator's ("unable to open database file"
# was all a backup to a folder nothing may be made in said)
_SQLITE_REASONS = (("unable to open", "berkas tidak dapat dibuat di folder itu"),
                   ("readonly", "folder atau disknya hanya dapat dibaca"),
                   ("disk i/o", "galat baca/tulis pada disk (flashdisk dicabut atau rusak?)"),
                   ("full", "disk penuh"))


def written(error: BaseException) -> str:
    """SQLite's reason a file could not be written, in Indonesian where it is a common one."""
    said = str(error).lower()
    return next((ours for theirs, ours in _SQLITE_REASONS if theirs in said), str(error))


def _refuse_unwritable(directory: Path) -> None:
    """``BackupError`` for a folder that is there on a disk mounted read-only (a locked flashdisk)
    or that may not be written, said so before anything is copied: SQLite's own refusal there
    reads "unable to open", the words of a folder nothing may be made in."""
    try:
        read_only = os.statvfs(directory).f_flag & os.ST_RDONLY
    except OSError:   # cannot be asked: the write says what is wrong
        return
    if read_only or not os.access(directory, os.W_OK):
        why = OSError(errno.EROFS if read_only else errno.EACCES, "")
        raise BackupError(f"Cadangan gagal ditulis ke {directory}: {os_reason(why)}.")


def take(live: Path, directory: Path, now: datetime) -> Backup:
    """Back ``live`` up into ``directory`` as ``gerai-YYYYMMDD-HHMMSS.db.gz`` (local time
    ``now``). Raises ``BackupError``; on any failure no new file is left behind."""
    ready(live)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BackupError(f"Folder cadangan {directory} tidak dapat dibuat: {os_reason(error)}.") from None
    _refuse_unwritable(directory)
    final = directory.joinpath(name_for(now))
    raw = directory.joinpath(f".{final.name}.db{files.TEMP_SUFFIX}")
    packed = directory.joinpath(f".{final.name}{files.TEMP_SUFFIX}")
    try:
        files.remove_quietly(*directory.glob(f".{PREFIX}*{files.TEMP_SUFFIX}"))  # a cut-off earlier run
        sale_id = snapshot(live, raw)
        check(raw, sale_id)
        files.compress(raw, packed)
        files.publish(packed, final)
    except OSError as error:
        raise BackupError(f"Cadangan gagal ditulis ke {directory}: {os_reason(error)}.") from None
    except sqlite3.Error as error:
        raise BackupError(f"Cadangan gagal ditulis ke {directory}: {written(error)}.") from None
    finally:
        files.remove_quietly(raw, packed)
    return Backup(final, final.stat().st_size, sale_id)
