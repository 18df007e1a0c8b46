"""Return numbers (``R-<outlet>-000001``): one gap-free counter per outlet, bumped inside the
return's transaction, so a return that rolls back never uses a number up (``pos.counters``,
as receipts).

The counter row is also where returns queue: ``hold`` takes its lock before a return looks at
anything, so two posts of one return form (one idempotency key) run one after the other on
every database and the second finds the first's return.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from pos.counters import Counter
from pos.returns.models import ReturnSequence

_RETURNS = Counter(ReturnSequence.__table__)


def hold(session: Session, outlet_code: str) -> None:
    """Queue this transaction behind any other return of the outlet (see the module doc)."""
    _RETURNS.hold(session, outlet_code)


def next_return_no(session: Session, outlet_code: str) -> tuple[int, str]:
    """Bump the outlet's return counter in this transaction; the row stays locked to commit."""
    seq = _RETURNS.next(session, outlet_code)
    return seq, f"R-{outlet_code}-{seq:06d}"
