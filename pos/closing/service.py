"""Close a business day: refused while a shift of it (or before it) is open, or an open shift
holds sales of it (filed there while the clock had gone back), while the clock is behind the
newest record (``shifts.clock_check``), refused twice, refused for a day not yet come and for
anyone without the right to manage.

Closing writes, in the caller's transaction, the ``BusinessDay`` row that locks the day
(``pos.days.service.ensure_open``) with the summary as JSON and its SHA-256, so what the
day was cannot drift when later rows (a return booked on a later day) arrive, and the day's
ledger document (``pos.ledger``: the balanced journal, that summary, a hash) into the
outbox, which ``pos ledger push`` sends to the cooperative's hub, and the day's sale lines
summed per product for the reports (``pos.reports.day_totals``).
"""
from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select, union
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pos.auth.models import Role, User
from pos.auth.service import require_right
from pos.chart import Chart
from pos.chart import chart as default_chart
from pos.clock import business_date
from pos.closing import summary as summaries
from pos.config import DefaultConfig
from pos.dates import not_yet
from pos.days.models import BusinessDay
from pos.days.service import hold_day
from pos.errors import PosError
from pos.inventory.counts.models import ApprovalStatus, CountSession, StockAdjustment
from pos.inventory.receiving.models import GoodsReceipt, ReceiptStatus
from pos.ledger import document, outbox
from pos.reports import day_totals
from pos.reports.day_full import canonical
from pos.reports.first_day import ACTIVE, active, before_first, first_activity
from pos.sales.models import Sale
from pos.shifts import clock_check
from pos.shifts.models import Shift
from pos.tills.models import Till

__all__ = ["CloseError", "before_first", "canonical", "close_day", "open_shifts", "days", "first_activity",
           "first_manager"]


class CloseError(PosError):
    status = 409


CLOCK_FIX = "Betulkan jam komputer dulu, lalu tutup hari lagi."


@dataclass(frozen=True)
class OpenShift:
    id: int
    business_date: date
    till: str
    cashier: str
    sold_on: frozenset[date] = frozenset()   # the business days of its sales

    def holds(self, day: date) -> bool:
        """Opened on or before ``day``, or holding a sale of it (the clock had gone back)."""
        return self.business_date <= day or day in self.sold_on

    def named(self, day: date) -> str:
        later = (f", shift #{self.id} memegang penjualan tanggal {day:%d-%m-%Y}"
                 if self.business_date > day else "")
        return f"{self.till} ({self.cashier}, {self.business_date:%d-%m-%Y}{later})"


def open_shifts(session: Session, day: date) -> list[OpenShift]:
    """Every open shift that holds ``day``: opened on or before it, or with a sale of it."""
    return [s for s in all_open_shifts(session) if s.holds(day)]


def all_open_shifts(session: Session) -> list[OpenShift]:
    """Every open shift, with the business days of its sales."""
    rows = session.execute(
        select(Shift.id, Shift.business_date, Till.name, User.full_name)
        .join(Till, Till.id == Shift.till_id).join(User, User.id == Shift.cashier_id)
        .where(Shift.closed_at.is_(None)).order_by(Shift.business_date, Till.code)).all()
    sold: dict[int, set[date]] = {}
    if rows:   # the few open shifts' sales, on the sale's shift index
        for shift_id, sold_day in session.execute(
                select(Sale.shift_id, Sale.business_date).where(Sale.shift_id.in_([r[0] for r in rows]))
                .group_by(Sale.shift_id, Sale.business_date)):
            sold.setdefault(shift_id, set()).add(sold_day)
    return [OpenShift(*r, frozenset(sold.get(r[0], ()))) for r in rows]


def first_manager(session: Session) -> User | None:
    """The first active manager (by id): who closes the day when the CLI is not told."""
    return session.scalar(select(User).where(User.active.is_(True), User.role == Role.MANAGER)
                          .order_by(User.id).limit(1))


def settings(cfg: Mapping, outlet_pkp: bool) -> dict:
    """``close_day``'s outlet settings from the app's configuration (a plain mapping)."""
    return dict(zone=cfg["TIMEZONE"], outlet_pkp=outlet_pkp,
                dpp_share=(cfg["TAX_DPP_NUMERATOR"], cfg["TAX_DPP_DENOMINATOR"]),
                outlet_code=cfg["OUTLET_CODE"], chart=default_chart(cfg["LEDGER_ACCOUNTS"]))


def close_day(session: Session, *, day: date, user_id: int, now: datetime, today: date,
              zone: str = "Asia/Makassar", outlet_pkp: bool = False,
              dpp_share: tuple[int, int] = (11, 12),
              outlet_code: str = DefaultConfig.OUTLET_CODE, chart: Chart | None = None) -> BusinessDay:
    """Lock ``day`` with its summary and put its ledger document (the day's journal, the
    summary, a hash) into the outbox, all in the caller's transaction; see the module doc
    for what is refused."""
    user = require_right(session, user_id, "manage", "Hanya manajer yang dapat menutup hari.")
    if (newest := clock_check.behind(session, now)) is not None:   # 01-01-2000: no such day to close
        raise CloseError(clock_check.behind_message(newest, now, zone, CLOCK_FIX))
    if (future := not_yet(day, today, "tidak dapat ditutup")) is not None:
        raise CloseError(future, 422)
    if (early := before_first(session, day, zone)) is not None:
        raise CloseError(early, 422)
    hold_day(session, day, closing=True)  # writers of the day in flight commit first (days.service)
    if session.get(BusinessDay, day) is not None:
        raise CloseError(f"Hari {day:%d-%m-%Y} sudah ditutup; penutupan tidak diulang.")
    still_open = open_shifts(session, day)
    if still_open:
        names = ", ".join(s.named(day) for s in still_open)
        raise CloseError(f"Hari {day:%d-%m-%Y} belum dapat ditutup: shift masih terbuka di "
                         f"{names}. Tutup semua shift dulu.")
    chart = chart or default_chart()
    summary = summaries.build(session, day, zone=zone, outlet_pkp=outlet_pkp,
                              dpp_share=dpp_share, closed_at=now, accounts=chart.accounts,
                              closed_by={"user_id": user.id, "username": user.username,
                                         "name": user.full_name})
    text = canonical(summary)
    row = BusinessDay(business_date=day, closed_at=now, closed_by=user.id, summary=text,
                      summary_hash=hashlib.sha256(text.encode()).hexdigest())
    session.add(row)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise CloseError(f"Hari {day:%d-%m-%Y} baru saja ditutup di layar lain.") from None
    day_totals.write(session, day)
    outbox.enqueue(session, document.day_document(
        session, day=day, outlet_code=outlet_code, summary_text=text, zone=zone,
        chart=chart, created_at=now))
    return row


@dataclass(frozen=True)
class DayStatus:
    day: date
    closed: BusinessDay | None
    closed_by: str | None
    open_shifts: list[OpenShift]


def stock_work_days(session: Session, zone: str) -> set[date]:
    """The business days of the stock work a day's journal books without a sale (goods received,
    adjustments and write-offs approved, counts approved): read from those documents' few rows,
    never from every stock movement."""
    stamps = session.execute(union(
        select(GoodsReceipt.posted_at).where(GoodsReceipt.status != ReceiptStatus.DRAFT,
                                             GoodsReceipt.posted_at.is_not(None)),
        select(StockAdjustment.decided_at).where(StockAdjustment.status == ApprovalStatus.APPROVED,
                                                 StockAdjustment.decided_at.is_not(None)),
        select(CountSession.approved_at).where(CountSession.approved_at.is_not(None)))).scalars()
    return {business_date(stamp, zone) for stamp in stamps}


def days(session: Session, today: date, back: int = 14, zone: str = DefaultConfig.TIMEZONE
         ) -> list[DayStatus]:
    """Today, the last ``back`` days that had activity (a shift, sale, return, member document,
    saldo awal, Koreksi kasbon, or stock work: ``stock_work_days``) or were closed, and every older day with
    activity still open (a gerai back after weeks offline: its days must be closed to reach the
    ledger), newest first, each with its status and open shifts."""
    first = today - timedelta(days=back)
    found = session.execute(union(*(
        active(col, only, col.between(first, today)).group_by(col)
        for col, only in (*ACTIVE, (BusinessDay.business_date, None))))).scalars()
    closed_days = select(BusinessDay.business_date)
    older = set(session.execute(union(*(
        active(col, only, col < first, col.not_in(closed_days)).group_by(col)
        for col, only in ACTIVE))).scalars())
    stocked = {d for d in stock_work_days(session, zone) if d <= today}
    if any(d < first for d in stocked):
        shut = set(session.scalars(closed_days.where(BusinessDay.business_date < first)))
        older |= {d for d in stocked if d < first and d not in shut}
    dates = sorted({today, *found, *older, *(d for d in stocked if d >= first)}, reverse=True)
    closed = {row.business_date: (row, name) for row, name in session.execute(
        select(BusinessDay, User.full_name).join(User, User.id == BusinessDay.closed_by)
        .where(BusinessDay.business_date.between(first, today)))}
    still_open = all_open_shifts(session)
    out = []
    for d in dates:
        row, name = closed.get(d, (None, None))
        out.append(DayStatus(d, row, name, [s for s in still_open if s.holds(d)] if row is None else []))
    return out

