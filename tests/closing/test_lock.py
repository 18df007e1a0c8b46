"""A closed day cannot change: sales, member documents, shifts, cash movements, returns,
receiving (its corrections too), counts and adjustments on it are refused with the message
and write nothing; a return of its sale on the next day is booked on that day and leaves its
summary as it was."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime

import pytest
from sqlalchemy import func, select

from pos.days.models import BusinessDay
from pos.days.service import DayClosed
from pos.inventory import stock
from pos.inventory.counts import adjustments, counting
from pos.inventory.receiving import posting, receipts, reversal
from pos.inventory.receiving.models import GoodsReceipt, ReceiptStatus
from pos.returns.models import SaleReturn
from pos.returns.service import Wanted
from pos.sales.models import Sale
from pos.shifts.models import CashDirection, CashMovement, Shift
from pos.shifts.service import Cash, move_cash, open_shift
from tests.closing.conftest import (
    DAY,
    NEXT,
    NEXT_NOW,
    NOW,
    SOAP,
    cashier,
    close,
    close_shifts,
    give_back,
    line_ids,
    save_money,
    sell_on,
    start_shift,
)

CLOSED = "Hari 20-11-2026 sudah ditutup: tidak ada perubahan lagi"


@pytest.fixture
def closed(db, shop):
    """Day 20-11-2026 with one cash sale of 2 soaps, its shift closed, the day closed."""
    sale = sell_on(db, shop, (SOAP, 2))
    close_shifts(db, shop)
    text, digest = close(db, shop)
    return dict(sale=sale.id, text=text, hash=digest)


def count_of(db, model) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_sales_member_documents_and_cash_on_a_closed_day_are_refused(db, shop, closed):
    with pytest.raises(DayClosed, match=CLOSED):
        sell_on(db, shop, (SOAP, 1))        # a shift row put there directly; the gate refuses
    with pytest.raises(DayClosed, match=CLOSED):
        save_money(db, shop, 10_000)
    with pytest.raises(DayClosed, match=CLOSED), db.transaction() as s:
        move_cash(s, cashier(shop), direction=CashDirection.IN, amount=50_000, reason="modal",
                  day=DAY, now=NOW, approval_above=1_000_000)
    assert count_of(db, Sale) == 1 and count_of(db, CashMovement) == 0


def test_opening_a_shift_on_a_closed_day_is_refused(db, shop, closed):
    with pytest.raises(DayClosed, match=CLOSED), db.transaction() as s:
        open_shift(s, till_id=shop["till"], cashier_id=shop["cashier"], cash=Cash(0), note=None,
                   day=DAY, now=NOW)
    assert count_of(db, Shift) == 1


def test_a_return_on_the_closed_day_is_refused(db, shop, closed):
    start_shift(db, shop)   # even with a shift there, the day is closed
    line = line_ids(db, closed["sale"])[0]
    with pytest.raises(DayClosed, match=CLOSED):
        give_back(db, cashier(shop, shop["manager"]), closed["sale"], Wanted(line, 1), now=NOW)
    assert count_of(db, SaleReturn) == 0


def test_a_return_of_a_closed_days_sale_is_booked_on_the_next_day(db, shop, closed, runner):
    start_shift(db, shop, day=NEXT)
    line = line_ids(db, closed["sale"])[0]
    done = give_back(db, cashier(shop, shop["manager"]), closed["sale"], Wanted(line, 1),
                     now=NEXT_NOW)
    with db.reading() as s:
        assert s.get(SaleReturn, done.id).business_date == NEXT
        stored = s.get(BusinessDay, DAY)
    assert stored.summary == closed["text"] and stored.summary_hash == closed["hash"]
    assert hashlib.sha256(stored.summary.encode()).hexdigest() == closed["hash"]
    assert json.loads(stored.summary)["returns"]["count"] == 0
    shown = runner.invoke(args=["report", "day", "--date", DAY.isoformat(), "--json"])
    assert shown.exit_code == 0 and shown.stdout == closed["text"] + "\n"
    later = json.loads(runner.invoke(args=["report", "day", "--date", NEXT.isoformat(),
                                           "--json"]).stdout)
    assert later["closed"] is False and later["returns"]["count"] == 1
    assert later["returns"]["amount"] == 3_000 and later["sale_count"] == 0


def test_receiving_counts_and_adjustments_on_a_closed_day_are_refused(db, shop, closed):
    with db.transaction() as s:
        supplier = receipts.create_supplier(s, "Toko Grosir", "lainnya")
        receipt_id = receipts.create_draft(s, supplier, "SJ-9", shop["cashier"])
        receipts.add_line(s, receipt_id, shop["soap"], None, 5, 2_000)
        count_id = counting.open_count(s, "all", shop["cashier"])
        counting.record(s, count_id, shop["soap"], 90, shop["cashier"])
        asked = adjustments.request_writeoff(s, shop["soap"], 2, "Kemasan sobek",
                                             shop["cashier"]).id
    with pytest.raises(DayClosed, match=CLOSED), db.transaction() as s:
        posting.post(s, receipt_id, shop["cashier"], DAY)
    with pytest.raises(DayClosed, match=CLOSED), db.transaction() as s:
        counting.approve(s, count_id, shop["manager"], day=DAY)
    with pytest.raises(DayClosed, match=CLOSED), db.transaction() as s:
        adjustments.approve(s, asked, shop["manager"], day=DAY)
    with db.reading() as s:
        assert s.get(GoodsReceipt, receipt_id).status is ReceiptStatus.DRAFT
        assert stock.on_hand(s, shop["soap"]) == 98
    # On an open day they go through.
    with db.transaction() as s:
        adjustments.approve(s, asked, shop["manager"], day=NEXT)
        posting.post(s, receipt_id, shop["cashier"], NEXT)
    with db.reading() as s:
        assert stock.on_hand(s, shop["soap"]) == 98 - 2 + 5
    # A correction of that receipt is approved on an open day only, as its posting was.
    with db.transaction() as s:
        correction = reversal.create_reversal(s, receipt_id, shop["cashier"], "Salah pemasok")
    with pytest.raises(DayClosed, match=CLOSED), db.transaction() as s:
        reversal.post_reversal(s, correction, shop["manager"], day=DAY)
    with db.reading() as s:
        assert s.get(GoodsReceipt, receipt_id).status is ReceiptStatus.POSTED
        assert stock.on_hand(s, shop["soap"]) == 98 - 2 + 5
    with db.transaction() as s:
        reversal.post_reversal(s, correction, shop["manager"], day=NEXT)
    with db.reading() as s:
        assert s.get(GoodsReceipt, receipt_id).status is ReceiptStatus.REVERSED
        assert stock.on_hand(s, shop["soap"]) == 98 - 2


def test_a_sale_after_the_close_goes_to_the_next_day(db, shop, closed):
    sale = sell_on(db, shop, (SOAP, 1), day=NEXT)
    with db.reading() as s:
        assert s.get(Sale, sale.id).business_date == NEXT
        assert s.get(BusinessDay, DAY).summary_hash == closed["hash"]
    assert datetime.combine(NEXT, NOW.time()) == NEXT_NOW
