"""What the Buka shift screen shows for a till (plain values for the till's page and the
shift's own): the till, a shift still open there, whose it is and whether it is of an earlier
business day (left open overnight: closed first, ``stale``), a clock gone back (a shift of a
later business day than the clock's, or none and the clock behind the newest record or in an
impossible year: ``clock``, no form), a shift the cashier still has open at another till (closed first: one
cashier, one drawer), the cash counted at the till's last closing, and whether the business
day is already closed (then no form: no shift opens on it)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from pos.auth.service import staff_name
from pos.clock import business_date, utcnow
from pos.days.service import is_closed
from pos.shifts import clock_check, gate, service
from pos.shifts.denominations import DENOMINATIONS
from pos.shifts.models import Shift
from pos.tills.service import get_till


def open_screen(session: Session, till_id: int, cashier_id: int, zone: str,
                now: datetime | None = None) -> dict:
    """The context of ``shifts/open.html`` for ``till_id`` at ``now`` (naive UTC; the business
    day in ``zone``), as ``cashier_id`` sees it."""
    now = now or utcnow()
    day = business_date(now, zone)
    current = gate.open_shift(session, till_id)
    return dict(till=get_till(session, till_id), current=current,
                stale=current is not None and current.business_date < day,
                clock=_clock(session, current, now, day, zone),
                elsewhere=service.open_elsewhere(session, cashier_id, till_id) if current is None else None,
                closed=day if current is None and is_closed(session, day) else None,
                holder=staff_name(session, current.cashier_id) if current else None,
                previous=service.previous_counted(session, till_id),
                denominations=DENOMINATIONS, maximum=service.MAX_FLOAT)


def _clock(session: Session, current: Shift | None, now: datetime, day: date, zone: str) -> str | None:
    """Why the clock cannot be sold on, or None: the open shift is of a later business day, or
    no shift is open and a new one would be filed before the newest record or in a year no
    working clock shows."""
    if current is not None:
        return clock_check.ahead_message(current.business_date, day) if current.business_date > day else None
    if (newest := clock_check.behind(session, now)) is not None:
        return clock_check.behind_message(newest, now, zone)
    return None if clock_check.plausible(now) else clock_check.impossible_message(now, zone)
