"""The live-search floors: a bare Flask app (one view per search box, Flask's signed-cookie
session holding the cashier's id) running the same SQL as the app through ``sqlite3`` and a
bare Jinja2 render of the same result list.

``product_rows`` is ``pos.inventory.catalog.lookup.search`` written as raw SQL (the exact
barcode, then the SKU, then the longest typed word as an indexed prefix range on
``product_word`` read in order, the other words checked on each row's name and SKU; then the
found batch-tracked goods' expired stock, one grouped query);
``member_rows`` is ``pos.members.service.search`` (number prefix, exact card or NIK, every
word inside the name, the phone's digits). The word splitting is the app's own
(``pos.inventory.catalog.products.words``) so both sides ask the same question.
"""
from __future__ import annotations

import re
import sqlite3
from datetime import date
from pathlib import Path

import jinja2
from flask import Flask, abort, request, session

from bench.floors import rupiah
from pos.inventory.catalog.search_words import words

LIMIT = 8  # the app's SEARCH_LIMIT
FOUND = ("SELECT p.id, p.sku, p.name, p.price, p.base_unit, p.weighed, s.on_hand, p.batch_tracked "
         "FROM product p "
         "JOIN stock_level s ON s.product_id = p.id WHERE p.active = 1")
BY_BARCODE = "SELECT product_id FROM product_barcode WHERE code = ?"
BY_ID = FOUND + " AND p.id = ?"
BY_SKU = FOUND + " AND p.sku IN ({}) ORDER BY p.sku LIMIT 1"
BY_WORDS = ("SELECT p.id, p.sku, p.name, p.price, p.base_unit, p.weighed, s.on_hand, p.batch_tracked "
            "FROM product_word w JOIN product p ON p.id = w.product_id "
            "JOIN stock_level s ON s.product_id = p.id "
            "WHERE w.word >= ? AND w.word < ? AND p.active = 1 ORDER BY w.word, w.name")
EXPIRED = ("SELECT product_id, SUM(on_hand) FROM batch WHERE on_hand > 0 AND expiry <= ? "
           "AND product_id IN ({}) GROUP BY product_id")
MEMBERS = ("SELECT id, number, name, nik, active FROM member WHERE {} "
           "ORDER BY active DESC, number LIMIT ?")
_PHONE_PART = re.compile(r"^(?:\+?62|0)?(8[0-9]{2,12})$")

PRODUCT_TEMPLATE = """{% if results %}
<ul class="results">
  {% for r in results %}
  <li><button type="button" class="result" data-search-result
              hx-post="/kasir/tambah/{{ r[0] }}" hx-target="#cart" hx-swap="outerHTML">
    <span>{{ r[2] }} <small>{{ r[1] }}</small></span>
    <b>{{ r[3]|rupiah }}</b>
    <small>stok {{ r[6] }}{% if r[8] %} + {{ r[8] }} kedaluwarsa{% endif %}</small>
  </button></li>
  {% endfor %}
</ul>
{% elif query|length >= 2 %}
<p class="hint">Tidak ada barang yang cocok dengan “{{ query }}”.</p>
{% endif %}"""
MEMBER_TEMPLATE = """{% if results %}
<ul class="results" aria-label="Hasil pencarian">
  {% for m in results %}
  <li><button type="button" class="result member-result" data-member-result
              hx-post="/kasir/anggota" hx-vals='{{ {"member": m[1]}|tojson }}'
              hx-target="#cart" hx-swap="outerHTML">
    <span><b class="code">{{ m[1] }}</b> {{ m[2] }}</span>
    <small class="code">{{ m[3]|masked or 'NIK -' }}</small>
    {% if m[4] %}<small class="status-on">aktif</small>
    {%- else %}<small class="tag">nonaktif</small>{% endif %}
  </button></li>
  {% endfor %}
</ul>
{% elif query|length >= 2 %}
<p class="hint results-empty">Tidak ada anggota yang cocok dengan “{{ query }}”.</p>
{% endif %}"""


def _successor(prefix: str) -> str:
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _escape_like(text: str) -> str:
    return text.replace("/", "//").replace("%", "/%").replace("_", "/_")


def _masked(nik: str | None) -> str:
    if not nik:
        return ""
    return "*" * len(nik) if len(nik) <= 8 else nik[:4] + "*" * (len(nik) - 8) + nik[-4:]


def product_rows(conn: sqlite3.Connection, text: str, limit: int = LIMIT,
                 today: date | None = None) -> list[tuple]:
    """The exact barcode or SKU first, then products with a word starting with every typed word;
    each row's stock less its expired batches' (batch-tracked goods), those beside it."""
    return _less_expired(conn, _found(conn, text, limit), today or date.today())


def _less_expired(conn: sqlite3.Connection, found: list[tuple], today: date) -> list[tuple]:
    tracked = [row[0] for row in found if row[7]]
    expired = dict(conn.execute(EXPIRED.format(", ".join("?" * len(tracked))),
                                [today.isoformat(), *tracked]).fetchall()) if tracked else {}
    return [(*row[:6], row[6] - expired.get(row[0], 0), row[7], expired.get(row[0], 0))
            for row in found]


def _found(conn: sqlite3.Connection, text: str, limit: int) -> list[tuple]:
    found: list[tuple] = []
    code = (text or "").strip()
    if code and len(code) <= 40 and not any(c.isspace() for c in code):
        hit = conn.execute(BY_BARCODE, (code,)).fetchone()
        if hit is not None:
            found = conn.execute(BY_ID, hit).fetchall()
        else:
            skus = sorted({code, code.upper()})
            found = conn.execute(BY_SKU.format(", ".join("?" * len(skus))), skus).fetchall()
    terms = sorted(words(text), key=len, reverse=True)[:4]
    if not terms or len(terms[0]) < 2:
        return found
    seen = {row[0] for row in found}
    cursor = conn.execute(BY_WORDS, (terms[0], _successor(terms[0])))
    try:
        for row in cursor:
            if row[0] in seen or not _has_words(row[2], row[1], terms[1:]):
                continue
            seen.add(row[0])
            found.append(row)
            if len(found) >= limit:
                break
    finally:
        cursor.close()
    return found


def _has_words(name: str, sku: str, terms: list[str]) -> bool:
    if not terms:
        return True
    own = words(name) | words(sku)
    return all(any(word.startswith(term) for word in own) for term in terms)


def member_rows(conn: sqlite3.Connection, text: str, limit: int = LIMIT) -> list[tuple]:
    """Number prefix, exact card or NIK, every word in the name, or the phone's digits."""
    text = " ".join((text or "").split())[:60]
    if len(text) < 2:
        return []
    where = ["number LIKE ? ESCAPE '/'", "card_barcode = ?", "nik = ?"]
    params: list = [_escape_like(text.upper()) + "%", text, text]
    name_words = text.lower().split()[:5]
    where.append("(" + " AND ".join(["lower(name) LIKE ? ESCAPE '/'"] * len(name_words)) + ")")
    params += [f"%{_escape_like(w)}%" for w in name_words]
    digits = re.sub(r"[\s\-().]", "", text)
    phone = _PHONE_PART.match(digits)
    part = phone.group(1) if phone else (
        digits if digits.isascii() and digits.isdigit() and len(digits) >= 4 else None)
    if part is not None:
        where.append("phone LIKE ? ESCAPE '/'")
        params.append(f"%{_escape_like(part)}%")
    return conn.execute(MEMBERS.format(" OR ".join(where)), [*params, limit]).fetchall()


class SearchFloor:
    """``GET /kasir/cari`` and ``GET /anggota/cari`` in a bare Flask app on ``path``."""

    PRODUCTS, MEMBERS = "/kasir/cari", "/anggota/cari"

    def __init__(self, path: Path, cashier_id: int):
        self.conn = sqlite3.connect(path, check_same_thread=False)
        self.conn.execute("PRAGMA query_only=ON")
        env = jinja2.Environment(autoescape=True)
        env.filters.update(rupiah=rupiah, masked=_masked)
        products, members = env.from_string(PRODUCT_TEMPLATE), env.from_string(MEMBER_TEMPLATE)
        app = Flask("bench_search_floor")
        app.config["SECRET_KEY"] = "bench-floor-secret"

        def signed_in() -> str:
            if session.get("user_id") is None:  # a till needs a signed-in cashier
                abort(401)
            return request.args.get("q", "")

        @app.get(self.PRODUCTS)
        def product_search():
            query = signed_in()
            return products.render(results=product_rows(self.conn, query), query=query)

        @app.get(self.MEMBERS)
        def member_search():
            query = signed_in()
            return members.render(results=member_rows(self.conn, query), query=query.strip())

        self.app = app
        serializer = app.session_interface.get_signing_serializer(app)
        self.cookie = f"{app.config['SESSION_COOKIE_NAME']}={serializer.dumps({'user_id': cashier_id})}"

    def close(self) -> None:
        self.conn.close()
