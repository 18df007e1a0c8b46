"""A batch number differing from one on file only by a space or a dash, with the same expiry:
PNB2706 (30-06-2027) on file, a receipt typed "PNB 2706" with that date posted without a
question and made a second batch PNB 2706 beside PNB2706 (one strip, two batches; a correction,
a recall or a count then met two).  Two numbers with one ``stock.batch_key`` are one batch's: the
units go into PNB2706, and the posted receipt's line names PNB2706, the batch on file."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from pos.inventory import stock
from pos.inventory.models import Batch, MovementKind
from pos.inventory.receiving import reversal
from pos.inventory.receiving.models import GoodsReceipt, ReceiptStatus
from tests.factories import login
from tests.inventory.receiving.test_batch_on_file import _post
from tests.inventory.receiving.test_receiving import TODAY, batches, draft, product, state

EXPIRY = TODAY + timedelta(days=500)


@pytest.fixture
def pnb(db):
    """A drug with 30 on hand in batch PNB2706."""
    drug = product(db, name="Pinbuk 10 mg", business_unit="apotek", batch_tracked=True,
                   on_hand=0, cost=2_000)
    with db.transaction() as s:
        batch = stock.ensure_batch(s, drug, "PNB2706", EXPIRY)
        stock.apply(s, [stock.Move(drug, 30, False, "Pinbuk", batch)], MovementKind.OPENING)
    return drug


def _line(drug, batch_no, qty=20):
    return drug, "pcs", qty, 2_000, {"batch_no": batch_no, "expiry": EXPIRY}


@pytest.mark.parametrize("typed", ["PNB 2706", "pnb-2706", "PNB/27.06"])
def test_a_batch_typed_with_a_space_or_dash_goes_into_the_batch_on_file(db, gr, pnb, typed):
    receipt_id = draft(db, gr, _line(pnb, typed))
    _post(db, gr, receipt_id)
    assert batches(db, pnb) == {"PNB2706": (EXPIRY, 50)}
    assert state(db, pnb)[0] == 50
    with db.reading() as s:
        assert [line.batch_no for line in s.get(GoodsReceipt, receipt_id).lines] == ["PNB2706"]
    with db.transaction() as s:   # its correction finds the batch
        fix = reversal.create_reversal(s, receipt_id, gr["clerk"], "salah kirim")
    with db.transaction() as s:
        reversal.post_reversal(s, fix, gr["manager"], day=TODAY)
    assert batches(db, pnb) == {"PNB2706": (EXPIRY, 30)}
    with db.reading() as s:
        assert s.get(GoodsReceipt, receipt_id).status is ReceiptStatus.REVERSED


def test_the_posted_receipt_shows_the_batch_on_file(client, db, gr, pnb):
    receipt_id = draft(db, gr, _line(pnb, "PNB 2706"))
    _post(db, gr, receipt_id)
    login(client, gr["clerk"])
    page = client.get(f"/penerimaan/{receipt_id}").get_data(as_text=True)
    assert "PNB2706" in page and "PNB 2706" not in page


def test_two_lines_of_a_draft_with_one_key_and_one_date_make_one_batch(db, gr):
    drug = product(db, name="Ibuprofen 400 mg", business_unit="apotek", batch_tracked=True,
                   on_hand=0, cost=2_000)
    receipt_id = draft(db, gr, _line(drug, "IBU 12", 10), _line(drug, "IBU-12", 5))
    _post(db, gr, receipt_id)
    assert batches(db, drug) == {"IBU 12": (EXPIRY, 15)}
    with db.reading() as s:
        assert [line.batch_no for line in s.get(GoodsReceipt, receipt_id).lines] == ["IBU 12", "IBU 12"]


def test_the_stock_rule_itself_gives_the_batch_on_file(db, pnb):
    with db.transaction() as s:
        on_file = s.scalar(select(Batch.id).where(Batch.product_id == pnb))
        assert stock.ensure_batch(s, pnb, "pnb 27-06", EXPIRY) == on_file
        assert stock.ensure_batch(s, pnb, "PNB2707", EXPIRY) != on_file   # another number
