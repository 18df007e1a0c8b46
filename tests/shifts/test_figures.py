"""The expected-cash formula through the real services (checkout, member documents, returns,
Kas masuk/keluar, closing), one test per failure seen in other point-of-sale systems, on
SQLite and PostgreSQL."""
from __future__ import annotations

import uuid
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from pos.approvals.service import Actor, Approval
from pos.auth.models import Role
from pos.auth.service import RIGHTS
from pos.inventory.catalog.lookup import lookup_barcode
from pos.members.accounts import credit, documents, savings
from pos.members.accounts.models import DocTender
from pos.reports.shifts import shift_report
from pos.returns.service import RefundTo, Wanted, make_return
from pos.sales import cart, checkout
from pos.sales.models import PaymentMethod, SaleLine
from pos.sales.pricing import TaxSettings
from pos.shifts import service as shifts
from pos.shifts import zreport
from pos.shifts.figures import figures
from pos.shifts.gate import NoOpenShift
from pos.shifts.models import CashDirection, CashMovement, Shift
from tests.factories import make_product, make_till, make_user
from tests.members.accounts.conftest import make_member
from tests.payments.vectors import SAMPLE1

TAX = TaxSettings(pkp=False, rate_bp=1100, inclusive=True)
DAY = date(2026, 11, 30)
ZONE = "Asia/Makassar"
SOAP, ODD = "8990000800019", "8990000800026"
CASH, QRIS, TRANSFER, CREDIT = (PaymentMethod.CASH, PaymentMethod.QRIS, PaymentMethod.TRANSFER,
                                PaymentMethod.MEMBER_CREDIT)


def at(hour: int, minute: int = 0) -> datetime:
    """Naive UTC of ``hour:minute`` WITA on DAY."""
    return datetime(2026, 11, 30, hour - 8, minute)


MORNING, LATER = at(8), at(9)


@pytest.fixture
def shop(db):
    """Soap Rp25.000, a good at Rp12.449, a cashier, a manager, a member with kasbon."""
    with db.transaction() as s:
        till = make_till(s)
        cashier = make_user(s, "kasir1", "cashier", "1111")
        manager = make_user(s, "manajer1", "manager", "2222")
        make_product(s, name="Sabun Cuci 1 kg", price=25_000, on_hand=100, barcodes_=[SOAP])
        make_product(s, name="Kopi Bubuk", price=12_449, on_hand=100, barcodes_=[ODD])
        member = make_member(s, name="Daeng Baso")
        credit.set_limit(s, member.id, 500_000, manager.id, today=DAY)
    return dict(till=till.id, cashier=cashier.id, manager=manager.id, member=member.id)


def cashier(shop) -> Actor:
    return Actor(shop["cashier"], shop["till"], RIGHTS[Role.CASHIER], reason="di laci",
                 approval=Approval(shop["manager"], "disetujui"))


def manager(shop) -> Actor:
    return Actor(shop["manager"], shop["till"], RIGHTS[Role.MANAGER], reason="dihitung")


def open_(db, shop, amount: int, *, user: str = "cashier", note: str | None = None,
          now: datetime = MORNING) -> int:
    with db.transaction() as s:
        return shifts.open_shift(s, till_id=shop["till"], cashier_id=shop[user],
                                 cash=shifts.Cash(amount), note=note, day=DAY, now=now,
                                 actor=cashier(shop) if user == "cashier" else manager(shop)).id


def sell(db, shop, tenders, *, code: str = SOAP, times: int = 1, member: bool = False,
         user: str = "cashier", rounding: int = 0, now: datetime = LATER):
    with db.transaction() as s:
        cart.add(s, shop["till"], lookup_barcode(s, code), times=times)
        if member:
            cart.put_member(s, shop["till"], shop["member"])
    with db.transaction() as s:
        return checkout.checkout(
            s, till_id=shop["till"], cashier_id=shop[user], idempotency_key=str(uuid.uuid4()),
            tenders=tenders, outlet_code="TST01", timezone=ZONE, tax=TAX, now=now,
            cash_rounding=rounding, qris_static=SAMPLE1).sale


def expected(db, shift_id: int) -> dict[str, int]:
    with db.reading() as s:
        return figures(s, s.get(Shift, shift_id)).expected


def close(db, shop, shift_id: int, counted: int, reason: str | None = None, other=None, *,
          now: datetime | None = None):
    with db.transaction() as s:
        return shifts.close_shift(s, manager(shop), shift_id=shift_id, cash=shifts.Cash(counted),
                                  counted_other=other or {}, reason=reason, now=now or at(17))


def move(db, shop, direction: CashDirection, amount: int, reason: str = "uang kecil"):
    with db.transaction() as s:
        return shifts.move_cash(s, cashier(shop), direction=direction, amount=amount,
                                reason=reason, day=DAY, now=at(10), approval_above=1_000_000)


def test_change_given_is_not_counted_as_cash_in(db, shop):
    """ERPNext #25638: Rp100.000 handed over for Rp25.000 leaves Rp25.000 in the drawer, not
    Rp100.000 ("should be 100-25 = 75" given back)."""
    shift = open_(db, shop, 0)
    sale = sell(db, shop, [checkout.Tender(CASH, 100_000)])
    assert (sale.total, sale.change) == (25_000, 75_000)
    with db.reading() as s:
        f = figures(s, s.get(Shift, shift))
    assert (f.cash_received, f.change_given, f.cash_sales) == (100_000, 75_000, 25_000)
    assert f.expected["cash"] == 25_000


def test_cash_in_and_out(db, shop):
    shift = open_(db, shop, 100_000)
    move(db, shop, CashDirection.IN, 50_000)
    move(db, shop, CashDirection.OUT, 30_000, "beli kantong plastik")
    assert expected(db, shift)["cash"] == 120_000
    with pytest.raises(shifts.ShiftError, match="melebihi uang tunai"):
        move(db, shop, CashDirection.OUT, 120_001)
    with db.reading() as s:
        assert s.scalar(select(func.count(CashMovement.id))) == 2
    assert expected(db, shift)["cash"] == 120_000


def test_a_second_shift_the_same_day_at_the_same_till_sums_only_its_own(db, shop):
    """OSPOS #3253: the second shift's expected cash took in the first shift's sales."""
    first = open_(db, shop, 200_000)
    sell(db, shop, [checkout.Tender(CASH, 50_000)], times=2)
    closed = close(db, shop, first, 250_000, now=at(12))   # before the second opens
    assert closed.shift.expected_cash == 250_000
    second = open_(db, shop, 250_000, user="manager", now=at(13))
    sell(db, shop, [checkout.Tender(CASH, 25_000)], user="manager", now=at(14))
    assert expected(db, second)["cash"] == 275_000
    with db.reading() as s:
        assert s.get(Shift, first).expected_cash == 250_000
        assert figures(s, s.get(Shift, first)).sales_count == 1
        assert figures(s, s.get(Shift, second)).sales_count == 1


def test_a_float_different_from_the_last_closing_is_noted_and_counts(db, shop):
    first = open_(db, shop, 300_000)
    close(db, shop, first, 300_000, now=at(12))
    second = open_(db, shop, 150_000, note="Setengah disetor ke bendahara", now=at(13))
    with db.reading() as s:
        row = s.get(Shift, second)
        assert (row.previous_counted, row.opening_float, row.opening_note) == \
            (300_000, 150_000, "Setengah disetor ke bendahara")
        assert (row.opening_difference, row.opening_approved_by) == (-150_000, shop["manager"])
    sell(db, shop, [checkout.Tender(CASH, 25_000)], now=at(14))
    assert expected(db, second)["cash"] == 175_000   # the float counted now, not the last count


def test_a_cash_refund_leaves_the_drawer(db, shop):
    shift = open_(db, shop, 100_000)
    sale = sell(db, shop, [checkout.Tender(CASH, 50_000)], times=2)
    paid_qris = sell(db, shop, [checkout.Tender(QRIS, 25_000, confirmed=True)])
    with db.transaction() as s:
        lines = dict(s.execute(select(SaleLine.sale_id, SaleLine.id)
                               .where(SaleLine.sale_id.in_([sale.id, paid_qris.id]))).all())
        make_return(s, cashier(shop), sale_id=sale.id, wanted=[Wanted(lines[sale.id], 1)],
                    refund_to=RefundTo.CASH, reason="rusak", outlet_code="TST01", timezone=ZONE,
                    now=at(11), idempotency_key=str(uuid.uuid4()))
        make_return(s, cashier(shop), sale_id=paid_qris.id,
                    wanted=[Wanted(lines[paid_qris.id], 1)], refund_to=RefundTo.ORIGINAL,
                    reason="salah beli", outlet_code="TST01", timezone=ZONE,
                    reference="QRIS 7781", now=at(11), idempotency_key=str(uuid.uuid4()))
    figures_now = expected(db, shift)
    assert figures_now["cash"] == 100_000 + 50_000 - 25_000
    assert figures_now["qris"] == 0   # the QRIS refund went back by QRIS, not from the drawer


def test_a_tender_that_refunded_more_than_it_took_closes_below_zero(db, shop):
    """A QRIS sale of an earlier shift refunded by QRIS in this one: QRIS expects -Rp25.000,
    and the count the form offers (the same) must close without a false surplus."""
    first = open_(db, shop, 100_000)
    paid_qris = sell(db, shop, [checkout.Tender(QRIS, 25_000, confirmed=True)])
    close(db, shop, first, 100_000, now=at(11))
    second = open_(db, shop, 100_000, now=at(12))
    with db.transaction() as s:
        line = s.scalar(select(SaleLine.id).where(SaleLine.sale_id == paid_qris.id))
        make_return(s, cashier(shop), sale_id=paid_qris.id, wanted=[Wanted(line, 1)],
                    refund_to=RefundTo.ORIGINAL, reason="salah beli", outlet_code="TST01",
                    timezone=ZONE, reference="QRIS 7781", now=at(13),
                    idempotency_key=str(uuid.uuid4()))
    assert expected(db, second)["qris"] == -25_000
    done = close(db, shop, second, 100_000, None, {"qris": -25_000})
    assert {t.method: (t.expected, t.counted, t.difference) for t in done.tenders}["qris"] == (
        -25_000, -25_000, 0)
    assert done.shift.difference == 0 and done.shift.close_reason is None


def test_kasbon_repayment_and_savings_in_cash(db, shop):
    shift = open_(db, shop, 50_000)
    sell(db, shop, [checkout.Tender(CREDIT, 25_000)], member=True)
    rates = savings.Rates(100_000, 10_000)
    with db.transaction() as s:
        for paid, handed in ((documents.Payment(repayment=20_000), 50_000),
                             (documents.Payment(sukarela=10_000), None)):
            documents.take(s, member_id=shop["member"], paid=paid,
                           tender=documents.Tendered(DocTender.CASH, handed),
                           idempotency_key=str(uuid.uuid4()), outlet_code="TST01",
                           till_id=shop["till"], cashier_id=shop["cashier"], rates=rates,
                           business_date=DAY, now=at(12))
    now = expected(db, shift)
    assert now["cash"] == 50_000 + 20_000 + 10_000   # the Rp30.000 change of Rp50.000 went back
    assert now["member_credit"] == 25_000            # the kasbon sold is not cash


def test_cash_rounding_is_in_the_drawer(db, shop):
    shift = open_(db, shop, 0)
    sale = sell(db, shop, [checkout.Tender(CASH, 20_000)], code=ODD, rounding=100)
    assert (sale.total, sale.rounding, sale.change) == (12_400, -49, 7_600)
    with db.reading() as s:
        f = figures(s, s.get(Shift, shift))
    assert (f.rounding, f.expected["cash"]) == (-49, 12_400)


def test_non_cash_tenders_are_expected_per_method(db, shop):
    shift = open_(db, shop, 10_000)
    sell(db, shop, [checkout.Tender(QRIS, 25_000, confirmed=True)])
    sell(db, shop, [checkout.Tender(TRANSFER, 25_000, reference="BRI 123456")])
    sell(db, shop, [checkout.Tender(CREDIT, 25_000)], member=True)
    sell(db, shop, [checkout.Tender(QRIS, 5_000, confirmed=True),
                    checkout.Tender(CASH, 20_000)])
    assert expected(db, shift) == {"cash": 30_000, "qris": 30_000, "transfer": 25_000,
                                   "member_credit": 25_000}
    done = close(db, shop, shift, 30_000, "QRIS belum masuk di mutasi", {"qris": 25_000})
    assert {t.method: (t.expected, t.counted, t.difference) for t in done.tenders} == {
        "cash": (30_000, 30_000, 0), "qris": (30_000, 25_000, -5_000),
        "transfer": (25_000, 25_000, 0), "member_credit": (25_000, 25_000, 0)}
    assert done.shift.difference == -5_000


def test_a_tender_sold_and_refunded_in_full_in_the_shift_keeps_its_rp0_figures(db, shop):
    """Kasbon and QRIS sold and returned in full in one shift: the Z report's Per cara bayar,
    `pos shift show --json` and the day summary's shifts listed only Tunai, where the same
    report's sales and refunds per tender show each (and the close form asks for the QRIS
    count): a tender that moved keeps its Rp0 row, open (X report) and closed alike."""
    from pos.reports.day_money import shifts as day_shifts

    shift = open_(db, shop, 100_000)
    kasbon = sell(db, shop, [checkout.Tender(CREDIT, 75_000)], times=3, member=True)
    paid_qris = sell(db, shop, [checkout.Tender(QRIS, 25_000, confirmed=True)])
    with db.transaction() as s:
        lines = dict(s.execute(select(SaleLine.sale_id, SaleLine.id)
                               .where(SaleLine.sale_id.in_([kasbon.id, paid_qris.id]))).all())
        make_return(s, cashier(shop), sale_id=kasbon.id, wanted=[Wanted(lines[kasbon.id], 3)],
                    refund_to=RefundTo.ORIGINAL, reason="salah beli", outlet_code="TST01",
                    timezone=ZONE, now=at(11), idempotency_key=str(uuid.uuid4()))
        make_return(s, cashier(shop), sale_id=paid_qris.id,
                    wanted=[Wanted(lines[paid_qris.id], 1)], refund_to=RefundTo.ORIGINAL,
                    reason="salah beli", outlet_code="TST01", timezone=ZONE,
                    reference="QRIS 7781", now=at(11), idempotency_key=str(uuid.uuid4()))
    with db.reading() as s:
        x = zreport.build(s, shift)
    assert [(t.method, t.expected) for t in x.tenders] == [
        ("cash", 100_000), ("qris", 0), ("member_credit", 0)]
    done = close(db, shop, shift, 100_000, None, {"qris": 0})
    kept = {"cash": (100_000, 100_000, 0), "qris": (0, 0, 0), "member_credit": (0, 0, 0)}
    assert {t.method: (t.expected, t.counted, t.difference) for t in done.tenders} == kept
    with db.reading() as s:
        z = zreport.build(s, shift).as_json()
        (summed,) = day_shifts(s, DAY)
    assert z["expected"] == {"cash": 100_000, "qris": 0, "member_credit": 0}
    assert z["counted"] == {"cash": 100_000, "qris": 0, "member_credit": 0}
    assert {m: (t["expected"], t["counted"], t["difference"])
            for m, t in summed["tenders"].items()} == kept


def test_a_counted_difference_is_kept_with_its_reason_never_forced(db, shop):
    """NexoPOS #577: the register closed at the expected amount, whatever was counted."""
    shift = open_(db, shop, 100_000)
    sell(db, shop, [checkout.Tender(CASH, 25_000)])
    with pytest.raises(shifts.ShiftError, match="Tulis alasannya"):
        close(db, shop, shift, 120_000)
    with db.reading() as s:
        assert s.get(Shift, shift).closed_at is None
    done = close(db, shop, shift, 120_000, "Uang terselip di bawah laci")
    with db.reading() as s:
        row = s.get(Shift, shift)
        assert (row.expected_cash, row.counted_cash, row.difference, row.close_reason) == \
            (125_000, 120_000, -5_000, "Uang terselip di bawah laci")
        assert row.approved_by == shop["manager"] and done.shift.closed_at == at(17)


def test_differences_that_cancel_out_still_need_a_reason(db, shop):
    """A cash shortage is not hidden by counting QRIS as much too high: the total is Rp0, but
    each tender's difference is asked about, kept and shown."""
    shift = open_(db, shop, 100_000)
    sell(db, shop, [checkout.Tender(QRIS, 25_000, confirmed=True)])
    with pytest.raises(shifts.ShiftError,
                       match=r"Ada selisih \(Tunai -Rp50\.000, QRIS \+Rp50\.000\)"):
        close(db, shop, shift, 50_000, None, {"qris": 75_000})
    with db.reading() as s:
        assert s.get(Shift, shift).closed_at is None
    done = close(db, shop, shift, 50_000, "uang tunai disetor lewat QRIS", {"qris": 75_000})
    assert {t.method: t.difference for t in done.tenders} == {"cash": -50_000, "qris": 50_000}
    assert done.shift.difference == 0 and done.shift.close_reason == "uang tunai disetor lewat QRIS"
    with db.reading() as s:   # the drawer's lists say "kas": they show the cash's own difference
        assert [r.cash_difference for r in zreport.listed(s, day=DAY)] == [-50_000]
        assert [r["difference"] for r in shift_report(s, DAY, DAY, zone=ZONE).rows] == [-50_000]


def test_a_closed_shift_cannot_be_closed_again(db, shop):
    shift = open_(db, shop, 100_000)
    close(db, shop, shift, 100_000)
    with pytest.raises(shifts.ShiftError, match="sudah ditutup") as refused:
        close(db, shop, shift, 90_000, "hitung ulang")
    assert refused.value.status == 409
    with db.reading() as s:
        assert (s.get(Shift, shift).counted_cash, s.get(Shift, shift).difference) == (100_000, 0)
    with pytest.raises(NoOpenShift):
        sell(db, shop, [checkout.Tender(CASH, 25_000)])
