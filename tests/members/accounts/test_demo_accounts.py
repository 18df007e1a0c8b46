"""The demo gerai has kasbon limits, savings documents and, with its past days, old kasbon in
the ageing list (``tests/demo/test_history.py``: real kasbon sales on days it closed)."""
from __future__ import annotations

from sqlalchemy import func, select

from pos.clock import business_date, utcnow
from pos.demo.accounts import seed_accounts
from pos.demo.seed import seed_demo
from pos.members.accounts import overview, statements
from pos.members.accounts.models import CreditEntry, MemberCredit, MemberDocument


def test_demo_accounts_set_limits_and_savings_and_write_no_kasbon_of_their_own(db):
    """The accounts alone (no past days): the kasbon carried over from the paper books was
    written straight onto the balances with no journal line (the ageing list and the hub's
    Piutang anggota differed by Rp265.000); the old kasbon now comes with the past days, as
    sales, and the accounts alone leave every balance at nothing."""
    with db.transaction() as s:  # the accounts alone: the sales history adds kasbon of its own
        seed_demo(s, history_days=0)
    today = business_date(utcnow(), "Asia/Makassar")
    with db.reading() as s:
        rows, totals = statements.ageing(s, today)
        assert rows == [] and totals["balance"] == 0
        assert s.scalar(select(func.count()).select_from(MemberDocument)) == 3   # nothing to repay
        assert s.scalar(select(func.count()).select_from(CreditEntry)
                        .where(CreditEntry.amount != 0)) == 0
        second = overview.by_number(s, "AGT-0002", today)     # Rp50.000 saved, Rp20.000 withdrawn
        assert second.savings.sukarela == 30_000
        assert s.scalar(select(func.count()).select_from(MemberCredit)) == 4
        assert s.scalar(select(func.sum(MemberCredit.balance))) == 0
        first = overview.by_number(s, "AGT-0001", today)
        assert first.savings.pokok == 100_000 and first.savings.wajib > 0
        assert 1 <= len(first.savings.months_unpaid) <= 2   # paid up to two months ago
    with db.transaction() as s:
        assert seed_accounts(s) == 0    # a second run adds nothing
