"""Finding products: by a scanned or typed code (the till's hot path) and by words of the name.

Lookups use prebuilt Core statements (one indexed query each), because the
ORM's overhead is several times SQLite's own time here.  Codes are matched
exactly, never fuzzily; in-store labels with a weight or price inside resolve
by PLU.  Every search box (``search``: catalog, labels, receiving, counts,
adjustments, the till) also finds a scanned or typed barcode or SKU, first.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, null, select
from sqlalchemy.orm import Session

from pos.errors import NotFound
from pos.inventory import lists
from pos.inventory.catalog import barcodes, scancodes
from pos.inventory.catalog.models import Product, ProductBarcode, ProductWord
from pos.inventory.catalog.products import CatalogError
from pos.inventory.catalog.search_words import product_words, successor, words
from pos.inventory.models import StockLevel
from pos.money import round_half_up
from pos.sql_direct import Direct
from pos.units import BaseUnit


class UnknownBarcode(NotFound):
    pass


@dataclass(frozen=True)
class ScanHit:
    """What a scan resolves to: the product and how many base units one scan adds."""

    product_id: int
    qty: int
    name: str
    price: int
    active: bool
    base_unit: str = "pcs"
    fixed_amount: int | None = None  # the price printed on a price-embedded label
    merge: bool = True               # False: a weighed or labelled item is its own line
    batch_tracked: bool = False
    weighed: bool = False            # sold by weight (its own code carries no weight)


_product_t, _barcode_t = Product.__table__, ProductBarcode.__table__
_SCAN_COLUMNS = (_product_t.c.id, _product_t.c.name, _product_t.c.price, _product_t.c.active,
                 _product_t.c.base_unit, _product_t.c.batch_tracked, _product_t.c.weighed)
_BY_BARCODE = Direct(select(_barcode_t.c.qty, *_SCAN_COLUMNS).select_from(
    _barcode_t.join(_product_t, _product_t.c.id == _barcode_t.c.product_id)).where(
    _barcode_t.c.code == bindparam("code")))
# A SKU names the product, not a pack: one scan of it is one base pack (``qty`` None here),
# a piece, a kg or a litre, as a pick by name.  Read as 1 base unit it was 1 gram of loose rice.
_BY_SKU = Direct(select(null().label("qty"), *_SCAN_COLUMNS).where(_product_t.c.sku == bindparam("code")))


def lookup_barcode(session: Session, raw: str,
                   patterns: tuple[scancodes.Pattern, ...] = ()) -> ScanHit:
    """The product behind a scanned or typed code; exact match only, never fuzzy.

    Codes matching an in-store pattern (weight or price embedded) resolve by PLU.
    """
    try:
        code = barcodes.validate_scan(raw)
        embedded = scancodes.decode(code, patterns)
    except (barcodes.BarcodeProblem, scancodes.PatternError) as problem:
        raise UnknownBarcode(str(problem), status=422) from None
    if embedded is not None:
        return _embedded_hit(session, embedded)
    conn = session.connection()
    row = _BY_BARCODE.first(conn, {"code": code}) or _BY_SKU.first(conn, {"code": code})
    if row is None and code != code.upper():  # a SKU typed in small letters, as search finds it
        row = _BY_SKU.first(conn, {"code": code.upper()})
    if row is None:
        raise UnknownBarcode(f"Barang dengan kode {code} tidak ditemukan.", status=422)
    qty, product_id, name, price, active, base_unit, tracked, weighed = row
    return _active(ScanHit(product_id, qty or base_unit.price_per, name, price, active, base_unit.value,
                           batch_tracked=tracked, weighed=weighed))


def _active(hit: ScanHit) -> ScanHit:
    if not hit.active:
        raise CatalogError(f"{hit.name} tidak aktif dijual.")
    return hit


def _embedded_hit(session: Session, label: scancodes.Embedded) -> ScanHit:
    """A weighed item's label: weight in grams, or a printed price (qty derived for stock)."""
    product = session.execute(select(Product).where(Product.plu == int(label.plu))).scalar()
    if product is None:
        raise UnknownBarcode(f"PLU {label.plu} dari label {label.code} tidak terdaftar.", status=422)
    unit = product.base_unit
    if label.grams is not None:
        if unit is BaseUnit.PCS:
            raise CatalogError(f"{product.name} bukan barang timbang; label berat tidak berlaku.")
        if label.grams <= 0:
            raise CatalogError("Berat pada label nol. Timbang ulang dan cetak label baru.")
        return _active(ScanHit(product.id, label.grams, product.name, product.price,
                               product.active, unit.value, merge=False))
    if label.price <= 0 or product.price <= 0:
        raise CatalogError("Harga pada label nol atau harga barang belum diisi.")
    qty = 1 if unit is BaseUnit.PCS else max(1, round_half_up(label.price * unit.price_per,
                                                              product.price))
    return _active(ScanHit(product.id, qty, product.name, product.price, product.active,
                           unit.value, fixed_amount=label.price, merge=False))


_FOUND = (Product.id, Product.sku, Product.name, Product.price, Product.base_unit, Product.weighed,
          Product.batch_tracked, StockLevel.on_hand)


def search(session: Session, text: str, limit: int = 8, today: date | None = None) -> list[dict]:
    """What a search box finds: the active product whose barcode or SKU is exactly the text
    (a scanned or typed code) first, then those whose name or SKU has words starting with
    every typed word.

    Each row's ``on_hand`` is, given ``today`` (the business date), a batch-tracked good's stock
    not expired on it, as Daftar stok counts it, with ``expired``, the rest, beside it (0 for
    other goods, and for every good without ``today``: then ``on_hand`` is the whole level).
    The expired stock of the found goods is one grouped query, not one per product."""
    found = _by_code(session, text)
    seen = {row["id"] for row in found}
    for row in _by_words(session, text, limit):
        if row["id"] not in seen and len(found) < limit:
            seen.add(row["id"])
            found.append(row)
    tracked = [row["id"] for row in found if row["batch_tracked"]] if today is not None else []
    expired = lists.expired_of(session, today, tracked) if tracked else {}
    for row in found:
        row["expired"] = expired.get(row["id"], 0)
        row["on_hand"] -= row["expired"]
    return found


def _by_code(session: Session, text: str) -> list[dict]:
    """The product with exactly this barcode, or this SKU (as typed, else in capitals)."""
    code = (text or "").strip()
    if not code or len(code) > 40 or any(c.isspace() for c in code):
        return []
    found = select(*_FOUND).join(StockLevel, StockLevel.product_id == Product.id).where(Product.active)
    product_id = session.scalar(select(ProductBarcode.product_id).where(ProductBarcode.code == code))
    if product_id is not None:
        return [row._asdict() for row in session.execute(found.where(Product.id == product_id))]
    for sku in dict.fromkeys((code, code.upper())):   # as typed first, then in capitals
        rows = [row._asdict() for row in session.execute(found.where(Product.sku == sku))]
        if rows:
            return rows
    return []


def _by_words(session: Session, text: str, limit: int) -> list[dict]:
    """Active products whose name or SKU has words starting with every typed word.

    The longest word is an indexed prefix range on ``product_word``, read in order a few rows
    at a time; the other words are checked on each row's own name and SKU (the words
    ``product_word`` holds for it) until ``limit`` products are found. As ``EXISTS``
    subqueries they scanned the other word's whole range for every row: a short second word
    ("nusantara o", 50,000 products) took 1-2 s.  Words are in any script (``search_words``);
    a single letter is too short a word, but for one Chinese character or Japanese kana, a word
    of its own ("米")."""
    terms = sorted(words(text), key=len, reverse=True)[:4]
    if not terms or (len(terms[0]) < 2 and not _wide(terms[0])):
        return []
    first, rest = terms[0], terms[1:]
    query = (
        select(*_FOUND)
        .select_from(ProductWord)
        .join(Product, Product.id == ProductWord.product_id)
        .join(StockLevel, StockLevel.product_id == Product.id)
        .where(ProductWord.word >= first, ProductWord.word < successor(first), Product.active)
        .order_by(ProductWord.word, ProductWord.name)
        .execution_options(yield_per=limit * 3)
    )
    seen, found = set(), []
    result = session.connection().execute(query)  # Core rows: no ORM cost per row read
    try:
        for row in result:
            if row.id in seen or not _has_words(row, rest):
                continue
            seen.add(row.id)
            found.append(row._asdict())
            if len(found) == limit:
                break
    finally:
        result.close()
    return found


def _has_words(row, terms: list[str]) -> bool:
    """Whether the product has, for every term, a word of its name or SKU starting with it."""
    if not terms:
        return True
    own = product_words(row.name, row.sku)
    return all(any(word.startswith(term) for word in own) for term in terms)


def _wide(term: str) -> bool:
    """A character written wide (CJK ideographs, kana, Hangul): a word on its own."""
    return unicodedata.east_asian_width(term[0]) in ("W", "F")
