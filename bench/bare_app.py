"""The floor for the server's memory and start: a bare Flask + SQLAlchemy app doing what a till
asks (a login page, a scan, a 5-line cash sale) on the same outlet database, served by the
same ``waitress-serve --threads=8 --call bench.bare_app:create_app`` command.

No CSRF, sessions, staff, prices, tax, shifts, printing or templates beyond a few lines: the
least a Flask + SQLAlchemy server holds in memory and does at start to serve these requests.
The database is ``BARE_DATABASE_URL``; SQLite gets the app's pragmas (WAL, ``synchronous=FULL``,
a busy timeout, ``BEGIN IMMEDIATE`` for writes). Its cart and sales go into its own two tables.
"""
from __future__ import annotations

import os

from flask import Flask, render_template_string, request
from sqlalchemy import (
    BigInteger,
    Column,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    update,
)

metadata = MetaData()
product = Table("product", metadata, Column("id", Integer, primary_key=True),
                Column("name", String(120)), Column("price", BigInteger))
product_barcode = Table("product_barcode", metadata, Column("code", String(32), primary_key=True),
                        Column("product_id", Integer))
stock_level = Table("stock_level", metadata, Column("product_id", Integer, primary_key=True),
                    Column("on_hand", BigInteger))
cart_line = Table("bare_cart_line", metadata, Column("id", Integer, primary_key=True),
                  Column("till", String(16), index=True), Column("product_id", Integer),
                  Column("qty", Integer), Column("price", BigInteger))
sale = Table("bare_sale", metadata, Column("id", Integer, primary_key=True),
             Column("till", String(16)), Column("total", BigInteger))

LOGIN = """<!doctype html><title>Masuk</title><form method="post" action="/masuk">
<input name="username"><input name="pin" type="password"><button>Masuk</button></form>"""
CART = """<table>{% for line in lines %}<tr><td>{{ line.name }}</td><td>{{ line.qty }}</td>
<td>{{ line.price * line.qty }}</td></tr>{% endfor %}</table><b id="total">{{ total }}</b>"""
DONE = """<div class="sale-done" data-sale-id="{{ sale_id }}">Total {{ total }}</div>"""


def create_app() -> Flask:
    app = Flask(__name__)
    engine = create_engine(os.environ["BARE_DATABASE_URL"])
    if engine.dialect.name == "sqlite":
        _sqlite_pragmas(engine)
    metadata.create_all(engine, tables=[cart_line, sale])

    @app.get("/masuk")
    def login():
        return render_template_string(LOGIN)

    @app.post("/scan")
    def scan():
        till = request.form["till"]
        with engine.begin() as conn:
            found = conn.execute(select(product.c.id, product.c.price).join(
                product_barcode, product_barcode.c.product_id == product.c.id).where(
                product_barcode.c.code == request.form["code"])).first()
            if found is None:
                return "Tidak ditemukan", 404
            conn.execute(insert(cart_line).values(till=till, product_id=found.id, qty=1,
                                                  price=found.price))
            lines = conn.execute(select(product.c.name, cart_line.c.qty, cart_line.c.price).join(
                product, product.c.id == cart_line.c.product_id).where(
                cart_line.c.till == till).order_by(cart_line.c.id)).all()
        return render_template_string(CART, lines=lines, total=sum(r.price * r.qty for r in lines))

    @app.post("/pay")
    def pay():
        till = request.form["till"]
        with engine.begin() as conn:
            lines = conn.execute(select(cart_line.c.product_id, cart_line.c.qty, cart_line.c.price)
                                 .where(cart_line.c.till == till)).all()
            total = sum(r.price * r.qty for r in lines)
            sale_id = conn.execute(insert(sale).values(till=till, total=total)
                                   .returning(sale.c.id)).scalar_one()
            for line in lines:
                conn.execute(update(stock_level).where(stock_level.c.product_id == line.product_id)
                             .values(on_hand=stock_level.c.on_hand - line.qty))
            conn.execute(delete(cart_line).where(cart_line.c.till == till))
        return render_template_string(DONE, sale_id=sale_id, total=total)

    @app.post("/clear")
    def clear():
        with engine.begin() as conn:
            conn.execute(delete(cart_line).where(cart_line.c.till == request.form["till"]))
        return ""

    @app.get("/count")
    def count():
        with engine.connect() as conn:
            return str(conn.scalar(select(func.count()).select_from(sale)))

    return app


def _sqlite_pragmas(engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # SQLAlchemy's begin below decides
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "busy_timeout=5000",
                       "foreign_keys=ON"):
            dbapi_conn.execute(f"PRAGMA {pragma}")

    @event.listens_for(engine, "begin")
    def on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
