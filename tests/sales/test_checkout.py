"""Checkout as a service, on SQLite and PostgreSQL: one transaction, once per key."""
from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import func, select

from pos.errors import PosError
from pos.inventory import stock
from pos.inventory.catalog.lookup import lookup_barcode
from pos.inventory.models import MovementKind, StockMovement
from pos.sales import cart, checkout
from pos.sales.models import CartLine, Payment, PaymentMethod, Sale, SaleLine
from pos.sales.pricing import TaxSettings
from tests.factories import make_product, make_till, make_user, open_shift

TAX = TaxSettings(pkp=True, rate_bp=1100, inclusive=True)


@pytest.fixture
def shop(db):
    with db.transaction() as s:
        till = make_till(s)
        user = make_user(s)
        mie = make_product(s, name="Indomie Goreng", price=3_500, cost=3_000, on_hand=10,
                           barcodes_=["8998866200301"])
        beras = make_product(s, name="Beras curah", price=14_000, base_unit="gram",
                             tax_class="bebas", on_hand=50_000, barcodes_=[("2000000000015", 1000)])
        obat = make_product(s, name="Paracetamol", price=5_000, business_unit="apotek",
                            batch_tracked=True, on_hand=1, barcodes_=["8990000000013"])
        open_shift(s, till.id, user.id)  # before any request: two at once would both open it
    return dict(till=till.id, user=user.id, mie=mie.id, beras=beras.id, obat=obat.id)


def scan(db, till_id, code, times=1):
    with db.transaction() as s:
        cart.add(s, till_id, lookup_barcode(s, code), times=times)


def pay(db, shop, tendered, key=None, **kw):
    with db.transaction() as s:
        open_shift(s, shop["till"], shop["user"])
        return checkout.checkout(
            s, till_id=shop["till"], cashier_id=shop["user"], idempotency_key=key or str(uuid.uuid4()),
            tenders=[checkout.Tender(PaymentMethod.CASH, tendered)], outlet_code="TST01",
            timezone="Asia/Makassar", tax=TAX, **kw)


def count(db, model):
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_cash_sale_is_recorded_with_lines_payment_and_stock(db, shop):
    scan(db, shop["till"], "8998866200301", times=2)
    scan(db, shop["till"], "2000000000015")
    result = pay(db, shop, 50_000)
    sale = result.sale
    assert result.created
    assert sale.total == 2 * 3_500 + 14_000 == sale.gross
    assert sale.change == 50_000 - 21_000
    assert sale.tax == 694  # 7.000 x 11/111, the beras is exempt
    assert sale.receipt_no == "TST01-0000001"
    with db.reading() as s:
        assert stock.on_hand(s, shop["mie"]) == 8
        assert stock.on_hand(s, shop["beras"]) == 49_000
        lines = s.execute(select(SaleLine).order_by(SaleLine.line_no)).scalars().all()
        assert [(ln.qty, ln.amount) for ln in lines] == [(2, 7_000), (1_000, 14_000)]
        payment = s.execute(select(Payment)).scalar_one()
        assert (payment.amount, payment.tendered) == (21_000, 50_000)
        moves = s.execute(select(StockMovement.qty).where(StockMovement.sale_id == sale.id)
                          .order_by(StockMovement.qty)).scalars().all()
        assert moves == [-1_000, -2]
        assert stock.discrepancies(s) == []
    assert count(db, CartLine) == 0


def test_same_key_twice_makes_one_sale(db, shop):
    key = str(uuid.uuid4())
    scan(db, shop["till"], "8998866200301")
    first = pay(db, shop, 10_000, key=key)
    again = pay(db, shop, 10_000, key=key)
    assert first.created and not again.created
    assert again.sale.id == first.sale.id and again.sale.receipt_no == first.sale.receipt_no
    assert count(db, Sale) == 1
    with db.reading() as s:
        assert stock.on_hand(s, shop["mie"]) == 9


def test_same_key_from_two_requests_at_once_makes_one_sale(db, shop):
    """A double submit that reaches the server twice at the same moment: both requests get
    the one sale.  Each request, when it is about to insert its sale, waits (up to a second)
    for the other to get that far too; only a checkout that lets both past the key check
    would let them meet there, and then both would insert."""
    from sqlalchemy import event

    key, meet, outcomes = str(uuid.uuid4()), threading.Barrier(2, timeout=1), []
    scan(db, shop["till"], "8998866200301")

    def before_insert(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("INSERT INTO SALE "):
            try:
                meet.wait()
            except threading.BrokenBarrierError:
                pass  # the other request was queued behind this one, as it should be

    def submit():
        try:
            outcomes.append(pay(db, shop, 10_000, key=key))
        except Exception as error:  # an IntegrityError here is the bug this test is about
            outcomes.append(error)

    event.listen(db.engine, "before_cursor_execute", before_insert)
    try:
        threads = [threading.Thread(target=submit) for _ in range(2)]
        [t.start() for t in threads]
        [t.join() for t in threads]
    finally:
        event.remove(db.engine, "before_cursor_execute", before_insert)
    assert all(isinstance(o, checkout.CheckoutResult) for o in outcomes), outcomes
    assert sorted(o.created for o in outcomes) == [False, True]
    assert outcomes[0].sale.id == outcomes[1].sale.id
    assert count(db, Sale) == 1
    with db.reading() as s:
        assert stock.on_hand(s, shop["mie"]) == 9


def test_receipt_numbers_stay_gap_free_across_refused_checkouts(db, shop):
    numbers = []
    for _attempt in range(3):
        scan(db, shop["till"], "8998866200301")
        with pytest.raises(PosError):
            pay(db, shop, 1_000)  # not enough cash: nothing is written
        numbers.append(pay(db, shop, 3_500).sale.receipt_no)
    assert numbers == ["TST01-0000001", "TST01-0000002", "TST01-0000003"]


@pytest.mark.parametrize("tendered, message", [(3_499, "kurang"), (0, "kurang")])
def test_short_cash_is_refused_and_changes_nothing(db, shop, tendered, message):
    scan(db, shop["till"], "8998866200301")
    with pytest.raises(PosError, match=message):
        pay(db, shop, tendered)
    assert count(db, Sale) == 0 and count(db, CartLine) == 1
    with db.reading() as s:
        assert stock.on_hand(s, shop["mie"]) == 10


def test_empty_cart_and_bad_key_are_refused(db, shop):
    with pytest.raises(PosError, match="kosong"):
        pay(db, shop, 10_000)
    scan(db, shop["till"], "8998866200301")
    with pytest.raises(PosError, match="tidak sah"):
        pay(db, shop, 10_000, key="not-a-uuid")
    assert count(db, Sale) == 0


def test_changed_cart_since_display_is_refused(db, shop):
    scan(db, shop["till"], "8998866200301")
    with pytest.raises(PosError, match="berubah"):
        pay(db, shop, 10_000, expected_total=7_000)
    assert pay(db, shop, 10_000, expected_total=3_500).created


def test_blocked_product_without_stock_refuses_the_whole_sale(db, shop):
    scan(db, shop["till"], "8998866200301")
    scan(db, shop["till"], "8990000000013", times=2)  # only 1 in stock, block policy
    with pytest.raises(stock.OutOfStock, match="Paracetamol"):
        pay(db, shop, 50_000)
    assert count(db, Sale) == 0 and count(db, StockMovement) == 3  # the three openings
    with db.reading() as s:
        assert stock.on_hand(s, shop["mie"]) == 10
        assert stock.on_hand(s, shop["obat"]) == 1


def test_allow_policy_sells_below_zero(db, shop):
    scan(db, shop["till"], "8998866200301", times=12)
    assert pay(db, shop, 50_000).created
    with db.reading() as s:
        assert stock.on_hand(s, shop["mie"]) == -2
        assert stock.discrepancies(s) == []


def test_two_tills_cannot_both_sell_the_last_blocked_unit(db, shop):
    with db.transaction() as s:
        second = make_till(s, "KASIR-2").id
    scan(db, shop["till"], "8990000000013")
    scan(db, second, "8990000000013")
    barrier, outcomes = threading.Barrier(2), []

    def sell(till_id):
        barrier.wait()
        try:
            pay(db, dict(shop, till=till_id), 5_000)
            outcomes.append("sold")
        except stock.OutOfStock:
            outcomes.append("refused")

    threads = [threading.Thread(target=sell, args=(t,)) for t in (shop["till"], second)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(outcomes) == ["refused", "sold"]
    with db.reading() as s:
        assert stock.on_hand(s, shop["obat"]) == 0
    assert count(db, Sale) == 1


def test_concurrent_sales_lose_no_stock_decrement(db, shop):
    tills = [shop["till"]]
    with db.transaction() as s:
        tills += [make_till(s, f"KASIR-{n}").id for n in (2, 3, 4)]
    for till in tills:
        scan(db, till, "2000000000015")
    threads = [threading.Thread(target=pay, args=(db, dict(shop, till=t), 20_000)) for t in tills]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert count(db, Sale) == 4
    with db.reading() as s:
        assert stock.on_hand(s, shop["beras"]) == 50_000 - 4 * 1_000
        numbers = s.execute(select(Sale.seq_no).order_by(Sale.seq_no)).scalars().all()
    assert numbers == [1, 2, 3, 4]


def test_opening_stock_movement_sum_matches(db, shop):
    with db.reading() as s:
        total = s.scalar(select(func.sum(StockMovement.qty)).where(
            StockMovement.kind == MovementKind.OPENING))
    assert total == 10 + 50_000 + 1
