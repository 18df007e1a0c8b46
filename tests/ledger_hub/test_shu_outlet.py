"""The outlet side of the SHU basis: the day summary carries each member's savings."""
from __future__ import annotations

import uuid
from datetime import date

from pos.members.accounts import documents
from pos.members.accounts.documents import Payment, Tendered
from pos.members.accounts.models import DocTender
from pos.members.models import Member
from pos.reports import day_parts
from pos.reports.day_full import full_summary
from tests.closing.conftest import DAY, NOW, RATES, save_money, shop, start_shift  # noqa: F401
from tests.factories import shift_of_day


def test_day_summary_carries_member_savings(db, shop):  # noqa: F811
    start_shift(db, shop)
    with db.transaction() as s:
        documents.take(s, member_id=shop["member"],
                       paid=Payment(pokok=True, wajib_months=(date(2026, 11, 1),), sukarela=7_000),
                       tender=Tendered(DocTender.CASH, 1_000_000), idempotency_key=str(uuid.uuid4()),
                       outlet_code="TST01", till_id=shop["till"], cashier_id=shop["cashier"], rates=RATES,
                       business_date=DAY, now=NOW)
    save_money(db, shop, 3_000)
    with db.transaction() as s:                               # the next day, in its own shift
        shift_of_day(s, shop["till"], shop["cashier"], date(2026, 11, 21))
    save_money(db, shop, 1_000, day=date(2026, 11, 21))    # another day: not in this summary
    with db.reading() as s:
        number = s.get(Member, shop["member"]).number
        rows = day_parts.member_savings(s, DAY)
        summary = full_summary(s, DAY, zone="Asia/Makassar")
    assert rows == [{"member_id": shop["member"], "number": number, "name": "Daeng Baso",
                     "pokok": 100_000, "wajib": 10_000, "sukarela": 10_000, "repayments": 0}]
    assert summary["member_savings"] == rows
