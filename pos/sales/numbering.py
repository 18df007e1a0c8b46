"""Receipt numbers: one gap-free counter per outlet, bumped inside the sale's transaction
(``pos.counters``).

The counter row is also where checkouts queue.  ``hold`` takes its lock
before a checkout looks at anything, so two requests carrying one
idempotency key (a double click, a retry after a time-out) run one after the
other on every database: the second sees the first one's committed sale and
shows it instead of making another.  SQLite needs no statement for this,
because a write transaction there begins ``IMMEDIATE`` (one writer at a time).
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from pos.counters import Counter
from pos.sales.models import ReceiptSequence

_RECEIPTS = Counter(ReceiptSequence.__table__)


def ensure_sequence(session: Session, outlet_code: str) -> bool:
    """The outlet's counter exists afterwards; True when this call created it."""
    return _RECEIPTS.create(session, outlet_code)


def hold(session: Session, outlet_code: str) -> None:
    """Queue this transaction behind any other checkout of the outlet (see the module doc)."""
    _RECEIPTS.hold(session, outlet_code)


def next_receipt_no(session: Session, outlet_code: str) -> tuple[int, str]:
    """Bump the outlet's counter in this transaction: gap-free because a rollback undoes it.

    The counter row stays locked by the UPDATE until commit, so concurrent tills
    queue here; the very first sale creates the row.
    """
    seq = _RECEIPTS.next(session, outlet_code)
    return seq, receipt_no(outlet_code, seq)


def receipt_no(outlet_code: str, seq: int) -> str:
    """The outlet's receipt number ``seq`` as printed: ``GERAI01-0000280``."""
    return f"{outlet_code}-{seq:07d}"
