"""What the adjustment screen shows: the request form's stock figures, the requests
waiting for a manager (with on-hand, the change and its value at cost), the decided
ones, and expired batches with stock left."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import String, case, cast, func, literal, select
from sqlalchemy.orm import Session, aliased

from pos.auth.models import User
from pos.inventory import stock
from pos.inventory.catalog.models import Product
from pos.inventory.counts.adjustments import waiting_by_batch, waiting_writeoff
from pos.inventory.counts.checks import checked_product, guarded, product_batches
from pos.inventory.counts.models import AdjustmentKind, ApprovalStatus, StockAdjustment
from pos.inventory.models import Batch, StockLevel, StockMovement
from pos.money import round_half_up
from pos.units import BaseUnit


@dataclass(frozen=True)
class ExpiredBatch:
    batch_id: int
    product_id: int
    sku: str
    name: str
    base_unit: str
    batch_no: str
    expiry: date
    on_hand: int
    requested: bool  # a write-off request for it is already waiting


@dataclass(frozen=True)
class RequestForm:
    """The product on the request form, what it holds and what is already waiting."""

    product: Product
    on_hand: int
    waiting: int                       # decreases not yet approved (zero or negative)
    batches: list[stock.BatchStock]
    batch_waiting: dict[int, int]      # batch id -> its waiting decreases


def request_form(session: Session, product_id: int | None) -> RequestForm:
    product = checked_product(session, product_id)
    batches = product_batches(session, product.id) if product.batch_tracked else []
    waiting = waiting_by_batch(session, product.id)
    return RequestForm(product, stock.on_hand(session, product.id), waiting.get(None, 0),
                       batches, {b.batch_id: waiting.get(b.batch_id, 0) for b in batches})


def expired_batches(session: Session, today: date) -> list[ExpiredBatch]:
    """Batches with stock left whose expiry date has come (they can no longer be sold)."""
    rows = session.execute(
        select(Batch.id, Product.id, Product.sku, Product.name, Product.base_unit, Batch.batch_no,
               Batch.expiry, Batch.on_hand, waiting_writeoff(Batch.id))
        .join(Product, Product.id == Batch.product_id)
        .where(Batch.on_hand > 0, Batch.expiry <= today)
        .order_by(Batch.expiry, Product.name))
    return [ExpiredBatch(*row) for row in rows]


def pending_count(session: Session) -> int:
    """Every request waiting for a decision (the list shows the oldest 50)."""
    return session.scalar(select(func.count()).select_from(StockAdjustment)
                          .where(StockAdjustment.status == ApprovalStatus.PENDING)) or 0


def requests(session: Session, pending: bool, limit: int = 50) -> list[dict]:
    """Waiting requests (oldest first) or decided ones (newest first), ready to show.

    Each has ``on_hand`` (of its batch, or of the product), ``after`` (on hand once
    approved), ``value`` (the change in Rupiah: at the cost it was approved at, else at today's
    cost) and ``short`` (approval
    would take guarded stock below zero, so it would be refused).
    """
    asker, decider = aliased(User), aliased(User)
    held = case((StockAdjustment.batch_id.is_not(None), Batch.on_hand), else_=StockLevel.on_hand)
    booked = select(StockMovement.unit_cost).where(
        StockMovement.ref == literal("adjustment:", String) + cast(StockAdjustment.id, String)) \
        .limit(1).scalar_subquery()
    query = (
        select(StockAdjustment.id, StockAdjustment.kind, StockAdjustment.qty,
               StockAdjustment.reason, StockAdjustment.status, StockAdjustment.requested_at,
               StockAdjustment.decided_at, StockAdjustment.self_approved,
               StockAdjustment.requested_by.label("requested_by_id"), StockAdjustment.batch_id,
               Product.sku, Product.name, Product.base_unit,
               func.coalesce(booked, Product.cost).label("cost"), Product.stock_policy,
               Batch.batch_no, held.label("on_hand"),
               asker.full_name.label("requested_by"), decider.full_name.label("decided_by"))
        .join(Product, Product.id == StockAdjustment.product_id)
        .join(StockLevel, StockLevel.product_id == Product.id)
        .outerjoin(Batch, Batch.id == StockAdjustment.batch_id)
        .join(asker, asker.id == StockAdjustment.requested_by)
        .outerjoin(decider, decider.id == StockAdjustment.decided_by)
        .limit(limit))
    if pending:
        query = query.where(StockAdjustment.status == ApprovalStatus.PENDING) \
            .order_by(StockAdjustment.id)
    else:
        query = query.where(StockAdjustment.status != ApprovalStatus.PENDING) \
            .order_by(StockAdjustment.decided_at.desc(), StockAdjustment.id.desc())
    return [_shown(row._asdict()) for row in session.execute(query)]


def _shown(row: dict) -> dict:
    unit = BaseUnit(row["base_unit"])
    writeoff = row["kind"] is AdjustmentKind.WRITEOFF
    after = row["on_hand"] + row["qty"]
    short = after < 0 and guarded(row["stock_policy"], row["batch_id"], writeoff)
    return {**row, "base_unit": unit, "after": after, "short": short,
            "value": round_half_up(row["qty"] * row["cost"], unit.price_per)}
