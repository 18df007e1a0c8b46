"""A SQLite engine's connection settings and how its transactions begin (``pos.db`` uses it).

Each connection runs in WAL with foreign keys, a busy timeout and ``synchronous=FULL``; with
a background checkpointer (``pos.wal``) SQLite's own checkpoint on commit is off.  Writes take
the lock up front (``BEGIN IMMEDIATE``, so two tills never deadlock upgrading a read lock);
reads get a deferred transaction, so one read sees one snapshot and anything written by mistake
is rolled back at close.  A cart edit (``pos_durable=False``) commits at ``synchronous=NORMAL``;
every connection goes back to FULL when it returns to the pool. ``opens_existing``: a file that
is not there is refused, never made empty.
"""
from __future__ import annotations

import os
import sqlite3
from urllib.parse import quote

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from pos.errors import DatabaseMissing

_SYNC = "pos_synchronous"  # the level a pooled connection was last set to (its record's info)


def tune(engine: Engine, busy_timeout_s: int, *, background_checkpoint: bool) -> None:
    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (below)
        for pragma in ("journal_mode=WAL", "foreign_keys=ON", f"busy_timeout={busy_timeout_s * 1000}",
                       "synchronous=FULL",
                       *(["wal_autocheckpoint=0"] if background_checkpoint else [])):
            dbapi_conn.execute(f"PRAGMA {pragma}")
        _record.info[_SYNC] = "FULL"

    @event.listens_for(engine, "begin")
    def _begin(conn):
        options = conn.get_execution_options()
        if options.get("pos_single_read"):  # ``glance``: one statement needs no BEGIN
            return
        # The level is set before BEGIN (not allowed inside): a durable one never inherits NORMAL.
        # Both on the DBAPI connection (through Core: 15 µs more a transaction), unless something
        # listens to the statements (as ``sql_direct``); a refused BEGIN (locked, read-only,
        # disk) is raised as Core's DBAPIError, as Core raises it.
        dbapi_conn = conn.connection.dbapi_connection
        _synchronous(dbapi_conn, conn.connection.info,
                     "NORMAL" if options.get("pos_durable") is False else "FULL")
        begin = f"BEGIN {'IMMEDIATE' if options.get('pos_write') else 'DEFERRED'}"
        if conn.dispatch.before_cursor_execute:
            conn.exec_driver_sql(begin)
            return
        try:
            dbapi_conn.execute(begin)
        except sqlite3.Error as error:
            raise DBAPIError.instance(begin, (), error, sqlite3.Error, dialect=conn.dialect) from error

    @event.listens_for(engine, "checkin")
    def _restore(dbapi_conn, record):
        if dbapi_conn is not None:  # back at FULL in the pool, whatever the transaction did
            _synchronous(dbapi_conn, record.info, "FULL")


def _synchronous(dbapi_conn, info: dict, level: str) -> None:
    if info.get(_SYNC) != level:
        dbapi_conn.execute(f"PRAGMA synchronous={level}")
        info[_SYNC] = level


def opens_existing(engine: Engine, path: str) -> None:
    """Every connection of ``engine`` opens ``path`` only when it is there: ``DatabaseMissing``
    otherwise, and SQLite's ``mode=rw`` (a file gone between the look and the open is SQLite's
    own refusal, never an empty file made in its place)."""
    @event.listens_for(engine, "do_connect")
    def _existing(_dialect, _record, cargs, cparams):
        if not os.path.exists(path):
            raise DatabaseMissing(path)
        cargs[:] = [f"file:{quote(path)}?mode=rw"]
        cparams["uri"] = True
