"""Pages that only read write nothing, not even the till's empty cart.

A GET reads through ``db.read_session()``, discarded at the end of the request.  A write
there (the cart ``INSERT`` the till page, the pay panel and the customer screen made for a
till without a cart, as after every sale) was always undone, and on SQLite it failed the page
with "database is locked" whenever another till was writing (found by the crash suite,
``tests/reliability/test_crash.py``).
"""
from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event, func, select

from pos.display import tokens
from pos.sales.models import Cart
from tests.factories import login, make_product, make_till, make_user

HX = {"HX-Request": "true"}


@contextmanager
def writes(engine):
    """The INSERT/UPDATE/DELETE statements run on ``engine`` inside the block."""
    seen: list[str] = []

    def note(_conn, _cursor, statement, _params, _context, _many):
        if statement.lstrip().split(" ", 1)[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def test_reading_a_till_without_a_cart_makes_none(app, db, client):
    with db.transaction() as s:
        till, cashier = make_till(s).id, make_user(s).id
        code = make_product(s, price=2_000).barcodes[0].code
    login(client, cashier, till)
    client.get("/kasir")   # the staff session and the shift are written by the first request
    screen = f"/layar/{till}/{tokens.screen_token(app.config['SECRET_KEY'], till)}/isi"
    with writes(db.engine) as seen:
        pages = [client.get(path, headers=HX) for path in ("/kasir", "/kasir/bayar/pilihan", screen)]
    assert [page.status_code for page in pages] == [200, 200, 200]
    assert not [statement for statement in seen if "cart" in statement.split("(")[0]], seen
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Cart)) == 0
    # the first scan still makes the till's cart
    assert client.post("/kasir/pindai", data={"code": code}, headers=HX).status_code == 200
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Cart)) == 1
