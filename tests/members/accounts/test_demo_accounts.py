"""The demo gerai has kasbon limits, savings documents and an old kasbon in the ageing list."""
from __future__ import annotations

from sqlalchemy import func, select

from pos.clock import business_date, utcnow
from pos.demo.accounts import seed_accounts
from pos.demo.seed import seed_demo
from pos.members.accounts import overview, statements
from pos.members.accounts.models import CreditEntry, MemberCredit, MemberDocument


def test_demo_accounts_fill_the_ageing_list_and_savings(db):
    with db.transaction() as s:  # the accounts alone: the sales history adds kasbon of its own
        seed_demo(s, history_days=0)
    today = business_date(utcnow(), "Asia/Makassar")
    with db.reading() as s:
        rows, totals = statements.ageing(s, today)
        assert {r.number for r in rows} == {"AGT-0001", "AGT-0003"}
        assert totals[">90"] == 120_000 and totals["31-60"] == 40_000 and totals["0-30"] == 75_000
        assert totals["balance"] == 235_000
        assert s.scalar(select(func.count()).select_from(MemberDocument)) == 4
        second = overview.by_number(s, "AGT-0002", today)     # Rp50.000 saved, Rp20.000 withdrawn
        assert second.savings.sukarela == 30_000
        assert s.scalar(select(func.count()).select_from(MemberCredit)) == 4
        for member_id, balance in s.execute(select(MemberCredit.member_id, MemberCredit.balance)):
            assert balance == s.scalar(select(func.coalesce(func.sum(CreditEntry.amount), 0))
                                       .where(CreditEntry.member_id == member_id))
        first = overview.by_number(s, "AGT-0001", today)
        assert first.savings.pokok == 100_000 and first.savings.wajib > 0
        assert 1 <= len(first.savings.months_unpaid) <= 2   # paid up to two months ago
    with db.transaction() as s:
        assert seed_accounts(s) == 0    # a second run adds nothing
