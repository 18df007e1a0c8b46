"""The kartu piutang and the ageing list from the entries, on SQLite and PostgreSQL."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from sqlalchemy import select

from pos.members.accounts import credit, documents, savings, statements
from pos.members.accounts.documents import Payment, Tendered
from pos.members.accounts.models import DocTender, EntryKind, MemberCredit
from tests.factories import shift_of_day
from tests.members.accounts.conftest import make_sale

TODAY = date(2026, 11, 30)


def _charge(s, shop, member, amount, days_ago):
    day = TODAY - timedelta(days=days_ago)
    sale = make_sale(s, till=shop["till"], cashier=shop["cashier"], product=shop["product"], total=amount,
                     member=member, member_sale=True, day=day)
    credit.charge(s, member_id=member, amount=amount, sale_id=sale.id, user_id=shop["cashier"],
                  business_date=day, now=datetime.combine(day, datetime.min.time()))
    return sale


def test_statement_runs_the_balance_and_ageing_settles_oldest_first(db, shop):
    with db.transaction() as s:
        for member in (shop["member"], shop["other"]):
            credit.set_limit(s, member, 1_000_000, shop["manager"], today=TODAY - timedelta(days=200))
        first = _charge(s, shop, shop["member"], 100_000, 95)
        _charge(s, shop, shop["member"], 50_000, 70)
        _charge(s, shop, shop["member"], 20_000, 5)
        _charge(s, shop, shop["other"], 30_000, 40)
        shift_of_day(s, shop["till"], shop["cashier"], TODAY - timedelta(days=2))
        documents.take(s, member_id=shop["member"], paid=Payment(repayment=120_000),
                       tender=Tendered(DocTender.CASH), idempotency_key=str(uuid.uuid4()),
                       outlet_code="TST01", till_id=shop["till"], cashier_id=shop["cashier"],
                       rates=savings.Rates(100_000, 10_000), business_date=TODAY - timedelta(days=2),
                       now=datetime(2026, 11, 28))
    with db.reading() as s:
        rows = statements.kartu_piutang(s, shop["member"])
        balance = s.get(MemberCredit, shop["member"]).balance
        ageing, totals = statements.ageing(s, TODAY)
    assert [r.kind for r in rows] == [EntryKind.ADJUSTMENT, EntryKind.CHARGE, EntryKind.CHARGE,
                                      EntryKind.CHARGE, EntryKind.REPAYMENT]
    assert [r.balance for r in rows] == [0, 100_000, 150_000, 170_000, 50_000]
    assert rows[1].reference == first.receipt_no and rows[-1].reference == "TST01-S-000001"
    assert rows[-1].balance == balance == 50_000
    by_member = {r.number: r.buckets for r in ageing}
    # 120.000 paid the 95-day charge and 20.000 of the 70-day one: 30.000 left at 61-90 days
    assert by_member[shop["member_no"]] == {"0-30": 20_000, "31-60": 0, "61-90": 30_000, ">90": 0}
    assert totals == {"0-30": 20_000, "31-60": 30_000, "61-90": 30_000, ">90": 0, "balance": 80_000}


def _repaid(db, shop, amount: int):
    """A cash repayment of ``amount`` taken at the counter today."""
    with db.transaction() as s:
        shift_of_day(s, shop["till"], shop["cashier"], TODAY)
        return documents.take(s, member_id=shop["member"], paid=Payment(repayment=amount),
                              tender=Tendered(DocTender.CASH), idempotency_key=str(uuid.uuid4()),
                              outlet_code="TST01", till_id=shop["till"], cashier_id=shop["cashier"],
                              rates=savings.Rates(100_000, 10_000), business_date=TODAY,
                              now=datetime(2026, 11, 30))


def test_a_cancelled_repayment_leaves_the_ageing_as_it_was(db, shop):
    """A repayment taken by mistake and cancelled moved Rp10.000 of a 95-day-old debt into
    0-30 days: the cancellation aged as a new charge of today."""
    from pos.approvals.service import Actor
    from pos.auth.models import Role
    from pos.auth.service import RIGHTS
    from pos.members.accounts import cancellations

    with db.transaction() as s:
        credit.set_limit(s, shop["member"], 1_000_000, shop["manager"], today=TODAY - timedelta(days=200))
        _charge(s, shop, shop["member"], 70_000, 95)
        _charge(s, shop, shop["member"], 20_000, 5)
    with db.reading() as s:
        before = statements.ageing(s, TODAY)[0][0].buckets
    assert before == {"0-30": 20_000, "31-60": 0, "61-90": 0, ">90": 70_000}
    taken = _repaid(db, shop, 10_000)
    with db.reading() as s:
        assert statements.ageing(s, TODAY)[0][0].buckets[">90"] == 60_000   # paid the oldest
    with db.transaction() as s:
        cancellations.cancel(s, document_id=taken.document.id, tender=Tendered(DocTender.CASH),
                             reason="salah ketik", idempotency_key=str(uuid.uuid4()), outlet_code="TST01",
                             actor=Actor(shop["manager"], shop["till"], RIGHTS[Role.MANAGER]),
                             business_date=TODAY, now=datetime(2026, 11, 30, 1))
    with db.reading() as s:
        rows, totals = statements.ageing(s, TODAY)
        assert s.get(MemberCredit, shop["member"]).balance == 90_000
    assert rows[0].buckets == before
    assert totals == {**before, "balance": 90_000}


def test_a_cashiers_cancellation_names_the_cashier_and_the_approving_manager(db, shop):
    from pos.approvals.service import Actor, Approval
    from pos.auth.models import Role
    from pos.auth.service import RIGHTS
    from pos.members.accounts import cancellations
    from pos.members.accounts.models import CreditEntry

    with db.transaction() as s:
        credit.set_limit(s, shop["member"], 1_000_000, shop["manager"], today=TODAY - timedelta(days=200))
        _charge(s, shop, shop["member"], 70_000, 5)
    taken = _repaid(db, shop, 10_000)
    with db.transaction() as s:
        cancellations.cancel(s, document_id=taken.document.id, tender=Tendered(DocTender.CASH),
                             reason="salah ketik", idempotency_key=str(uuid.uuid4()), outlet_code="TST01",
                             actor=Actor(shop["cashier"], shop["till"], RIGHTS[Role.CASHIER],
                                         approval=Approval(shop["manager"], "disetujui")),
                             business_date=TODAY, now=datetime(2026, 11, 30, 1))
    with db.reading() as s:
        entry = s.scalars(select(CreditEntry).order_by(CreditEntry.id.desc())).first()
        last = statements.kartu_piutang(s, shop["member"])[-1]
    assert (entry.amount, entry.user_id, entry.approved_by) == (10_000, shop["cashier"], shop["manager"])
    assert last.user.endswith(")") and "(disetujui " in last.user
