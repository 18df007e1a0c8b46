"""Products and barcodes: create, look up by scan, search by name.

Lookups on the till's hot path use Core statements (one indexed query each);
writes go through the ORM.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import and_, bindparam, delete, exists, literal, select
from sqlalchemy.orm import Session

from pos.errors import NotFound, PosError
from pos.inventory import barcodes, scancodes
from pos.money import round_half_up
from pos.inventory.models import (
    BaseUnit, BusinessUnit, Category, Product, ProductBarcode, ProductWord, StockLevel,
    StockPolicy, TaxClass,
)

_WORD = re.compile(r"[0-9a-z]+")


class UnknownBarcode(NotFound):
    pass


class CatalogError(PosError):
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


def words(name: str) -> set[str]:
    """Search words of a name: lower-case alphanumeric runs, capped at 60 chars."""
    return {w[:60] for w in _WORD.findall(name.lower())}


def get_or_create_category(session: Session, name: str) -> Category:
    category = session.scalar(select(Category).where(Category.name == name))
    if category is None:
        category = Category(name=name)
        session.add(category)
        session.flush()
    return category


def new_product_problem(*, sku: str, name: str, price: int, cost: int = 0, het: int | None = None,
                        weighed: bool = False, base_unit: BaseUnit = BaseUnit.PCS) -> str | None:
    """What is wrong with a new product's own values (None when nothing is);
    shared by ``create_product`` and the bulk import."""
    if not name or not sku:
        return "SKU dan nama barang wajib diisi."
    if price < 0 or cost < 0:
        return "Harga dan harga pokok tidak boleh negatif."
    if het is not None and price > het:
        return f"Harga {name} melebihi HET."
    if weighed and base_unit is BaseUnit.PCS:
        return "Barang timbang harus bersatuan gram atau ml, bukan pcs."
    return None


def create_product(
    session: Session, *, sku: str, name: str, price: int, business_unit: BusinessUnit | str,
    base_unit: BaseUnit | str = BaseUnit.PCS, cost: int = 0, tax_class: TaxClass | str = TaxClass.PPN,
    het: int | None = None, category: str | None = None, barcodes_: list[str | tuple[str, int]] = (),
    weighed: bool = False, batch_tracked: bool = False,
    stock_policy: StockPolicy | str | None = None,
) -> Product:
    """Add a product with its barcodes and an empty stock level."""
    name, sku = (name or "").strip(), (sku or "").strip()
    problem = new_product_problem(sku=sku, name=name, price=price, cost=cost, het=het,
                                  weighed=weighed, base_unit=BaseUnit(base_unit))
    if problem:
        raise CatalogError(problem)
    if session.scalar(select(Product.id).where(Product.sku == sku)) is not None:
        raise CatalogError(f"SKU {sku} sudah dipakai.")
    if stock_policy is None:
        stock_policy = StockPolicy.BLOCK if batch_tracked or het else StockPolicy.ALLOW
    product = Product(
        sku=sku, name=name, price=price, cost=cost, het=het,
        business_unit=BusinessUnit(business_unit), base_unit=BaseUnit(base_unit),
        tax_class=TaxClass(tax_class), weighed=weighed, batch_tracked=batch_tracked,
        stock_policy=StockPolicy(stock_policy),
        category=get_or_create_category(session, category) if category else None,
    )
    session.add(product)
    session.flush()
    for entry in barcodes_:
        code, qty = entry if isinstance(entry, tuple) else (entry, 1)
        add_barcode(session, product, code, qty)
    session.add(StockLevel(product_id=product.id, on_hand=0))
    index_words(session, product)
    session.flush()
    return product


def add_barcode(session: Session, product: Product, code: str, qty: int = 1) -> ProductBarcode:
    code = barcodes.normalize(code)
    if qty <= 0:
        raise CatalogError("Isi per pindaian barcode harus lebih dari nol.")
    if code.isdigit() and len(code) in (8, 12, 13) and not barcodes.is_valid_gtin(code):
        raise CatalogError(f"Barcode {code} tidak valid (angka periksa salah).")
    if session.get(ProductBarcode, code) is not None:
        raise CatalogError(f"Barcode {code} sudah dipakai barang lain.")
    barcode = ProductBarcode(code=code, product_id=product.id, qty=qty)
    session.add(barcode)
    return barcode


def index_words(session: Session, product: Product) -> None:
    """Rebuild the product's search words (after create or rename)."""
    session.execute(delete(ProductWord).where(ProductWord.product_id == product.id))
    for word in words(product.name) | words(product.sku):
        session.add(ProductWord(word=word, name=product.name, product_id=product.id))


_product_t, _barcode_t = Product.__table__, ProductBarcode.__table__
_SCAN_COLUMNS = (_product_t.c.id, _product_t.c.name, _product_t.c.price, _product_t.c.active,
                 _product_t.c.base_unit, _product_t.c.batch_tracked)
_BY_BARCODE = select(_barcode_t.c.qty, *_SCAN_COLUMNS).select_from(
    _barcode_t.join(_product_t, _product_t.c.id == _barcode_t.c.product_id)).where(
    _barcode_t.c.code == bindparam("code"))
_BY_SKU = select(literal(1).label("qty"), *_SCAN_COLUMNS).where(_product_t.c.sku == bindparam("code"))


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
    row = conn.execute(_BY_BARCODE, {"code": code}).first() or \
        conn.execute(_BY_SKU, {"code": code}).first()
    if row is None:
        raise UnknownBarcode(f"Barang dengan kode {code} tidak ditemukan.", status=422)
    qty, product_id, name, price, active, base_unit, tracked = row
    return _active(ScanHit(product_id, qty, name, price, active, base_unit.value,
                           batch_tracked=tracked))


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


def search(session: Session, text: str, limit: int = 8) -> list[dict]:
    """Active products whose name or SKU has words starting with every typed word."""
    terms = sorted(words(text), key=len, reverse=True)[:4]
    if not terms or len(terms[0]) < 2:
        return []
    first, rest = terms[0], terms[1:]
    query = (
        select(Product.id, Product.sku, Product.name, Product.price, Product.base_unit,
               Product.weighed, StockLevel.on_hand)
        .select_from(ProductWord)
        .join(Product, Product.id == ProductWord.product_id)
        .join(StockLevel, StockLevel.product_id == Product.id)
        .where(ProductWord.word >= first, ProductWord.word < _successor(first), Product.active)
        .order_by(ProductWord.word, ProductWord.name)
        .limit(limit * 3)
    )
    for term in rest:
        alias = ProductWord.__table__.alias()
        query = query.where(exists().where(and_(
            alias.c.product_id == Product.id, alias.c.word >= term, alias.c.word < _successor(term))))
    seen, found = set(), []
    for row in session.execute(query):
        if row.id not in seen:
            seen.add(row.id)
            found.append(row._asdict())
        if len(found) == limit:
            break
    return found


def _successor(prefix: str) -> str:
    """The smallest string above every string starting with ``prefix`` (words are [0-9a-z])."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def get_product(session: Session, product_id: int) -> Product:
    product = session.get(Product, product_id)
    if product is None:
        raise NotFound("Barang tidak ditemukan.")
    return product


def list_products(session: Session) -> list[dict]:
    """Every product with its barcodes and on-hand stock, for export and the CLI."""
    codes: dict[int, list[str]] = {}
    for code, product_id in session.execute(
            select(ProductBarcode.code, ProductBarcode.product_id).order_by(ProductBarcode.code)):
        codes.setdefault(product_id, []).append(code)
    rows = session.execute(
        select(Product.id, Product.sku, Product.name, Product.price, Product.base_unit,
               Product.business_unit, Product.tax_class, Product.het, Product.active,
               StockLevel.on_hand)
        .join(StockLevel, StockLevel.product_id == Product.id).order_by(Product.sku))
    return [{
        "sku": r.sku, "name": r.name, "barcodes": codes.get(r.id, []), "price": r.price,
        "price_per": BaseUnit(r.base_unit).price_per, "unit": BaseUnit(r.base_unit).value,
        "business_unit": BusinessUnit(r.business_unit).value,
        "tax_class": TaxClass(r.tax_class).value, "het": r.het, "active": r.active,
        "on_hand": r.on_hand,
    } for r in rows]
