"""A lock held too long (an e-RDKK import of a large file holding its season, a stuck session)
refuses the write that waits for it with a message, instead of holding the till for ever.

On PostgreSQL every connection the outlet opens waits at most ``BUSY_TIMEOUT_S`` for a lock
(``lock_timeout``), as SQLite's writers wait for the file's lock; the refusal leaves
``transaction()`` as a ``StorageError`` with ``errors.BUSY``, everything rolled back."""
from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from pos.db import BUSY_TIMEOUT_S, storage_problem
from pos.errors import BUSY, StorageError
from pos.inventory.catalog.models import Category, Product
from tests.factories import make_product


@pytest.mark.parametrize("backend", ["postgresql"])
def test_postgresql_waits_for_a_lock_as_long_as_sqlite_waits_for_its_writer(db):
    with db.engine.connect() as conn:
        assert conn.execute(text("SHOW lock_timeout")).scalar() == f"{BUSY_TIMEOUT_S}s"


@pytest.mark.parametrize("backend", ["postgresql"])
def test_a_lock_held_past_the_wait_refuses_the_write_and_keeps_nothing(db):
    with db.transaction() as s:
        product = make_product(s, name="Pupuk Urea").id
    holder = db.engine.connect()
    try:
        holder.execute(select(Product.id).where(Product.id == product).with_for_update())
        with pytest.raises(StorageError) as refused, db.transaction() as s:
            s.execute(text("SET LOCAL lock_timeout = '200ms'"))   # the same refusal, sooner
            s.add(Category(name="Tertulis sebelum menunggu"))
            s.flush()
            s.execute(select(Product.id).where(Product.id == product).with_for_update(read=True))
        assert refused.value.message == BUSY and refused.value.status == 503
    finally:
        holder.rollback()
        holder.close()
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Category)
                        .where(Category.name == "Tertulis sebelum menunggu")) == 0


def test_sqlites_busy_refusal_and_postgresqls_lock_timeout_have_one_message(tmp_path):
    import psycopg.errors

    path = tmp_path / "busy.db"
    first, second = (sqlite3.connect(path, timeout=0, isolation_level=None) for _ in range(2))
    first.execute("BEGIN IMMEDIATE")
    with pytest.raises(sqlite3.OperationalError) as busy:
        second.execute("BEGIN IMMEDIATE")          # another process writing: SQLITE_BUSY
    first.close(), second.close()
    assert storage_problem(OperationalError("BEGIN", {}, busy.value)) == BUSY
    lock = psycopg.errors.LockNotAvailable("canceling statement due to lock timeout")
    assert storage_problem(OperationalError("SELECT", {}, lock)) == BUSY
    assert "tidak ada yang berubah" in BUSY and "coba lagi" in BUSY


def test_sqlites_begin_refused_by_another_writer_leaves_as_the_busy_message(tmp_path):
    """``BEGIN IMMEDIATE`` goes straight to the DBAPI connection (``pos.sqlite_tune``); its
    refusal still leaves ``transaction()`` as the cashier's message, nothing written."""
    from sqlalchemy import event

    from pos import db as pos_db

    path = tmp_path / "held.db"
    engine = pos_db.make_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", lambda conn, _record: conn.execute("PRAGMA busy_timeout=50"))
    database = pos_db.Database(engine)
    with database.transaction() as s:
        s.execute(text("CREATE TABLE t (x INTEGER)"))
    other = sqlite3.connect(path, isolation_level=None)  # another process, writing
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StorageError) as refused, database.transaction() as s:
            s.execute(text("INSERT INTO t VALUES (1)"))
        assert refused.value.message == BUSY
    finally:
        other.rollback()
        other.close()
    with database.reading() as s:
        assert s.execute(text("SELECT count(*) FROM t")).scalar() == 0
    engine.dispose()
