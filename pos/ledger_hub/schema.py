"""The hub's schema: created on first use, and the month partitions of the journal.

No Alembic here: ``ensure`` runs ``create_all`` (idempotent) and keeps one row in
``hub_schema_version``; a later version adds its steps to ``_MIGRATIONS``.  On PostgreSQL it
holds an advisory lock so two processes starting together do not both create tables.
"""
from __future__ import annotations

import weakref
from datetime import date

from sqlalchemy import select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from pos.clock import utcnow
from pos.errors import PosError
from pos.ledger_hub import shu_models  # noqa: F401  (the SHU tables live on the same MetaData)
from pos.ledger_hub.models import SCHEMA_VERSION, HubSchemaVersion, metadata

SCHEMA_LOCK = 0x6765_7261_6900_0001     # pg_advisory_xact_lock key for schema changes
PARTITION_LOCK = 0x6765_7261_6900_0002  # ... and for creating a month's partition
_MIGRATIONS: dict[int, list[str]] = {   # version -> SQL run to reach it from version - 1
    2: ["ALTER TABLE hub_operator ADD COLUMN sessions_valid_after TIMESTAMP"],
}
# month partitions known to exist, per engine (a process's own; set.add is atomic under the GIL)
_known_months: weakref.WeakKeyDictionary[Engine, set[str]] = weakref.WeakKeyDictionary()


class SchemaTooNew(PosError):
    pass


def ensure(engine: Engine) -> int:
    """Create or migrate the hub's tables; returns the schema version. Safe to run again.
    ``SchemaTooNew`` (and nothing changed) for a database a newer version of the hub made."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
        metadata.create_all(conn)
        row = conn.execute(select(HubSchemaVersion.version).where(HubSchemaVersion.id == 1)).first()
        current = row[0] if row else 0
        if current > SCHEMA_VERSION:  # a newer hub's database (or its restore): never marked older
            raise SchemaTooNew(f"Basis data hub ini dari versi aplikasi yang lebih baru (skema "
                               f"{current}, aplikasi ini {SCHEMA_VERSION}). Perbarui aplikasi hub; "
                               "tidak ada yang diubah.")
        for version in range(current + 1, SCHEMA_VERSION + 1):
            for statement in _MIGRATIONS.get(version, []) if current else []:
                conn.execute(text(statement))
        if row is None:
            conn.execute(HubSchemaVersion.__table__.insert().values(id=1, version=SCHEMA_VERSION,
                                                                    updated_at=utcnow()))
        elif current != SCHEMA_VERSION:
            conn.execute(HubSchemaVersion.__table__.update().where(HubSchemaVersion.id == 1)
                         .values(version=SCHEMA_VERSION, updated_at=utcnow()))
    return SCHEMA_VERSION


def month_bounds(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, following


def partition_name(day: date) -> str:
    return f"hub_journal_line_p{day:%Y%m}"


def ensure_month(session: Session, day: date) -> str | None:
    """On PostgreSQL, the partition holding ``day`` (created now, in the caller's transaction,
    if it is the month's first document); None on SQLite (one plain table).

    A month found already there is remembered for the engine, so later documents of that
    month ask the catalogue nothing; one made by this transaction is not (it may yet roll
    back).  ``forget_months`` drops what is remembered (a partition detached by hand)."""
    conn: Connection = session.connection()
    if conn.dialect.name != "postgresql":
        return None
    name = partition_name(day)
    known = _known_months.setdefault(conn.engine, set())
    if name in known:
        return name
    if conn.execute(text("SELECT to_regclass(:name)"), {"name": name}).scalar() is not None:
        known.add(name)
        return name
    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PARTITION_LOCK})
    first, following = month_bounds(day)
    conn.execute(text(f"CREATE TABLE IF NOT EXISTS {name} PARTITION OF hub_journal_line "
                      f"FOR VALUES FROM ('{first.isoformat()}') TO ('{following.isoformat()}')"))
    return name


def forget_months(engine: Engine) -> None:
    """Ask the catalogue again for every month (a write into a month failed)."""
    _known_months.pop(engine, None)


def partitions(conn: Connection) -> list[str]:
    """The names of hub_journal_line's partitions (PostgreSQL), sorted."""
    rows = conn.execute(text("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                             "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'hub_journal_line' "
                             "ORDER BY c.relname"))
    return [r[0] for r in rows]
