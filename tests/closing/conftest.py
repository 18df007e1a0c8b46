"""Fixtures of the closing tests: the returns shop (a till, a cashier, a manager, soap,
medicine, a member) with sales on a past day, shifts closed through ``close_shift``."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from sqlalchemy import select

from pos.closing.service import close_day
from pos.members.accounts import documents, savings
from pos.members.accounts.documents import Payment, Tendered
from pos.members.accounts.models import DocTender
from pos.shifts.figures import figures
from pos.shifts.models import Shift
from pos.shifts.service import Cash, close_shift
from tests.factories import open_shift
from tests.returns import conftest as returns_shop

DAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 3, 0)        # 11:00 WITA
NEXT = DAY + timedelta(days=1)
NEXT_NOW = NOW + timedelta(days=1)
TODAY = date(2026, 11, 25)
# The returns tests' shop fixture and helpers, used here as they are.
shop = returns_shop.shop
MEDICINE, SOAP = returns_shop.MEDICINE, returns_shop.SOAP
cashier, manager, sell = returns_shop.cashier, returns_shop.manager, returns_shop.sell
give_back, line_ids = returns_shop.give_back, returns_shop.line_ids
RATES = savings.Rates(pokok=100_000, wajib=10_000, wajib_ahead=12)


def start_shift(db, ids, user: str = "cashier", day: date = DAY) -> int:
    with db.transaction() as s:
        return open_shift(s, ids["till"], ids[user], day=day).id


def sell_on(db, ids, *codes, day: date = DAY, **kwargs):
    """A sale on ``day`` in the cashier's shift of that day (opened when none is open)."""
    start_shift(db, ids, day=day)
    now = datetime.combine(day, NOW.time())
    return sell(db, ids, *codes, now=now, **kwargs)


def save_money(db, ids, amount: int, tender=DocTender.CASH, repayment: int = 0,
               day: date = DAY):
    """A member's sukarela saving (and a kasbon repayment) at the till on ``day``."""
    with db.transaction() as s:
        return documents.take(s, member_id=ids["member"],
                              paid=Payment(sukarela=amount, repayment=repayment),
                              tender=Tendered(tender, 1_000_000 if tender == DocTender.CASH else None),
                              idempotency_key=str(uuid.uuid4()), outlet_code="TST01",
                              till_id=ids["till"], cashier_id=ids["cashier"], rates=RATES,
                              business_date=day, now=datetime.combine(day, NOW.time())).document.id


def lived_before(db, ids, day: date = DAY) -> None:
    """A shift opened and closed the day before ``day``: the outlet's books begin before it,
    so ``day`` may close with nothing in it (a day before the first activity may not)."""
    start_shift(db, ids, day=day - timedelta(days=1))
    close_shifts(db, ids)


def close_shifts(db, ids, *, short: int = 0, now: datetime = NOW + timedelta(hours=8)) -> None:
    """Close every open shift as counted (the cash ``short`` by that much, with a reason) at
    ``now`` (DAY's evening: a shift opened later is closed later, or the clock is behind it)."""
    with db.transaction() as s:
        for shift in s.scalars(select(Shift).where(Shift.closed_at.is_(None))).all():
            cash = figures(s, shift).expected["cash"] - short
            close_shift(s, manager(ids), shift_id=shift.id, cash=Cash(cash), counted_other={},
                        reason="uang kurang" if short else None, now=now)


def close(db, ids, day: date = DAY, user: str = "manager", today: date = TODAY):
    with db.transaction() as s:
        row = close_day(s, day=day, user_id=ids[user], now=NOW + timedelta(hours=9), today=today,
                        zone="Asia/Makassar")
        return row.summary, row.summary_hash
