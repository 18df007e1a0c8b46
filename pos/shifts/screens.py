"""What the Buka shift screen shows for a till (plain values for the till's page and the
shift's own): the till, a shift still open there, whose it is and whether it is of an earlier
business day (left open overnight: closed first, ``stale``), a shift the cashier still has open
at another till (closed first: one cashier, one drawer), the cash counted at the till's last
closing, and whether the business day is already closed (then no form: no shift opens on it)."""
from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from pos.auth.service import staff_name
from pos.days.service import is_closed
from pos.shifts import gate, service
from pos.shifts.denominations import DENOMINATIONS
from pos.tills.service import get_till


def open_screen(session: Session, till_id: int, day: date, cashier_id: int) -> dict:
    """The context of ``shifts/open.html`` for ``till_id`` on the business ``day``, as
    ``cashier_id`` sees it."""
    current = gate.open_shift(session, till_id)
    return dict(till=get_till(session, till_id), current=current,
                stale=current is not None and current.business_date < day,
                elsewhere=service.open_elsewhere(session, cashier_id, till_id) if current is None else None,
                closed=day if current is None and is_closed(session, day) else None,
                holder=staff_name(session, current.cashier_id) if current else None,
                previous=service.previous_counted(session, till_id),
                denominations=DENOMINATIONS, maximum=service.MAX_FLOAT)
