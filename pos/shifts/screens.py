"""What the Buka shift screen shows for a till (plain values for the till's page and the
shift's own): the till, a shift still open there and whose it is, and the cash counted at
the till's last closing."""
from __future__ import annotations

from sqlalchemy.orm import Session

from pos.auth.service import staff_name
from pos.shifts import gate, service
from pos.shifts.denominations import DENOMINATIONS
from pos.tills.service import get_till


def open_screen(session: Session, till_id: int) -> dict:
    """The context of ``shifts/open.html`` for ``till_id``."""
    current = gate.open_shift(session, till_id)
    return dict(till=get_till(session, till_id), current=current,
                holder=staff_name(session, current.cashier_id) if current else None,
                previous=service.previous_counted(session, till_id),
                denominations=DENOMINATIONS, maximum=service.MAX_FLOAT)
