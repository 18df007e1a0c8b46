"""A full disk or a read-only database at the till: the cashier sees a clear message (503, in the
messages area), nothing of the sale is written (no sale, line, payment, stock movement, print
job or receipt number), the cart stays, and the same cart sells once space returns.

The full disk is SQLite's own refusal: ``PRAGMA max_page_count`` at the database's current size
on every connection the app takes, so a write that needs one more page fails with SQLITE_FULL
exactly as on a full disk.  The sale has thirty lines with long names, more than the free room
in the pages it writes to.  The read-only database is ``PRAGMA query_only`` (SQLITE_READONLY, as
on a filesystem remounted read-only) or, on PostgreSQL, ``default_transaction_read_only``.
"""
from __future__ import annotations

import uuid
from contextlib import contextmanager

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from pos.db import storage_problem
from pos.inventory.models import StockMovement
from pos.sales.models import CartLine, Payment, PrintJob, ReceiptSequence, Sale, SaleLine
from tests.factories import login, make_product, make_till, make_user

HX = {"HX-Request": "true"}
LINES = 30
TABLES = (Sale, SaleLine, Payment, StockMovement, PrintJob)


@pytest.fixture
def cart(app, db):
    """A cashier's client with thirty scanned goods (Rp1.000 each) in the cart."""
    with db.transaction() as s:
        till, cashier = make_till(s).id, make_user(s).id
        codes = [make_product(s, price=1_000, name=f"Barang {n:02d} {'dengan nama panjang ' * 6}"[:118])
                 .barcodes[0].code for n in range(LINES)]
    client = app.test_client()
    login(client, cashier, till)
    for code in codes:
        assert client.post("/kasir/pindai", data={"code": code}, headers=HX).status_code == 200
    return client


def counts(db) -> dict:
    with db.reading() as s:
        found = {model.__name__: s.scalar(select(func.count()).select_from(model)) for model in TABLES}
        found["cart_lines"] = s.scalar(select(func.count()).select_from(CartLine))
        found["receipt_no"] = s.scalar(select(func.max(ReceiptSequence.last_no)))
    return found


def pay(client, key: str):
    return client.post("/kasir/bayar", headers=HX,
                       data={"tendered": str(LINES * 1_000), "idempotency_key": key})


@contextmanager
def on_every_connection(engine, *statements: str):
    """Run ``statements`` on each connection the app takes from the pool, until the block ends;
    then ``undo`` them the same way (returned list: append the statements that lift it)."""
    undo: list[str] = []

    def apply(dbapi_conn, _record, _proxy):
        cursor = dbapi_conn.cursor()
        for statement in undo or statements:
            cursor.execute(statement)
        cursor.close()
        if engine.dialect.name != "sqlite":
            dbapi_conn.commit()   # psycopg opened a transaction for SET: the next one is read-only

    event.listen(engine, "checkout", apply)
    try:
        yield undo
    finally:
        event.remove(engine, "checkout", apply)


def refused_then_sold(client, db, undo: list[str], lift: list[str], message: str) -> None:
    before, key = counts(db), str(uuid.uuid4())
    refused = pay(client, key)
    text = refused.get_data(as_text=True)
    assert refused.status_code == 503 and refused.headers["HX-Retarget"] == "#messages"
    assert message in text and "tidak ada yang berubah" in text
    assert counts(db) == before   # nothing half-written, not even a receipt number
    assert before["cart_lines"] == LINES   # the cart waits for the next try
    undo.extend(lift)
    sold = pay(client, key)   # the same Bayar again: the refused try left no trace of its key
    assert sold.status_code == 200, sold.get_data(as_text=True)
    after = counts(db)
    assert after["Sale"] == before["Sale"] + 1 and after["SaleLine"] == before["SaleLine"] + LINES
    assert after["StockMovement"] == before["StockMovement"] + LINES and after["cart_lines"] == 0
    with db.reading() as s:
        assert s.scalar(select(Sale.total)) == LINES * 1_000


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_full_disk_refuses_the_sale_whole_and_selling_resumes(cart, db):
    with db.engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
    with on_every_connection(db.engine, f"PRAGMA max_page_count = {pages}") as undo:
        refused_then_sold(cart, db, undo, ["PRAGMA max_page_count = 1073741823"],
                          "Penyimpanan komputer kasir penuh")


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_read_only_sqlite_database_refuses_the_sale_and_healthz_says_so(cart, db, app):
    with on_every_connection(db.engine, "PRAGMA query_only = ON") as undo:
        health = app.test_client().get("/healthz")
        assert health.status_code == 503 and health.get_json()["database"]["writable"] is False
        refused_then_sold(cart, db, undo, ["PRAGMA query_only = OFF"], "hanya-baca")
    assert app.test_client().get("/healthz").get_json()["database"]["writable"] is True


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgresql"])
def test_a_read_only_postgresql_database_refuses_the_sale(cart, db):
    with on_every_connection(db.engine, "SET default_transaction_read_only = on") as undo:
        refused_then_sold(cart, db, undo, ["SET default_transaction_read_only = off"], "hanya-baca")


def test_postgresql_disk_full_and_read_only_codes_have_the_same_messages():
    import psycopg.errors

    def wrapped(error):
        return OperationalError("INSERT", {}, error)

    assert "Penyimpanan komputer kasir penuh" in storage_problem(wrapped(psycopg.errors.DiskFull("no space")))
    assert "hanya-baca" in storage_problem(wrapped(psycopg.errors.ReadOnlySqlTransaction("read-only")))
    assert storage_problem(wrapped(psycopg.errors.SerializationFailure("retry"))) is None
