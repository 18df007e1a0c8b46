"""Returned units of a batch-tracked good: into the batches the sale took, earliest expiry
first whatever the batches' ids; units that would go into a batch already expired on the
return's business date are written off (never back on the shelf), the refund unchanged."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from pos import chart as charts
from pos.inventory import stock
from pos.inventory.catalog.products import get_product
from pos.inventory.models import Batch, MovementKind, StockMovement
from pos.ledger.journal import day_journal
from pos.ledger.stock_changes import of_day
from pos.returns import records, slip
from pos.returns.models import SaleReturn, SaleReturnBatch
from pos.returns.service import Wanted
from pos.sales.receipt import OutletInfo
from tests.factories import make_product, shift_of_day
from tests.returns.conftest import give_back, line_ids, manager, sell

AMOX = "8990000700036"


def batches(db, product_id):
    with db.reading() as s:
        return dict(s.execute(select(Batch.batch_no, Batch.on_hand)
                              .where(Batch.product_id == product_id)).all())


@pytest.fixture
def amox(db):
    """Amoxicillin: batch LATE (31-03-2028) received first, so its id is lower, then batch
    E96360 (20-12-2026 unless ``early``), the earlier expiry with the higher id."""
    def make(early=date(2026, 12, 20)):
        with db.transaction() as s:
            product = make_product(s, name="Amoxicillin 500 mg", price=2_000, cost=1_000,
                                   batch_tracked=True, on_hand=0, barcodes_=[AMOX])
            late = stock.ensure_batch(s, product.id, "LATE", date(2028, 3, 31))
            stock.move(s, get_product(s, product.id), 2, MovementKind.RECEIPT, batch_id=late)
            first = stock.ensure_batch(s, product.id, "E96360", early)
            stock.move(s, get_product(s, product.id), 6, MovementKind.RECEIPT, batch_id=first)
            assert late < first
            return product.id
    return make


def test_a_return_goes_back_to_the_earliest_expiring_batch_not_the_lowest_id(db, shop, amox):
    """A sale of 6 from the batch expiring 20-12-2026 and 2 from the one expiring 31-03-2028
    (its id lower): returning 3 put 2 back into the later batch."""
    product = amox()
    sale = sell(db, shop, (AMOX, 8))
    assert batches(db, product) == {"LATE": 0, "E96360": 0}
    give_back(db, manager(shop), sale.id, Wanted(line_ids(db, sale.id)[0], 3))
    assert batches(db, product) == {"LATE": 0, "E96360": 3}
    give_back(db, manager(shop), sale.id, Wanted(line_ids(db, sale.id)[0], 4))
    assert batches(db, product) == {"LATE": 1, "E96360": 6}


def test_units_returned_into_an_expired_batch_are_written_off_and_said(db, shop, amox):
    """Returned into a batch expired by the return's day, they went back on the shelf, sellable
    on paper, with no word."""
    product = amox(early=date(2026, 11, 25))
    sale = sell(db, shop, (AMOX, 7), now=datetime(2026, 11, 20, 3, 0))  # 6 of E96360, 1 of LATE
    with db.transaction() as s:   # the return is NOW's (30-11-2026), after E96360 expired
        shift_of_day(s, shop["till"], shop["cashier"], date(2026, 11, 30))
    before = batches(db, product)
    done = give_back(db, manager(shop), sale.id, Wanted(line_ids(db, sale.id)[0], 7))
    assert done.refund_total == 7 * 2_000                                   # the refund unchanged
    assert batches(db, product) == {"LATE": before["LATE"] + 1, "E96360": before["E96360"]}
    with db.reading() as s:
        expired = s.scalar(select(Batch.id).where(Batch.batch_no == "E96360"))
        moved = dict(s.execute(select(StockMovement.kind, func.sum(StockMovement.qty))
                               .where(StockMovement.ref == f"return:{done.id}",
                                      StockMovement.batch_id == expired)
                               .group_by(StockMovement.kind)).all())
        assert moved == {MovementKind.RETURN: 6, MovementKind.WRITEOFF: -6}
        assert s.scalar(select(func.sum(SaleReturnBatch.qty))) == 7
        assert stock.discrepancies(s) == [] and stock.batch_discrepancies(s) == []
        ret = records.get_return(s, done.id)
        assert s.get(SaleReturn, done.id).business_date == date(2026, 11, 30)
        journal = day_journal(s, date(2026, 11, 30), zone="Asia/Makassar", chart=charts.chart())
        changes = of_day(s, date(2026, 11, 30), "Asia/Makassar")   # the day's Perubahan stok says it
        number = s.get(SaleReturn, done.id).return_no
    assert [(r["kind"], r["number"], r["lines"], r["value"]) for r in changes["documents"]] == [
        ("expired_return", number, 1, -6 * 1_000)]
    # the six units come back into stock at their cost, and go out of it as a loss the same day
    loss = [(x.memo, x.debit) for x in journal if x.debit and x.account == charts.chart()("stock_loss")[0]]
    assert loss == [("Pemusnahan barang kedaluwarsa (retur)", 6 * 1_000)], loss
    said = "batch E96360 sudah kedaluwarsa: tidak dikembalikan ke rak"
    assert any(said in note for note in ret.lines[0]["expired"])
    text = "\n".join(slip.build(ret, OutletInfo.from_config({
        "OUTLET_NAME": "Gerai", "OUTLET_ADDRESS": "Desa", "OUTLET_NPWP": "", "RECEIPT_FOOTER": "",
        "TIMEZONE": "Asia/Makassar"}), 48).lines)
    assert "E96360 sudah kedaluwarsa" in text


def test_a_batch_expiring_on_the_returns_day_is_expired_then(db, shop, amox):
    """A batch is not sold from its expiry date on (``stock.is_expired``): nor put back then."""
    product = amox(early=date(2026, 11, 30))
    sale = sell(db, shop, (AMOX, 2), now=datetime(2026, 11, 20, 3, 0))
    with db.transaction() as s:
        shift_of_day(s, shop["till"], shop["cashier"], date(2026, 11, 30))
    before = batches(db, product)
    give_back(db, manager(shop), sale.id, Wanted(line_ids(db, sale.id)[0], 2))
    assert batches(db, product) == before


def test_the_day_summary_counts_a_line_returned_into_an_expired_batch_as_written_off(db, shop, amox):
    """Returned into a batch expired by the return's day and written off at once, a line was
    counted "Baris kembali ke stok" (its ``restock`` stays true).  2 back into E96360: written
    off; then 5 more, 4 into E96360 and 1 into LATE: that line is split by its units, so the
    day says 2 lines written off (Rp12.000) and 1 line back in stock (Rp2.000)."""
    from pos.closing import export
    from pos.reports import day_money
    from pos.reports.day_full import full_summary
    amox(early=date(2026, 11, 25))
    sale = sell(db, shop, (AMOX, 7), now=datetime(2026, 11, 20, 3, 0))  # 6 of E96360, 1 of LATE
    with db.transaction() as s:
        shift_of_day(s, shop["till"], shop["cashier"], date(2026, 11, 30))
    give_back(db, manager(shop), sale.id, Wanted(line_ids(db, sale.id)[0], 2))
    with db.reading() as s:
        back = day_money.returns(s, date(2026, 11, 30))
    assert back["restocked"] == {"lines": 0, "amount": 0}
    assert back["written_off"] == {"lines": 1, "amount": 2 * 2_000}
    give_back(db, manager(shop), sale.id, Wanted(line_ids(db, sale.id)[0], 5))
    with db.reading() as s:
        summary = full_summary(s, date(2026, 11, 30), zone="Asia/Makassar")
    assert summary["returns"]["restocked"] == {"lines": 1, "amount": 2_000}
    assert summary["returns"]["written_off"] == {"lines": 2, "amount": 6 * 2_000}
    rows = {r["item"]: (r["count"], r["amount"]) for r in export.lines(summary)
            if r["section"] == "Retur"}
    assert rows["Baris kembali ke stok"] == (1, 2_000)
    assert rows["Baris rusak (dimusnahkan)"] == (2, 12_000)
