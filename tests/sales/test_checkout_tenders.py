"""Checkout with every tender and mixes of them, on SQLite and PostgreSQL: QRIS confirmed by the
cashier, transfer with its reference, kasbon within the member's limit (race-safe across tills),
cash rounding that balances; a refused payment writes nothing."""
from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import func, select

from pos.errors import PosError
from pos.inventory import stock
from pos.members.accounts import credit
from pos.members.accounts.models import CreditEntry
from pos.members.models import Member
from pos.payments import qris
from pos.sales import cart, checkout
from pos.sales.models import CartLine, Payment, PaymentMethod, Sale, SaleLine
from pos.sales.pricing import TaxSettings
from pos.sales.tenders import Tender
from tests.factories import make_product, make_till, make_user, open_shift
from tests.payments.vectors import SAMPLE1

TAX = TaxSettings(pkp=True, rate_bp=1100, inclusive=True)
CASH, QRIS, TRANSFER, CREDIT = (PaymentMethod.CASH, PaymentMethod.QRIS, PaymentMethod.TRANSFER,
                                PaymentMethod.MEMBER_CREDIT)


@pytest.fixture
def shop(db):
    with db.transaction() as s:
        till = make_till(s)
        user = make_user(s)
        boss = make_user(s, "manajer", role="manager", pin="9999")
        make_product(s, name="Sabun", price=12_449, on_hand=20, barcodes_=["8991111111117"])
        member = Member(number="AGT-0001", name="Wayan Sari")
        s.add(member)
        s.flush()
        credit.set_limit(s, member.id, 50_000, boss.id)
    return dict(till=till.id, user=user.id, member=member.id, boss=boss.id)


def fill(db, till_id, times=1, member_id=None):
    from pos.inventory.catalog.lookup import lookup_barcode

    with db.transaction() as s:
        cart.add(s, till_id, lookup_barcode(s, "8991111111117"), times=times)
        if member_id is not None:
            cart.put_member(s, till_id, member_id)


def pay(db, shop, tenders, **kw):
    with db.transaction() as s:
        open_shift(s, shop["till"], shop["user"])
        return checkout.checkout(
            s, till_id=shop["till"], cashier_id=shop["user"], idempotency_key=str(uuid.uuid4()),
            tenders=tenders, outlet_code="TST01", timezone="Asia/Makassar", tax=TAX,
            qris_static=kw.pop("qris_static", SAMPLE1), **kw)


def rows(db, model, *columns):
    with db.reading() as s:
        return s.execute(select(*columns).select_from(model).order_by(model.id)).all()


def count(db, model):
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(model))


def nothing_written(db, shop, lines=1):
    assert count(db, Sale) == 0 and count(db, Payment) == 0
    assert count(db, CartLine) == lines
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(CreditEntry)
                        .where(CreditEntry.sale_id.is_not(None))) == 0
        assert credit.available(s, shop["member"]) == (50_000, 0)


def test_qris_and_cash_with_change(db, shop):
    fill(db, shop["till"], times=2)                         # 24.898
    sale = pay(db, shop, [Tender(QRIS, 20_000, confirmed=True), Tender(CASH, 10_000)]).sale
    assert (sale.total, sale.tendered, sale.change, sale.rounding) == (24_898, 30_000, 5_102, 0)
    with db.reading() as s:
        payments = s.execute(select(Payment).order_by(Payment.id)).scalars().all()
        assert [(p.method, p.amount, p.tendered) for p in payments] == [
            (QRIS, 20_000, 20_000), (CASH, 4_898, 10_000)]
        assert payments[0].confirmed_by == shop["user"] and payments[1].confirmed_by is None
        crc = qris.dynamic(SAMPLE1, 20_000)[-4:]
        assert payments[0].reference == f"CRC {crc}"
        assert stock.on_hand(s, s.scalar(select(SaleLine.product_id))) == 18


def test_transfer_keeps_its_reference(db, shop):
    fill(db, shop["till"])
    pay(db, shop, [Tender(TRANSFER, 12_449, "BRI 0093 7781")])
    assert rows(db, Payment, Payment.method, Payment.amount, Payment.reference) == [
        (TRANSFER, 12_449, "BRI 0093 7781")]


def test_kasbon_within_the_limit_records_the_new_balance(db, shop):
    fill(db, shop["till"], times=2, member_id=shop["member"])
    sale = pay(db, shop, [Tender(CREDIT, 20_000), Tender(CASH, 5_000)]).sale
    assert sale.member_id == shop["member"] and sale.change == 102
    with db.reading() as s:
        assert credit.available(s, shop["member"]) == (50_000, 20_000)
        entry = s.execute(select(CreditEntry).where(CreditEntry.sale_id == sale.id)).scalar_one()
        assert entry.amount == 20_000
    assert rows(db, Payment, Payment.method, Payment.amount, Payment.reference) == [
        (CREDIT, 20_000, "saldo 20000"), (CASH, 4_898, None)]


def test_kasbon_tendered_twice_is_one_charge_and_one_payment(db, shop):
    """Two kasbon tenders on one sale (added twice in the panel, or a tampered form) made two
    payment rows and two credit entries: two receipt lines and two sales in the day's kasbon."""
    fill(db, shop["till"], times=3, member_id=shop["member"])   # 37.347
    sale = pay(db, shop, [Tender(CREDIT, 20_000), Tender(CREDIT, 10_000), Tender(CASH, 7_347)]).sale
    assert rows(db, Payment, Payment.method, Payment.amount, Payment.reference) == [
        (CREDIT, 30_000, "saldo 30000"), (CASH, 7_347, None)]
    with db.reading() as s:
        assert s.execute(select(CreditEntry.sale_id, CreditEntry.amount)
                         .where(CreditEntry.sale_id.is_not(None))).all() == [(sale.id, 30_000)]


def test_kasbon_tendered_twice_is_judged_against_the_limit_as_one(db, shop):
    fill(db, shop["till"], times=5, member_id=shop["member"])   # 62.245; limit 50.000
    with pytest.raises(credit.CreditError, match="Kasbon melebihi batas"):
        pay(db, shop, [Tender(CREDIT, 30_000), Tender(CREDIT, 20_001), Tender(CASH, 12_244)])
    nothing_written(db, shop)


def test_every_tender_on_one_sale_balances(db, shop):
    fill(db, shop["till"], times=4, member_id=shop["member"])   # 49.796
    sale = pay(db, shop, [Tender(QRIS, 10_000, confirmed=True), Tender(TRANSFER, 9_796, "BCA-1"),
                          Tender(CREDIT, 15_000), Tender(CASH, 20_000)], cash_rounding=100).sale
    assert sale.total == 49_796 == 10_000 + 9_796 + 15_000 + 15_000 and sale.rounding == 0
    assert sale.change == 5_000
    with db.reading() as s:
        assert s.scalar(select(func.sum(Payment.amount))) == sale.total


@pytest.mark.parametrize("coin, handed, total, rounding, change", [
    (100, 13_000, 12_400, -49, 600), (500, 12_500, 12_500, 51, 0), (0, 12_449, 12_449, 0, 0)])
def test_cash_rounding_is_recorded_so_the_books_balance(db, shop, coin, handed, total, rounding,
                                                         change):
    fill(db, shop["till"])
    sale = pay(db, shop, [Tender(CASH, handed)], cash_rounding=coin).sale
    assert (sale.total, sale.rounding, sale.change) == (total, rounding, change)
    with db.reading() as s:
        stored = s.execute(select(Sale)).scalar_one()
        lines = s.scalar(select(func.sum(SaleLine.amount)))
        paid = s.scalar(select(func.sum(Payment.amount)))
        again = checkout.get_sale(s, sale.id)   # as the receipt and a reprint read it
    assert lines + stored.rounding == stored.total == paid == total
    assert again.rounding == rounding


def test_non_cash_is_never_rounded(db, shop):
    fill(db, shop["till"])
    sale = pay(db, shop, [Tender(QRIS, 12_449, confirmed=True)], cash_rounding=100).sale
    assert (sale.total, sale.rounding) == (12_449, 0)


@pytest.mark.parametrize("tenders, kw, message", [
    ([Tender(QRIS, 12_449)], {}, "belum dikonfirmasi"),
    ([Tender(QRIS, 12_449, confirmed=True)], {"qris_static": None}, "QRIS belum diatur"),
    ([Tender(QRIS, 12_450, confirmed=True)], {}, "melebihi sisa"),
    ([Tender(TRANSFER, 12_449, "x")], {}, "Referensi bank"),
    ([Tender(CREDIT, 12_449)], {}, "hanya untuk anggota"),          # no member attached
    ([Tender(QRIS, 2_449, confirmed=True), Tender(CASH, 9_000)], {}, "Kurang Rp1.000"),
])
def test_a_refused_payment_writes_nothing(db, shop, tenders, kw, message):
    fill(db, shop["till"])
    with pytest.raises(PosError, match=message):
        pay(db, shop, tenders, **kw)
    nothing_written(db, shop)
    assert pay(db, shop, [Tender(CASH, 12_449)]).created     # and the receipt number is unused
    assert rows(db, Sale, Sale.receipt_no) == [("TST01-0000001",)]


@pytest.mark.parametrize("setup, message", [
    ("over", "melebihi batas"), ("no limit", "belum punya batas"), ("inactive", "nonaktif")])
def test_kasbon_refused_by_the_account_changes_nothing(db, shop, setup, message):
    with db.transaction() as s:
        if setup == "over":
            credit.set_limit(s, shop["member"], 12_000, shop["boss"])
        elif setup == "no limit":
            credit.set_limit(s, shop["member"], 0, shop["boss"])
        else:
            s.get(Member, shop["member"]).active = False
    fill(db, shop["till"], member_id=shop["member"])
    with pytest.raises(PosError, match=message):
        pay(db, shop, [Tender(CREDIT, 12_449)])
    assert count(db, Sale) == 0 and count(db, Payment) == 0 and count(db, CartLine) == 1
    with db.reading() as s:
        assert credit.available(s, shop["member"])[1] == 0
        assert s.scalar(select(func.count()).select_from(CreditEntry)
                        .where(CreditEntry.sale_id.is_not(None))) == 0


def test_two_tills_cannot_charge_one_member_past_the_limit(db, shop):
    """Each till's kasbon fits the limit alone (2 x 24.898 > 40.000): exactly one may pass."""
    with db.transaction() as s:
        credit.set_limit(s, shop["member"], 40_000, shop["boss"])
        second = make_till(s, "KASIR-2").id
    for till in (shop["till"], second):
        fill(db, till, times=2, member_id=shop["member"])
    barrier, outcomes = threading.Barrier(2), []

    def sell(till_id):
        barrier.wait()
        try:
            pay(db, dict(shop, till=till_id), [Tender(CREDIT, 24_898)])
            outcomes.append("sold")
        except PosError as refused:
            outcomes.append(refused.message)

    threads = [threading.Thread(target=sell, args=(t,)) for t in (shop["till"], second)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert outcomes.count("sold") == 1, outcomes
    assert any("melebihi batas" in o for o in outcomes if o != "sold"), outcomes
    assert count(db, Sale) == 1
    with db.reading() as s:
        assert credit.available(s, shop["member"]) == (40_000, 24_898)


def test_change_the_drawer_cannot_pay_refuses_the_sale_and_writes_nothing(db, shop):
    """Rp1.000.000.000 typed for a Rp12.449 sale was saved with Kembali Rp999.987.551, and the
    X/Z report showed it; change from Rp100.000 up must be in the drawer."""
    fill(db, shop["till"])
    with db.transaction() as s:
        open_shift(s, shop["till"], shop["user"], opening_float=850_000)
    with pytest.raises(PosError, match=r"^Kembalian Rp999\.987\.551 melebihi uang tunai di laci "
                                       r"\(Rp850\.000\)\. Periksa uang yang diterima\.$"):
        pay(db, shop, [Tender(CASH, 1_000_000_000)])
    nothing_written(db, shop)
    sale = pay(db, shop, [Tender(CASH, 512_449)]).sale          # Rp500.000 change: a drawer's
    assert sale.change == 500_000


def test_change_from_a_hundred_thousand_up_must_be_in_the_drawer(db, shop):
    """Rp1.000.000 typed for a Rp100.000 note on a Rp89.936 cart was saved with Kembali Rp910.064,
    which the drawer could not give: change from Rp100.000 up is checked, smaller reads nothing."""
    fill(db, shop["till"])
    with db.transaction() as s:
        open_shift(s, shop["till"], shop["user"], opening_float=0)
    assert pay(db, shop, [Tender(CASH, 112_448)]).sale.change == 99_999   # not read: as every sale
    fill(db, shop["till"])                                                # (the drawer: Rp12.449)
    for tendered, change in ((1_000_000, "987\\.551"), (112_449, "100\\.000")):
        with pytest.raises(PosError, match=rf"^Kembalian Rp{change} melebihi uang tunai di laci "
                                           r"\(Rp12\.449\)\. Periksa uang yang diterima\.$"):
            pay(db, shop, [Tender(CASH, tendered)])
    assert count(db, Sale) == 1 and count(db, CartLine) == 1
    assert pay(db, shop, [Tender(CASH, 24_898)]).sale.change == 12_449


def test_change_of_a_million_is_paid_when_the_drawer_holds_it(db, shop):
    fill(db, shop["till"])
    with db.transaction() as s:
        open_shift(s, shop["till"], shop["user"], opening_float=2_000_000)
    assert pay(db, shop, [Tender(CASH, 1_512_449)]).sale.change == 1_500_000
