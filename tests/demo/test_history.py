"""The demo's closed history: fourteen days of shifts, sales, returns and cash movements,
each day closed, made through the real services; today open with no shift open."""
from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import String, cast, func, literal, select
from sqlalchemy.orm import Session

import pos.models
from pos.auth.models import User
from pos.clock import business_date, utcnow
from pos.closing.service import days
from pos.days.models import BusinessDay
from pos.db import make_engine
from pos.demo.old_kasbon import OLD
from pos.demo.seed import seed_demo
from pos.inventory import stock
from pos.inventory.models import StockLevel
from pos.members.accounts.models import MemberDocument
from pos.reports.day import day_summary
from pos.returns.models import ReturnRefund
from pos.sales.models import Payment
from pos.shifts.denominations import total
from pos.shifts.figures import figures
from pos.shifts.models import CashDirection, CashMovement, Shift

ZONE = "Asia/Makassar"


@pytest.fixture(scope="module")
def session(tmp_path_factory) -> Iterator[Session]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('history') / 't.db'}")
    pos.models.metadata.create_all(engine)
    session = Session(engine)
    seed_demo(session)
    session.commit()
    yield session
    session.close()
    engine.dispose()


def test_fourteen_closed_days_and_today_open(session):
    """The fourteen days before today, and before them the two quiet days of the old kasbon."""
    today = business_date(utcnow(), ZONE)
    closed = session.scalars(select(BusinessDay.business_date)
                             .order_by(BusinessDay.business_date)).all()
    assert closed == [today - timedelta(days=n) for n in (*(days for _, days, _, _ in OLD),
                                                          *range(14, 0, -1))]
    assert session.scalar(select(func.count(Shift.id)).where(Shift.closed_at.is_(None))) == 0
    assert session.scalar(select(func.count(Shift.id)).where(Shift.business_date == today)) == 0


def test_no_earlier_day_with_activity_is_left_open(session):
    """The demo's savings documents fall on closed days: an older day with one would be listed
    open on Tutup hari, and its money never sent to the ledger."""
    today = business_date(utcnow(), ZONE)
    listed = [(d.day, d.closed is None) for d in days(session, today)]
    assert listed[0] == (today, True) and not any(still for _, still in listed[1:])
    assert session.scalar(select(func.count(MemberDocument.id))) >= 4


def test_each_day_has_one_to_three_closed_shifts_at_one_or_two_tills(session):
    per_day = session.execute(select(Shift.business_date, func.count(Shift.id),
                                     func.count(func.distinct(Shift.till_id)))
                              .join(BusinessDay, BusinessDay.business_date == Shift.business_date)
                              .group_by(Shift.business_date)).all()
    assert len(per_day) == 14 + len(OLD)
    assert all(1 <= shifts <= 3 and 1 <= tills <= 2 for _, shifts, tills in per_day)
    assert {tills for *_, tills in per_day} == {1, 2}


def test_shift_figures_hold_and_differences_keep_their_reason(session):
    manager = session.scalar(select(User.id).where(User.username == "manajer1"))
    shifts = session.scalars(select(Shift).order_by(Shift.id)).all()
    for shift in shifts:
        assert shift.expected_cash == figures(session, shift).expected["cash"]
        assert shift.difference == shift.counted_cash - shift.expected_cash
        assert shift.difference == 0 or shift.close_reason
        assert shift.approved_by == manager
        assert total(shift.opening_counts) == shift.opening_float
        if shift.previous_counted is not None and shift.opening_float != shift.previous_counted:
            assert shift.opening_note
    assert any(s.difference for s in shifts) and any(s.difference == 0 for s in shifts)
    assert any(s.opening_note for s in shifts)


def test_frozen_day_summaries_match_the_rows(session):
    for day in session.scalars(select(BusinessDay)):
        frozen, now = json.loads(day.summary), day_summary(session, day.business_date)
        assert frozen["sale_count"] == now["sale_count"] >= 1
        assert (frozen["total"], frozen["payments"]) == (now["total"], now["payments"])


def test_every_tender_returns_movements_and_member_cash(session):
    methods = set(session.scalars(select(Payment.method).distinct()))
    assert {m.value if hasattr(m, "value") else m for m in methods} == \
        {"cash", "qris", "transfer", "member_credit"}
    refunds = {getattr(m, "value", m) for m in session.scalars(select(ReturnRefund.method))}
    assert "cash" in refunds and len(refunds) >= 2
    directions = set(session.scalars(select(CashMovement.direction)))
    assert CashDirection.OUT in directions
    cash_docs = session.scalar(select(func.count(MemberDocument.id))
                               .where(MemberDocument.shift_id.is_not(None)))
    assert cash_docs >= 5


def test_stock_stays_consistent_and_positive(session):
    assert stock.discrepancies(session) == []
    assert session.scalar(select(func.min(StockLevel.on_hand))) > 0


def test_each_approval_is_logged_when_what_it_approves_happened(session):
    """A shift's close, a cash movement and a return are approved at their own moment, on their
    own past day: the approvals screen of a demo day lists that day's, not all of them today."""
    from pos.approvals.models import Override
    from pos.returns.models import SaleReturn

    closed = dict(session.execute(select(Shift.id, Shift.closed_at)).all())
    closes = {int(what.removeprefix("Tutup shift #").split(",")[0]): at for what, at in session.execute(
        select(Override.description, Override.created_at).where(Override.kind == "shift_close"))}
    assert closes == closed
    returns = session.execute(select(Override.created_at, SaleReturn.created_at)
                              .join(SaleReturn, SaleReturn.sale_id == Override.sale_id)
                              .where(Override.kind == "return")).all()
    assert returns and all(approved == booked for approved, booked in returns)
    today = business_date(utcnow(), ZONE)
    days = {business_date(at, ZONE) for at in session.scalars(select(Override.created_at))}
    assert today not in days and len(days) == 14 + len(OLD)


def test_kasbon_limits_were_set_before_any_kasbon(session):
    from pos.members.accounts.models import CreditEntry

    first = session.scalar(select(func.min(CreditEntry.business_date)))
    limits = session.execute(select(CreditEntry.business_date, CreditEntry.note)
                             .where(CreditEntry.note.like("Batas kasbon%"))).all()
    assert len(limits) == 4 and all(day == first for day, _ in limits), limits


def test_what_members_owe_on_kasbon_is_what_the_closed_days_booked_on_piutang_anggota(session):
    """The treasurer's walk-through: the ageing list's total and the hub's 113100 Piutang anggota
    (kasbon) differed by Rp265.000, kasbon the demo wrote straight onto members' balances (one of
    it on a day it closed) with no journal line. Every day with activity is closed, so what the
    members owe is what the closed days' ledger documents put on the kasbon account; the old
    kasbon is still there, in more than one age bucket."""
    from pos.chart import DEFAULT
    from pos.ledger.models import LedgerOutbox
    from pos.members.accounts import statements
    from pos.members.accounts.models import MemberCredit

    kasbon = DEFAULT["member_receivable"][0]
    booked = sum(line["debit"] - line["credit"] for body in session.scalars(select(LedgerOutbox.body))
                 for line in json.loads(body)["journal"] if line["account"] == kasbon)
    owed = session.scalar(select(func.sum(MemberCredit.balance)))
    today = business_date(utcnow(), ZONE)
    assert not [d.day for d in days(session, today) if d.closed is None and d.day != today]
    _, totals = statements.ageing(session, today)
    assert owed == totals["balance"] == booked > 0
    assert totals[">90"] > 0 and totals["31-60"] > 0 and totals["0-30"] > 0


def test_the_history_receipts_were_printed_when_sold(session):
    from pos.sales.models import PrintJob, PrintStatus, Sale

    jobs = session.execute(select(PrintJob.status, PrintJob.printed_at, Sale.created_at)
                           .join(Sale, Sale.id == PrintJob.sale_id)).all()
    assert jobs and all(status is PrintStatus.PRINTED and printed == sold for status, printed, sold in jobs)


def test_the_drawer_log_of_the_history_is_on_its_own_days(session):
    """The past days' cash refunds opened the drawer "today" in the log, before anyone had
    logged in (five *Retur tunai* lines at the demo's start time)."""
    from pos.sales.models import DrawerEvent

    today = business_date(utcnow(), ZONE)
    reasons = session.execute(select(DrawerEvent.reason, DrawerEvent.created_at)).all()
    assert any(reason.startswith("Retur tunai") for reason, _ in reasons)
    assert [reason for reason, at in reasons if business_date(at, ZONE) == today] == []


def test_the_stock_moved_when_sold_and_returned_after_the_opening_stock(session):
    """A product's kartu stok reads in time: the opening stock first, then each sale and return
    at its own moment on its past day (they were all stamped with the moment the demo ran)."""
    from pos.inventory.models import MovementKind, StockMovement
    from pos.returns.models import SaleReturn
    from pos.sales.models import Sale

    sold = session.execute(select(StockMovement.created_at, Sale.created_at)
                           .join(Sale, Sale.id == StockMovement.sale_id)
                           .where(StockMovement.kind == MovementKind.SALE)).all()
    assert sold and all(moved == at for moved, at in sold)
    back = session.execute(select(StockMovement.created_at, SaleReturn.created_at).join(
        SaleReturn, StockMovement.ref == literal("return:") + cast(SaleReturn.id, String))).all()
    assert back and all(moved == at for moved, at in back)
    opened = session.scalar(select(func.max(StockMovement.created_at))
                            .where(StockMovement.kind == MovementKind.OPENING))
    assert opened < min(at for _, at in sold)


def test_the_farmers_quota_the_redemption_report_the_stock_and_the_sales_agree(session):
    """Darmo Santoso showed Ditebus 100 kg of urea that no sale, redemption or stock movement
    stood behind (the demo wrote the grams straight into the allocation): the report listed
    none of it.  The demo's past redemptions are sales at the till now."""
    from pos.fertilizer.models import FertilizerRedemption, RdkkAllocation, RdkkFarmer
    from pos.fertilizer.report import redemptions
    from pos.inventory.catalog.models import FertilizerType, Product
    from pos.inventory.models import MovementKind, StockMovement
    from pos.sales.models import SaleBuyer, SaleLine

    taken = dict(session.execute(
        select(RdkkFarmer.name, func.sum(RdkkAllocation.taken_grams))
        .join(RdkkAllocation, RdkkAllocation.farmer_id == RdkkFarmer.id)
        .group_by(RdkkFarmer.name).having(func.sum(RdkkAllocation.taken_grams) > 0)).all())
    assert taken == {"Darmo Santoso": 100_000, "Hendrik Lumban": 50_000, "Muhammad Yusuf": 150_000}
    today = business_date(utcnow(), ZONE)
    report = redemptions(session, today - timedelta(days=60), today)
    assert {row.name: row.grams for row in report.rows} == taken
    assert report.totals == {FertilizerType.UREA: 300_000}
    darmo = next(row for row in report.rows if row.name == "Darmo Santoso")
    assert len(darmo.receipts) == 2 and darmo.takers[0] == "petani sendiri"
    assert darmo.takers[1].startswith("Sri Wahyuni (keluarga")
    # each redemption is a sale line of the sack, its stock moved, its buyer the farmer
    lines = session.execute(
        select(FertilizerRedemption.grams, SaleLine.qty, Product.subsidy, SaleBuyer.nik,
               FertilizerRedemption.nik)
        .join(SaleLine, SaleLine.id == FertilizerRedemption.sale_line_id)
        .join(Product, Product.id == SaleLine.product_id)
        .join(SaleBuyer, SaleBuyer.sale_id == FertilizerRedemption.sale_id)).all()
    assert len(lines) == 4
    assert all(grams == qty and subsidy is FertilizerType.UREA and buyer == nik
               for grams, qty, subsidy, buyer, nik in lines)
    moved = session.scalar(select(func.sum(StockMovement.qty))
                           .join(SaleLine, SaleLine.sale_id == StockMovement.sale_id)
                           .join(FertilizerRedemption, FertilizerRedemption.sale_line_id == SaleLine.id)
                           .where(StockMovement.kind == MovementKind.SALE,
                                  StockMovement.product_id == SaleLine.product_id))
    assert moved == -300_000
