"""Creating many products at once (catalog import) with a few Core statements.

``catalog.create_product`` costs a couple of milliseconds per product in ORM work;
an import of thousands of rows would hold SQLite's write lock long enough to
stall the tills.  Here the same rules are checked over the whole list, then
products, barcodes, stock levels and search words go in as four executemany
statements.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.inventory import stock
from pos.inventory.catalog import history
from pos.inventory.catalog.categories import named as named_category
from pos.inventory.catalog.models import (
    BusinessUnit,
    PriceChange,
    Product,
    ProductBarcode,
    ProductWord,
    StockPolicy,
    TaxClass,
)
from pos.inventory.catalog.products import CatalogError, new_product_problem
from pos.inventory.catalog.search_words import product_words
from pos.units import BaseUnit

Spec = dict[str, Any]
_CHUNK = 500  # stays far below SQLite's bound-parameter limit


def problems(session: Session, specs: list[Spec]) -> list[tuple[int, str]]:
    """(index, message) for every spec that breaks a rule of ``create_product``."""
    found = [(i, m) for i, spec in enumerate(specs) if (m := _own_problem(spec))]
    found += _clashes(session, specs, "sku", Product.sku, "SKU {} sudah dipakai.")
    found += _clashes(session, specs, "plu", Product.plu, "PLU {} sudah dipakai barang lain.")
    codes = [(i, code) for i, spec in enumerate(specs) for code, _ in spec.get("barcodes", ())]
    taken = _existing(session, ProductBarcode.code, [c for _, c in codes])
    seen: set[str] = set()
    for i, code in codes:
        if code in taken or code in seen:
            found.append((i, f"Barcode {code} sudah dipakai barang lain."))
        seen.add(code)
    return sorted(found)


def _own_problem(spec: Spec) -> str | None:
    return new_product_problem(
        sku=spec.get("sku"), name=spec.get("name"), price=spec["price"],
        cost=spec.get("cost") or 0, weighed=bool(spec.get("weighed")),
        base_unit=BaseUnit(spec.get("base_unit") or BaseUnit.PCS),
        batch_tracked=bool(spec.get("batch_tracked")), stock_policy=spec.get("stock_policy"))


def _clashes(session: Session, specs: list[Spec], field: str, column, message: str):
    values = [(i, spec.get(field)) for i, spec in enumerate(specs) if spec.get(field) is not None]
    taken = _existing(session, column, [v for _, v in values])
    out, seen = [], set()
    for i, value in values:
        if value in taken or value in seen:
            out.append((i, message.format(value)))
        seen.add(value)
    return out


def _existing(session: Session, column, values: list) -> set:
    found: set = set()
    for start in range(0, len(values), _CHUNK):
        found |= set(session.scalars(select(column).where(column.in_(values[start:start + _CHUNK]))))
    return found


def create_products(session: Session, specs: list[Spec], user_id: int | None = None,
                    reason: str | None = None) -> dict[str, int]:
    """Insert checked specs, each logged as created by ``user_id``; returns sku -> new product
    id.  Raises on the first problem."""
    if bad := problems(session, specs):
        raise CatalogError(bad[0][1])
    categories = {name: named_category(session, name).id
                  for name in {s["category"] for s in specs if s.get("category")}}
    conn = session.connection()
    conn.execute(Product.__table__.insert(), [_row(s, categories) for s in specs])
    ids = {}
    skus = [s["sku"] for s in specs]
    for start in range(0, len(skus), _CHUNK):
        ids.update(session.execute(select(Product.sku, Product.id).where(
            Product.sku.in_(skus[start:start + _CHUNK]))).all())
    _children(session, specs, ids)
    conn.execute(PriceChange.__table__.insert(), [
        history.row(ids[s["sku"]], "created", None, None, user_id, reason) for s in specs])
    return ids


def _row(spec: Spec, categories: dict[str, int]) -> dict:
    tracked = bool(spec.get("batch_tracked"))
    policy = spec.get("stock_policy") or (StockPolicy.BLOCK if tracked else StockPolicy.ALLOW)
    return {"sku": spec["sku"], "name": spec["name"], "price": spec["price"],
            "cost": spec.get("cost") or 0, "business_unit": BusinessUnit(spec["business_unit"]),
            "base_unit": BaseUnit(spec.get("base_unit") or BaseUnit.PCS),
            "tax_class": TaxClass(spec.get("tax_class") or TaxClass.PPN),
            "category_id": categories.get(spec.get("category")), "weighed": bool(spec.get("weighed")),
            "batch_tracked": tracked, "active": spec.get("active", True), "stock_policy": policy,
            "reorder_point": spec.get("reorder_point") or 0, "shelf": spec.get("shelf"),
            "plu": spec.get("plu"), "drug_class": spec.get("drug_class"),
            "max_per_sale": spec.get("max_per_sale"), "lpg": spec.get("lpg"),
            "subsidy": spec.get("subsidy")}


def _children(session: Session, specs: list[Spec], ids: dict[str, int]) -> None:
    conn = session.connection()
    stock.open_levels(session, [ids[s["sku"]] for s in specs])
    codes = [{"code": code, "product_id": ids[s["sku"]], "qty": qty}
             for s in specs for code, qty in s.get("barcodes", ())]
    if codes:
        conn.execute(ProductBarcode.__table__.insert(), codes)
    conn.execute(ProductWord.__table__.insert(), [
        {"word": word, "name": s["name"], "product_id": ids[s["sku"]]}
        for s in specs for word in product_words(s["name"], s["sku"])])
