"""``pos restore``: put a backup back in place of the live SQLite database.

A file is checked before anything changes: it must open, pass ``PRAGMA integrity_check``,
be a Gerai POS database, and carry a schema revision this version of the app knows (a
backup from a newer version is refused). The live database is first copied aside
(``pos.db.sebelum-pulih-YYYYMMDD-HHMMSS``, a self-contained file), then replaced through SQLite's
backup API, which writes it in one transaction under SQLite's own locks; a damaged one is kept
as it is and renamed over (``aside``).

A plain (not gzip) file is what ``pos backup`` never makes. A decompressed backup or a copy kept
aside is self-contained (rollback journal mode in its header); one whose header says WAL is a
copy of a live database file (``cp pos.db``), which lacks whatever was still in its ``-wal``
when it was copied: nothing in the file tells, so it is said (``LIVE_COPY``) and a person must
answer for it (``Candidate.live_copy``). With its ``-wal`` (or a ``-journal``) beside it, the
copy's newest changes are known to be in that file, which a restore would leave behind: refused."""
from __future__ import annotations

import gzip
import sqlite3
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from pos.backup import aside, files, outlet
from pos.backup.copy import STAMP, written
from pos.backup.errors import BackupError
from pos.errors import damage
from pos.text import os_reason

ASIDE = ".sebelum-pulih-"
_WAL = 2   # the header's file format versions (bytes 18 and 19) of a database in WAL mode
LIVE_COPY = ("Perhatian: {name} bukan cadangan pos backup (.db.gz) tetapi salinan biasa berkas basis "
             "data yang sedang dipakai. Bila disalin (mis. dengan cp) selagi aplikasi kasir berjalan, "
             "perubahan terakhir yang masih di berkas -wal-nya (pengguna, setelan, kasir, penjualan) "
             "tidak ada di dalamnya, dan pemeriksaan tidak dapat mengetahuinya. Pulihkan dari cadangan "
             "pos backup (gerai-….db.gz) bila ada.")
LIVE_COPY_WITH_YES = ("{name} salinan biasa berkas basis data, bukan cadangan pos backup: tidak "
                      "dipulihkan dengan --yes. Ulangi tanpa --yes untuk menjawab pertanyaannya sendiri, "
                      "atau pulihkan dari cadangan pos backup (.db.gz). Tidak ada yang diubah.")


@dataclass(frozen=True)
class Candidate:
    plain: Path            # the backup decompressed, beside the live database
    revision: str | None   # its alembic_version (None: made without migrations)
    rows: int              # its sales
    newest_sale: datetime | None = None   # when its newest sale was made (naive UTC)
    outlets: tuple[str, ...] = ()         # the outlet codes it gave receipt numbers for
    live_copy: bool = False               # a plain copy of a live (WAL) file: perhaps incomplete


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
    files.refuse_empty(backup)
    plain = workdir.joinpath(f".pulih-{backup.name}{files.TEMP_SUFFIX}")
    try:
        packed = files.packed(backup)
        if not packed:
            _refuse_journal_beside(backup)
        files.decompress(backup, plain)
        live_copy = not packed and _wal_header(plain)
        if live_copy:   # its WAL is not here: our copy is the whole database, and makes no -wal
            _self_contained(plain)
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
        _remove(plain)
        raise BackupError("Berkas cadangan rusak: isi terkompresinya tidak utuh (salinan atau unduhan "
                          "yang rusak). Tidak ada yang diubah.") from None
    except (OSError, EOFError) as error:
        _remove(plain)
        raise BackupError(f"Berkas cadangan tidak dapat dibaca: {_unreadable(error)}. "
                          "Tidak ada yang diubah.") from None
    except sqlite3.DatabaseError:
        _remove(plain)
        raise BackupError("Berkas cadangan rusak: isinya bukan basis data SQLite yang utuh. "
                          "Tidak ada yang diubah.") from None
    except BaseException:
        _remove(plain)
        raise
    return Candidate(plain, revision, sales, _moment(newest), outlets, live_copy)


def _refuse_journal_beside(copy: Path) -> None:
    """``BackupError`` when a plain file's ``-wal`` or ``-journal`` beside it holds anything."""
    for suffix in ("-wal", "-journal"):
        journal = copy.with_name(copy.name + suffix)
        if journal.is_file() and journal.stat().st_size > 0:
            raise BackupError(f"Di samping {copy.name} ada {journal.name}: perubahan terakhir basis data "
                              "ini ada di berkas itu, dan pemulihan dari salinan biasa tidak memuatnya. "
                              "Pulihkan dari cadangan pos backup (gerai-….db.gz); salinan berkas basis "
                              "data hanya utuh bila dibuat selagi aplikasi kasir berhenti. Tidak ada "
                              "yang diubah.")


def _self_contained(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()


def _remove(plain: Path) -> None:
    """The decompressed copy, and whatever SQLite made beside it."""
    files.remove_quietly(plain, *(plain.with_name(plain.name + end) for end in ("-wal", "-shm", "-journal")))


def _wal_header(path: Path) -> bool:
    """Whether the SQLite file's header says WAL mode (a copy of a live database file)."""
    with open(path, "rb") as file:
        header = file.read(20)
    return len(header) == 20 and _WAL in (header[18], header[19])


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


def _copy(source: Path, target: Path, self_contained: bool = False) -> None:
    src = sqlite3.connect(source, timeout=30)
    try:
        dest = sqlite3.connect(target, timeout=30)
        try:
            src.backup(dest)
            if self_contained:   # a new file: no WAL header, restored later as the whole database
                dest.execute("PRAGMA journal_mode=DELETE")
        finally:
            dest.close()
    finally:
        src.close()


def replace(candidate: Candidate, live: Path, now: datetime,
            before_live: Callable[[str], object] | None = None) -> aside.Kept | None:
    """Keep ``live`` aside (``aside.keep``: as it is when it is damaged), then write the
    candidate over it; returns where and how the replaced database was kept (None when there
    was none). ``before_live`` gets the URL of the restored copy before it is written over
    ``live`` (``numbers.carry``). ``BackupError`` names only files that are there, and leaves
    no temporary file."""
    kept = None
    try:
        if before_live is not None:
            before_live(f"sqlite:///{candidate.plain}")
        if live.exists():
            kept = aside.keep(live, live.with_name(f"{live.name}{ASIDE}{now.strftime(STAMP)}"), _copy)
        if kept is not None and kept.damage is not None:   # never written into: renamed over
            aside.put_in_place(candidate.plain, live)
        else:
            _copy(candidate.plain, live)
    except (sqlite3.Error, SQLAlchemyError, OSError) as error:
        raise BackupError(" ".join([f"Pemulihan gagal: {_failed(error)}.", *_where(live, kept)])) from None
    finally:
        _remove(candidate.plain)
    return kept


def _where(live: Path, kept: aside.Kept | None) -> list[str]:
    """Where the replaced database is after a failed restore: only files that are there."""
    return ([f"Basis data lama tetap di {live}."] if live.exists() else []) + \
        ([f"Salinannya disimpan di {kept.path}."] if kept is not None and kept.path.exists() else [])


def _failed(error: BaseException) -> str:
    """Why a restore could not be written, in Indonesian (SQLite's and the system's words are English)."""
    if isinstance(error, OSError):
        return os_reason(error)
    original = getattr(error, "orig", None) or error
    said = damage(original)
    return f"berkas basis data rusak ({said})" if said else written(original)


def discard(candidate: Candidate) -> None:
    _remove(candidate.plain)


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
