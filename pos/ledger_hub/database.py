"""The hub's database engine: ``pos.db``'s for SQLite, its own pool settings for PostgreSQL.

A push is a short transaction of a handful of statements, so what surrounds it counts:

- the pool keeps one connection per server thread (``pool_size``), so a busy process never
  closes and reopens the overflow connections of SQLAlchemy's default pool of five;
- a connection is checked (an empty statement) only when it comes out of the pool after
  idling ``IDLE_PING_SECONDS`` or more, instead of on every checkout (``pool_pre_ping``, one
  more round trip per push).  A connection that went bad between two pushes (the server
  restarted) fails that one push with a 5xx, which the outlet retries, and SQLAlchemy then
  replaces every pooled connection.
"""
from __future__ import annotations

import time

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError

from pos.db import Database, make_engine

IDLE_PING_SECONDS = 10
DEFAULT_POOL_SIZE = 8   # waitress's threads in ``pos ledger-hub serve``


def hub_database(url: str, pool_size: int = DEFAULT_POOL_SIZE) -> Database:
    """The hub's ``Database`` on ``url``; ``pool_size`` is the server's thread count."""
    if url.startswith("sqlite"):
        return Database(make_engine(url))
    engine = create_engine(url, pool_size=max(pool_size, 1), max_overflow=4)
    _ping_when_idle(engine)
    return Database(engine)


def _ping_when_idle(engine: Engine) -> None:
    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection, record) -> None:
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _taken(dbapi_connection, record, _proxy) -> None:
        returned = record.info.get("returned_at")
        if returned is None or time.monotonic() - returned < IDLE_PING_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:   # any failure: the pool opens a fresh connection instead
            raise DisconnectionError(f"hub connection failed its idle check: {error}") from error
