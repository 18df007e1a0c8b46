"""A manager's Koreksi kasbon reaches the books (a write-off or an earlier error, against
``receivable_loss``), and what the members owe reconciles with what the books hold on 113100:
the hub's Saldo awal (saldo awal kasbon) plus the closed days' journals plus the days still open.
Before, a correction changed the member's kasbon and no journal line: 113100 drifted away."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from pos import chart as charts
from pos.closing.service import close_day, days
from pos.days.service import DayClosed
from pos.ledger.journal import day_journal
from pos.ledger.models import LedgerOutbox
from pos.members.accounts import corrections, credit
from pos.returns.service import RefundTo
from tests.ledger.test_journal import SALE, by_account
from tests.shifts.test_reconciliation import FIRST_DAY, _at, _shop, work_day

ZONE = "Asia/Makassar"
CHART = charts.chart()
DAY2 = FIRST_DAY + timedelta(days=1)


@pytest.fixture
def shop(db):
    return _shop(db)


def _correct(db, shop, amount: int, day, note: str = "salah catat") -> int:
    with db.transaction() as s:
        return corrections.correct(s, member_id=shop["member"], amount=amount, user_id=shop["manager"],
                                   note=note, business_date=day, now=_at(day, 300))


def _close(db, shop, day) -> None:
    with db.transaction() as s:
        close_day(s, day=day, user_id=shop["manager"], now=_at(day, 600), today=day, outlet_code="TST01")


def _kasbon_day(db, shop, day=FIRST_DAY) -> None:
    """A member buys 2 x 25.000 on kasbon and brings one back to the kasbon."""
    work_day(db, shop, day, [{"float": 0, "off": 0, "ops": [
        dict(SALE, pay="kasbon"), {"op": "return", "pick": 0, "to": RefundTo.ORIGINAL}]}])


def test_a_write_off_and_an_added_kasbon_are_journaled_balanced_and_summarised(db, shop):
    _kasbon_day(db, shop)
    assert _correct(db, shop, -20_000, DAY2, "tidak tertagih, anggota pindah") == 5_000
    assert _correct(db, shop, 3_000, DAY2, "kasbon 02-01 belum dicatat") == 8_000
    _close(db, shop, DAY2)
    with db.reading() as s:
        lines = day_journal(s, DAY2, zone=ZONE, chart=CHART)
        document = json.loads(s.scalar(select(LedgerOutbox.body)
                                       .where(LedgerOutbox.document_id == "TST01-2026-01-06-day")))
    assert sum(x.debit for x in lines) == sum(x.credit for x in lines) == 23_000
    assert by_account(lines) == {"113100": -17_000, "690300": 17_000}
    booked = sorted((x.account, x.debit, x.credit, x.memo) for x in lines)
    assert booked == [("113100", 0, 20_000, "Koreksi kasbon: penghapusan piutang anggota"),
                      ("113100", 3_000, 0, "Koreksi kasbon: kasbon ditambahkan"),
                      ("690300", 0, 3_000, "Koreksi kasbon: kasbon ditambahkan"),
                      ("690300", 20_000, 0, "Koreksi kasbon: penghapusan piutang anggota")]
    assert [x["account"] for x in document["journal"]] == [x.account for x in lines]
    summary = document["summary"]["kasbon_corrections"]
    assert {k: summary[k] for k in ("count", "added", "written_off", "account", "name")} == {
        "count": 2, "added": 3_000, "written_off": 20_000, "account": "690300",
        "name": "Selisih dan penghapusan piutang anggota"}
    assert [(e["amount"], e["note"]) for e in summary["entries"]] == [
        (-20_000, "tidak tertagih, anggota pindah"), (3_000, "kasbon 02-01 belum dicatat")]


def test_returns_and_cancelled_repayments_stay_out_of_the_corrections(db, shop):
    """Their adjustments are booked through the return's refund and the cancelling document."""
    _kasbon_day(db, shop)
    with db.reading() as s:
        lines = day_journal(s, FIRST_DAY, zone=ZONE, chart=CHART)
        summary = json.loads(s.scalar(select(LedgerOutbox.body)))["summary"]
    assert "690300" not in by_account(lines)
    assert by_account(lines)["113100"] == 25_000
    assert summary["kasbon_corrections"]["count"] == 0


def test_a_cooperatives_own_account_is_used(db, shop):
    _kasbon_day(db, shop)
    _correct(db, shop, -5_000, DAY2, "dihapus")
    own = charts.chart({"receivable_loss": ["113900", "Cadangan kerugian piutang anggota"]})
    with db.reading() as s:
        lines = day_journal(s, DAY2, zone=ZONE, chart=own)
    assert by_account(lines) == {"113100": -5_000, "113900": 5_000}
    assert {x.name for x in lines} == {"Piutang anggota (kasbon)", "Cadangan kerugian piutang anggota"}


def test_a_closed_day_takes_no_correction_and_a_day_with_only_one_must_be_closed(db, shop):
    _kasbon_day(db, shop)
    with pytest.raises(DayClosed):
        _correct(db, shop, -1_000, FIRST_DAY)
    with db.transaction() as s:
        with pytest.raises(credit.CreditError, match="alasan"):
            corrections.correct(s, member_id=shop["member"], amount=-1_000, user_id=shop["manager"],
                                note=" ", business_date=DAY2, now=_at(DAY2, 1))
    _correct(db, shop, -1_000, DAY2)
    with db.reading() as s:   # weeks later: the day of the correction still waits to be closed
        listed = {d.day: d.closed for d in days(s, DAY2 + timedelta(days=40), zone=ZONE)}
    assert DAY2 in listed and listed[DAY2] is None
