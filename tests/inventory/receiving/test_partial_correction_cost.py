"""A partial correction's cost: the taken-back goods' value out of the average.

A pharmacy walk-through: Amoxicillin had 40 strips at Rp7.650; a receipt brought 24 strips at
Rp7.600 (average Rp7.631).  Right away a correction took back only 4 strips; once approved the
stock was 60 (right) but the cost went back to Rp7.650, the cost before the receipt, as if all
24 strips had gone back.  The cost before the receipt is right only when the corrections take
back everything the receipt brought in (and nothing else moved since); otherwise the 4 strips'
value comes out of the average: (64 x 7.631 - 4 x 7.600) / 60 = Rp7.633.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from pos.inventory import stock
from pos.inventory.models import MovementKind
from pos.inventory.receiving import reversal
from pos.inventory.receiving.costing import reversed_average
from pos.inventory.receiving.models import GoodsReceipt, GoodsReceiptLine, ReceiptStatus
from tests.inventory.receiving.test_receiving import TODAY, draft, post, product, state

EXPIRY = TODAY + timedelta(days=700)


@pytest.fixture
def amox(db, gr):
    """40 strips on hand at Rp7.650, then 24 received at Rp7.600: (product id, receipt, line)."""
    drug = product(db, name="Amoxicillin 500 mg", business_unit="apotek", batch_tracked=True,
                   on_hand=40, cost=7_650, price=9_000, expiry=EXPIRY)
    receipt_id = draft(db, gr, (drug, "pcs", 24, 7_600, {"batch_no": "AMX2801", "expiry": EXPIRY}))
    post(db, gr, receipt_id)
    assert state(db, drug)[:2] == (64, 7_631)
    with db.reading() as s:
        line_id = s.scalar(select(GoodsReceiptLine.id).where(GoodsReceiptLine.receipt_id == receipt_id))
    return drug, receipt_id, line_id


def _correct(db, gr, receipt_id, take=None):
    with db.transaction() as s:
        fix = reversal.create_reversal(s, receipt_id, gr["clerk"], "salah hitung", take=take)
    with db.transaction() as s:
        reversal.post_reversal(s, fix, gr["manager"], day=TODAY)


def test_a_partial_correction_right_away_takes_only_its_goods_value_out(db, gr, amox):
    drug, receipt_id, line_id = amox
    _correct(db, gr, receipt_id, {line_id: 4})
    assert reversed_average(64, 7_631, 4, 7_600) == 7_633
    assert state(db, drug)[:2] == (60, 7_633)


def test_the_rest_corrected_next_brings_back_the_cost_before_the_receipt(db, gr, amox):
    drug, receipt_id, line_id = amox
    _correct(db, gr, receipt_id, {line_id: 4})
    _correct(db, gr, receipt_id, {line_id: 20})
    assert state(db, drug)[:2] == (40, 7_650)
    with db.reading() as s:
        assert s.get(GoodsReceipt, receipt_id).status is ReceiptStatus.REVERSED


def test_a_whole_correction_right_away_brings_back_the_cost_before_the_receipt(db, gr, amox):
    drug, receipt_id, _line_id = amox
    _correct(db, gr, receipt_id)
    assert state(db, drug)[:2] == (40, 7_650)


def test_a_partial_correction_after_a_sale_takes_its_goods_value_out(db, gr, amox):
    drug, receipt_id, line_id = amox
    with db.transaction() as s:
        stock.apply(s, stock.fefo_moves(s, drug, 4, TODAY, "Amoxicillin"), MovementKind.SALE)
    _correct(db, gr, receipt_id, {line_id: 4})
    assert state(db, drug)[:2] == (56, reversed_average(60, 7_631, 4, 7_600))
