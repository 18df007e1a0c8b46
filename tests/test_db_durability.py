"""What a power cut may lose: ``db.transaction(durable=False)`` commits without an fsync (SQLite
``synchronous=NORMAL``, PostgreSQL ``synchronous_commit=off``) for that transaction only, and
the till uses it for cart edits and the receipt's bookkeeping, never for the sale.

SQLite's statements are spied on with ``sqlite3.Connection.set_trace_callback``: every
statement a connection runs, the pragmas and BEGIN/COMMIT included, in order.
"""
from __future__ import annotations

import os
import sqlite3
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event, func, select, table

from pos.db import Database, get_db, make_engine, writer_lock
from pos.errors import PosError
from pos.sql_direct import Direct
from pos.wal import Checkpointer, _restart
from tests.factories import login, make_product, make_till, make_user

HX = {"HX-Request": "true"}
FULL, NORMAL = 2, 1


@pytest.fixture
def database(tmp_path):
    path = tmp_path / "d.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x INTEGER)")
    database = Database(make_engine(f"sqlite:///{path}"))
    yield database
    database.engine.dispose()


def level(session) -> int:
    return session.connection().exec_driver_sql("PRAGMA synchronous").scalar()


@contextmanager
def traced(engine):
    """Every statement run on the pool's connections while the block runs (one per test)."""
    statements: list[str] = []
    raw = engine.raw_connection()
    raw.driver_connection.set_trace_callback(statements.append)
    raw.close()
    try:
        yield statements
    finally:
        raw = engine.raw_connection()
        raw.driver_connection.set_trace_callback(None)
        raw.close()


def blocks(statements: list[str]) -> list[tuple[str, list[str]]]:
    """Each write transaction (BEGIN IMMEDIATE … COMMIT) with the level it committed at."""
    found, current, now = [], None, "FULL"
    for sql in statements:
        if sql.startswith("PRAGMA synchronous="):
            now = sql.split("=", 1)[1]
        elif sql == "BEGIN IMMEDIATE":
            current = []
        elif sql == "COMMIT" and current is not None:
            found.append((now, current))
            current = None
        elif current is not None:
            current.append(sql)
    return found


def test_a_cart_write_runs_at_normal_and_a_sale_at_full(database):
    with database.transaction(durable=False) as session:
        assert level(session) == NORMAL
        session.connection().exec_driver_sql("INSERT INTO t VALUES (1)")
    with database.transaction() as session:
        assert level(session) == FULL  # the same pooled connection, back at FULL
    with database.rehearsal() as session:
        assert level(session) == FULL
    with database.reading() as session:
        assert level(session) == FULL


def test_the_level_is_set_before_begin_and_restored_after_commit(database):
    with traced(database.engine) as statements:
        with database.transaction(durable=False) as session:
            session.connection().exec_driver_sql("INSERT INTO t VALUES (1)")
        with database.transaction() as session:
            session.connection().exec_driver_sql("INSERT INTO t VALUES (2)")
    sql = [s for s in statements if s.startswith(("PRAGMA synchronous", "BEGIN", "COMMIT", "INSERT"))]
    assert sql == ["PRAGMA synchronous=NORMAL", "BEGIN IMMEDIATE", "INSERT INTO t VALUES (1)", "COMMIT",
                   "PRAGMA synchronous=FULL",  # on the way back into the pool
                   "BEGIN IMMEDIATE", "INSERT INTO t VALUES (2)", "COMMIT"]


_COUNT = Direct(select(func.count()).select_from(table("t")))


@pytest.mark.parametrize("listened", [False, True])
def test_a_glance_reads_without_a_transaction_and_a_read_session_still_has_one(database, listened):
    """The staff session every request reads is one statement: no BEGIN, nothing to roll back,
    and the pooled connection goes back as it came, whether it runs on the bare DBAPI connection
    or (something listening to the statements) through Core; a read session keeps its snapshot."""
    seen = []
    if listened:
        event.listen(database.engine, "before_cursor_execute", lambda *args: seen.append(args[2]))
    with traced(database.engine) as statements:
        assert tuple(database.glance(_COUNT, {})) == (0,)
        glanced = list(statements)
        with database.reading() as session:
            session.connection().exec_driver_sql("SELECT count(*) FROM t").scalar()
    assert glanced == ["SELECT count(*) AS count_1 \nFROM t"]
    assert statements[len(glanced):][:2] == ["BEGIN DEFERRED", "SELECT count(*) FROM t"]
    assert len(seen) == (3 if listened else 0)  # the glance, then BEGIN and the read
    raw = database.engine.raw_connection()
    try:
        assert not raw.driver_connection.in_transaction
    finally:
        raw.close()


def test_the_pool_hands_out_the_connection_used_last(database):
    """Two connections in the pool (two requests at once made them): a write, then the next
    request's glance and write all run on the one the write used last, whose page cache its own
    commit kept, instead of taking the pool's connections in turn."""
    first, second = database.engine.raw_connection(), database.engine.raw_connection()
    both = {id(first.driver_connection), id(second.driver_connection)}
    first.close()
    second.close()
    used = []
    event.listen(database.engine, "checkout", lambda dbapi, _record, _proxy: used.append(id(dbapi)))
    for _ in range(3):
        with database.transaction(durable=False) as session:
            session.connection().exec_driver_sql("INSERT INTO t VALUES (1)")
        database.glance(_COUNT, {})
    assert len(used) == 6 and set(used) <= both
    assert len(set(used)) == 1


def test_the_connection_is_back_at_full_after_a_cart_write_that_raised(database):
    with pytest.raises(PosError):
        with database.transaction(durable=False) as session:
            used = session.connection().connection.driver_connection
            session.connection().exec_driver_sql("INSERT INTO t VALUES (1)")
            raise PosError("barang tidak ditemukan")
    raw = database.engine.raw_connection()  # the pool's one connection, without a BEGIN
    try:
        assert raw.driver_connection is used
        assert raw.driver_connection.execute("PRAGMA synchronous").fetchone()[0] == FULL
        assert raw.driver_connection.execute("SELECT count(*) FROM t").fetchone()[0] == 0
    finally:
        raw.close()


def test_a_durable_write_never_inherits_normal(database):
    """Even when a connection comes out of the pool at NORMAL (say its restore failed), the
    level is chosen again before BEGIN."""
    with database.transaction(durable=False) as session:
        raw = session.connection().connection.driver_connection
    event.remove(database.engine, "checkin", _checkin_listener(database.engine))
    with database.transaction(durable=False) as session:
        assert level(session) == NORMAL
    with database.transaction() as session:
        assert session.connection().connection.driver_connection is raw
        assert level(session) == FULL


def _checkin_listener(engine):
    listeners = [fn for fn in engine.pool.dispatch.checkin]
    assert len(listeners) == 1
    return listeners[0]


@pytest.mark.postgres
def test_postgresql_turns_synchronous_commit_off_only_inside_a_cart_write(pg_schema):
    database = Database(make_engine(pg_schema))
    show = "SHOW synchronous_commit"
    try:
        with database.transaction(durable=False) as session:
            assert session.connection().exec_driver_sql(show).scalar() == "off"
        with database.transaction() as session:
            assert session.connection().exec_driver_sql(show).scalar() == "on"
        with pytest.raises(PosError), database.transaction(durable=False) as session:
            assert session.connection().exec_driver_sql(show).scalar() == "off"
            raise PosError("ditolak")
        with database.reading() as session:
            assert session.connection().exec_driver_sql(show).scalar() == "on"
    finally:
        database.engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_till_commits_cart_edits_and_receipts_at_normal_and_the_sale_at_full(app, db, client):
    with db.transaction() as s:
        till, cashier = make_till(s).id, make_user(s).id
        codes = [make_product(s, price=1_000).barcodes[0].code for _ in range(2)]
    login(client, cashier, till)
    client.get("/kasir")  # the session row and the shift are written before the spying starts
    with traced(get_db(app).engine) as statements:
        for code in codes:
            assert client.post("/kasir/pindai", data={"code": code}, headers=HX).status_code == 200
        reply = client.post("/kasir/bayar", headers=HX,
                            data={"tendered": "2000", "idempotency_key": str(uuid.uuid4())})
        assert reply.status_code == 200
    committed = blocks(statements)

    def at(table_sql: str) -> set[str]:
        return {now for now, sql in committed if any(s.startswith(table_sql) for s in sql)}

    assert at("INSERT INTO cart_line") == {"NORMAL"}
    assert at("INSERT INTO sale ") == {"FULL"}
    assert at("UPDATE print_job") == {"NORMAL"}  # claimed, then printed: bookkeeping


def test_the_checkpointer_starts_the_wal_anew_itself_and_keeps_user_version(tmp_path):
    """Once the WAL has grown by ``pages``, the background checkpointer copies it into the
    database and makes the new WAL's first write itself: the file is cut to that one frame
    (only its own connection has ``journal_size_limit=0``; a till restarting the WAL would
    leave the file at its size), and ``user_version`` is what it was."""
    path = tmp_path / "c.db"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA user_version=7")
        conn.execute("CREATE TABLE t (x BLOB)")
    database = Database(make_engine(f"sqlite:///{path}"))
    wal = Path(f"{path}-wal")
    checkpointer = Checkpointer(str(path), database.writer, interval=0.05, pages=20)
    try:
        with database.transaction(durable=False) as session:  # the WAL exists before it starts
            session.connection().exec_driver_sql("INSERT INTO t VALUES (zeroblob(100))")
        checkpointer.start()
        for _ in range(60):  # a page each: three times the checkpointer's step
            with database.transaction(durable=False) as session:
                session.connection().exec_driver_sql("INSERT INTO t VALUES (zeroblob(3000))")
        one_frame = 32 + 4096 + 24  # the WAL header and one page
        deadline = time.monotonic() + 10
        while wal.stat().st_size > one_frame and time.monotonic() < deadline:
            time.sleep(0.05)
        assert wal.stat().st_size == one_frame  # 60 pages were written into it
        with database.reading() as session:
            assert session.connection().exec_driver_sql("PRAGMA user_version").scalar() == 7
            assert session.connection().exec_driver_sql("SELECT count(*) FROM t").scalar() == 61
    finally:
        database.engine.dispose()
        path.unlink()  # the checkpointer ends when its database is gone
        checkpointer.join(timeout=5)
    assert not checkpointer.is_alive()


def test_disposing_the_engine_ends_its_checkpointer_and_closes_its_file(tmp_path):
    """Each browser test's app left its checkpointer running on a file that stayed, with two
    connections open: some 500 tests later a worker's descriptors passed select()'s 1024 and the
    serial-port tests failed ("filedescriptor out of range in select()")."""
    path = tmp_path / "d.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()
    engine = make_engine(f"sqlite:///{path}", background_checkpoint=True)
    checkpointer = next(t for t in threading.enumerate() if t.name == "pos-wal-checkpoint"
                        and getattr(t, "path", None) == str(path))
    deadline = time.monotonic() + 5
    while not _open(path) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _open(path)                      # its connections hold the file
    engine.dispose()
    checkpointer.join(timeout=5)
    assert not checkpointer.is_alive() and path.exists() and not _open(path)


def _open(path: Path) -> bool:
    """Whether this process holds ``path`` open."""
    fds = Path("/proc/self/fd")
    return any(Path(os.readlink(fds / fd)) == path for fd in os.listdir(fds) if (fds / fd).is_symlink())


def _hold_a_write(database, started, release):
    with database.transaction(durable=False) as session:
        session.connection().exec_driver_sql("INSERT INTO t VALUES (1)")
        started.set()
        release.wait(10)


def test_a_writer_waits_for_another_thread_on_the_process_lock_not_on_sqlite(tmp_path):
    """With SQLite's busy timeout at zero, a second writer would be refused at once ("database
    is locked"); it waits on the in-process writer lock instead and starts when the first
    commits, so a till behind a sale never sleeps in SQLite's busy handler."""
    path = tmp_path / "w.db"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE t (x INTEGER)")
    first, second = (Database(make_engine(f"sqlite:///{path}")) for _ in "ab")
    for database in (first, second):
        event.listen(database.engine, "connect", lambda conn, _r: conn.execute("PRAGMA busy_timeout=0"))
    assert first.writer is second.writer  # one lock per file in a process
    started, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_a_write, args=(first, started, release))
    holder.start()
    try:
        assert started.wait(10)
        done = threading.Event()

        def write_second() -> None:
            with second.transaction(durable=False) as session:
                session.connection().exec_driver_sql("INSERT INTO t VALUES (2)")
            done.set()

        waiter = threading.Thread(target=write_second)
        waiter.start()
        assert not done.wait(0.2)  # queued behind the first
        release.set()
        assert done.wait(10)
        waiter.join(10)
    finally:
        release.set()
        holder.join(10)
    with second.reading() as session:
        assert session.connection().exec_driver_sql("SELECT x FROM t ORDER BY x").scalars().all() == [1, 2]
    assert second.writer.acquire(blocking=False)  # released by both, through commit
    second.writer.release()
    for database in (first, second):
        database.engine.dispose()


def test_the_writer_lock_is_let_go_when_a_write_fails(database):
    with pytest.raises(RuntimeError):
        with database.transaction() as session:
            session.connection().exec_driver_sql("INSERT INTO t VALUES (1)")
            raise RuntimeError("boom")
    taken = []
    other = threading.Thread(target=lambda: taken.append(database.writer.acquire(blocking=False)))
    other.start()
    other.join(5)
    assert taken == [True]  # another thread can take it: nothing kept it
    with database.reading() as session:  # and nothing was written
        assert session.connection().exec_driver_sql("SELECT count(*) FROM t").scalar() == 0


def test_a_database_in_memory_or_on_postgresql_has_no_writer_lock():
    assert Database(make_engine("sqlite://")).writer is None
    assert Database(make_engine("postgresql+psycopg://postgres@127.0.0.1/test")).writer is None


def test_the_checkpointer_leaves_the_wal_alone_while_a_till_holds_the_writer_lock(tmp_path):
    """The checkpointer's own write waits for the writer lock like a till's; while a till
    holds it, the round is skipped (and tried again at the next quiet one)."""
    path = tmp_path / "k.db"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE t (x INTEGER)")
        conn.execute("INSERT INTO t VALUES (1)")
    conn, pin = (sqlite3.connect(path, timeout=1, isolation_level=None) for _ in "cp")
    statements = []
    conn.set_trace_callback(statements.append)
    lock = writer_lock(str(path))
    taken, release = threading.Event(), threading.Event()

    def till() -> None:
        with lock:
            taken.set()
            release.wait(10)

    holder = threading.Thread(target=till)
    holder.start()
    try:
        assert taken.wait(5)
        _restart(conn, pin, lock)
        assert "BEGIN IMMEDIATE" not in statements
    finally:
        release.set()
        holder.join(5)
    _restart(conn, pin, lock)
    assert "BEGIN IMMEDIATE" in statements
    conn.close()
    pin.close()
