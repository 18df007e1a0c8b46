"""Which statements a block ran (for the tests that count them), and SQLite's plan for them (for
the tests that hold a look-up to its index: EXPLAIN QUERY PLAN; PostgreSQL's plan depends on its
statistics)."""
from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event


@contextmanager
def statements(db):
    """The statements run on the database inside the block, one line each."""
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args):
        seen.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


@contextmanager
def selects(db):
    """The SELECT statements run inside the block, with their parameters."""
    seen: list[tuple[str, tuple]] = []

    def note(_conn, _cursor, statement, parameters, *_args):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


def plans(db, seen, marker: str, step_holding: str = "") -> list[str]:
    """The plan of each statement holding ``marker``, one string per statement: its steps (those
    naming ``step_holding`` only, when given) joined with "; "."""
    found = []
    with db.engine.connect() as conn:
        for statement, parameters in seen:
            if marker in statement:
                steps = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
                found.append("; ".join(step[-1] for step in steps if step_holding in step[-1]))
    return found
