"""The Stok awal list to fill in: every active product that may still take opening stock (none of
its stock moved otherwise, nor as opening stock on another day), with today's opening stock where
one was imported, else its catalogue cost as harga_pokok and jumlah left empty (an empty row is
skipped on import)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, cast, func, select
from sqlalchemy.orm import Session

from pos.inventory.catalog.models import Product
from pos.inventory.models import Batch, MovementKind, StockMovement
from pos.inventory.opening.service import ref_of


def export_rows(session: Session, today: date) -> list[dict]:
    moved = select(StockMovement.product_id).where(   # otherwise, or opening stock of another day
        (StockMovement.kind != MovementKind.OPENING)
        | (func.coalesce(StockMovement.ref, "") != ref_of(today)))
    held: dict[int, list[tuple]] = {}
    for pid, batch_no, expiry, cost, qty in session.execute(
            select(StockMovement.product_id, Batch.batch_no, Batch.expiry, StockMovement.unit_cost,
                   cast(func.sum(StockMovement.qty), BigInteger))
            .outerjoin(Batch, Batch.id == StockMovement.batch_id)
            .where(StockMovement.kind == MovementKind.OPENING, StockMovement.ref == ref_of(today))
            .group_by(StockMovement.product_id, Batch.batch_no, Batch.expiry, StockMovement.unit_cost)
            .order_by(Batch.expiry, Batch.batch_no)):
        if qty:
            held.setdefault(pid, []).append((batch_no, expiry, cost, int(qty)))
    rows = []
    for product in session.scalars(select(Product).where(Product.active, Product.id.not_in(moved))
                                   .order_by(Product.sku)):
        unit = product.base_unit
        first = {"sku": product.sku, "nama": product.name, "satuan": unit.price_label}
        for batch_no, expiry, cost, qty in held.get(product.id, []):
            rows.append({**first, "jumlah": unit.input_text(qty), "harga_pokok": cost,
                         "batch": batch_no or "", "kedaluwarsa": f"{expiry:%d-%m-%Y}" if expiry else ""})
        if product.id not in held:
            rows.append({**first, "jumlah": "", "harga_pokok": product.cost or "", "batch": "",
                         "kedaluwarsa": ""})
    return rows
