"""A push's writes in as few round trips as the database allows (the hub's hot path).

A stored day document is one signature, one document row and some 40 rows of journal lines
and SHU basis.  On PostgreSQL that is two statements:

- ``remember_and_insert``: the signature and the document in one statement (two
  ``INSERT ... ON CONFLICT DO NOTHING`` in a ``WITH``, the document's only if the signature
  was new), answering which of the two went in;
- ``insert_rows``: every row of every table in one statement, each table's rows sent as one
  JSON array (one parameter) and unpacked by ``jsonb_to_recordset``.  The statement is the
  same short text for any number of rows, so psycopg prepares it once and the server plans
  it once.  The alternatives cost more where it counts, in Python: psycopg's executemany
  runs one INSERT per row on the server, SQLAlchemy's multi-row VALUES grows with the rows
  (psycopg parses it again each time and adapts every value), and one array per column has
  psycopg adapt every element (about five times the JSON's cost, measured).

SQLite (the demo and test backend, one writer at a time) gets the plain statements: one
insert each, executemany for the rows.  The statements are built once per dialect and
table set; only the values change.
"""
from __future__ import annotations

import functools
import json
from datetime import date, datetime

from sqlalchemy import Insert, Select, Table, Text, bindparam, cast, column, exists, func, insert, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from pos import upserts
from pos.ledger_hub import schema
from pos.ledger_hub.models import HubDocument, HubSeenSignature

SEEN, DOCUMENTS = HubSeenSignature.__table__, HubDocument.__table__
_PROCESSORS: dict[tuple[str, str], tuple] = {}


def remember(session: Session, signature: str, now: datetime) -> bool:
    """Record an accepted signature; False when it was already there (a replay)."""
    connection = session.connection()
    return connection.execute(_remembering(connection.dialect.name),
                              {"signature": signature, "seen_at": now}).first() is not None


def insert_document(session: Session, row: dict) -> bool:
    """Insert a document row; False when its id is already held (a concurrent insert of the
    same id is waited for on PostgreSQL, then counts as held if it committed)."""
    connection = session.connection()
    return connection.execute(_inserting(connection.dialect.name), row).first() is not None


def remember_and_insert(session: Session, signature: str, now: datetime, row: dict) -> tuple[bool, bool]:
    """``remember`` then, if the signature was new, ``insert_document``: (remembered, inserted);
    one round trip on PostgreSQL."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        if not remember(session, signature, now):
            return False, False
        return True, insert_document(session, row)
    seen, stored = connection.execute(_remembering_and_inserting(),
                                      {**row, "signature": signature, "seen_at": now}).one()
    return bool(seen), bool(stored)


def insert_rows(session: Session, rows: dict[Table, list[dict]]) -> None:
    """Insert each table's ``rows`` (dicts with every column), all in one statement on
    PostgreSQL; a month partition that vanished makes ``schema`` look it up again."""
    tables = tuple(table for table, batch in rows.items() if batch)
    if not tables:
        return
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        for table in tables:
            connection.execute(insert(table), rows[table])
        return
    values = {table.name: _json(table, rows[table], connection.dialect) for table in tables}
    try:
        connection.execute(_from_json(tables), values)
    except DBAPIError:   # e.g. a month's partition detached by hand: look it up again next time
        schema.forget_months(connection.engine)
        raise


@functools.cache
def _remembering(dialect: str) -> Insert:
    return (upserts.insert_for(dialect, SEEN).on_conflict_do_nothing(index_elements=["signature"])
            .returning(SEEN.c.signature))


@functools.cache
def _inserting(dialect: str) -> Insert:
    return (upserts.insert_for(dialect, DOCUMENTS).on_conflict_do_nothing(index_elements=["document_id"])
            .returning(DOCUMENTS.c.document_id))


@functools.cache
def _remembering_and_inserting() -> Select:
    """``WITH seen AS (INSERT signature ...), stored AS (INSERT document ... WHERE EXISTS seen)
    SELECT count(seen), count(stored)``: both inserts run once, whatever the SELECT reads."""
    seen = (postgresql.insert(SEEN).values(signature=bindparam("signature"), seen_at=bindparam("seen_at"))
            .on_conflict_do_nothing(index_elements=["signature"]).returning(SEEN.c.signature).cte("seen"))
    values = select(*[bindparam(column.key, type_=column.type) for column in DOCUMENTS.columns]) \
        .where(exists(select(seen.c.signature)))
    stored = (postgresql.insert(DOCUMENTS).from_select(DOCUMENTS.c.keys(), values)
              .on_conflict_do_nothing(index_elements=["document_id"]).returning(DOCUMENTS.c.document_id)
              .cte("stored"))
    return select(select(func.count()).select_from(seen).scalar_subquery(),
                  select(func.count()).select_from(stored).scalar_subquery())


def _json(table: Table, batch: list[dict], dialect) -> str:
    """``batch`` as one JSON array, each value first processed by its column's type as a
    bound value would be (``CleanString`` cleans names); dates as ISO text."""
    processors = _processors(table, dialect)
    if processors:
        batch = [{**row, **{key: process(row[key]) for key, process in processors}} for row in batch]
    return json.dumps(batch, ensure_ascii=False, separators=(",", ":"), default=_iso)


def _iso(value) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def _processors(table: Table, dialect) -> tuple:
    """(column, bind processor) of ``table``'s columns that have one, once per dialect name
    (keyed by name, not by the dialect object, so engines come and go without piling up)."""
    key = (table.name, dialect.name)
    if key not in _PROCESSORS:
        found = ((c.key, c.type.dialect_impl(dialect).bind_processor(dialect)) for c in table.columns)
        _PROCESSORS[key] = tuple((name, process) for name, process in found if process is not None)
    return _PROCESSORS[key]


@functools.cache
def _from_json(tables: tuple[Table, ...]) -> Insert:
    """``WITH t2 AS (INSERT INTO t2 SELECT ... FROM jsonb_to_recordset(:t2)), ... INSERT INTO t1
    SELECT ... FROM jsonb_to_recordset(:t1) AS r(a type, ...)``."""
    first, *others = tables
    statement = _one_table(first)
    for table in others:
        statement = statement.add_cte(_one_table(table).cte(f"rows_{table.name}"))
    return statement


def _one_table(table: Table) -> Insert:
    """One table's insert from its JSON array.  The record's types drop any length, so a
    value too long fails the insert as a VALUES row would (a cast to ``varchar(n)`` would cut
    it silently)."""
    def unbounded(kind):
        return type(kind)() if getattr(kind, "length", None) else kind

    fields = [column(c.key, unbounded(c.type)) for c in table.columns]
    source = func.jsonb_to_recordset(cast(bindparam(table.name, type_=Text), JSONB)) \
        .table_valued(*fields).render_derived(with_types=True)
    return insert(table).from_select(table.c.keys(), select(*source.c))
