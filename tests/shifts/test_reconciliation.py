"""Reconciliation over random days (hypothesis), through the real services: sales with random
tenders, returns of random lines, Kas masuk/keluar and members' cash payments in one or two
shifts.  The day summary equals the sums of its rows, and each shift's expected cash equals
its float plus its own cash rows, summed here independently of ``pos.shifts.figures``.
SQLite only: each example is a new business day in the same database."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from pos.approvals.service import Actor, Approval
from pos.auth.models import Role
from pos.auth.service import RIGHTS
from pos.closing.service import close_day
from pos.closing.summary import build
from pos.errors import PosError
from pos.inventory.catalog.lookup import lookup_barcode
from pos.members.accounts import credit, documents, savings
from pos.members.accounts.models import DocTender, MemberDocument
from pos.returns.models import ReturnRefund, SaleReturn
from pos.returns.service import RefundTo, Wanted, make_return
from pos.sales import cart, checkout
from pos.sales.models import Payment, PaymentMethod, Sale, SaleLine, SaleStatus
from pos.sales.pricing import TaxSettings
from pos.shifts import service as shifts
from pos.shifts.models import CashDirection, CashMovement, Shift
from tests.factories import make_product, make_till, make_user
from tests.members.accounts.conftest import make_member
from tests.payments.vectors import SAMPLE1

TAX = TaxSettings(pkp=False, rate_bp=1100, inclusive=True)
ZONE = "Asia/Makassar"
CODES = ("8990000900016", "8990000900023", "8990000900030")
FIRST_DAY = date(2026, 1, 5)
CASH, QRIS, TRANSFER, CREDIT = (PaymentMethod.CASH, PaymentMethod.QRIS, PaymentMethod.TRANSFER,
                                PaymentMethod.MEMBER_CREDIT)


@pytest.fixture
def backend():
    return "sqlite"


def _shop(db) -> dict:
    with db.transaction() as s:
        till = make_till(s)
        cashier = make_user(s, "kasir1", "cashier", "1111")
        manager = make_user(s, "manajer1", "manager", "2222")
        for code, price in zip(CODES, (25_000, 12_449, 3_350), strict=True):
            make_product(s, price=price, on_hand=1_000_000, barcodes_=[code])
        member = make_member(s, name="Daeng Baso", joined_on=date(2025, 1, 1))
        credit.set_limit(s, member.id, 100_000_000, manager.id, today=FIRST_DAY)
    return dict(till=till.id, cashier=cashier.id, manager=manager.id, member=member.id, day=0)


def _at(day: date, minute: int) -> datetime:
    """Naive UTC of 08:00 WITA on ``day`` plus ``minute``."""
    return datetime.combine(day, datetime.min.time()) + timedelta(minutes=minute)


sale_op = st.fixed_dictionaries({
    "op": st.just("sale"), "code": st.integers(0, 2), "times": st.integers(1, 3),
    "member": st.booleans(), "extra": st.sampled_from([0, 500, 5_000, 50_000]),
    "rounding": st.sampled_from([0, 0, 100, 500]),
    "pay": st.sampled_from(["cash", "cash", "qris", "transfer", "kasbon", "qris+cash"])})
return_op = st.fixed_dictionaries({"op": st.just("return"), "pick": st.integers(0, 99),
                                   "to": st.sampled_from(list(RefundTo))})
move_op = st.fixed_dictionaries({"op": st.just("move"), "in": st.booleans(),
                                 "amount": st.integers(1, 80_000)})
member_op = st.fixed_dictionaries({"op": st.just("member"), "repay": st.booleans(),
                                   "amount": st.integers(1, 60_000)})
shift_st = st.fixed_dictionaries({
    "float": st.integers(0, 5_000).map(lambda n: n * 100),
    "ops": st.lists(st.one_of(sale_op, sale_op, return_op, move_op, member_op), max_size=8),
    "off": st.sampled_from([0, 0, -500, 1_000])})


def _actor(shop, user: str) -> Actor:
    if user == "manager":
        return Actor(shop["manager"], shop["till"], RIGHTS[Role.MANAGER], reason="dicek")
    return Actor(shop["cashier"], shop["till"], RIGHTS[Role.CASHIER], reason="dicek",
                 approval=Approval(shop["manager"], "disetujui"))


def _tenders(total: int, spec: dict) -> list[checkout.Tender]:
    cash = checkout.Tender(CASH, total + 500 + spec["extra"])  # covers any rounding up
    return {"cash": [cash], "qris": [checkout.Tender(QRIS, total, confirmed=True)],
            "transfer": [checkout.Tender(TRANSFER, total, reference="BRI 4411")],
            "kasbon": [checkout.Tender(CREDIT, total)],
            "qris+cash": [checkout.Tender(QRIS, total // 2, confirmed=True),
                          checkout.Tender(CASH, total - total // 2 + 500 + spec["extra"])],
            }[spec["pay"]]


def _run(s, shop, user: str, spec: dict, day: date, now: datetime, sales: list[int]) -> None:
    who = shop[user]
    if spec["op"] == "sale":
        cart.add(s, shop["till"], lookup_barcode(s, CODES[spec["code"]]), times=spec["times"])
        kasbon = spec["pay"] == "kasbon"
        if spec["member"] or kasbon:
            cart.put_member(s, shop["till"], shop["member"])
        total = cart.view(s, shop["till"], TAX, today=day).totals.total
        sales.append(checkout.checkout(
            s, till_id=shop["till"], cashier_id=who, idempotency_key=str(uuid.uuid4()),
            tenders=_tenders(total, spec), outlet_code="TST01", timezone=ZONE, tax=TAX, now=now,
            cash_rounding=spec["rounding"], qris_static=SAMPLE1).sale.id)
    elif spec["op"] == "return" and sales:
        sale_id = sales[spec["pick"] % len(sales)]
        line = s.scalar(select(SaleLine.id).where(SaleLine.sale_id == sale_id,
                                                  SaleLine.returned_qty < SaleLine.qty))
        if line is not None:
            make_return(s, _actor(shop, user), sale_id=sale_id, wanted=[Wanted(line, 1)],
                        refund_to=spec["to"], reason="rusak", outlet_code="TST01",
                        timezone=ZONE, reference="REF 0099", now=now,
                        idempotency_key=str(uuid.uuid4()))
    elif spec["op"] == "move":
        shifts.move_cash(s, _actor(shop, user), amount=spec["amount"], reason="uang kecil",
                         direction=CashDirection.IN if spec["in"] else CashDirection.OUT,
                         day=day, now=now, approval_above=1_000_000)
    elif spec["op"] == "member":
        owed = credit.available(s, shop["member"])[1]
        paid = documents.Payment(repayment=min(spec["amount"], owed)) if spec["repay"] and owed \
            else documents.Payment(sukarela=spec["amount"])
        documents.take(s, member_id=shop["member"], paid=paid,
                       tender=documents.Tendered(DocTender.CASH, None),
                       idempotency_key=str(uuid.uuid4()), outlet_code="TST01",
                       till_id=shop["till"], cashier_id=who,
                       rates=savings.Rates(100_000, 10_000), business_date=day, now=now)


def _own_cash(s, shift: Shift) -> int:
    """The float and the shift's own cash rows, summed here from the rows themselves."""
    sold = sum(s.scalars(select(Payment.amount).join(Sale, Sale.id == Payment.sale_id).where(
        Sale.shift_id == shift.id, Sale.status == SaleStatus.COMPLETED, Payment.method == CASH)))
    members = sum(s.scalars(select(MemberDocument.total).where(
        MemberDocument.shift_id == shift.id, MemberDocument.tender == DocTender.CASH)))
    refunded = sum(s.scalars(select(ReturnRefund.amount)
                             .join(SaleReturn, SaleReturn.id == ReturnRefund.return_id)
                             .where(SaleReturn.shift_id == shift.id, ReturnRefund.method == CASH)))
    moved = sum(m.amount if m.direction is CashDirection.IN else -m.amount for m in
                s.scalars(select(CashMovement).where(CashMovement.shift_id == shift.id)))
    return shift.opening_float + sold + members - refunded + moved


def work_day(db, shop, day: date, plan: list[dict], outlet_code: str = "TST01") -> list[int]:
    """The shifts of ``plan`` on ``day`` through the real services (cashier, then manager),
    each closed with its planned counting error, then the day closed; returns the sale ids."""
    sales: list[int] = []
    minute = 0
    for n, spec in enumerate(plan):
        user = ("cashier", "manager")[n]
        with db.transaction() as s:
            shift_id = shifts.open_shift(s, till_id=shop["till"], cashier_id=shop[user],
                                         cash=shifts.Cash(spec["float"]), note="laci diisi ulang",
                                         day=day, now=_at(day, minute), actor=_actor(shop, user)).id
        for op in spec["ops"]:
            minute += 7
            try:
                with db.transaction() as s:
                    _run(s, shop, user, op, day, _at(day, minute), sales)
            except PosError:   # a kas keluar above the drawer, a return left with nothing
                pass
        with db.transaction() as s:
            expected = shifts.figures(s, shifts.get(s, shift_id)).expected["cash"]
            counted = max(0, expected + spec["off"])
            shifts.close_shift(s, _actor(shop, "manager"), shift_id=shift_id,
                               cash=shifts.Cash(counted), counted_other={},
                               reason="selisih hitung" if counted != expected else None,
                               now=_at(day, minute + 1))
    with db.transaction() as s:
        close_day(s, day=day, user_id=shop["manager"], now=_at(day, minute + 5), today=day,
                  outlet_code=outlet_code)
    return sales


@settings(max_examples=15, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(shift_st, min_size=1, max_size=2))
def test_day_summary_and_shifts_reconcile_with_their_rows(db, plan):
    if not hasattr(db, "_recon"):
        db._recon = _shop(db)
    shop = db._recon
    shop["day"] += 1
    day = FIRST_DAY + timedelta(days=shop["day"])
    sales = work_day(db, shop, day, plan)
    with db.reading() as s:
        day_shifts = s.scalars(select(Shift).where(Shift.business_date == day)
                               .order_by(Shift.id)).all()
        for shift in day_shifts:
            assert shift.expected_cash == _own_cash(s, shift), shift.id
            assert shift.difference == shift.counted_cash - shift.expected_cash
        summary = build(s, day)
        done = s.scalars(select(Sale).where(Sale.business_date == day,
                                            Sale.status == SaleStatus.COMPLETED)).all()
        payments: dict[str, list[int]] = {}
        for p in s.scalars(select(Payment).where(Payment.sale_id.in_([x.id for x in done]))):
            payments.setdefault(p.method.value, []).append(p.amount)
        returns = s.scalars(select(SaleReturn).where(SaleReturn.business_date == day)).all()
        movements = s.scalars(select(CashMovement).where(CashMovement.business_date == day)).all()
    assert len(done) == summary["sale_count"] == len(sales)
    assert summary["total"] == sum(x.total for x in done) == sum(sum(v) for v in payments.values())
    assert summary["rounding"] == sum(x.rounding for x in done)
    assert (summary["gross"], summary["discount"]) == \
        (sum(x.gross for x in done), sum(x.discount for x in done))
    assert {m: (v["count"], v["amount"]) for m, v in summary["payments"].items()} == \
        {m: (len(v), sum(v)) for m, v in payments.items()}
    assert (summary["returns"]["count"], summary["returns"]["amount"]) == \
        (len(returns), sum(r.refund_total for r in returns))
    assert [(x["expected_cash"], x["counted_cash"], x["difference"]) for x in summary["shifts"]] \
        == [(x.expected_cash, x.counted_cash, x.difference) for x in day_shifts]
    assert summary["cash_difference"] == sum(x.difference for x in day_shifts)
    # each float against the till's last closing count (the day before's last shift too)
    assert [x.opening_difference for x in day_shifts] == \
        [x["opening_difference"] for x in summary["shifts"]]
    assert all(x.opening_difference == x.opening_float - x.previous_counted
               for x in day_shifts if x.previous_counted is not None)
    assert summary["opening_difference"] == sum(x.opening_difference or 0 for x in day_shifts)
    if "cash_movements" in summary:  # Kas masuk/keluar of the day, when the summary has them
        moved = {"in": [], "out": []}
        for m in movements:
            moved[m.direction.value].append(m.amount)
        assert {k: (v["count"], v["amount"]) for k, v in summary["cash_movements"].items()} == \
            {k: (len(v), sum(v)) for k, v in moved.items()}
