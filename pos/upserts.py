"""``INSERT … ON CONFLICT`` for the database a connection talks to.

SQLAlchemy's ``on_conflict_do_nothing`` / ``on_conflict_do_update`` live in each dialect's own
``insert``; this picks it, in one place, for the numbering, card, credit and limit counters
and the ledger hub's inserts.
"""
from __future__ import annotations

from sqlalchemy.engine import Connection


def insert(conn: Connection, table):
    """``insert(table)`` of the connection's dialect, with its ``on_conflict_*`` methods."""
    return insert_for(conn.dialect.name, table)


def insert_for(dialect: str, table):
    """``insert(table)`` of the dialect named ``dialect`` (``postgresql``, else SQLite's)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    return dialect_insert(table)
