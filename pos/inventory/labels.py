"""In-store EAN-13 codes for goods without a barcode, and the data printed on their labels.

GS1 leaves prefixes 20-29 to the shop.  The scale's weight and price patterns
(21 and 23 by default) own some of them; codes assigned here use another one
(``INSTORE_PREFIX``, 20 by default) so the till can never read them as a weight.
Services only: a session and plain values in, ``LabelError`` with a message out.
"""
from __future__ import annotations

import re

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, selectinload

from pos.errors import PosError
from pos.hardware.ports import Label
from pos.inventory import barcodes, catalog
from pos.inventory.models import BaseUnit, Product, ProductBarcode
from pos.money import format_rupiah

MAX_COPIES = 500         # per product on one print
MAX_LABELS = 1000        # per print job (42 A4 pages)
MAX_PRODUCTS = 200       # per request, so one form cannot lock the catalogue for long
_PREFIX = re.compile(r"^2\d$")
_UNIT_TEXT = {BaseUnit.PCS: "", BaseUnit.GRAM: "/kg", BaseUnit.ML: "/liter"}


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
                         avoid_prefixes: tuple[str, ...] = ()) -> Assignment:
    """Give each listed product without a barcode the next free ``prefix`` EAN-13.

    Products that already have a barcode keep it and are reported in ``kept``.
    A barcode for gram or ml goods stands for one kg or litre, as its label says.
    """
    check_prefix(prefix, avoid_prefixes)
    products = _products(session, product_ids)
    result = Assignment()
    number = _highest_number(session, prefix)
    for product in products:
        if product.barcodes:
            result.kept[product.id] = sorted(b.code for b in product.barcodes)[0]
            continue
        number, code = _next_free(session, prefix, number)
        catalog.add_barcode(session, product, code, product.base_unit.price_per)
        result[product.id] = code
        session.flush()
        session.expire(product, ["barcodes"])  # added by id, so reload on next use
    return result


def _products(session: Session, product_ids: list[int]) -> list[Product]:
    """The products in the order asked, each once; unknown ids are an error."""
    wanted = list(dict.fromkeys(product_ids))
    if not wanted:
        raise LabelError("Pilih minimal satu barang.")
    if len(wanted) > MAX_PRODUCTS:
        raise LabelError(f"Paling banyak {MAX_PRODUCTS} barang sekali proses.")
    found = {p.id: p for p in session.scalars(
        select(Product).where(Product.id.in_(wanted)).options(selectinload(Product.barcodes)))}
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
    """The next serial after ``number`` whose code no barcode or SKU uses yet."""
    limit = 10 ** (12 - len(prefix))
    while True:
        number += 1
        if number >= limit:
            raise LabelError(f"Kode toko dengan awalan {prefix} sudah habis.")
        code = barcodes.with_check_digit(f"{prefix}{number:0{12 - len(prefix)}d}")
        taken = session.scalar(select(
            exists().where(ProductBarcode.code == code) | exists().where(Product.sku == code)))
        if not taken:
            return number, code


def products_without_barcode(session: Session, limit: int = 200) -> list[dict]:
    """Active products that have no barcode at all, by name."""
    rows = session.execute(
        select(Product.id, Product.sku, Product.name, Product.price, Product.base_unit)
        .where(Product.active, ~exists().where(ProductBarcode.product_id == Product.id))
        .order_by(Product.name, Product.id).limit(limit))
    return [row._asdict() for row in rows]


def label_data(session: Session, items: list[tuple[int, int]]) -> list[Label]:
    """One ``Label`` per copy, in the order asked: (product id, copies) pairs."""
    if not items:
        raise LabelError("Pilih minimal satu barang untuk label.")
    total = 0
    for _, copies in items:
        if not 1 <= copies <= MAX_COPIES:
            raise LabelError(f"Jumlah label per barang harus 1 sampai {MAX_COPIES}.")
        total += copies
    if total > MAX_LABELS:
        raise LabelError(f"Paling banyak {MAX_LABELS} label sekali cetak (diminta {total}).")
    products = {p.id: p for p in _products(session, [pid for pid, _ in items])}
    labels = []
    for product_id, copies in items:
        labels += [_label(products[product_id])] * copies
    return labels


def _label(product: Product) -> Label:
    """The product's shelf label; its code is its first EAN-13 for one piece, kg or litre."""
    if not product.barcodes:
        raise LabelError(f"{product.name} belum punya barcode; beri kode toko dulu.")
    codes = sorted(b.code for b in product.barcodes
                   if b.qty == product.price_per and len(b.code) == 13
                   and barcodes.is_valid_gtin(b.code))
    if not codes:
        raise LabelError(f"{product.name} tidak punya barcode EAN-13 per "
                         f"{product.base_unit.price_label} untuk label.")
    return Label(name=product.name, price_text=format_rupiah(product.price), code=codes[0],
                 unit_text=_UNIT_TEXT[product.base_unit])
