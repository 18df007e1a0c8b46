"""Engine, sessions and the one place that commits.

``transaction()`` is the only code in Gerai POS that calls commit or rollback:
views, CLI commands, the sync job and the benchmark open it around one service
call.  GET views read through ``read_session()``, whose work is discarded at
the end of the request.

SQLite runs with WAL, foreign keys, a busy timeout and ``synchronous=FULL`` (a
committed sale survives a power cut).  Write transactions start with ``BEGIN
IMMEDIATE`` so two tills never deadlock upgrading a read lock, and a background
thread checkpoints the WAL so no sale's commit pays for a checkpoint.

Every String/Text column of a model drops control characters from what is written
(``CleanString``), so no stored name can carry printer commands.

A write refused because the disk is full or the database is read-only (SQLite's
SQLITE_FULL / SQLITE_READONLY, PostgreSQL's 53100 / 25006) leaves ``transaction()`` as a
``StorageError`` with a message for the cashier, after the rollback: nothing is half-written.
"""
from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import BigInteger, Enum, Integer, MetaData, String, Text, TypeDecorator, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from pos.errors import StorageError
from pos.text import clean

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# 64-bit ids on PostgreSQL; on SQLite an INTEGER PRIMARY KEY is the rowid.
BigId = BigInteger().with_variant(Integer(), "sqlite")


def enum_column(enum_cls, length: int = 16):
    """A VARCHAR + CHECK column holding an enum's values (portable SQLite/PostgreSQL)."""
    return Enum(enum_cls, native_enum=False, create_constraint=True, length=length,
                values_callable=lambda e: [m.value for m in e], validate_strings=True,
                name=f"{enum_cls.__name__.lower()}_enum")


class CleanString(TypeDecorator):
    """VARCHAR whose values lose their control characters on the way in (``pos.text.clean``)."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return clean(value) if isinstance(value, str) else value


class CleanText(CleanString):
    impl = Text
    cache_ok = True


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {int: BigInteger()}

    def __init_subclass__(cls, **kwargs) -> None:
        """Every plain String/Text column of a model stores clean text, whether written
        through the ORM or a Core insert (executemany included): a name holding ``ESC p``
        must never reach a printer, a spreadsheet or a CSV file."""
        super().__init_subclass__(**kwargs)
        table = cls.__dict__.get("__table__")
        for column in table.columns if table is not None else ():
            if type(column.type) in (String, Text):
                column.type = (CleanText if type(column.type) is Text else CleanString)(column.type.length)


def make_engine(url: str, *, background_checkpoint: bool = False) -> Engine:
    """An engine for ``url`` with Gerai POS's connection settings."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 10, "check_same_thread": False})
        _tune_sqlite(engine, background_checkpoint)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    return engine


def _tune_sqlite(engine: Engine, background_checkpoint: bool) -> None:
    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (below)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=10000")
        cur.execute("PRAGMA synchronous=FULL")
        if background_checkpoint:
            cur.execute("PRAGMA wal_autocheckpoint=0")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        # Writes take the lock up front; reads get a deferred transaction, so one read
        # sees one snapshot and anything written by mistake is rolled back at close.
        mode = "IMMEDIATE" if conn.get_execution_options().get("pos_write") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")

    if background_checkpoint and engine.url.database not in (None, "", ":memory:"):
        _Checkpointer(engine.url.database).start()


class _Checkpointer(threading.Thread):
    """Moves WAL pages into the database every half second, off the request path."""

    def __init__(self, path: str, interval: float = 0.5):
        super().__init__(name="pos-wal-checkpoint", daemon=True)
        self.path, self.interval = path, interval

    def run(self) -> None:
        import sqlite3

        conn = sqlite3.connect(self.path, timeout=1, isolation_level=None)
        conn.execute("PRAGMA busy_timeout=1000")
        while True:
            time.sleep(self.interval)
            try:
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
            except sqlite3.Error:
                pass  # busy or file gone; the next round tries again
            if not Path(self.path).exists():
                conn.close()
                return


class Database:
    """The engine and session factory of one app (``app.extensions['pos_db']``)."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.sessions = sessionmaker(engine, expire_on_commit=False, autoflush=True)

    @contextmanager
    def _writing(self, keep: bool) -> Iterator[Session]:
        session = self.sessions()
        try:
            session.connection(execution_options={"pos_write": True})
            yield session
            if keep:
                session.commit()
        except DBAPIError as error:
            problem = storage_problem(error)
            if problem is None:
                raise
            logging.getLogger(__name__).error("Tulis ditolak (disk penuh/hanya-baca): %s", error.orig)
            raise StorageError(problem) from error
        finally:
            session.rollback()  # a no-op after a commit; undoes everything otherwise
            session.close()

    def transaction(self):
        """A write transaction: commits on a clean exit, rolls back on any error."""
        return self._writing(keep=True)

    def rehearsal(self):
        """A write transaction that is always rolled back: a dry run sees every check
        and every write, and keeps none of them."""
        return self._writing(keep=False)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only session; whatever it did is discarded.

        ``close()`` ends the transaction without expiring loaded objects, so they can
        still be read after the block.
        """
        session = self.sessions()
        try:
            yield session
        finally:
            session.close()


DISK_FULL = ("Penyimpanan komputer kasir penuh: transaksi ini tidak tersimpan dan tidak ada yang "
             "berubah. Panggil manajer untuk mengosongkan ruang disk (pos doctor), lalu coba lagi.")
READ_ONLY = ("Basis data tidak dapat ditulis (hanya-baca): transaksi ini tidak tersimpan dan tidak ada "
             "yang berubah. Panggil manajer untuk memeriksanya (pos doctor), lalu coba lagi.")


def storage_problem(error: DBAPIError) -> str | None:
    """The cashier's message when ``error`` says the disk is full or the database read-only."""
    original = error.orig
    code = getattr(original, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None   # SQLITE_READONLY_* share the low byte
    state = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    if primary == 13 or state == "53100":   # SQLITE_FULL; disk_full
        return DISK_FULL
    if primary == 8 or state == "25006":    # SQLITE_READONLY; read_only_sql_transaction
        return READ_ONLY
    return None


def init_app(app) -> Database:
    url = app.config["DATABASE_URL"] or f"sqlite:///{Path(app.instance_path) / 'pos.db'}"
    app.config["DATABASE_URL"] = url
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    database = Database(
        make_engine(url, background_checkpoint=app.config["SQLITE_BACKGROUND_CHECKPOINT"])
    )
    app.extensions["pos_db"] = database
    app.teardown_appcontext(_close_read_session)
    return database


def get_db(app=None) -> Database:
    from flask import current_app

    return (app or current_app).extensions["pos_db"]


def transaction(app=None):
    """Shortcut for ``get_db().transaction()`` inside an app context."""
    return get_db(app).transaction()


def read_session() -> Session:
    """The request's read session, opened on first use and discarded at teardown."""
    from flask import g

    if "pos_read_session" not in g:
        g.pos_read_session = get_db().sessions()
    return g.pos_read_session


def _close_read_session(_exc) -> None:
    from flask import g

    session = g.pop("pos_read_session", None)
    if session is not None:
        session.close()  # ends (rolls back) its transaction


def migrations_config(engine: Engine):
    """An Alembic config pointing at ``pos/migrations`` for ``engine``."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision``; running it again changes nothing."""
    from alembic import command

    command.upgrade(migrations_config(engine), revision)


@functools.lru_cache(maxsize=1)
def migration_revisions() -> tuple[frozenset[str], frozenset[str]]:
    """(every revision, the heads) of ``pos/migrations``: what this code knows; read once per
    process (Alembic loads every script)."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory(str(Path(__file__).parent / "migrations"))
    return frozenset(s.revision for s in scripts.walk_revisions()), frozenset(scripts.get_heads())


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
