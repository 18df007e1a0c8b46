"""Draft lines from a scan or a search pick: the pack follows the code, repeats merge.

A code whose quantity matches one of the product's packs adds one such pack
(a karton barcode adds a karton); any other code adds base packs.  Scanning
goods that are not batch-tracked again adds to the same line; batch-tracked
goods get a new line per scan, since the next box may be another batch.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from pos.inventory.catalog import lookup, products
from pos.inventory.catalog.models import Product
from pos.inventory.catalog.packs import Pack, base_pack, pack_for_scan
from pos.inventory.receiving.receipts import MAX_COST, MAX_PACKS, ReceivingError, add_line, editable
from pos.inventory.stock import MAX_MOVE
from pos.money import round_half_up
from pos.units import BaseUnit


def scan(session: Session, receipt_id: int, code: str) -> int:
    """Add what the scanned code stands for; returns the line id."""
    editable(session, receipt_id)  # a wrong receipt is reported before a wrong code
    # No in-store label patterns: a delivery has no price-embedded labels of ours.
    hit = lookup.lookup_barcode(session, code)
    product = products.get_product(session, hit.product_id)
    pack, count = pack_for_scan(product, hit.qty)
    return _add_or_merge(session, receipt_id, product, pack, count)


def add_product(session: Session, receipt_id: int, product_id: int) -> int:
    """Add one base pack of a product picked from the name search; returns the line id."""
    editable(session, receipt_id)
    product = products.get_product(session, product_id)
    return _add_or_merge(session, receipt_id, product, base_pack(product), 1)


def suggested_cost(product: Product, pack: Pack) -> int:
    """The current average cost for one pack: a starting value the clerk overwrites."""
    return min(MAX_COST, round_half_up(product.cost * pack.qty, product.price_per))


def _add_or_merge(session: Session, receipt_id: int, product: Product, pack: Pack,
                  count: int) -> int:
    receipt = editable(session, receipt_id)
    if not product.batch_tracked:
        same = next((line for line in receipt.lines
                     if line.product_id == product.id and line.pack_name == pack.name), None)
        if same is not None:
            more = divmod(count * pack.qty, same.pack_qty)[0]   # a line kept to the gram: grams
            most = MAX_PACKS if same.pack_qty > 1 else MAX_MOVE[BaseUnit(product.base_unit)]
            if same.qty_packs + more > most:
                raise ReceivingError(f"Jumlah {product.name} terlalu besar.")
            same.qty_packs += more
            session.flush()
            return same.id
    return add_line(session, receipt_id, product.id, pack.name, count,
                    suggested_cost(product, pack))
