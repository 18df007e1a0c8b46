"""First-expiry-first-out: the pure allocation, the till and checkout, recalls."""
from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from pos.clock import business_date, utcnow
from pos.inventory import stock
from pos.inventory.catalog.models import Product
from pos.inventory.models import Batch, MovementKind
from pos.sales import checkout, scanning
from pos.sales.models import CartLine, PaymentMethod, Sale, SaleLine, SaleLineBatch
from pos.sales.pricing import TaxSettings
from tests.factories import login, make_product, make_till, make_user, open_shift

TODAY = date(2026, 11, 22)


def b(batch_id, expiry, on_hand, no="B"):
    return stock.BatchStock(batch_id, f"{no}{batch_id}", expiry, on_hand)


def test_allocation_takes_the_earliest_expiry_first_and_undated_last():
    batches = [b(1, None, 10), b(2, date(2027, 5, 1), 3), b(3, date(2027, 1, 1), 2)]
    assert stock.allocate(batches, 4, TODAY) == [(3, 2), (2, 2)]
    assert stock.allocate(batches, 15, TODAY) == [(3, 2), (2, 3), (1, 10)]


def test_expired_and_expiring_today_batches_are_never_taken():
    batches = [b(1, TODAY, 5), b(2, TODAY - timedelta(days=30), 5), b(3, TODAY + timedelta(days=1), 2)]
    assert stock.allocate(batches, 2, TODAY) == [(3, 2)]
    with pytest.raises(stock.ExpiredStock, match="kedaluwarsa"):
        stock.allocate(batches, 3, TODAY, "Amoksisilin")
    with pytest.raises(stock.OutOfStock) as refused:
        stock.allocate([b(1, None, 1)], 2, TODAY, "Salep")
    assert not isinstance(refused.value, stock.ExpiredStock)


def test_more_than_the_whole_shelf_is_too_little_stock_not_expired_stock():
    """9999 of a medicine with 132 good and 8 expired was refused as 'the rest is expired'."""
    batches = [b(1, TODAY - timedelta(days=3), 8), b(2, TODAY + timedelta(days=90), 132)]
    with pytest.raises(stock.OutOfStock) as refused:
        stock.allocate(batches, 9999, TODAY, "Promag")
    assert not isinstance(refused.value, stock.ExpiredStock)
    assert refused.value.message == "Stok Promag tidak cukup (tersisa 132; 8 lagi sudah kedaluwarsa)."
    with pytest.raises(stock.ExpiredStock, match=r"yang masih baik: 132\)"):   # the shelf holds 140
        stock.allocate(batches, 140, TODAY, "Promag")


@pytest.fixture
def pharmacy(db):
    today = business_date(utcnow(), "Asia/Makassar")
    with db.transaction() as s:
        till, user = make_till(s).id, make_user(s).id
        product = make_product(s, name="Paracetamol 500 mg", price=5_000, business_unit="apotek",
                               batch_tracked=True, on_hand=0, barcodes_=["8998866200301"])
        early = stock.ensure_batch(s, product.id, "P-EARLY", today + timedelta(days=30))
        late = stock.ensure_batch(s, product.id, "P-LATE", today + timedelta(days=300))
        gone = stock.ensure_batch(s, product.id, "P-GONE", today - timedelta(days=1))
        for batch, qty in ((early, 2), (late, 10), (gone, 7)):
            stock.move(s, product, qty, MovementKind.RECEIPT, batch_id=batch)
    return dict(till=till, user=user, product=product.id, early=early, late=late, gone=gone,
                today=today)


def scan(db, shop, times=1):
    with db.transaction() as s:
        code = f"{times}*8998866200301" if times > 1 else "8998866200301"
        scanning.scan(s, shop["till"], code, today=shop["today"])


def pay(db, shop):
    with db.transaction() as s:
        open_shift(s, shop["till"], shop["user"])
        return checkout.checkout(
            s, till_id=shop["till"], cashier_id=shop["user"], idempotency_key=str(uuid.uuid4()),
            tenders=[checkout.Tender(PaymentMethod.CASH, 100_000)], outlet_code="TST01",
            timezone="Asia/Makassar", tax=TaxSettings()).sale


def batch_stock(db, *ids):
    with db.reading() as s:
        return [s.get(Batch, i).on_hand for i in ids]


def test_a_sale_spans_batches_in_expiry_order_and_records_them(db, pharmacy):
    scan(db, pharmacy, times=3)
    sale = pay(db, pharmacy)
    assert batch_stock(db, pharmacy["early"], pharmacy["late"], pharmacy["gone"]) == [0, 9, 7]
    with db.reading() as s:
        taken = s.execute(select(SaleLineBatch.batch_id, SaleLineBatch.qty)
                          .order_by(SaleLineBatch.qty.desc())).all()
        assert taken == [(pharmacy["early"], 2), (pharmacy["late"], 1)]
        # recall: which receipts sold batch P-EARLY?
        receipts = s.scalars(select(Sale.receipt_no).join(SaleLine, SaleLine.sale_id == Sale.id)
                             .join(SaleLineBatch, SaleLineBatch.sale_line_id == SaleLine.id)
                             .where(SaleLineBatch.batch_id == pharmacy["early"])).all()
        assert receipts == [sale.receipt_no]
        assert stock.discrepancies(s) == [] and stock.batch_discrepancies(s) == []


def test_expired_stock_is_refused_at_the_scan_and_at_checkout(db, pharmacy):
    with pytest.raises(stock.ExpiredStock, match="kedaluwarsa"):
        scan(db, pharmacy, times=13)  # 12 good + expired ones
    scan(db, pharmacy, times=12)
    assert pay(db, pharmacy).total == 60_000
    assert batch_stock(db, pharmacy["early"], pharmacy["late"], pharmacy["gone"]) == [0, 0, 7]
    with pytest.raises(stock.ExpiredStock):
        scan(db, pharmacy)


def test_checkout_rechecks_what_the_scan_saw(db, pharmacy):
    scan(db, pharmacy, times=12)
    with db.transaction() as s:  # meanwhile the good stock is written off elsewhere
        product = s.get(Product,
                        pharmacy["product"])
        stock.move(s, product, -10, MovementKind.WRITEOFF, batch_id=pharmacy["late"])
    with pytest.raises(stock.OutOfStock, match=r"tersisa 2; 7 lagi sudah kedaluwarsa"):
        pay(db, pharmacy)    # 12 wanted: 2 good and 7 expired do not make 12 either
    assert batch_stock(db, pharmacy["early"], pharmacy["late"]) == [2, 0]


def test_the_till_shows_the_expired_message(db, client, pharmacy):
    login(client, pharmacy["user"], pharmacy["till"])
    response = client.post("/kasir/pindai", data={"code": "13*8998866200301"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 422 and "kedaluwarsa" in response.get_data(as_text=True)


def test_a_quantity_typed_over_the_good_stock_is_refused_as_the_scan_is(db, client, pharmacy):
    """F3 took 13 of 12 good pieces without a word; Bayar refused it after."""
    login(client, pharmacy["user"], pharmacy["till"])
    hx = {"HX-Request": "true"}
    assert client.post("/kasir/pindai", data={"code": "8998866200301"}, headers=hx).status_code == 200
    with db.reading() as s:
        line_id = s.scalar(select(CartLine.id))
    typed = client.post(f"/kasir/baris/{line_id}/jumlah", data={"qty": "13"}, headers=hx)
    assert typed.status_code == 422 and "kedaluwarsa" in typed.get_data(as_text=True)
    assert client.post(f"/kasir/baris/{line_id}/jumlah", data={"qty": "12"},
                       headers=hx).status_code == 200      # its own old quantity is not counted twice
    with db.reading() as s:
        assert s.scalar(select(CartLine.qty)) == 12


def test_batch_tracked_stock_needs_a_batch(db, pharmacy):
    with db.transaction() as s:
        product = s.get(Product,
                        pharmacy["product"])
        with pytest.raises(Exception, match="batch"):
            stock.move(s, product, 5, MovementKind.RECEIPT)


def test_a_batch_number_keeps_its_expiry(db, pharmacy):
    with db.transaction() as s:
        assert stock.ensure_batch(s, pharmacy["product"], "p-early",
                                  pharmacy["today"] + timedelta(days=30)) == pharmacy["early"]
        recorded = (pharmacy["today"] + timedelta(days=30)).strftime("%d-%m-%Y")   # never ISO
        with pytest.raises(Exception, match=f"kedaluwarsa {recorded}\\."):
            stock.ensure_batch(s, pharmacy["product"], "P-EARLY", pharmacy["today"])
