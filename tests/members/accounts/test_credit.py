"""Kasbon: limits, charges, repayments and corrections, on SQLite and PostgreSQL."""
from __future__ import annotations

import threading
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from pos.errors import Forbidden
from pos.members.accounts import credit
from pos.members.accounts.credit import CreditError
from pos.members.accounts.models import CreditEntry, EntryKind, MemberCredit
from tests.members.accounts.conftest import make_member, make_sale

DAY = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 3, 0)


def _sale(db, shop, total=10_000):
    with db.transaction() as s:
        return make_sale(s, till=shop["till"], cashier=shop["cashier"], product=shop["product"],
                         total=total, member=shop["member"], member_sale=True).id


def _charge(db, shop, amount, sale_id=None):
    sale_id = sale_id or _sale(db, shop, amount)
    with db.transaction() as s:
        return credit.charge(s, member_id=shop["member"], amount=amount, sale_id=sale_id,
                             user_id=shop["cashier"], business_date=DAY, now=NOW)


def _limit(db, shop, limit, member=None):
    with db.transaction() as s:
        credit.set_limit(s, member or shop["member"], limit, shop["manager"])


def _entries_sum(db, member_id):
    with db.reading() as s:
        return s.scalar(select(func.coalesce(func.sum(CreditEntry.amount), 0))
                        .where(CreditEntry.member_id == member_id))


def test_charge_within_limit_returns_the_new_balance_and_writes_an_entry(db, shop):
    _limit(db, shop, 100_000)
    assert _charge(db, shop, 30_000) == 30_000
    assert _charge(db, shop, 70_000) == 100_000
    with db.reading() as s:
        assert credit.available(s, shop["member"]) == (100_000, 100_000)
        kinds = s.scalars(select(CreditEntry.kind).where(CreditEntry.amount != 0)).all()
    assert kinds == [EntryKind.CHARGE, EntryKind.CHARGE]
    assert _entries_sum(db, shop["member"]) == 100_000


def test_charge_over_the_limit_is_refused_with_what_remains_and_changes_nothing(db, shop):
    _limit(db, shop, 50_000)
    _charge(db, shop, 45_000)
    sale = _sale(db, shop, 6_000)
    with pytest.raises(CreditError, match=r"Kasbon melebihi batas: sisa batas Rp5\.000"):
        _charge(db, shop, 6_000, sale)
    with db.reading() as s:
        assert credit.available(s, shop["member"]) == (50_000, 45_000)
    assert _entries_sum(db, shop["member"]) == 45_000


def test_no_limit_inactive_and_unknown_members_cannot_charge(db, shop):
    with pytest.raises(CreditError, match="belum punya batas kasbon"):
        _charge(db, shop, 1_000)
    with db.transaction() as s:
        gone = make_member(s, active=False).id
        credit.set_limit(s, gone, 100_000, shop["manager"])
        sale = make_sale(s, till=shop["till"], cashier=shop["cashier"], product=shop["product"], total=1_000)
    with db.transaction() as s, pytest.raises(CreditError, match="Anggota nonaktif tidak dapat kasbon."):
        credit.charge(s, member_id=gone, amount=1_000, sale_id=sale.id, user_id=shop["cashier"],
                      business_date=DAY, now=NOW)
    with db.transaction() as s, pytest.raises(CreditError) as refused:
        credit.charge(s, member_id=999_999, amount=1_000, sale_id=sale.id, user_id=shop["cashier"],
                      business_date=DAY, now=NOW)
    assert refused.value.status == 404
    _limit(db, shop, 0)   # a limit of 0 also means no kasbon
    with pytest.raises(CreditError, match="belum punya batas kasbon"):
        _charge(db, shop, 1_000)
    with pytest.raises(CreditError, match="lebih dari nol"):
        _charge(db, shop, 0)


def test_only_a_manager_sets_a_limit_and_each_change_is_logged(db, shop):
    with db.transaction() as s, pytest.raises(Forbidden):
        credit.set_limit(s, shop["member"], 100_000, shop["cashier"])
    for bad in (-1, credit.MAX_LIMIT + 1):
        with db.transaction() as s, pytest.raises(CreditError):
            credit.set_limit(s, shop["member"], bad, shop["manager"])
    _limit(db, shop, 100_000)
    _limit(db, shop, 100_000)   # unchanged: no second log line
    _limit(db, shop, 20_000)
    with db.reading() as s:
        notes = s.scalars(select(CreditEntry.note).order_by(CreditEntry.id)).all()
    assert notes == ["Batas kasbon Rp0 menjadi Rp100.000", "Batas kasbon Rp100.000 menjadi Rp20.000"]


def test_a_lower_limit_keeps_the_debt_but_stops_new_kasbon(db, shop):
    _limit(db, shop, 100_000)
    _charge(db, shop, 60_000)
    _limit(db, shop, 50_000)
    with pytest.raises(CreditError, match="sisa batas Rp0"):
        _charge(db, shop, 1_000)
    with db.reading() as s:
        assert credit.available(s, shop["member"]) == (50_000, 60_000)


def test_repayment_never_exceeds_the_balance_and_balance_equals_entries(db, shop):
    _limit(db, shop, 100_000)
    _charge(db, shop, 40_000)
    with db.transaction() as s, pytest.raises(CreditError, match=r"melebihi sisa kasbon \(Rp40\.000\)"):
        credit.repay(s, member_id=shop["member"], amount=40_001, document_id=None,
                     user_id=shop["cashier"], business_date=DAY, now=NOW)
    with db.transaction() as s:
        assert credit.repay(s, member_id=shop["member"], amount=15_000, document_id=None,
                            user_id=shop["cashier"], business_date=DAY, now=NOW) == 25_000
    with db.transaction() as s:
        assert credit.adjust(s, member_id=shop["member"], amount=-5_000, user_id=shop["manager"],
                             note="salah hitung", business_date=DAY, now=NOW) == 20_000
    with db.transaction() as s, pytest.raises(CreditError, match="di bawah nol"):
        credit.adjust(s, member_id=shop["member"], amount=-20_001, user_id=shop["manager"],
                      note="x", business_date=DAY, now=NOW)
    with db.transaction() as s, pytest.raises(Forbidden):
        credit.adjust(s, member_id=shop["member"], amount=1, user_id=shop["cashier"], note="x",
                      business_date=DAY, now=NOW)
    with db.reading() as s:
        balance = s.get(MemberCredit, shop["member"]).balance
    assert balance == 20_000 == _entries_sum(db, shop["member"])


def test_two_tills_charging_one_member_at_once_never_pass_the_limit(db, shop):
    """Eight threads, each its own connection and transaction, charge 30.000 against 100.000."""
    _limit(db, shop, 100_000)
    sales = [_sale(db, shop, 30_000) for _ in range(8)]
    start, results = threading.Barrier(8), []

    def till(sale_id):
        start.wait()
        try:
            with db.transaction() as s:
                results.append(credit.charge(s, member_id=shop["member"], amount=30_000,
                                             sale_id=sale_id, user_id=shop["cashier"],
                                             business_date=DAY, now=NOW))
        except CreditError:
            results.append(None)

    threads = [threading.Thread(target=till, args=(sale,)) for sale in sales]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(r for r in results if r is not None) == [30_000, 60_000, 90_000]
    assert results.count(None) == 5
    with db.reading() as s:
        assert credit.available(s, shop["member"]) == (100_000, 90_000)
    assert _entries_sum(db, shop["member"]) == 90_000
