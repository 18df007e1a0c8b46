"""The benchmark's outlet database: a large, realistic SQLite file built once and cached.

The schema comes from ``pos.models.metadata.create_all``; the cashier and the
tills go through the app's own code; the bulk rows go in through raw
``sqlite3.executemany`` in big transactions.  Secondary indexes are dropped for
the load and re-created afterwards from their own DDL, so the finished file has
exactly the app's schema.  ``synchronous=OFF`` is used by the generating
connection only; the file is left in WAL mode, as the app runs it.

Everything is drawn from one seeded ``random.Random``, so a rebuild gives the
same outlet (apart from idempotency keys and the dates, which end today).
"""
from __future__ import annotations

import enum
import random
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

import pos.models
from pos import money
from pos.auth.service import create_user
from pos.db import make_engine
from pos.inventory.catalog.barcodes import with_check_digit
from pos.inventory.catalog.search_words import product_words
from pos.tills.models import Till

OUTLET_CODE = "BENCH01"        # the app's sales (historic and benchmarked)
FLOOR_OUTLET_CODE = "FLOOR01"  # the raw-SQL floor's sales, numbered separately
CASHIER_USERNAME, CASHIER_PIN = "kasir1", "1111"
APP_TILL, FLOOR_TILL = "KASIR-1", "KASIR-2"
UTC_OFFSET = timedelta(hours=8)  # Asia/Makassar (WITA), the app's default zone
PPN_BP = 1100                    # the app's TAX_RATE_BP (the bench outlet is PKP, tax-inclusive)
OPEN_SECONDS, CLOSE_SECONDS = 7 * 3600, 21 * 3600  # shop hours, local time
SALES_PER_TRANSACTION = 10_000
# Bumped whenever the generated rows change, so a cached outlet is built again
# (2: the past sales are the PKP outlet's, ``sale.pkp`` true).
DATASET_VERSION = 2

CATEGORIES = (
    "Beras", "Minyak Goreng", "Gula", "Tepung", "Telur", "Mi Instan", "Kecap & Saus",
    "Bumbu Dapur", "Susu", "Kopi", "Teh", "Minuman", "Air Mineral", "Biskuit", "Roti",
    "Makanan Ringan", "Permen", "Cokelat", "Makanan Kaleng", "Bumbu Instan", "Sabun Mandi",
    "Sampo", "Pasta Gigi", "Deterjen", "Pembersih Lantai", "Sabun Cuci Piring", "Popok",
    "Pembalut", "Tisu", "Obat Bebas", "Vitamin", "Pupuk", "Benih", "Pestisida", "Alat Tulis",
    "Baterai", "Gas Elpiji", "Rokok", "Makanan Bayi", "Kerajinan UMKM",
)
BRANDS = (
    "Sinar Jaya", "Cap Bintang", "Mawar Merah", "Karya Tani", "Sumber Rejeki", "Dua Kelinci",
    "Tiga Roda", "Bunga Desa", "Puncak Emas", "Mekar Sari", "Sari Murni", "Anugerah",
    "Bina Usaha", "Harapan", "Lestari", "Merpati", "Cendana", "Garuda Mas", "Nusantara",
    "Sentosa", "Makmur", "Cahaya", "Pelangi", "Rajawali", "Srikandi", "Teratai", "Kencana",
    "Bahari", "Sejahtera", "Mandiri", "Berkah", "Kartika", "Asri", "Melati", "Kenanga",
    "Samudra", "Indah", "Permata", "Gemilang", "Bumi Hijau",
)
VARIANTS = (
    "Original", "Pedas", "Manis", "Gurih", "Premium", "Super", "Spesial", "Ekonomis", "Jumbo",
    "Mini", "Rendah Gula", "Extra", "Klasik", "Asli", "Harum", "Segar", "Lembut", "Kuat",
    "Hemat", "Keluarga", "Organik", "Putih", "Cokelat", "Stroberi", "Vanila",
)
NOUNS = (
    "Beras", "Minyak", "Gula Pasir", "Tepung Terigu", "Telur", "Mi Goreng", "Mi Kuah", "Kecap",
    "Saus Sambal", "Garam", "Merica", "Kaldu", "Susu Kental", "Susu UHT", "Kopi Bubuk",
    "Kopi Sachet", "Teh Celup", "Sirup", "Air Mineral", "Biskuit", "Wafer", "Roti Tawar",
    "Keripik", "Kacang", "Permen", "Cokelat Batang", "Sarden", "Kornet", "Sabun", "Sampo",
    "Pasta Gigi", "Sikat Gigi", "Deterjen", "Pewangi", "Pembersih Lantai", "Sabun Cuci",
    "Popok", "Pembalut", "Tisu", "Minyak Kayu Putih", "Obat Batuk", "Vitamin C", "Pupuk Urea",
    "Pupuk NPK", "Benih Jagung", "Benih Padi", "Buku Tulis", "Pulpen", "Baterai AA",
    "Korek Api", "Lilin", "Kerupuk", "Abon", "Sambal Terasi", "Bumbu Rendang", "Santan",
    "Agar-agar", "Madu", "Kopi Susu", "Teh Botol",
)
PACK_SIZES = (
    "50 g", "75 g", "100 g", "200 g", "250 g", "500 g", "1 kg", "2 kg", "5 kg", "100 ml",
    "250 ml", "600 ml", "1 liter", "2 liter", "isi 10", "isi 12", "isi 40", "1 pcs", "Renceng 10",
)
BUSINESS_UNITS = ("sembako",) * 14 + ("umkm", "apotek", "pupuk", "lainnya")
TAX_CLASSES = ("ppn",) * 14 + ("bebas",) * 5 + ("tidak_dipungut",)
FIRST_NAMES = ("Andi", "Budi", "Citra", "Dewi", "Eka", "Fajar", "Gita", "Hadi", "Intan", "Joko",
               "Kartini", "Lukman", "Made", "Nur", "Putu", "Rina", "Siti", "Taufik", "Wayan",
               "Yusuf")
LAST_NAMES = ("Saputra", "Wijaya", "Lestari", "Pratama", "Hidayat", "Kusuma", "Nugroho",
              "Rahmawati", "Siregar", "Tanjung", "Nasution", "Purba", "Daeng", "Pattiasina",
              "Manurung")


@dataclass(frozen=True)
class Size:
    """How big an outlet to generate."""

    products: int = 50_000
    members: int = 20_000
    sales: int = 200_000
    lines_per_sale: int = 5  # mean; the line total is exactly sales x this
    days: int = 400
    popular: int = 5_000     # 80% of sale lines draw from this many products
    categories: int = 40


FULL = Size()


class Item(NamedTuple):
    """What a sale line copies from its product."""

    sku: str
    name: str
    price: int
    cost: int
    tax_class: str
    business_unit: str
    category_id: int


def ean13(product_id: int) -> str:
    """A valid, scattered EAN-13 for a product (a bijection of the id modulo 10**9)."""
    return with_check_digit(f"899{(product_id * 7919 + 12345) % 10**9:09d}")


def text_time(moment: datetime) -> str:
    """A naive-UTC datetime as SQLAlchemy stores it in SQLite."""
    return moment.isoformat(" ", "microseconds")


def insert_sql(table: str, *columns: str) -> str:
    """``INSERT INTO table (columns) VALUES (?, ...)`` that also fills, as literals, every
    other NOT NULL column with its Python-side model default.

    The models keep gaining columns (``reorder_point`` ...); this keeps the raw
    inserts valid.  A NOT NULL column without any default still fails loudly.
    """
    defaults = {col.name: _sql_literal(_default_value(col))
                for col in pos.models.metadata.tables[table].columns
                if col.name not in columns and not col.nullable and col.server_default is None
                and col.default is not None and (col.default.is_scalar or col.default.is_callable)}
    names = ", ".join([*columns, *defaults])
    values = ", ".join(["?"] * len(columns) + list(defaults.values()))
    return f"INSERT INTO {table} ({names}) VALUES ({values})"


def _default_value(column) -> object:
    default = column.default
    return default.arg(None) if default.is_callable else default.arg


def _sql_literal(value: object) -> str:
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, datetime):
        value = text_time(value)
    elif isinstance(value, date):
        value = value.isoformat()
    return "'" + str(value).replace("'", "''") + "'"


def ensure(path: Path, size: Size = FULL, *, rebuild: bool = False, seed: int = 20240801) -> bool:
    """Build ``path`` unless a copy with the app's current schema and this generator's rows
    (``DATASET_VERSION``) exists; True when built."""
    if path.exists() and not rebuild and version_of(path) == DATASET_VERSION \
            and schema_of(path) == app_schema():
        return False
    build(path, size, seed=seed)
    return True


def app_schema() -> list[tuple]:
    """The schema ``create_all`` makes today (models change; a stale cache is rebuilt)."""
    engine = create_engine("sqlite://")
    try:
        pos.models.metadata.create_all(engine)
        with engine.connect() as conn:
            return _schema(conn.connection.dbapi_connection)
    finally:
        engine.dispose()


def version_of(path: Path) -> int:
    """The ``DATASET_VERSION`` that built ``path`` (kept as SQLite's ``application_id``)."""
    with closing(sqlite3.connect(f"file:{path}?immutable=1", uri=True)) as conn:
        return int(conn.execute("PRAGMA application_id").fetchone()[0])


def schema_of(path: Path) -> list[tuple]:
    conn = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        return _schema(conn)
    finally:
        conn.close()


def _schema(conn) -> list[tuple]:
    return sorted(conn.execute("SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master "
                               "WHERE name NOT LIKE 'sqlite_stat%'").fetchall())


def build(path: Path, size: Size, *, seed: int = 20240801) -> None:
    """Generate the outlet into ``path`` (written beside it, then renamed into place)."""
    tmp = path.with_name(path.name + ".tmp")
    remove_db(tmp)
    _create_schema(tmp)
    conn = sqlite3.connect(tmp, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA cache_size=-200000")
        indexes = _drop_indexes(conn)
        _load(conn, random.Random(seed), size)
        for sql in indexes:
            conn.execute(sql)
        conn.execute(f"PRAGMA application_id={DATASET_VERSION}")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    remove_db(path)
    tmp.rename(path)


def remove_db(path: Path) -> None:
    """Delete a database file with its WAL and shared-memory files."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def scratch_copy(source: Path, target: Path) -> Path:
    """A fresh copy of the cached outlet, so a run never changes the cache."""
    remove_db(target)
    shutil.copyfile(source, target)
    return target


def _create_schema(path: Path) -> None:
    """The app's tables, plus the cashier and tills made through the app's own code."""
    engine = make_engine(f"sqlite:///{path}")
    try:
        pos.models.metadata.create_all(engine)
        with Session(engine) as session:
            create_user(session, CASHIER_USERNAME, "Kasir Bench", "cashier", CASHIER_PIN)
            session.add_all([Till(code=code, name=code.title()) for code in (APP_TILL, FLOOR_TILL)])
            session.commit()
    finally:
        engine.dispose()


def _drop_indexes(conn: sqlite3.Connection) -> list[str]:
    """Drop the secondary indexes (not the unique ones), returning their DDL."""
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                        "AND sql IS NOT NULL").fetchall()
    for name, _sql in rows:
        conn.execute(f'DROP INDEX "{name}"')
    return [sql for _name, sql in rows]


def _load(conn: sqlite3.Connection, rng: random.Random, size: Size) -> None:
    today = datetime.now(UTC).date()
    first_day = today - timedelta(days=size.days)
    opened = text_time(datetime.combine(first_day - timedelta(days=1), time(0)))
    cashier_id = conn.execute("SELECT id FROM staff_user").fetchone()[0]
    till_ids = [row[0] for row in conn.execute("SELECT id FROM till ORDER BY code")]
    _write(conn, insert_sql("category", "id", "name"),
           [(n, CATEGORIES[(n - 1) % len(CATEGORIES)] + ("" if n <= len(CATEGORIES) else f" {n}"))
            for n in range(1, size.categories + 1)])
    items = _load_products(conn, rng, size, opened)
    _load_members(conn, rng, size, opened)
    _write(conn, insert_sql("cart", "till_id", "updated_at"),
           [(till_id, opened) for till_id in till_ids])
    sold = [0] * (size.products + 1)
    for chunk in _sales(rng, size, items, first_day, cashier_id, till_ids[0], sold):
        _write_sales(conn, chunk)
    _write(conn, insert_sql("receipt_sequence", "outlet_code", "last_no"),
           [(OUTLET_CODE, size.sales), (FLOOR_OUTLET_CODE, 0)])
    _load_stock(conn, rng, sold, opened)


def _write(conn: sqlite3.Connection, sql: str, rows) -> None:
    conn.execute("BEGIN")
    conn.executemany(sql, rows)
    conn.execute("COMMIT")


def _load_products(conn: sqlite3.Connection, rng: random.Random, size: Size,
                   opened: str) -> list[Item | None]:
    """Products, one EAN-13 each and their search words; returns the items by product id."""
    items: list[Item | None] = [None]
    products, word_rows = [], []
    for pid in range(1, size.products + 1):
        name = (f"{rng.choice(BRANDS)} {rng.choice(VARIANTS)} {rng.choice(NOUNS)} "
                f"{rng.choice(PACK_SIZES)}")
        price = rng.randrange(2, 300) * 500
        item = Item(f"SKU{pid:06d}", name, price, price * rng.randrange(70, 95) // 100,
                    rng.choice(TAX_CLASSES), rng.choice(BUSINESS_UNITS),
                    rng.randrange(1, size.categories + 1))
        items.append(item)
        block = "block" if rng.random() < 0.05 else "allow"
        products.append((pid, item.sku, name, item.category_id, item.business_unit, "pcs", price,
                         item.cost, item.tax_class, 0, 0, 1, block, opened, opened))
        word_rows.extend((word, name, pid) for word in product_words(name, item.sku))
    word_rows.sort()
    _write(conn, insert_sql("product", "id", "sku", "name", "category_id", "business_unit",
                            "base_unit", "price", "cost", "tax_class", "weighed",
                            "batch_tracked", "active", "stock_policy", "created_at", "updated_at"),
           products)
    _write(conn, insert_sql("product_barcode", "code", "product_id", "qty"),
           sorted((ean13(pid), pid, 1) for pid in range(1, size.products + 1)))
    _write(conn, insert_sql("product_word", "word", "name", "product_id"), word_rows)
    return items


def _load_members(conn: sqlite3.Connection, rng: random.Random, size: Size, opened: str) -> None:
    _write(conn, insert_sql("member", "id", "number", "name", "nik", "phone", "card_barcode",
                            "active", "joined_on"), [
        (n, f"AGT{n:06d}", f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
         f"7371{n:012d}", f"08{rng.randrange(10**9, 10**10)}", with_check_digit(f"290{n:09d}"),
         1, opened[:10])
        for n in range(1, size.members + 1)])


class SalesChunk(NamedTuple):
    sales: list[tuple]
    lines: list[tuple]
    payments: list[tuple]
    movements: list[tuple]


def _sales(rng: random.Random, size: Size, items: list[Item | None], first_day: date,
           cashier_id: int, till_id: int, sold: list[int]) -> Iterator[SalesChunk]:
    """Past sales in time order, in chunks; adds each product's sold quantity to ``sold``."""
    popular = rng.sample(range(1, size.products + 1), min(size.popular, size.products))
    moments = sorted((rng.randrange(size.days), rng.uniform(OPEN_SECONDS, CLOSE_SECONDS))
                     for _ in range(size.sales))
    counts = _line_counts(rng, size)
    chunk = SalesChunk([], [], [], [])
    for sale_id, ((day, seconds), count) in enumerate(zip(moments, counts, strict=True), start=1):
        local = datetime.combine(first_day + timedelta(days=day), time(0))
        created = text_time(local + timedelta(seconds=seconds) - UTC_OFFSET)
        picks = _distinct_products(rng, count, popular, size.products)
        gross = tax = 0
        for line_no, pid in enumerate(picks, start=1):
            item, qty = items[pid], rng.choice((1, 1, 1, 1, 1, 1, 1, 2, 2, 3))
            amount = item.price * qty
            rate = PPN_BP if item.tax_class == "ppn" else 0
            line_tax = money.tax_included(amount, rate)
            gross, tax = gross + amount, tax + line_tax
            sold[pid] += qty
            chunk.lines.append((sale_id, line_no, pid, item.sku, item.name, qty, "pcs", item.price,
                                1, amount, item.tax_class, rate, line_tax, item.cost,
                                item.business_unit, item.category_id))
            chunk.movements.append((pid, -qty, "sale", sale_id, cashier_id, None, created))
        tendered = -(-gross // 5000) * 5000
        member_id = rng.randrange(1, size.members + 1) if size.members and rng.random() < 0.3 \
            else None
        chunk.sales.append((sale_id, f"{OUTLET_CODE}-{sale_id:07d}", sale_id,
                            str(uuid.UUID(int=rng.getrandbits(128), version=4)), OUTLET_CODE,
                            till_id, cashier_id, member_id, "completed",
                            (first_day + timedelta(days=day)).isoformat(), created, gross, 0, tax,
                            True, gross, tendered, tendered - gross))
        chunk.payments.append((sale_id, "cash", gross, tendered, None))
        if len(chunk.sales) == SALES_PER_TRANSACTION:
            yield chunk
            chunk = SalesChunk([], [], [], [])
    if chunk.sales:
        yield chunk


def _line_counts(rng: random.Random, size: Size) -> list[int]:
    """Lines per sale: varied, in pairs that sum to twice the mean, so the total is exact."""
    spread, mean = size.lines_per_sale - 1, size.lines_per_sale
    counts = []
    for _ in range(size.sales // 2):
        delta = rng.randint(-spread, spread)
        counts += [mean + delta, mean - delta]
    return counts + [mean] * (size.sales % 2)


def _distinct_products(rng: random.Random, count: int, popular: list[int],
                       products: int) -> list[int]:
    picked: dict[int, None] = {}
    while len(picked) < min(count, products):
        picked[rng.choice(popular) if rng.random() < 0.8 else rng.randrange(1, products + 1)] = None
    return list(picked)


def _write_sales(conn: sqlite3.Connection, chunk: SalesChunk) -> None:
    conn.execute("BEGIN")
    conn.executemany(insert_sql("sale", "id", "receipt_no", "seq_no", "idempotency_key",
                                "outlet_code", "till_id", "cashier_id", "member_id", "status",
                                "business_date", "created_at", "gross", "discount", "tax", "pkp",
                                "total", "tendered", "change"), chunk.sales)
    conn.executemany(insert_sql("sale_line", "sale_id", "line_no", "product_id", "sku", "name",
                                "qty", "base_unit", "unit_price", "price_per", "amount",
                                "tax_class", "tax_rate_bp", "tax", "unit_cost", "business_unit",
                                "category_id"), chunk.lines)
    conn.executemany(insert_sql("payment", "sale_id", "method", "amount", "tendered", "reference"),
                     chunk.payments)
    conn.executemany(insert_sql("stock_movement", "product_id", "qty", "kind", "sale_id",
                                "user_id", "reason", "created_at"), chunk.movements)
    conn.execute("COMMIT")


def _load_stock(conn: sqlite3.Connection, rng: random.Random, sold: list[int], opened: str) -> None:
    """Opening stock per product so that on-hand (= sum of movements) ends a little above zero."""
    opening = [(pid, sold[pid] + rng.randrange(20, 200)) for pid in range(1, len(sold))]
    _write(conn, insert_sql("stock_movement", "product_id", "qty", "kind", "reason", "created_at"),
           [(pid, qty, "opening", "stok awal", opened) for pid, qty in opening])
    _write(conn, insert_sql("stock_level", "product_id", "on_hand"),
           [(pid, qty - sold[pid]) for pid, qty in opening])


def describe(path: Path) -> dict[str, int]:
    """Row counts of the main tables (read from the largest rowid, so it is instant)."""
    conn = sqlite3.connect(path)
    try:
        return {table: conn.execute(f"SELECT coalesce(max(rowid), 0) FROM {table}").fetchone()[0]
                for table in ("product", "member", "sale", "sale_line", "stock_movement")}
    finally:
        conn.close()
