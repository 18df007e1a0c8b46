"""What a shelf label shows: name, price and the EAN-13 to scan, one ``Label`` per copy.

The labels go to the hardware as plain data (an A4 sheet or the thermal
printer); a product needs an EAN-13 for one piece, kilogram or litre first
(``instore`` gives goods without a barcode one).
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from pos.hardware.ports import Label
from pos.inventory.catalog import barcodes
from pos.inventory.catalog.models import Product
from pos.inventory.labels.instore import LabelError, chosen_products
from pos.money import format_rupiah, line_amount
from pos.units import BaseUnit

MAX_COPIES = 500         # per product on one print
MAX_LABELS = 1000        # per print job (42 A4 pages)
_UNIT_TEXT = {BaseUnit.PCS: "", BaseUnit.GRAM: "/kg", BaseUnit.ML: "/liter"}


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
    products = {p.id: p for p in chosen_products(session, [pid for pid, _ in items])}
    labels = []
    for product_id, copies in items:
        labels += [_label(products[product_id])] * copies
    return labels


def _label(product: Product) -> Label:
    """The product's shelf label; its code is its first EAN-13 for one piece, kg or litre, else
    its smallest pack's (a 50 kg sack of fertiliser priced per kg: ``Rp112.500 /50 kg``)."""
    if not product.barcodes:
        raise LabelError(f"{product.name} belum punya barcode; beri kode toko dulu.")
    codes = sorted((b.qty != product.price_per, b.qty, b.code) for b in product.barcodes
                   if len(b.code) == 13 and barcodes.is_valid_gtin(b.code))
    if not codes:
        raise LabelError(f"{product.name} tidak punya barcode EAN-13 untuk label; beri kode toko "
                         "atau tambahkan barcode EAN-13-nya.")
    packed, qty, code = codes[0]
    if not packed:
        return Label(name=product.name, price_text=format_rupiah(product.price), code=code,
                     unit_text=_UNIT_TEXT[product.base_unit])
    return Label(name=product.name, price_text=format_rupiah(line_amount(product.price, qty,
                                                                         product.price_per)),
                 code=code, unit_text=f"/{product.base_unit.with_unit(qty)}")
