"""``pos restore``: put a backup back in place of the live SQLite database.

A file is checked before anything changes: it must open, pass ``PRAGMA integrity_check``,
be a Gerai POS database, and carry a schema revision this version of the app knows (a
backup from a newer version is refused). The live database is first copied aside
(``pos.db.sebelum-pulih-YYYYMMDD-HHMMSS``), then replaced through SQLite's backup API, which
writes it in one transaction under SQLite's own locks."""
from __future__ import annotations

import gzip
import sqlite3
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from pos.backup import files, outlet
from pos.backup.copy import STAMP
from pos.backup.errors import BackupError

ASIDE = ".sebelum-pulih-"


@dataclass(frozen=True)
class Candidate:
    plain: Path            # the backup decompressed, beside the live database
    revision: str | None   # its alembic_version (None: made without migrations)
    rows: int              # its sales
    newest_sale: datetime | None = None   # when its newest sale was made (naive UTC)
    outlets: tuple[str, ...] = ()         # the outlet codes it gave receipt numbers for


def _revision(conn: sqlite3.Connection) -> str | None:
    try:
        rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.OperationalError:
        return None
    return rows[0][0] if rows else None


def inspect(backup: Path, workdir: Path, known: set[str]) -> Candidate:
    """Decompress ``backup`` into ``workdir`` and check it; ``BackupError`` (and no file left)
    when it is damaged, not a Gerai POS database, or from a newer schema."""
    if not backup.is_file():
        raise BackupError(f"Berkas {backup} tidak ditemukan.")
    plain = workdir.joinpath(f".pulih-{backup.name}{files.TEMP_SUFFIX}")
    try:
        files.decompress(backup, plain)
        conn = sqlite3.connect(f"file:{plain}?mode=ro", uri=True)
        try:
            result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            if result != ["ok"]:
                raise BackupError(f"Berkas cadangan rusak (integrity_check: {'; '.join(result[:3])}). "
                                  "Tidak ada yang diubah.")
            revision = _revision(conn)
            try:
                sales, newest = conn.execute("SELECT count(*), max(created_at) FROM sale").fetchone()
            except sqlite3.OperationalError:
                raise BackupError(f"{backup.name} bukan basis data Gerai POS. "
                                  "Tidak ada yang diubah.") from None
            outlets = _outlets(conn)
        finally:
            conn.close()
        if revision is not None and revision not in known:
            raise BackupError(f"Cadangan ini dari versi aplikasi yang lebih baru (skema {revision}). "
                              "Perbarui aplikasi dulu, lalu pulihkan. Tidak ada yang diubah.")
    except (zlib.error, gzip.BadGzipFile):   # gzip's start, then data, checksum or method it cannot read
        files.remove_quietly(plain)
        raise BackupError("Berkas cadangan rusak: isi terkompresinya tidak utuh (salinan atau unduhan "
                          "yang rusak). Tidak ada yang diubah.") from None
    except (OSError, EOFError) as error:
        files.remove_quietly(plain)
        raise BackupError(f"Berkas cadangan tidak dapat dibaca: {_unreadable(error)}. "
                          "Tidak ada yang diubah.") from None
    except sqlite3.DatabaseError:
        files.remove_quietly(plain)
        raise BackupError("Berkas cadangan rusak: isinya bukan basis data SQLite yang utuh. "
                          "Tidak ada yang diubah.") from None
    except BaseException:
        files.remove_quietly(plain)
        raise
    return Candidate(plain, revision, sales, _moment(newest), outlets)


def _outlets(conn: sqlite3.Connection) -> tuple[str, ...]:
    """The outlet codes its receipt counter gave numbers for (``outlet``)."""
    table, code, last = outlet.RECEIPTS
    try:
        counters = dict(conn.execute(f"SELECT {code}, {last} FROM {table}").fetchall())
    except sqlite3.OperationalError:   # a schema without it tells no outlet
        return ()
    return tuple(sorted(outlet.numbered(counters)))


def _moment(text: object) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:   # a form Python does not read: no moment rather than no restore
        return None


def _copy(source: Path, target: Path) -> None:
    src = sqlite3.connect(source, timeout=30)
    try:
        dest = sqlite3.connect(target, timeout=30)
        try:
            src.backup(dest)
        finally:
            dest.close()
    finally:
        src.close()


def replace(candidate: Candidate, live: Path, now: datetime,
            before_live: Callable[[str], object] | None = None) -> Path | None:
    """Keep ``live`` aside, then write the candidate over it; returns where the replaced
    database was kept (None when there was none). ``before_live`` gets the URL of the restored
    copy before it is written over ``live`` (``numbers.carry``)."""
    aside = None
    try:
        if before_live is not None:
            before_live(f"sqlite:///{candidate.plain}")
        if live.exists():
            aside = live.with_name(f"{live.name}{ASIDE}{now.strftime(STAMP)}")
            temp = aside.with_name(aside.name + files.TEMP_SUFFIX)
            files.remove_quietly(temp)
            _copy(live, temp)
            files.publish(temp, aside)
        _copy(candidate.plain, live)
    except (sqlite3.Error, SQLAlchemyError) as error:
        raise BackupError(f"Pemulihan gagal: {getattr(error, 'orig', None) or error}. "
                          f"Basis data lama tetap di {aside or live}.") from None
    finally:
        files.remove_quietly(candidate.plain)
    return aside


def discard(candidate: Candidate) -> None:
    files.remove_quietly(candidate.plain)


def _unreadable(error: BaseException) -> str:
    """Why a backup file could not be read, in Indonesian (Python's own words are English)."""
    if isinstance(error, EOFError):
        return "berkasnya terpotong (salinan atau unduhan tidak lengkap)"
    if isinstance(error, PermissionError):
        return "tidak ada izin membacanya"
    if isinstance(error, FileNotFoundError):
        return "berkasnya tidak ada"
    errno = getattr(error, "errno", None)
    return f"kesalahan baca berkas (errno {errno})" if errno else "kesalahan baca berkas"
