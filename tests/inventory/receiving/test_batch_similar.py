"""A batch number typed with spaces or punctuation ("PCT 777", "PCT-777") of a batch on file as
PCT777 with another expiry was posted as a new batch with its own date: one strip, two batches
and two dates. Batch numbers are compared without spaces, '-', '/' and '.' for the "on file"
and "another line of this draft" checks: the line names the similar batch and posting refuses
it, as it refuses the same number with another date."""
from __future__ import annotations

from datetime import timedelta

import pytest

from pos.errors import PosError
from pos.inventory import stock
from pos.inventory.receiving import posting
from tests.inventory.receiving.test_batch_on_file import ON_FILE, _detail, _ids, _post
from tests.inventory.receiving.test_receiving import TODAY, batches, draft, product

OTHER = TODAY + timedelta(days=400)


@pytest.fixture
def pct(db):
    drug = product(db, name="Paracetamol 500 mg", business_unit="apotek", batch_tracked=True,
                   on_hand=0, cost=2_000)
    with db.transaction() as s:
        stock.ensure_batch(s, drug, "PCT777", ON_FILE)
    return drug


def _line(drug, day, batch_no, qty=10):
    return drug, "pcs", qty, 2_500, {"batch_no": batch_no, "expiry": day}


@pytest.mark.parametrize("typed", ["PCT 777", "pct-777", "PCT/777", "P.C.T 7-77"])
def test_a_batch_like_one_on_file_with_another_date_is_named_and_refused(db, gr, pct, typed):
    receipt_id = draft(db, gr, _line(pct, OTHER, typed))
    (line_id,) = _ids(db, receipt_id)
    notes, _ = _detail(db, receipt_id)
    assert "mirip batch PCT777 yang sudah tercatat dengan tanggal kedaluwarsa" in notes[line_id]
    with pytest.raises(posting.LineProblem) as refused:
        _post(db, gr, receipt_id)
    assert "mirip batch PCT777" in refused.value.message and refused.value.field == "expiry"
    assert batches(db, pct) == {"PCT777": (ON_FILE, 0)}


def test_the_stock_rule_itself_refuses_a_similar_batch_with_another_date(db, pct):
    with db.transaction() as s, pytest.raises(PosError, match="mirip batch PCT777"):
        stock.ensure_batch(s, pct, "PCT 777", OTHER)
    with db.transaction() as s:   # the same number and date: the batch on file
        assert stock.ensure_batch(s, pct, "PCT777", ON_FILE)


def test_two_lines_of_a_draft_with_similar_numbers_and_two_dates_are_named(db, gr):
    drug = product(db, name="Ibuprofen 400 mg", business_unit="apotek", batch_tracked=True,
                   on_hand=0, cost=2_000)
    receipt_id = draft(db, gr, _line(drug, OTHER, "IBU 12"), _line(drug, ON_FILE, "IBU-12"))
    first, second = _ids(db, receipt_id)
    notes, _ = _detail(db, receipt_id)
    assert "dua baris penerimaan ini dengan tanggal kedaluwarsa berbeda" in notes[second]
    with pytest.raises(posting.LineProblem, match="tanggal kedaluwarsa berbeda"):
        _post(db, gr, receipt_id)
    assert batches(db, drug) == {}


def test_different_numbers_are_still_different_batches(db, gr, pct):
    receipt_id = draft(db, gr, _line(pct, OTHER, "PCT778"))
    _post(db, gr, receipt_id)
    assert batches(db, pct) == {"PCT777": (ON_FILE, 0), "PCT778": (OTHER, 10)}

