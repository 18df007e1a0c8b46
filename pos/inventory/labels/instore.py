"""In-store EAN-13 codes for goods without a barcode.

GS1 leaves prefixes 20-29 to the shop.  The scale's weight and price patterns
(21 and 23 by default) own some of them; codes assigned here use another one
(``INSTORE_PREFIX``, 20 by default) so the till can never read them as a weight.
Services only: a session and plain values in, ``LabelError`` with a message out.
What a label shows is in ``shelf``.
"""
from __future__ import annotations

import re

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, selectinload

from pos.errors import PosError
from pos.inventory.catalog import barcodes, codes, products
from pos.inventory.catalog.models import Product, ProductBarcode

MAX_PRODUCTS = 200       # per request, so one form cannot lock the catalogue for long
_PREFIX = re.compile(r"^2\d$")


class LabelError(PosError):
    pass


class Assignment(dict):
    """New codes by product id; ``kept`` holds products that already had a barcode."""

    def __init__(self) -> None:
        super().__init__()
        self.kept: dict[int, str] = {}


def check_prefix(prefix: str, avoid_prefixes: tuple[str, ...] = ()) -> str:
    """``prefix`` when it is a free in-store prefix (20-29, not a scale pattern's)."""
    if not _PREFIX.match(prefix or ""):
        raise LabelError(f"Awalan kode toko '{prefix}' tidak valid: harus 20 sampai 29.")
    for taken in avoid_prefixes:
        if taken.startswith(prefix) or prefix.startswith(taken):
            raise LabelError(f"Awalan {prefix} dipakai pola barcode timbangan ({taken}); "
                             "pilih awalan lain.")
    return prefix


def assign_instore_codes(session: Session, product_ids: list[int], prefix: str = "20",
                         avoid_prefixes: tuple[str, ...] = (), *,
                         user_id: int | None = None) -> Assignment:
    """Give each listed product without a barcode the next free ``prefix`` EAN-13.

    Products that already have a barcode keep it and are reported in ``kept``.
    A barcode for gram or ml goods stands for one kg or litre, as its label says.
    """
    check_prefix(prefix, avoid_prefixes)
    chosen = chosen_products(session, product_ids)
    result = Assignment()
    number = _highest_number(session, prefix)
    for product in chosen:
        if product.barcodes:
            result.kept[product.id] = sorted(b.code for b in product.barcodes)[0]
            continue
        number, code = _next_free(session, prefix, number)
        products.add_barcode(session, product.id, code, product.base_unit.price_per, user_id=user_id,
                             reason="Kode toko")
        result[product.id] = code
        session.flush()
        session.expire(product, ["barcodes"])  # added by id, so reload on next use
    return result


def known_products(session: Session, product_ids: list[int]) -> dict[int, Product]:
    """The products of ``product_ids`` that exist, by id, with their barcodes, in one query."""
    return {p.id: p for p in session.scalars(select(Product).where(Product.id.in_(product_ids))
                                             .options(selectinload(Product.barcodes)))}


def chosen_products(session: Session, product_ids: list[int]) -> list[Product]:
    """The products in the order asked, each once; unknown ids are an error."""
    wanted = list(dict.fromkeys(product_ids))
    if not wanted:
        raise LabelError("Pilih minimal satu barang.")
    if len(wanted) > MAX_PRODUCTS:
        raise LabelError(f"Paling banyak {MAX_PRODUCTS} barang sekali proses.")
    found = known_products(session, wanted)
    missing = [str(i) for i in wanted if i not in found]
    if missing:
        raise LabelError(f"Barang tidak ditemukan: {', '.join(missing[:5])}.")
    return [found[i] for i in wanted]


def _highest_number(session: Session, prefix: str) -> int:
    """The serial of the highest 13-digit code already using ``prefix`` (0 if none)."""
    low, high = prefix + "0" * (13 - len(prefix)), prefix + "9" * (13 - len(prefix))
    codes = session.scalars(
        select(ProductBarcode.code)
        .where(ProductBarcode.code >= low, ProductBarcode.code <= high,
               func.length(ProductBarcode.code) == 13)
        .order_by(ProductBarcode.code.desc()))
    for code in codes:
        if code.isdigit():
            return int(code[len(prefix):12])
    return 0


def _next_free(session: Session, prefix: str, number: int) -> tuple[int, str]:
    """The next serial after ``number`` whose code no barcode, SKU, member card or number uses yet."""
    limit = 10 ** (12 - len(prefix))
    while True:
        number += 1
        if number >= limit:
            raise LabelError(f"Kode toko dengan awalan {prefix} sudah habis.")
        code = barcodes.with_check_digit(f"{prefix}{number:0{12 - len(prefix)}d}")
        taken = session.scalar(select(
            exists().where(ProductBarcode.code == code) | exists().where(Product.sku == code)
            | codes.is_member_code(code)))
        if not taken:
            return number, code


def products_without_barcode(session: Session, limit: int = 200) -> list[dict]:
    """Active products that have no barcode at all, by name."""
    rows = session.execute(
        select(Product.id, Product.sku, Product.name, Product.price, Product.base_unit)
        .where(Product.active, ~exists().where(ProductBarcode.product_id == Product.id))
        .order_by(Product.name, Product.id).limit(limit))
    return [row._asdict() for row in rows]
