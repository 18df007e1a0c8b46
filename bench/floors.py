"""The floors: the least code that does a scan or a checkout on the same database file.

Raw ``sqlite3`` with the app's connection settings (WAL, foreign keys,
``synchronous=FULL``, autocheckpoint off because the app checkpoints in the
background) and ``BEGIN IMMEDIATE``; the scan floor also renders the cart
fragment with a bare Jinja2 template of the same structure as
``templates/sales/_cart.html``.  The floor sells at its own till and numbers its
receipts with its own outlet code, so it never touches the app's cart.

``FlaskFloor`` is the scan floor through a web framework: a bare Flask app (one view, Flask's
default signed-cookie session holding the cashier's id, no blueprints or extensions) that runs
``FloorTill.scan`` and answers its fragment. The app's scan is held to it, so the ratio is the
app's own overhead (staff session, CSRF, ORM, pricing rules, templates) over the same SQL,
render and request handling.
"""
from __future__ import annotations

import sqlite3
import uuid
from datetime import UTC, datetime
from pathlib import Path

import jinja2
from flask import Flask, abort, request, session

from bench.dataset import (
    FLOOR_OUTLET_CODE,
    FLOOR_TILL,
    PPN_BP,
    UTC_OFFSET,
    insert_sql,
    text_time,
)
from pos import money

LOOKUP = ("SELECT p.id, b.qty, p.name, p.price, p.active FROM product_barcode b "
          "JOIN product p ON p.id = b.product_id WHERE b.code = ?")
FIND_LINE = "SELECT id, qty FROM cart_line WHERE cart_id = ? AND product_id = ? AND unit_price = ?"
BUMP_LINE = "UPDATE cart_line SET qty = qty + ? WHERE id = ?"
ADD_LINE = insert_sql("cart_line", "cart_id", "product_id", "qty", "unit_price", "added_at")
CART_ROWS = ("SELECT cl.id, cl.qty, cl.unit_price, p.id, p.sku, p.name, p.base_unit, p.tax_class, "
             "p.cost, p.business_unit, p.category_id, p.stock_policy, p.active, s.on_hand "
             "FROM cart_line cl JOIN cart c ON c.id = cl.cart_id "
             "JOIN product p ON p.id = cl.product_id "
             "JOIN stock_level s ON s.product_id = p.id WHERE c.till_id = ? ORDER BY cl.id")
BUMP_RECEIPT = ("UPDATE receipt_sequence SET last_no = last_no + 1 WHERE outlet_code = ? "
                "RETURNING last_no")
INSERT_SALE = insert_sql("sale", "receipt_no", "seq_no", "idempotency_key", "outlet_code",
                         "till_id", "cashier_id", "status", "business_date", "created_at",
                         "gross", "discount", "tax", "total", "tendered", "change")
INSERT_SALE_LINE = insert_sql("sale_line", "sale_id", "line_no", "product_id", "sku", "name",
                              "qty", "base_unit", "unit_price", "price_per", "amount", "tax_class",
                              "tax_rate_bp", "tax", "unit_cost", "business_unit", "category_id")
INSERT_PAYMENT = insert_sql("payment", "sale_id", "method", "amount", "tendered")
SALE_BY_KEY = "SELECT id FROM sale WHERE idempotency_key = ?"
INSERT_PRINT_JOB = insert_sql("print_job", "sale_id", "kind", "status", "attempts", "created_at")
TAKE_STOCK = "UPDATE stock_level SET on_hand = on_hand - ? WHERE product_id = ?"
TAKE_STOCK_IF_THERE = TAKE_STOCK + " AND on_hand - ? >= 0"
INSERT_MOVEMENT = insert_sql("stock_movement", "product_id", "qty", "kind", "sale_id", "user_id",
                             "created_at")

# One cart line: the markup ``templates/sales/_line.html`` draws, with plain URLs.
LINE_MACRO = """\
{% macro line_row(row, highlight) -%}
      <tr id="line-{{ row.line_id }}" class="line{{ ' hl' if highlight == row.product_id }}" \
data-line="{{ row.line_id }}">
        <td class="name">{{ row.name }} <small>{{ row.sku }}</small>
          {% if row.on_hand < row.qty %}\
<span class="warn">stok tercatat {{ row.on_hand }}</span>{% endif %}</td>
        <td class="num">
          <form hx-post="/kasir/baris/{{ row.line_id }}/jumlah" hx-target="#cart" hx-swap="outerHTML">
            <label class="sr-only" for="qty-{{ row.line_id }}">Jumlah {{ row.name }}</label>
            <input id="qty-{{ row.line_id }}" class="qty" name="qty" value="{{ row.qty }}" \
inputmode="numeric" size="6" autocomplete="off">
            <span class="unit">pcs</span>
          </form>
        </td>
        <td class="num">{{ row.unit_price|rupiah }}</td>
        <td class="num amount">{{ row.amount|rupiah }}</td>
        <td><button type="button" class="btn ghost remove" hx-post="/kasir/baris/{{ row.line_id }}/hapus"
                    hx-target="#cart" hx-swap="outerHTML" aria-label="Hapus {{ row.name }}">✕</button></td>
      </tr>
{%- endmacro %}
"""

# The whole cart, as ``templates/sales/_cart.html`` draws it (a first scan, an empty cart).
CART_TEMPLATE = LINE_MACRO + """\
<section id="cart" class="cart" data-total="{{ total }}" data-count="{{ rows|length }}">
  <table class="lines">
    <thead><tr><th>Barang</th><th class="num">Jumlah</th><th class="num">Harga</th>\
<th class="num">Subtotal</th><th><span class="sr-only">Hapus</span></th></tr></thead>
    <tbody id="cart-lines">
    {% for row in rows %}{{ line_row(row, highlight) }}
    {% else %}
      <tr class="empty"><td colspan="5">Keranjang kosong. Pindai barang atau cari nama barang.</td></tr>
    {% endfor %}
    </tbody>
  </table>
  <input type="hidden" id="cart-shown" name="shown" value="{{ rows|length }}:{{ last }}">
  <div class="totals">
    <div><span>Baris</span><b id="cart-count">{{ rows|length }}</b></div>
    {% if tax %}<div><span>PPN termasuk</span><b>{{ tax|rupiah }}</b></div>{% endif %}
    <div class="grand"><span>Total</span><b id="cart-total">{{ total|rupiah }}</b></div>
  </div>
</section>"""

# A scan onto a cart the till already shows: the scanned row, the cart's state and the total
# out of band, as ``templates/sales/_scan_row.html`` answers (``pos.sales.cart_delta``).
ROW_TEMPLATE = LINE_MACRO + """\
<input type="hidden" id="cart-shown" name="shown" value="{{ rows|length }}:{{ last }}" \
data-total="{{ total }}" data-count="{{ rows|length }}" hx-swap-oob="true">
<div id="cart-summary" class="summary" hx-swap-oob="outerHTML">
  <div class="grand"><span>Total</span><b id="cart-total">{{ total|rupiah }}</b></div>
  <div class="facts"><span>{{ rows|length }} baris</span>\
{% if tax %}<span>PPN termasuk {{ tax|rupiah }}</span>{% endif %}</div>
</div>
<template>
{%- if new %}<tbody hx-swap-oob="beforeend:#cart-lines">{{ line_row(row, highlight) }}</tbody>
{%- else %}{{ line_row(row, highlight) }}{% endif %}
</template>"""


def rupiah(amount: int) -> str:
    return f"Rp{amount:,}".replace(",", ".")


def cart_template(source: str = CART_TEMPLATE) -> jinja2.Template:
    env = jinja2.Environment(autoescape=True)
    env.filters["rupiah"] = rupiah
    return env.from_string(source)


def connect(path: Path) -> sqlite3.Connection:
    """A connection with the app's pragmas; transactions are begun explicitly."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=10, check_same_thread=False)
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "busy_timeout=10000",
                   "synchronous=FULL", "wal_autocheckpoint=0"):
        conn.execute(f"PRAGMA {pragma}")
    return conn


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class FloorTill:
    """One till driven by raw SQL: its cart, scans and cash checkouts."""

    def __init__(self, path: Path, cashier_id: int):
        self.conn = connect(path)
        self.cashier_id = cashier_id
        self.till_id, self.cart_id = self.conn.execute(
            "SELECT t.id, c.id FROM till t JOIN cart c ON c.till_id = t.id WHERE t.code = ?",
            (FLOOR_TILL,)).fetchone()
        self.template, self.row_template = cart_template(), cart_template(ROW_TEMPLATE)
        self.level = "FULL"  # connect() sets it

    def close(self) -> None:
        self.conn.close()

    def clear(self) -> None:
        self.conn.execute("DELETE FROM cart_line WHERE cart_id = ?", (self.cart_id,))

    def _synchronous(self, level: str) -> None:
        """A cart edit commits at NORMAL, as the app's (``transaction(durable=False)``: no
        fsync); a sale at FULL. Set between transactions, as SQLite requires."""
        if self.level != level:
            self.conn.execute(f"PRAGMA synchronous={level}")
            self.level = level

    def scan(self, code: str) -> str:
        """Add one scan of ``code`` to the cart, commit, and render the answer: the scanned row
        and the totals when the cart had lines (the till shows them), else the whole cart."""
        conn = self.conn
        self._synchronous("NORMAL")
        conn.execute("BEGIN IMMEDIATE")
        try:
            product_id, qty, _name, price, _active = conn.execute(LOOKUP, (code,)).fetchone()
            line = conn.execute(FIND_LINE, (self.cart_id, product_id, price)).fetchone()
            if line:
                conn.execute(BUMP_LINE, (qty, line[0]))
                line_id = line[0]
            else:
                line_id = conn.execute(ADD_LINE, (self.cart_id, product_id, qty, price,
                                                  text_time(_now()))).lastrowid
            rows = conn.execute(CART_ROWS, (self.till_id,)).fetchall()
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return self._render(rows, product_id, line_id, new=line is None)

    def _render(self, rows: list[tuple], highlight: int, line_id: int, new: bool) -> str:
        lines, total, tax, scanned = [], 0, 0, None
        for r in rows:
            amount = r[1] * r[2]
            total += amount
            tax += money.tax_included(amount, PPN_BP) if r[7] == "ppn" else 0
            lines.append({"line_id": r[0], "qty": r[1], "unit_price": r[2], "product_id": r[3],
                          "sku": r[4], "name": r[5], "on_hand": r[13], "amount": amount})
            if r[0] == line_id:
                scanned = lines[-1]
        state = {"rows": lines, "total": total, "tax": tax, "highlight": highlight,
                 "last": lines[-1]["line_id"] if lines else ""}
        if len(lines) - new == 0:  # the till showed an empty cart: draw it whole
            return self.template.render(**state)
        return self.row_template.render(row=scanned, new=new, **state)

    def fill(self, codes: list[str]) -> None:
        """Put one scan of each code in the (empty) cart, untimed preparation for checkout."""
        for code in codes:
            self.scan(code)

    def checkout(self) -> int:
        """Turn the cart into a cash sale in one transaction; returns the sale id."""
        conn = self.conn
        self._synchronous("FULL")
        conn.execute("BEGIN IMMEDIATE")
        try:
            sale_id = self._write_sale(conn)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return sale_id

    def _write_sale(self, conn: sqlite3.Connection) -> int:
        key = str(uuid.uuid4())
        if conn.execute(SALE_BY_KEY, (key,)).fetchone() is not None:  # a retried payment
            raise RuntimeError("floor checkout: key already used")
        rows = conn.execute(CART_ROWS, (self.till_id,)).fetchall()
        seq = conn.execute(BUMP_RECEIPT, (FLOOR_OUTLET_CODE,)).fetchone()[0]
        lines, total, tax = [], 0, 0
        for line_no, r in enumerate(rows, start=1):
            amount, rate = r[1] * r[2], PPN_BP if r[7] == "ppn" else 0
            line_tax = money.tax_included(amount, rate)
            total, tax = total + amount, tax + line_tax
            lines.append([line_no, r[3], r[4], r[5], r[1], r[6], r[2], 1, amount, r[7], rate,
                          line_tax, r[8], r[9], r[10]])
        now = _now()
        created, business_date = text_time(now), (now + UTC_OFFSET).date().isoformat()
        sale_id = conn.execute(INSERT_SALE, (
            f"{FLOOR_OUTLET_CODE}-{seq:07d}", seq, key, FLOOR_OUTLET_CODE,
            self.till_id, self.cashier_id, "completed", business_date, created, total, 0, tax,
            total, total, 0)).lastrowid
        conn.executemany(INSERT_SALE_LINE, [[sale_id, *line] for line in lines])
        conn.execute(INSERT_PAYMENT, (sale_id, "cash", total, total))
        for r in rows:
            block = r[11] == "block"
            params = (r[1], r[3], r[1]) if block else (r[1], r[3])
            if conn.execute(TAKE_STOCK_IF_THERE if block else TAKE_STOCK, params).rowcount != 1:
                raise RuntimeError(f"floor checkout: no stock for product {r[3]}")
        conn.executemany(INSERT_MOVEMENT, [(r[3], -r[1], "sale", sale_id, self.cashier_id, created)
                                           for r in rows])
        conn.execute("DELETE FROM cart_line WHERE cart_id = ?", (self.cart_id,))
        conn.execute(INSERT_PRINT_JOB, (sale_id, "receipt", "pending", 0, created))
        return sale_id


class FlaskFloor:
    """The bare-Flask scan floor: ``POST /kasir/pindai`` doing exactly ``FloorTill.scan``."""

    PATH = "/kasir/pindai"

    def __init__(self, till: FloorTill):
        self.till = till
        app = Flask("bench_floor")
        app.config["SECRET_KEY"] = "bench-floor-secret"

        @app.post(self.PATH)
        def scan():
            if session.get("user_id") is None:  # a till needs a signed-in cashier
                abort(401)
            return till.scan(request.form["code"])

        self.app = app
        serializer = app.session_interface.get_signing_serializer(app)
        self.cookie = f"{app.config['SESSION_COOKIE_NAME']}={serializer.dumps({'user_id': till.cashier_id})}"
