"""Engine, sessions and the one place that commits.

``transaction()`` is the only code in Gerai POS that calls commit or rollback:
views, CLI commands, the sync job and the benchmark open it around one service
call.  GET views read through ``read_session()``, whose work is discarded at
the end of the request.

SQLite runs with WAL, foreign keys, a busy timeout and ``synchronous=FULL`` (a
committed sale survives a power cut; ``transaction(durable=False)`` lets a cart edit skip
the fsync).  Write transactions start with ``BEGIN IMMEDIATE`` so two tills never deadlock
upgrading a read lock, and a background thread checkpoints the WAL (``pos.wal``).  The
server's threads queue for that lock on one in-process lock per file (``writer_lock``): a
till waiting behind a sale starts the moment the sale commits, where SQLite's busy handler
would sleep 1, 2, 5, 10 … ms between tries (a 4 ms sale made the next scan wait 8 ms).

Every String/Text column of a model drops control characters from what is written
(``CleanString``), so no stored name can carry printer commands.

A write refused (disk full, read-only, or a lock held past ``BUSY_TIMEOUT_S``: SQLite's FULL /
READONLY / BUSY, PostgreSQL's 53100 / 25006 / 55P03) leaves ``transaction()`` as a
``StorageError`` with a message for the cashier, after the rollback: nothing is half-written.
A request notes its commits (``committed()``): an error after one is answered as "saved".
"""
from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import BigInteger, Enum, Integer, MetaData, String, Text, TypeDecorator, create_engine, event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from pos.errors import StorageError, database_unreachable, storage_problem
from pos.migrate import SchemaWatch, current_revision, migration_revisions, migrations_config, upgrade  # noqa: F401
from pos.sqlite_tune import opens_existing, tune
from pos.text import clean
from pos.wal import Checkpointer

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


BUSY_TIMEOUT_S = 10  # how long a writer waits for another before SQLite refuses it

_WRITERS: dict[str, threading.RLock] = {}
_WRITERS_GUARD = threading.Lock()


def writer_lock(path: str) -> threading.RLock:
    """The one lock this process's writers of the SQLite file ``path`` take before
    ``BEGIN IMMEDIATE`` (every ``Database`` on that file and its checkpointer share it).

    It only orders this process's threads; SQLite's own lock still decides between
    processes (a CLI command, the backup timer), so correctness never rests on it.  It is
    re-entrant so that a nested write in one thread meets SQLite's refusal, as it would
    without it, instead of waiting on itself."""
    key = os.path.realpath(path)
    with _WRITERS_GUARD:
        return _WRITERS.setdefault(key, threading.RLock())


def _file_path(url: URL) -> str | None:
    """The file of a SQLite database URL, or None (PostgreSQL, or a database in memory)."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return url.database


# A server restarted under the pool is reconnected; a lock is waited for as SQLite waits.
PG_ENGINE_OPTIONS = {"pool_pre_ping": True,
                     "connect_args": {"options": f"-c lock_timeout={BUSY_TIMEOUT_S}s"}}


def make_engine(url: str, *, background_checkpoint: bool = False, must_exist: bool = False) -> Engine:
    """An engine for ``url`` with Gerai POS's connection settings; ``must_exist``: a SQLite file
    that is not there is refused (``DatabaseMissing``), never made empty (``sqlite_tune.opens_existing``)."""
    if url.startswith("sqlite"):
        # The pool hands out the connection used last (LIFO): at one till every request reads
        # and writes on one connection, whose page cache its own commits keep; handed out in
        # turn, each read met the other connection's commit and read its pages anew (a cart
        # write and the staff-session read after it: 115 us in turn, 104 us on one connection).
        # A database in memory has a one-connection pool, which takes no such option.
        path = _file_path(make_url(url))
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S,
                                                      "check_same_thread": False},
                               **({"pool_use_lifo": True} if path is not None else {}))
        tune(engine, BUSY_TIMEOUT_S, background_checkpoint=background_checkpoint)
        if must_exist and path is not None and not path.startswith("file:"):   # a URI names its mode
            opens_existing(engine, os.path.abspath(path))
        if background_checkpoint and path is not None:
            checkpointer = Checkpointer(path, writer_lock(path))
            event.listen(engine, "engine_disposed", lambda _engine: checkpointer.stop())
            checkpointer.start()
    else:
        engine = create_engine(url, **PG_ENGINE_OPTIONS)
    return engine


class Database:
    """The engine and session factory of one app (``app.extensions['pos_db']``)."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.sessions = sessionmaker(engine, expire_on_commit=False, autoflush=True)
        path = _file_path(engine.url)
        self.writer = writer_lock(path) if path is not None else None
        self.schema = SchemaWatch(engine)   # whether its schema is this code's (``pos.migrate``)

    @contextmanager
    def _writing(self, keep: bool, durable: bool = True) -> Iterator[Session]:
        # Past the busy timeout the write goes on without the lock and SQLite decides (after
        # its own timeout: a write held longer than 10 s, a big import, may keep a till 20 s).
        held = self.writer is not None and self.writer.acquire(timeout=BUSY_TIMEOUT_S)
        try:
            with self._session_writing(keep, durable) as session:
                yield session
        finally:
            if held:
                self.writer.release()

    @contextmanager
    def _session_writing(self, keep: bool, durable: bool) -> Iterator[Session]:
        session = self.sessions()
        try:
            session.connection(execution_options={"pos_write": True, "pos_durable": durable})
            if not durable and self.engine.dialect.name == "postgresql":  # (SQLite: ``_begin``)
                session.connection().exec_driver_sql("SET LOCAL synchronous_commit = off")
            yield session
            if keep:
                session.commit()
        except DBAPIError as error:
            problem = storage_problem(error)
            if problem is None:
                raise
            logging.getLogger(__name__).error("Tulis ditolak: %s", error.orig)
            raise StorageError(problem) from error
        finally:
            session.rollback()  # a no-op after a commit; undoes everything otherwise
            session.close()

    @contextmanager
    def transaction(self, *, durable: bool = True, bookkeeping: bool = False) -> Iterator[Session]:
        """A write transaction: commits on a clean exit, rolls back on any error.

        ``durable=False`` is for what a power cut may lose and the cashier simply does again:
        cart edits and print-job bookkeeping, never money, stock or a document.  Its commit
        does not wait for the disk (SQLite ``synchronous=NORMAL``, PostgreSQL
        ``synchronous_commit=off``, for this transaction only); it is never half-kept, and in
        WAL the next durable commit puts it on the disk with its own.  In a request the commit
        is noted (``committed()``) unless ``bookkeeping``: a write the user did not ask for (the
        staff session's touch before every view).
        """
        with self._writing(keep=True, durable=durable) as session:
            yield session
        from flask import has_request_context, request
        if not bookkeeping and has_request_context():
            request.environ[_COMMITTED] = True

    def rehearsal(self):
        """A write transaction that is always rolled back: a dry run sees every check
        and every write, and keeps none of them."""
        return self._writing(keep=False)

    def glance(self, statement, params: dict):
        """The first row of one read ``sql_direct.Direct`` statement outside a transaction (on
        SQLite no BEGIN: one statement sees one snapshot), on a pooled DBAPI connection without a
        SQLAlchemy ``Connection`` around it; every request reads its staff session so.  While
        something listens to the engine's statements, through a ``Connection``, which it sees."""
        if self.engine.dispatch.before_cursor_execute:
            with self.engine.connect().execution_options(pos_single_read=True) as conn:
                return statement.first(conn, params)
        dialect = self.engine.dialect
        try:
            raw = self.engine.raw_connection()
        except dialect.loaded_dbapi.Error as error:  # the server is down: raised as Core raises it
            raise DBAPIError.instance(None, None, error, dialect.loaded_dbapi.Error,
                                      dialect=dialect) from error
        try:
            return statement.first_on(raw.dbapi_connection, dialect, params)
        except DBAPIError as error:  # a connection the server dropped never goes back to the pool
            if dialect.is_disconnect(error.orig, raw.dbapi_connection, None):
                raw.invalidate()
            raise
        finally:
            raw.close()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only session; whatever it did is discarded.  ``close()`` ends the transaction
        without expiring loaded objects, so they can still be read after the block."""
        session = self.sessions()
        try:
            yield session
        finally:
            session.close()


def init_app(app, *, must_exist: bool = False) -> Database:
    """The app's database; ``must_exist``: its SQLite file is never made (``make_engine``)."""
    url = app.config["DATABASE_URL"] or f"sqlite:///{Path(app.instance_path) / 'pos.db'}"
    app.config["DATABASE_URL"] = url
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    database = Database(make_engine(url, background_checkpoint=app.config["SQLITE_BACKGROUND_CHECKPOINT"],
                                    must_exist=must_exist))
    app.extensions["pos_db"] = database
    app.teardown_appcontext(_close_read_session)
    return database


def get_db(app=None) -> Database:
    from flask import current_app
    return (app or current_app).extensions["pos_db"]


def transaction(app=None, *, durable: bool = True):
    """Shortcut for ``get_db().transaction()`` inside an app context."""
    return get_db(app).transaction(durable=durable)


def read_session() -> Session:
    """The request's read session, opened on first use and discarded at teardown."""
    from flask import g
    if "pos_read_session" not in g:
        g.pos_read_session = get_db().sessions()
    return g.pos_read_session


_COMMITTED = "pos.committed"  # a key of the request's WSGI environ (``g`` may outlive a request)


def committed() -> bool:
    """True once a write transaction of this request has committed (False outside a request)."""
    from flask import has_request_context, request
    return has_request_context() and request.environ.get(_COMMITTED, False)


def _close_read_session(_exc) -> None:
    from flask import g
    if (session := g.pop("pos_read_session", None)) is not None:
        try:
            session.close()  # ends (rolls back) its transaction
        except DBAPIError as error:  # the server went away: nothing left to roll back, and
            if not database_unreachable(error):  # the answer already sent stays as it was
                raise
