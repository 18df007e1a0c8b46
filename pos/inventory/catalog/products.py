"""Products and their barcodes: create, add and remove codes, search words, lists.

Finding a product by a scan or by name is in ``lookup``; editing fields from
forms and files is in ``maintenance``.
"""
from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from pos.errors import NotFound, PosError
from pos.inventory import stock
from pos.inventory.catalog import barcodes, categories, codes, history
from pos.inventory.catalog.models import (
    BusinessUnit,
    Product,
    ProductBarcode,
    ProductWord,
    StockPolicy,
    TaxClass,
)
from pos.inventory.catalog.search_words import product_words
from pos.inventory.models import StockLevel
from pos.text import is_digits
from pos.units import BaseUnit


class CatalogError(PosError):
    pass


ZERO_PRICE = "Harga jual harus lebih dari Rp0."


# A batch never goes below nought, so the till refuses to sell a batch product below zero
# whatever its policy: "Boleh minus" for one would be a promise the till does not keep.
BATCH_MINUS = ("Barang ber-batch tidak bisa dijual minus: stok setiap batch tidak boleh kurang dari "
               "nol. Pilih “Tolak penjualan” pada Bila stok habis.")


def batch_minus(batch_tracked: bool, stock_policy: StockPolicy | str | None) -> str | None:
    """``BATCH_MINUS`` for "Boleh minus" on a batch-tracked product, else None."""
    allow = stock_policy is not None and StockPolicy(stock_policy) is StockPolicy.ALLOW
    return BATCH_MINUS if batch_tracked and allow else None


def batch_minus_in_file(values: dict, old) -> str | None:
    """``batch_minus`` for a catalogue file's row (``old``: the product's present row, None for a
    new one), unless it leaves an existing product's batches and policy as they are."""
    policy = values.get("stock_policy")
    tracked = values.get("batch_tracked", old.batch_tracked if old else False)
    if old is not None and (old.batch_tracked, old.stock_policy) == (tracked, policy):
        return None
    return batch_minus(tracked, policy)


def squared_policy(product: Product, given: dict, new: dict) -> dict:
    """The changes ``new`` of ``product`` (from the values ``given``) with batches and policy in
    step: "Boleh minus" given for a product batch-tracked after the change is refused when
    either changes; batches switched on with no policy given refuse the sale below zero."""
    if not {"batch_tracked", "stock_policy"} & set(new):
        return new
    tracked = new.get("batch_tracked", product.batch_tracked)
    if problem := batch_minus(tracked, given.get("stock_policy")):
        raise CatalogError(problem)
    if tracked and "stock_policy" not in given and product.stock_policy is not StockPolicy.BLOCK:
        return {**new, "stock_policy": StockPolicy.BLOCK}
    return new


def new_product_problem(*, sku: str, name: str, price: int, cost: int = 0,
                        weighed: bool = False, base_unit: BaseUnit = BaseUnit.PCS,
                        batch_tracked: bool = False,
                        stock_policy: StockPolicy | str | None = None) -> str | None:
    """What is wrong with a new product's own values (None when nothing is);
    shared by ``create_product`` and the bulk import."""
    if not name or not sku:
        return "SKU dan nama barang wajib diisi."
    if price < 0 or cost < 0:
        return "Harga dan harga pokok tidak boleh negatif."
    if price == 0:
        return ZERO_PRICE
    if weighed and base_unit is BaseUnit.PCS:
        return "Barang timbang harus bersatuan gram atau ml, bukan pcs."
    return batch_minus(batch_tracked, stock_policy)


def create_product(
    session: Session, *, sku: str, name: str, price: int, business_unit: BusinessUnit | str,
    base_unit: BaseUnit | str = BaseUnit.PCS, cost: int = 0, tax_class: TaxClass | str = TaxClass.PPN,
    category: str | None = None, barcodes_: list[str | tuple[str, int]] = (),
    weighed: bool = False, batch_tracked: bool = False,
    stock_policy: StockPolicy | str | None = None,
) -> Product:
    """Add a product with its barcodes and an empty stock level."""
    name, sku = (name or "").strip(), (sku or "").strip()
    problem = new_product_problem(sku=sku, name=name, price=price, cost=cost, weighed=weighed,
                                  base_unit=BaseUnit(base_unit), batch_tracked=batch_tracked,
                                  stock_policy=stock_policy)
    if problem:
        raise CatalogError(problem)
    if session.scalar(select(Product.id).where(Product.sku == sku)) is not None:
        raise CatalogError(f"SKU {sku} sudah dipakai.")
    if (held := codes.sku_holder(session, sku) or codes.owner(session, sku, sku=False)) is not None:
        raise CatalogError(f"SKU {sku} sudah dipakai sebagai {held}.")
    if stock_policy is None:
        stock_policy = StockPolicy.BLOCK if batch_tracked else StockPolicy.ALLOW
    product = Product(
        sku=sku, name=name, price=price, cost=cost,
        business_unit=BusinessUnit(business_unit), base_unit=BaseUnit(base_unit),
        tax_class=TaxClass(tax_class), weighed=weighed, batch_tracked=batch_tracked,
        stock_policy=StockPolicy(stock_policy),
        category=categories.named(session, category) if category else None,
    )
    session.add(product)
    session.flush()
    for entry in barcodes_:
        code, qty = entry if isinstance(entry, tuple) else (entry, 1)
        add_barcode(session, product.id, code, qty, logged=False)  # logged with the product
    stock.open_levels(session, [product.id])
    index_words(session, product)
    session.flush()
    return product


def check_code(raw: str) -> str:
    """A barcode as stored, after the same format and check-digit rules as a scan."""
    try:
        return barcodes.validate_scan(raw)
    except barcodes.BarcodeProblem as problem:
        raise CatalogError(str(problem).replace(" Pindai ulang.", "")) from None


def add_barcode(session: Session, product_id: int, raw: str, qty: int | str = 1, *,
                user_id: int | None = None, reason: str | None = None,
                logged: bool = True) -> ProductBarcode:
    """A code on the goods; scanning it adds ``qty`` base units (the text a manager typed or
    an int).  Codes follow the scan rules and belong to one product only, never to another
    product's SKU or a member's card.  Logged as a change by ``user_id`` (``logged=False``:
    while the product is created)."""
    product = get_product(session, product_id)
    qty_text = str(qty).strip()
    if isinstance(qty, bool) or not is_digits(qty_text, 10) or int(qty_text) < 1:  # ASCII only
        raise CatalogError("Isi per pindaian harus angka bulat lebih dari 0.")
    code = check_code(raw)
    if (owner := session.get(ProductBarcode, code)) is not None:
        where = "barang ini" if owner.product_id == product.id else "barang lain"
        raise CatalogError(f"Barcode {code} sudah dipakai {where}.")
    if (held := codes.owner(session, code, product.id, barcode=False)) is not None:
        raise CatalogError(f"Barcode {code} sudah dipakai sebagai {held}.")
    barcode = ProductBarcode(code=code, product_id=product.id, qty=int(qty_text))
    session.add(barcode)
    if logged:
        history.record(session, product.id, "barcode", None,
                       history.barcode_words(code, barcode.qty, product.base_unit), user_id, reason,
                       as_words=False)
    session.flush()
    return barcode


def set_barcode_qty(session: Session, barcode: ProductBarcode, qty: int, *,
                    user_id: int | None = None, reason: str | None = None) -> None:
    """A code the product has now stands for ``qty`` base units (a catalog file); logged."""
    unit = barcode.product.base_unit
    history.record(session, barcode.product_id, "barcode",
                   history.barcode_words(barcode.code, barcode.qty, unit),
                   history.barcode_words(barcode.code, qty, unit), user_id, reason, as_words=False)
    barcode.qty = qty


def remove_barcode(session: Session, product_id: int, code: str, *,
                   user_id: int | None = None) -> None:
    """Take a code off the product (a collision is fixed here too); logged."""
    barcode = session.get(ProductBarcode, barcodes.normalize(code))
    if barcode is None or barcode.product_id != product_id:
        raise NotFound("Barcode itu tidak ada pada barang ini.")
    history.record(session, product_id, "barcode",
                   history.barcode_words(barcode.code, barcode.qty, barcode.product.base_unit),
                   None, user_id, as_words=False)
    session.delete(barcode)
    session.flush()


def index_words(session: Session, product: Product) -> None:
    """Rebuild the product's search words (after create or rename)."""
    session.execute(delete(ProductWord).where(ProductWord.product_id == product.id))
    for word in product_words(product.name, product.sku):
        session.add(ProductWord(word=word, name=product.name, product_id=product.id))


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
               Product.business_unit, Product.tax_class, Product.active,
               StockLevel.on_hand)
        .join(StockLevel, StockLevel.product_id == Product.id).order_by(Product.sku))
    return [{
        "sku": r.sku, "name": r.name, "barcodes": codes.get(r.id, []), "price": r.price,
        "price_per": BaseUnit(r.base_unit).price_per, "unit": BaseUnit(r.base_unit).value,
        "business_unit": BusinessUnit(r.business_unit).value,
        "tax_class": TaxClass(r.tax_class).value, "active": r.active,
        "on_hand": r.on_hand,
    } for r in rows]


def catalog_page(session: Session, page: int, size: int) -> tuple[list[dict], int]:
    """One page of the whole catalog (inactive goods too) in SKU order, and the product count."""
    total = session.scalar(select(func.count()).select_from(Product)) or 0
    rows = session.execute(
        select(Product.id, Product.sku, Product.name, Product.price, Product.base_unit,
               Product.business_unit, Product.active, StockLevel.on_hand)
        .outerjoin(StockLevel, StockLevel.product_id == Product.id)
        .order_by(Product.sku).offset((page - 1) * size).limit(size))
    return [row._asdict() for row in rows], total
