"""Prebuilt statements of the till's hot path, run straight on the DBAPI cursor.

SQLAlchemy Core spends about 15 µs of Python on every statement it runs (its execution
context, result metadata and events): ten times what SQLite takes for an indexed read, and a
scan runs eight of them.  A ``Direct`` statement is still written with Core, so the schema and
both dialects stay in one place; it is compiled once per dialect, then run on the cursor of the
caller's own connection, inside its transaction, with the bind and result conversions SQLAlchemy
itself would apply (dates, booleans, enums, tidied strings).  Rows are named tuples: read by
name or by position, as a Core row.

While anything listens to the engine's statements (``before_cursor_execute``: a test counting
them, a fault injected), a ``Direct`` statement runs through Core as usual, so it sees them.
A database error is raised as SQLAlchemy's own (``DBAPIError``), as Core raises it, so callers
catch one kind.
"""
from __future__ import annotations

import weakref
from collections import namedtuple
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Enum, String, bindparam, exc
from sqlalchemy.engine import Connection
from sqlalchemy.sql import ClauseElement


@dataclass(frozen=True)
class _Plan:
    sql: str
    compiled: Any
    names: tuple[str, ...] | None  # positional parameter order; None: the driver takes a dict
    binds: tuple[tuple[str, Any], ...]  # (parameter, converter) where the type converts
    row: Any  # the named tuple class of a statement that returns rows, else None
    converters: tuple[tuple[int, Any], ...]  # (column, converter) where the type converts


class _EnumLookup(dict):
    """A stored enum value -> its member, as SQLAlchemy's own result processor for an ``Enum``
    column maps it, in one C call (its processor is two Python frames a value, and a cart's
    lines carry seven enum columns each); a value not among them raises its ``LookupError``."""

    __slots__ = ("type",)

    def __init__(self, type_: Enum):
        super().__init__(type_._object_lookup)
        self.type = type_

    def __missing__(self, value):
        return self.type._object_value_for_elem(value)  # raises, naming the enum and its values


def _converter(type_, dialect):
    """The result conversion of a column of ``type_`` (None when there is none)."""
    processor = type_._cached_result_processor(dialect, None)
    impl = type_.dialect_impl(dialect)
    if processor is not None and type(impl) is Enum and impl.enum_class is not None \
            and String.result_processor(impl, dialect, None) is None:
        return _EnumLookup(impl).__getitem__
    return processor


class Direct:
    """A Core statement run on the cursor; ``all``/``first``/``scalar``/``run`` as Core's.

    An INSERT names its columns in ``.values()``; every column with a Python-side default (or
    ``onupdate``) must be given in the statement (this path fills none in), and no parameter may
    be a list expanded per call: compiling such a statement raises ``ValueError``
    (``tests/test_sql_direct.py`` compiles them all).
    """

    __slots__ = ("clause", "_plans", "__weakref__")
    made: weakref.WeakSet = weakref.WeakSet()  # every Direct statement, for the tests

    def __init__(self, clause: ClauseElement):
        self.clause = clause
        self._plans: dict[Any, _Plan] = {}
        Direct.made.add(self)

    def _plan(self, dialect) -> _Plan:
        """The statement compiled for ``dialect`` (once)."""
        try:
            return self._plans[dialect]
        except KeyError:
            pass
        if getattr(self.clause, "is_insert", False) and not self.clause._values:
            raise ValueError("Direct: an INSERT names its columns in .values() (else every other "
                             "column would be written NULL, past its server default)")
        compiled = self.clause.compile(dialect=dialect)
        if compiled.literal_execute_params or compiled.post_compile_params:
            raise ValueError("Direct: a list expanded per call needs Core (conn.execute)")
        if getattr(compiled, "insert_prefetch", None) or getattr(compiled, "update_prefetch", None):
            raise ValueError("Direct: name every column with a Python-side default or onupdate")
        columns = compiled._result_columns
        keys = [column[0] for column in columns]
        if len(set(keys)) != len(keys):
            raise ValueError(f"Direct: two result columns share a name: {keys}")
        converters = tuple((index, processor) for index, column in enumerate(columns)
                           if (processor := _converter(column[3], dialect)))
        plan = _Plan(compiled.string, compiled,
                     tuple(compiled.positiontup) if compiled.positional else None,
                     tuple(compiled._bind_processors.items()),
                     namedtuple("Row", keys) if columns else None, converters)
        self._plans[dialect] = plan
        return plan

    def _cursor(self, conn: Connection, params: dict | list[dict]):
        """(cursor after execute, plan), or (None, Core's result) when Core must run it."""
        dialect = conn.dialect
        plan = self._plan(dialect)
        if conn.dispatch.before_cursor_execute:
            return None, conn.execute(self.clause, params)
        return self._execute(conn.connection.dbapi_connection, dialect, plan, params), plan

    @staticmethod
    def _args(plan: _Plan, params: dict):
        values = plan.compiled.construct_params(params)  # a parameter left out raises, as in Core
        for name, convert in plan.binds:
            values[name] = convert(values[name])
        return values if plan.names is None else tuple(values[name] for name in plan.names)

    @classmethod
    def _execute(cls, dbapi, dialect, plan: _Plan, params: dict | list[dict]):
        """The cursor after the statement ran once, or once per dict of a list (executemany)."""
        many = isinstance(params, list)
        args = [cls._args(plan, row) for row in params] if many else cls._args(plan, params)
        cursor = dbapi.cursor()
        try:
            (cursor.executemany if many else cursor.execute)(plan.sql, args)
        except dialect.loaded_dbapi.Error as error:
            cursor.close()
            raise exc.DBAPIError.instance(plan.sql, args, error, dialect.loaded_dbapi.Error,
                                          dialect=dialect) from error
        return cursor

    @staticmethod
    def _rows(plan: _Plan, raw: list) -> list:
        make = plan.row._make
        if not plan.converters:
            return [make(values) for values in raw]
        rows = []
        for values in raw:
            values = list(values)
            for index, convert in plan.converters:
                values[index] = convert(values[index])
            rows.append(make(values))
        return rows

    def all(self, conn: Connection, params: dict) -> list:
        cursor, plan = self._cursor(conn, params)
        if cursor is None:
            return plan.all()
        try:
            return self._rows(plan, cursor.fetchall())
        finally:
            cursor.close()

    def first(self, conn: Connection, params: dict):
        if conn.dispatch.before_cursor_execute:
            return conn.execute(self.clause, params).first()
        return self.first_on(conn.connection.dbapi_connection, conn.dialect, params)

    def first_on(self, dbapi, dialect, params: dict):
        """``first`` on a DBAPI connection (a bare one has no SQLAlchemy ``Connection``, so no
        BEGIN and no listener: ``Database.glance`` checks for one)."""
        plan = self._plan(dialect)
        cursor = self._execute(dbapi, dialect, plan, params)
        try:
            found = cursor.fetchone()
        finally:
            cursor.close()
        return None if found is None else self._rows(plan, [found])[0]

    def scalar(self, conn: Connection, params: dict):
        row = self.first(conn, params)
        return None if row is None else row[0]

    def run(self, conn: Connection, params: dict | list[dict]) -> int:
        """A statement that returns no rows, once, or once per dict of a list (executemany, as
        Core's ``execute`` with a list); how many rows it changed."""
        cursor, plan = self._cursor(conn, params)
        if cursor is None:
            return plan.rowcount
        try:
            return cursor.rowcount
        finally:
            cursor.close()


class DirectInsert:
    """An INSERT of ``table`` naming the columns each call's dicts name (as Core compiles one
    statement per set of names, so the others keep their server defaults), run as a ``Direct``
    statement; ``fixed`` values go in every row, ``returning`` is a column to read back."""

    def __init__(self, table, *, returning=None, **fixed):
        self.table, self.returning, self.fixed = table, returning, fixed
        self._by_names: dict[tuple[str, ...], Direct] = {}

    def _statement(self, row: dict) -> Direct:
        names = tuple(row)
        found = self._by_names.get(names)
        if found is None:
            clause = self.table.insert().values({**{n: bindparam(n) for n in names}, **self.fixed})
            found = self._by_names[names] = Direct(
                clause if self.returning is None else clause.returning(self.returning))
        return found

    def scalar(self, conn: Connection, row: dict):
        """One row; the ``returning`` column's value."""
        return self._statement(row).scalar(conn, row)

    def run(self, conn: Connection, rows: list[dict]) -> int:
        """Every row (executemany: each dict names the same columns); how many went in."""
        return self._statement(rows[0]).run(conn, rows) if rows else 0
