"""User-facing failures: ``PosError`` and its kinds.

A ``PosError`` carries a message a cashier can read (Bahasa Indonesia) and an
HTTP status.  Services raise them; views never catch them: the one handler
(``pos.error_views.register``) renders the messages partial for htmx
requests, or flashes and redirects back; a CLI command prints the message.
"""
from __future__ import annotations

import sqlite3


class PosError(Exception):
    status = 422
    # The page that asked is out of date (a till left open after its shift closed): htmx
    # reloads it, with the message on it (``pos.error_views``).
    reload = False
    # The form field refused (its ``name``), when one is: htmx answers name it in the
    # ``X-Pos-Field`` header, for the page's script to put the person back in it.
    field: str | None = None

    def __init__(self, message: str, status: int | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        if field is not None:
            self.field = field


def typed(text: str | None, most: int, what: str, error: type[PosError] = PosError) -> str:
    """What was typed in a field that holds at most ``most`` characters, without its outer
    spaces; longer is refused, saying so, never cut to fit (the form's maxlength stops a person
    at the counter: a tampered or scripted request gets the message and changes nothing)."""
    text = (text or "").strip()
    if len(text) > most:
        raise error(f"{what} terlalu panjang (paling banyak {most} huruf).")
    return text


class NotFound(PosError):
    status = 404


class Forbidden(PosError):
    status = 403


class StorageError(PosError):
    """The database refused a write: the disk is full, the database is read-only, or a lock
    was waited for in vain (``BUSY``).  The transaction was rolled back whole (``pos.db``),
    so trying again later is safe."""
    status = 503


DISK_FULL = ("Penyimpanan komputer kasir penuh: transaksi ini tidak tersimpan dan tidak ada yang "
             "berubah. Panggil manajer untuk mengosongkan ruang disk (pos doctor), lalu coba lagi.")
READ_ONLY = ("Basis data tidak dapat ditulis (hanya-baca): transaksi ini tidak tersimpan dan tidak ada "
             "yang berubah. Panggil manajer untuk memeriksanya (pos doctor), lalu coba lagi.")


BUSY = ("Data yang sama sedang diubah di tempat lain (misalnya impor daftar e-RDKK atau tutup "
        "hari) dan belum selesai: transaksi ini tidak tersimpan dan tidak ada yang berubah. "
        "Tunggu sebentar lalu coba lagi.")


def storage_problem(error) -> str | None:
    """The cashier's message when ``error`` (SQLAlchemy's ``DBAPIError``) says the disk is full,
    the database read-only, or another writer's lock was waited for in vain (SQLite's busy
    timeout, PostgreSQL's ``lock_timeout``: ``pos.db``); None for any other error.
    ``pos.db.transaction`` asks it."""
    original = error.orig
    code = getattr(original, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None   # SQLITE_READONLY_* share the low byte
    state = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    if primary == 13 or state == "53100":   # SQLITE_FULL; disk_full
        return DISK_FULL
    if primary == 8 or state == "25006":    # SQLITE_READONLY; read_only_sql_transaction
        return READ_ONLY
    if primary == 5 or state == "55P03":    # SQLITE_BUSY; lock_not_available
        return BUSY
    return None


DB_UNREACHABLE = ("Basis data tidak menjawab (server basis data mati atau sedang dimulai ulang): "
                  "permintaan ini tidak tersimpan dan tidak ada yang berubah. Tunggu sebentar lalu "
                  "coba lagi; bila berulang, panggil manajer (pos doctor).")
# PostgreSQL's SQLSTATEs of a server going or gone: admin/crash shutdown, cannot connect now,
# and the connection exceptions (class 08).
_SERVER_GONE = {"57P01", "57P02", "57P03", "08000", "08001", "08003", "08004", "08006"}


def database_unreachable(error) -> bool:
    """True when ``error`` (SQLAlchemy's ``DBAPIError``) says the database server could not be
    reached or dropped the connection (PostgreSQL down, restarting, or the backend ended):
    nothing of the request was committed, and trying again later is safe."""
    if getattr(error, "connection_invalidated", False):
        return True
    original = error.orig
    state = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    if state in _SERVER_GONE:
        return True
    # psycopg: a refused or broken connection is an OperationalError without a SQLSTATE
    # (sqlite3's errors have no ``sqlstate`` at all: "database is locked" is not this).
    return (hasattr(original, "sqlstate") and state is None
            and type(original).__name__ == "OperationalError")


# SQLite's words for a damaged file, in the operator's: SQLITE_CORRUPT ("database disk image is
# malformed": pages overwritten) and SQLITE_NOTADB ("file is not a database": its header)
_DAMAGE = {11: "isinya tidak utuh", 26: "tidak terbaca sebagai basis data SQLite"}


def damage(original: BaseException) -> str | None:
    """What is wrong with the SQLite file, in Indonesian, when ``original`` (``sqlite3``'s own
    error) says it is damaged; None for any other error."""
    code = getattr(original, "sqlite_errorcode", None)
    return _DAMAGE.get(code & 0xFF) if isinstance(code, int) else None


def damaged(error) -> bool:
    """True when ``error`` (SQLAlchemy's ``DBAPIError``) says the SQLite file itself is damaged
    (``damage``). Waiting or starting again does not help; a backup does (``pos restore``)."""
    return damage(error.orig) is not None


def unusable_page(error) -> str | None:
    """The server's answer when ``error`` (SQLAlchemy's ``DBAPIError``) says the SQLite file is
    damaged (``damage``) or not there (``DatabaseMissing``): what the cashier reads, and who
    puts it right (``pos.error_views``); None for any other error."""
    if (said := damage(error.orig)) is not None:
        what = f"Basis data rusak ({said})"
    elif isinstance(error.orig, DatabaseMissing):
        what = "Berkas basis data tidak ada"
    else:
        return None
    return (f"{what}: penjualan tidak dapat disimpan, dan tidak ada yang berubah. Panggil manajer untuk "
            "memeriksanya dengan pos doctor dan memulihkan cadangan baik yang terakhir dengan pos restore "
            "FILE, lalu muat ulang halaman ini.")


def damaged_file(error) -> str:
    """The command line's one line for a damaged file (``damaged``)."""
    return f"berkas basis data rusak ({damage(error.orig)}). Pulihkan dari cadangan: pos restore FILE."


MISSING = ("Basis data {path} tidak ada: pulihkan dari cadangan (pos restore FILE), atau pos init untuk "
           "gerai baru.")


class DatabaseMissing(sqlite3.OperationalError):
    """The outlet's SQLite file is not there: ``pos.db.make_engine(must_exist=True)`` refuses to
    open it rather than let SQLite make it empty (a file moved away, a disk not mounted: the
    numbers already printed would be given again). Raised as SQLite's own error, so whatever
    handles a database that cannot be opened handles it; ``missing`` tells it apart."""

    def __init__(self, path: str):
        super().__init__(MISSING.format(path=path))
        self.path = path


def missing(error) -> str | None:
    """The one line for a SQLite file that is not there (``DatabaseMissing``), when ``error``
    (SQLAlchemy's ``DBAPIError``) is that; None for any other error."""
    original = getattr(error, "orig", None)
    return str(original) if isinstance(original, DatabaseMissing) else None
