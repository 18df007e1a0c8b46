"""Stock lists for clerks and managers: low stock, near expiry, expired, every batch on hand,
stock value.

Each list is one SQL query (filters, joins and sums run in the database); Python
only shapes the rows the query returns, never loops over the whole catalog.
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import BigInteger, case, cast, func, select
from sqlalchemy.orm import Session

from pos.inventory.catalog.models import BusinessUnit, Product
from pos.inventory.models import Batch, StockLevel
from pos.money import round_half_up
from pos.units import BaseUnit

MAX_ROWS = 1000


def _expired_stock(today: date, *conditions):
    """Per product, the stock of its batches whose expiry has come on ``today`` (the business
    date): no stock to sell.  A batch-tracked good's stock to sell is its level less this."""
    return (select(Batch.product_id, cast(func.sum(Batch.on_hand), BigInteger).label("qty"))
            .where(Batch.on_hand > 0, Batch.expiry <= today, *conditions).group_by(Batch.product_id))


def expired_of(session: Session, today: date, product_ids) -> dict[int, int]:
    """``_expired_stock`` of these products only (one grouped query): product id to quantity,
    products without expired stock left out.  The search boxes show it beside the stock."""
    ids = list(product_ids)
    if not ids:
        return {}
    rows = session.execute(_expired_stock(today, Batch.product_id.in_(ids)))
    return {row.product_id: int(row.qty) for row in rows}


def low_stock(session: Session, today: date, limit: int = MAX_ROWS) -> list[dict]:
    """Active goods with a reorder point whose stock that may be sold fell to it or below:
    ``on_hand`` is, for batch-tracked goods, their batches not expired on ``today`` (the
    business date), ``expired`` the stock of the rest beside it (0 for other goods)."""
    old = _expired_stock(today).subquery()
    expired = case((Product.batch_tracked, func.coalesce(old.c.qty, 0)), else_=0)
    good = StockLevel.on_hand - expired
    rows = session.execute(
        select(Product.id, Product.sku, Product.name, Product.business_unit, Product.base_unit,
               Product.shelf, Product.reorder_point, good.label("on_hand"), expired.label("expired"))
        .join(StockLevel, StockLevel.product_id == Product.id)
        .outerjoin(old, old.c.product_id == Product.id)
        .where(Product.active, Product.reorder_point > 0, good <= Product.reorder_point)
        .order_by(Product.business_unit, Product.name).limit(limit))
    return [{**row._asdict(), "on_hand": int(row.on_hand), "expired": int(row.expired)}
            for row in rows]


def _batches(session: Session, *conditions, limit: int | None):
    """Batches with stock above zero by expiry (one without a date last, on every database),
    then product; each with ``value``, its stock at the product's cost (``valued``)."""
    rows = session.execute(
        select(Batch.id, Batch.batch_no, Batch.expiry, Batch.on_hand, Product.id.label("product_id"),
               Product.sku, Product.name, Product.base_unit, Product.shelf, Product.cost,
               Product.business_unit)
        .join(Product, Product.id == Batch.product_id)
        .where(Batch.on_hand > 0, *conditions)
        .order_by(case((Batch.expiry.is_(None), 1), else_=0), Batch.expiry, Product.name, Batch.id)
        .limit(limit))
    return [{**row._asdict(), "value": valued(row.on_hand, row.cost, row.base_unit)} for row in rows]


def valued(on_hand: int, cost: int, base_unit) -> int:
    """Stock at cost in Rupiah: cost is for ``price_per`` base units (1000 g at Rp1.500 is
    Rp1.500), rounded half up once per batch, so a list's total is the sum of its rows."""
    return round_half_up(on_hand * cost, BaseUnit(base_unit).price_per)


def near_expiry(session: Session, today: date, days: int, limit: int = MAX_ROWS) -> list[dict]:
    """Batches still in stock that expire after today and at most ``days`` days from now.

    A batch expiring exactly ``today + days`` is listed; one expiring today is
    already expired (it may not be sold from its expiry date on).
    """
    rows = _batches(session, Batch.expiry > today, Batch.expiry <= today + timedelta(days=days),
                    limit=limit)
    return [{**row, "days_left": (row["expiry"] - today).days} for row in rows]


def expired(session: Session, today: date, limit: int = MAX_ROWS) -> list[dict]:
    """Batches still in stock whose expiry date has come: to be written off, never sold."""
    rows = _batches(session, Batch.expiry <= today, limit=limit)
    return [{**row, "days_ago": (today - row["expiry"]).days} for row in rows]


def on_hand_batches(session: Session) -> list[dict]:
    """Every batch with stock above zero, whatever its expiry (none, past, years away): by expiry,
    a batch without a date last, then product. Not capped: its totals are of every batch."""
    return _batches(session, limit=None)


def stock_value(session: Session) -> list[dict]:
    """Stock at cost and at selling price per business unit, for goods with stock above zero.

    Cost and price are for ``price_per`` base units (1 for pieces, 1000 for grams
    and millilitres), so the database sums ``on_hand * cost`` exactly per
    (business unit, base unit); each sum is then divided by its ``price_per``
    and rounded half up once (``money.round_half_up``), never per product, so
    the total carries at most one rounding per group.
    """
    positive = StockLevel.on_hand > 0
    rows = session.execute(
        select(Product.business_unit, Product.base_unit,
               func.count(Product.id).label("products"),
               cast(func.sum(StockLevel.on_hand * Product.cost), BigInteger).label("cost"),
               cast(func.sum(StockLevel.on_hand * Product.price), BigInteger).label("retail"),
               func.sum(case((Product.cost == 0, 1), else_=0)).label("no_cost"))
        .join(StockLevel, StockLevel.product_id == Product.id)
        .where(positive)
        .group_by(Product.business_unit, Product.base_unit))
    units: dict[str, dict] = {}
    for row in rows:  # at most one row per (business unit, base unit)
        per = BaseUnit(row.base_unit).price_per
        unit = units.setdefault(BusinessUnit(row.business_unit).value,
                                {"products": 0, "cost": 0, "retail": 0, "no_cost": 0})
        unit["products"] += row.products
        unit["no_cost"] += int(row.no_cost or 0)
        unit["cost"] += round_half_up(int(row.cost or 0), per)
        unit["retail"] += round_half_up(int(row.retail or 0), per)
    return [{"business_unit": name, **units[name]} for name in sorted(units)]
