"""Member-document numbers: one gap-free counter per outlet, apart from sales receipts
(``pos.counters``).

``hold`` takes the counter row's lock before a document looks at anything, so two requests
carrying one idempotency key run one after the other on every database and the second finds
the first's document.  A rollback undoes the bump, so no number is lost.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from pos.counters import Counter
from pos.members.accounts.models import DocumentSequence

_DOCUMENTS = Counter(DocumentSequence.__table__)


def hold(session: Session, outlet_code: str) -> None:
    """Queue this transaction behind any other member document of the outlet."""
    _DOCUMENTS.hold(session, outlet_code)


def next_doc_no(session: Session, outlet_code: str) -> tuple[int, str]:
    """Bump the counter in this transaction: ``(123, "GERAI01-S-000123")``."""
    seq = _DOCUMENTS.next(session, outlet_code)
    return seq, f"{outlet_code}-S-{seq:06d}"
