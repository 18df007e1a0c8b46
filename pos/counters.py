"""Gap-free counters: receipt, return and member-document numbers, member-card serials.

A counter is a row per key (an outlet's code, a card prefix) holding ``last_no``. ``next``
bumps it with one ``UPDATE … RETURNING`` inside the caller's transaction: the row stays locked
until the commit, so concurrent tills queue there, and a rollback undoes the bump, so no
number is lost or given twice. The very first number creates the row (two tills creating it at
once both get on: ``INSERT … ON CONFLICT DO NOTHING``).

``hold`` takes the row's lock before the caller looks at anything (a write that changes
nothing), so two requests carrying one idempotency key run one after the other on every
database and the second sees what the first committed. SQLite needs no statement for it: a
write transaction there begins ``IMMEDIATE`` (one writer at a time).
"""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Table, bindparam
from sqlalchemy.orm import Session

from pos import upserts
from pos.sql_direct import Direct


class Counter:
    """The counters of ``table``, one row per value of its ``key`` column."""

    def __init__(self, table: Table, key: str = "outlet_code"):
        self.table, self.key = table, key
        row = table.c[key] == bindparam("key")
        self._bump = Direct(table.update().where(row).values(last_no=table.c.last_no + 1)
                            .returning(table.c.last_no))  # every sale: on the cursor
        self._lock = table.update().where(row).values(last_no=table.c.last_no)

    def create(self, session: Session, key: str, start: int = 0) -> bool:
        """The counter of ``key`` at ``start`` unless it exists; True when this call made it
        (another till may make it at the same moment: that one's row stands)."""
        conn = session.connection()
        made = (upserts.insert(conn, self.table).values({self.key: key, "last_no": start})
                .on_conflict_do_nothing().returning(self.table.c[self.key]))
        return conn.execute(made).scalar() is not None  # psycopg's rowcount here is -1

    def hold(self, session: Session, key: str) -> None:
        """Queue this transaction behind any other holding or bumping ``key``'s counter."""
        conn = session.connection()
        if conn.dialect.name == "sqlite":
            return  # BEGIN IMMEDIATE already made this transaction the only writer
        if conn.execute(self._lock, {"key": key}).rowcount == 0:
            self.create(session, key)  # waits for a concurrent insert of the same row, if any
            conn.execute(self._lock, {"key": key})

    def next(self, session: Session, key: str, start: Callable[[], int] | None = None) -> int:
        """The next number of ``key``'s counter, in this transaction. A new counter starts
        after ``start()`` (the highest number already given some other way), else after 0."""
        conn = session.connection()
        number = self._bump.scalar(conn, {"key": key})
        if number is None:
            self.create(session, key, start() if start else 0)
            number = self._bump.scalar(conn, {"key": key})
        return number
