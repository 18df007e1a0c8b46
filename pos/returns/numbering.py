"""Return numbers (``R-<outlet>-000001``): one gap-free counter per outlet, bumped inside the
return's transaction, so a return that rolls back never uses a number up (``pos.counters``,
as receipts)."""
from __future__ import annotations

from sqlalchemy.orm import Session

from pos.counters import Counter
from pos.returns.models import ReturnSequence

_RETURNS = Counter(ReturnSequence.__table__)


def next_return_no(session: Session, outlet_code: str) -> tuple[int, str]:
    """Bump the outlet's return counter in this transaction; the row stays locked to commit."""
    seq = _RETURNS.next(session, outlet_code)
    return seq, f"R-{outlet_code}-{seq:06d}"
