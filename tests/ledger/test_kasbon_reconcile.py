"""What the members owe reconciles with what the books hold on 113100: the hub's Saldo awal
(saldo awal kasbon) plus the closed days' journals plus the days still open, after kasbon sales,
returns to kasbon, repayments, a cancelled repayment and Koreksi kasbon; a closed day's
correction that no journal took is named as the difference."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from pos.ledger import kasbon_books
from pos.members.accounts import cancellations, opening_kasbon
from pos.members.accounts.documents import Tendered
from pos.members.accounts.models import CreditEntry, DocTender, EntryKind, MemberCredit, MemberDocument
from pos.members.models import Member
from pos.returns.service import RefundTo
from pos.shifts import service as shifts
from tests.ledger.test_journal import SALE
from tests.ledger.test_kasbon_books import CHART, DAY2, _close, _correct, _kasbon_day
from tests.shifts.test_reconciliation import FIRST_DAY, _actor, _at, _shop, work_day


@pytest.fixture
def shop(db):
    return _shop(db)


def _cancel_repayment(db, shop, day) -> None:
    with db.transaction() as s:
        shift = shifts.open_shift(s, till_id=shop["till"], cashier_id=shop["manager"],
                                  cash=shifts.Cash(10_000), note=None, day=day, now=_at(day, 0),
                                  actor=_actor(shop, "manager")).id
        repaid = s.scalar(select(MemberDocument.id).where(MemberDocument.withdrawal.is_(False)))
    with db.transaction() as s:
        cancellations.cancel(s, document_id=repaid, tender=Tendered(DocTender.CASH), reason="salah anggota",
                             idempotency_key=str(uuid.uuid4()), outlet_code="TST01",
                             actor=_actor(shop, "manager"), business_date=day, now=_at(day, 5))
    with db.transaction() as s:
        expected = shifts.figures(s, shifts.get(s, shift)).expected["cash"]
        shifts.close_shift(s, _actor(shop, "manager"), shift_id=shift, cash=shifts.Cash(expected),
                           counted_other={}, reason=None, now=_at(day, 10))


def _books(db):
    with db.reading() as s:
        return kasbon_books.reconcile(s, CHART)


def test_the_members_kasbon_equals_the_books_after_every_kind_of_change(db, shop):
    with db.transaction() as s:   # saldo awal kasbon from the paper books: the hub's Saldo awal
        number = s.get(Member, shop["member"]).number
        opening_kasbon.import_rows(s, [{"nomor": number, "nama": "", "kasbon": "40000", "tanggal": "",
                                        "_line": 2}], shop["manager"], today=FIRST_DAY)
    work_day(db, shop, FIRST_DAY, [{"float": 0, "off": 0, "ops": [
        dict(SALE, pay="kasbon"),                                   # 50.000 on kasbon
        dict(SALE, code=2, times=1, pay="kasbon"),                  # 3.350 on kasbon
        {"op": "return", "pick": 0, "to": RefundTo.ORIGINAL},       # 25.000 back to the kasbon
        {"op": "member", "repay": True, "amount": 10_000}]}])       # 10.000 repaid in cash
    _cancel_repayment(db, shop, DAY2)                               # the 10.000 owed again
    _correct(db, shop, -6_000, DAY2, "dihapus")
    _correct(db, shop, 1_500, DAY2, "salah catat")
    _close(db, shop, DAY2)
    books = _books(db)
    owed = 40_000 + 50_000 + 3_350 - 25_000 - 10_000 + 10_000 - 6_000 + 1_500
    assert (books.owed, books.opening, books.journal, books.open_days) == (
        owed, 40_000, owed - 40_000, 0)
    assert books.difference == 0 and books.causes == []
    assert books.account == ("113100", "Piutang anggota (kasbon)")

    day3 = DAY2 + timedelta(days=1)
    _correct(db, shop, -500, day3, "dihapus")   # not closed yet: on its way to the books
    books = _books(db)
    assert (books.owed, books.open_days, books.difference) == (owed - 500, -500, 0)


def test_a_correction_made_before_it_was_journaled_is_named_as_the_difference(db, shop):
    """A closed day's correction that its journal never booked (made by an older version):
    the difference, and the day and the entry that cause it."""
    _kasbon_day(db, shop)
    with db.transaction() as s:
        s.add(CreditEntry(member_id=shop["member"], kind=EntryKind.ADJUSTMENT, amount=-4_000,
                          business_date=FIRST_DAY, created_at=_at(FIRST_DAY, 400), user_id=shop["manager"],
                          note="tidak tertagih"))
        s.execute(update(MemberCredit).where(MemberCredit.member_id == shop["member"])
                  .values(balance=MemberCredit.balance - 4_000))
    books = _books(db)
    assert (books.owed, books.journal, books.difference) == (21_000, 25_000, -4_000)
    assert len(books.causes) == 1
    cause = books.causes[0]
    assert cause.startswith("05-01-2026: kartu piutang Rp21.000, jurnal Rp25.000")
    assert "koreksi kasbon Daeng Baso" in cause and "-Rp4.000" in cause and "tidak tertagih" in cause
