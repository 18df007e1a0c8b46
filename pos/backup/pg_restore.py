"""``pos restore`` and ``pos ledger-hub restore`` on PostgreSQL: put a ``pg_dump`` archive
back in place of the live database (an outlet's, ``OUTLET``, or the ledger hub's, ``HUB``).

An archive is checked before anything changes: its table of contents reads
(``pg_restore --list``), it holds the rows of the table that makes it that kind of database
(the sales, the hub's documents), every block reads back, and its schema version (Alembic's
revision, the hub's ``hub_schema_version``) is one this version of the app knows.

Then it is restored into a new database beside the live one (``<db>_pulih_<stamp>``, in one
transaction, stopping at the first error) and that table's rows counted; only then are the two
swapped by two renames: the live database becomes ``<db>_sebelum_<stamp>`` (its connections
ended first) and the new one takes its name. Until the swap the live database is untouched, and a
failed restore leaves only the half-made copy, which is dropped. The replaced database stays
whole and can be opened at once (no second restore needed, unlike a dump kept aside); it is
dropped by hand once no longer needed."""
from __future__ import annotations

from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from pos.backup import files, outlet, pg, pg_dump
from pos.backup.errors import BackupError

ASIDE, STAGING = "_sebelum_", "_pulih_"
STAMP = "%Y%m%d_%H%M%S"
NAME_MAX = 63          # PostgreSQL's identifier length, in bytes
RENAME_TRIES = 3       # a till reconnecting between ending its connections and the rename
UNCHANGED = "Tidak ada yang diubah."


@dataclass(frozen=True)
class Kind:
    """A kind of database a dump may hold: the table that makes it one (``anchor``, the one its
    backup checks; its rows are counted in the archive and again once restored), and where it
    keeps its schema version."""

    anchor: pg_dump.Anchor
    name: str              # the database, in messages
    version_table: str
    version_column: str
    moment_column: str | None = None   # when an anchor row was made (naive UTC): the newest is read
    outlets: bool = False              # an outlet's: whose receipt numbers it holds is read


OUTLET = Kind(pg_dump.SALE, "basis data Gerai POS", "alembic_version", "version_num", "created_at", True)
HUB = Kind(pg_dump.HUB, "basis data hub buku besar", "hub_schema_version", "version")


@dataclass(frozen=True)
class Candidate:
    archive: Path
    revision: str | None   # its schema version (None: made without one)
    rows: int              # rows of ``kind.anchor.table``
    kind: Kind = OUTLET
    newest_sale: datetime | None = None   # the newest anchor row's ``moment_column`` (naive UTC)
    outlets: tuple[str, ...] = ()         # the outlet codes it gave receipt numbers for


def inspect(archive: Path, target: pg.Target, known: set[str], kind: Kind = OUTLET) -> Candidate:
    """Check ``archive``; ``BackupError`` when it is damaged, not a database of ``kind``, or
    from a newer schema (one not in ``known``). Reads only the file."""
    if not archive.is_file():
        raise BackupError(f"Berkas {archive} tidak ditemukan. {UNCHANGED}")
    files.refuse_empty(archive)
    try:
        entries = pg.toc(archive, target)
    except BackupError as error:
        raise BackupError(f"Berkas cadangan rusak atau bukan cadangan pg_dump ({error.message}) "
                          + UNCHANGED) from None
    anchor = kind.anchor
    if not pg.has_data(entries, anchor.table):
        raise BackupError(f"{archive.name} bukan cadangan {kind.name}. {UNCHANGED}")
    try:
        pg.read_through(archive, target)
    except BackupError as error:
        raise BackupError(f"Berkas cadangan rusak ({error.message}) {UNCHANGED}") from None
    revision = None
    if pg.has_data(entries, kind.version_table):
        with closing(pg.rows(archive, kind.version_table, kind.version_column, target)) as found:
            revision = next(found, None)
    if revision is not None and revision not in known:
        raise BackupError(f"Cadangan ini dari versi aplikasi yang lebih baru (skema {revision}). "
                          f"Perbarui aplikasi dulu, lalu pulihkan. {UNCHANGED}")
    count, newest = _count_newest(archive, kind, target)
    return Candidate(archive, revision, count, kind, newest, _outlets(archive, entries, kind, target))


def _count_newest(archive: Path, kind: Kind, target: pg.Target) -> tuple[int, datetime | None]:
    """The rows of the kind's anchor table, and the newest of their ``moment_column``."""
    columns = [kind.anchor.column, *([kind.moment_column] if kind.moment_column else [])]
    count, newest = 0, None
    with closing(pg.records(archive, kind.anchor.table, columns, target)) as found:
        for values in found:
            count += 1
            moment = _moment(values[-1]) if kind.moment_column else None
            if moment is not None and (newest is None or moment > newest):
                newest = moment
    return count, newest


def _moment(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:   # \N (null), or a form Python does not read: no moment rather than no restore
        return None


def _outlets(archive: Path, entries: list[str], kind: Kind, target: pg.Target) -> tuple[str, ...]:
    """The outlet codes the archive's receipt counter gave numbers for (``outlet``; none in a
    hub's archive, or in an outlet's that sold nothing)."""
    table, code, last = outlet.RECEIPTS
    if not kind.outlets or not pg.has_data(entries, table):
        return ()
    with closing(pg.records(archive, table, (code, last), target)) as found:
        counters = {row[0]: int(row[1]) if row[1].isdigit() else None for row in found}
    return tuple(sorted(outlet.numbered(counters)))


def names(live: str, now: datetime) -> tuple[str, str]:
    """(the new database's temporary name, the name the replaced one is kept under)."""
    def named(tag: str) -> str:
        suffix = f"{tag}{now.strftime(STAMP)}"
        return live.encode()[:NAME_MAX - len(suffix)].decode(errors="ignore") + suffix
    return named(STAGING), named(ASIDE)


def _admin(url: URL) -> Engine:
    """An autocommit engine on the server's maintenance database (``postgres``, else
    ``template1``): a database cannot be renamed from a connection to itself."""
    problem = None
    for name in ("postgres", "template1"):
        engine = create_engine(url.set(database=name), isolation_level="AUTOCOMMIT", poolclass=NullPool)
        try:
            with engine.connect():
                return engine
        except SQLAlchemyError as error:
            problem = error
            engine.dispose()
    raise BackupError(f"Tidak dapat tersambung ke server PostgreSQL: {getattr(problem, 'orig', problem)}. "
                      + UNCHANGED)


def _q(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote_identifier(name)


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _exists(conn: Connection, name: str) -> bool:
    return conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": name}).first() is not None


def _create_like(conn: Connection, live: str, staging: str) -> bool:
    """Create ``staging`` with the live database's encoding, locale, owner and settings;
    False when there is no live database (nothing to keep aside)."""
    row = conn.execute(text(
        "SELECT oid, pg_encoding_to_char(encoding), datcollate, datctype, pg_get_userbyid(datdba) "
        "FROM pg_database WHERE datname = :d"), {"d": live}).first()
    if _exists(conn, staging):
        raise BackupError(f"Basis data {staging} sudah ada. Coba lagi sebentar lagi. {UNCHANGED}")
    like = "" if row is None else (f" ENCODING {_literal(row[1])} LC_COLLATE {_literal(row[2])} "
                                   f"LC_CTYPE {_literal(row[3])} OWNER {_q(conn, row[4])}")
    conn.execute(text(f"CREATE DATABASE {_q(conn, staging)} TEMPLATE template0{like}"))
    if row is None:
        return False
    settings = conn.execute(text("SELECT unnest(setconfig) FROM pg_db_role_setting "
                                 "WHERE setdatabase = :oid AND setrole = 0"), {"oid": row[0]}).scalars()
    try:
        for setting in list(settings):
            key, value = setting.split("=", 1)
            conn.execute(text(f"ALTER DATABASE {_q(conn, staging)} SET {_q(conn, key)} TO {_literal(value)}"))
    except BaseException:
        conn.execute(text(f"DROP DATABASE IF EXISTS {_q(conn, staging)}"))
        raise
    return True


def _count(url: URL, table: str) -> int:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return conn.execute(text(f"SELECT count(*) FROM public.{table}")).scalar()
    finally:
        engine.dispose()


def _fill(candidate: Candidate, url: URL, target: pg.Target, staging: str) -> None:
    pg.run(pg.PG_RESTORE, ["--exit-on-error", "--single-transaction", *target.args(staging),
                           str(candidate.archive)], target, "pg_restore")
    anchor = candidate.kind.anchor
    restored = _count(url.set(database=staging), anchor.table)
    if restored != candidate.rows:
        raise BackupError(f"Hasil pemulihan memuat {restored} {anchor.what}, cadangan {candidate.rows}.")


def _rename_live(conn: Connection, live: str, aside: str) -> None:
    """End every other connection to ``live`` and rename it; tried again when a till got back
    in between (PostgreSQL itself waits a few seconds for ended sessions to go)."""
    for attempt in range(1, RENAME_TRIES + 1):
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = :d AND pid <> pg_backend_pid()"), {"d": live})
        try:
            conn.execute(text(f"ALTER DATABASE {_q(conn, live)} RENAME TO {_q(conn, aside)}"))
            return
        except SQLAlchemyError as error:
            if attempt == RENAME_TRIES:
                raise BackupError(f"Basis data {live} masih dipakai ({error.orig}). Hentikan dulu "
                                  f"aplikasi kasir, lalu coba lagi. {UNCHANGED}") from None


def _swap(conn: Connection, live: str, staging: str, aside: str | None) -> None:
    if aside is not None:
        _rename_live(conn, live, aside)
    try:
        conn.execute(text(f"ALTER DATABASE {_q(conn, staging)} RENAME TO {_q(conn, live)}"))
    except SQLAlchemyError as error:
        if aside is not None:
            conn.execute(text(f"ALTER DATABASE {_q(conn, aside)} RENAME TO {_q(conn, live)}"))
        raise BackupError(f"Pemulihan gagal: {error.orig}. {UNCHANGED}") from None


def replace(candidate: Candidate, url: URL, now: datetime,
            before_live: Callable[[URL], object] | None = None) -> str | None:
    """Restore ``candidate`` in place of the database at ``url``; returns the name the replaced
    database is kept under (None when there was none). ``BackupError`` leaves it as it was.
    ``before_live`` gets the URL of the restored copy before the swap (``numbers.carry``)."""
    target = pg.Target.from_url(url)
    live = target.dbname
    staging, aside = names(live, now)
    admin = _admin(url)
    try:
        with admin.connect() as conn:
            if _exists(conn, aside):
                raise BackupError(f"Basis data {aside} sudah ada. Coba lagi sebentar lagi. {UNCHANGED}")
            had_live = _create_like(conn, live, staging)
        try:
            _fill(candidate, url, target, staging)
            if before_live is not None:
                before_live(url.set(database=staging))
            with admin.connect() as conn:
                _swap(conn, live, staging, aside if had_live else None)
        except BaseException:
            with admin.connect() as conn:
                conn.execute(text(f"DROP DATABASE IF EXISTS {_q(conn, staging)} WITH (FORCE)"))
            raise
    except BackupError as error:
        if UNCHANGED in error.message:
            raise
        raise BackupError(f"Pemulihan gagal: {error.message} {UNCHANGED}") from None
    except SQLAlchemyError as error:
        raise BackupError(f"Pemulihan gagal: {getattr(error, 'orig', error)}. {UNCHANGED}") from None
    finally:
        admin.dispose()
    return aside if had_live else None
