"""Property: any sequence of receipts, sales, returns and adjustments keeps on-hand equal to
the movement sum (per product and per batch) and never sells from an expired batch."""
from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

import pos.models
from pos.db import make_engine
from pos.errors import PosError
from pos.inventory import stock
from pos.inventory.catalog.products import create_product
from pos.inventory.models import Batch, MovementKind, StockMovement

TODAY = date(2026, 11, 22)
EXPIRIES = [TODAY - timedelta(days=10), TODAY, TODAY + timedelta(days=5), TODAY + timedelta(days=400)]

operation = st.one_of(
    st.tuples(st.just("receive"), st.integers(0, 1), st.integers(0, 3), st.integers(1, 50)),
    st.tuples(st.just("sell"), st.integers(0, 1), st.integers(0, 3), st.integers(1, 60)),
    st.tuples(st.just("return"), st.integers(0, 1), st.integers(0, 3), st.integers(1, 5)),
    st.tuples(st.just("adjust"), st.integers(0, 1), st.integers(0, 3), st.integers(-20, 20)),
)


def fresh_shop():
    engine = make_engine("sqlite://")
    engine.pool = StaticPool(engine.pool._creator)  # one in-memory database for this example
    pos.models.metadata.create_all(engine)
    session = Session(engine)
    plain = create_product(session, sku="GULA", name="Gula pasir", price=18_000,
                           business_unit="sembako")
    tracked = create_product(session, sku="OBAT", name="Obat batuk", price=9_000,
                             business_unit="apotek", batch_tracked=True)
    batches = [stock.ensure_batch(session, tracked.id, f"B{i}", e) for i, e in enumerate(EXPIRIES)]
    session.commit()
    return engine, session, [plain, tracked], batches


def run(session, products, batches, op) -> None:
    kind, which, batch_index, qty = op
    product = products[which]
    batch = batches[batch_index] if product.batch_tracked else None
    if kind == "sell":
        moves = stock.fefo_moves(session, product.id, qty, TODAY, product.name) \
            if product.batch_tracked else [stock.Move(product.id, -qty, False, product.name)]
        stock.apply(session, moves, MovementKind.SALE)
    elif kind == "adjust" and qty == 0:
        return
    else:
        mk = {"receive": MovementKind.RECEIPT, "return": MovementKind.RETURN,
              "adjust": MovementKind.ADJUSTMENT}[kind]
        stock.move(session, product, qty, mk, batch_id=batch)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operation, min_size=1, max_size=25))
def test_stock_always_balances_and_expired_batches_are_never_sold(ops):
    engine, session, products, batches = fresh_shop()
    try:
        for op in ops:
            savepoint = session.begin_nested()
            try:
                run(session, products, batches, op)
                savepoint.commit()
            except PosError:
                savepoint.rollback()  # refused: must leave nothing behind
            assert stock.discrepancies(session) == []
            assert stock.batch_discrepancies(session) == []
        sold_from = session.execute(
            select(Batch.expiry).join(StockMovement, StockMovement.batch_id == Batch.id)
            .where(StockMovement.kind == MovementKind.SALE)).scalars().all()
        assert all(expiry > TODAY for expiry in sold_from)
        assert all(b.on_hand >= 0 for b in session.scalars(select(Batch)))
    finally:
        session.close()
        engine.dispose()
