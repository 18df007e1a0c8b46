"""Receipt numbers: one gap-free counter per outlet, bumped inside the sale's transaction.

The counter row is also where checkouts queue.  ``hold`` takes its lock
before a checkout looks at anything, so two requests carrying one
idempotency key (a double click, a retry after a time-out) run one after the
other on every database: the second sees the first one's committed sale and
shows it instead of making another.  SQLite needs no statement for this,
because a write transaction there begins ``IMMEDIATE`` (one writer at a time).
"""
from __future__ import annotations

from sqlalchemy import bindparam
from sqlalchemy.orm import Session

from pos import upserts
from pos.sales.models import ReceiptSequence

_seq_t = ReceiptSequence.__table__
_BUMP = _seq_t.update().where(_seq_t.c.outlet_code == bindparam("outlet")).values(
    last_no=_seq_t.c.last_no + 1).returning(_seq_t.c.last_no)
# A write that changes nothing: on PostgreSQL it locks the row until the commit.
_LOCK = _seq_t.update().where(_seq_t.c.outlet_code == bindparam("outlet")).values(
    last_no=_seq_t.c.last_no)


def _create(session: Session, outlet_code: str) -> bool:
    """Insert the counter at 0 unless it exists (another till may insert it at once)."""
    conn = session.connection()
    return conn.execute(upserts.insert(conn, _seq_t).values(outlet_code=outlet_code, last_no=0)
                        .on_conflict_do_nothing()).rowcount == 1


def ensure_sequence(session: Session, outlet_code: str) -> bool:
    """The outlet's counter exists afterwards; True when this call created it."""
    return _create(session, outlet_code)


def hold(session: Session, outlet_code: str) -> None:
    """Queue this transaction behind any other checkout of the outlet (see the module doc)."""
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        return  # BEGIN IMMEDIATE already made this transaction the only writer
    if conn.execute(_LOCK, {"outlet": outlet_code}).rowcount == 0:
        _create(session, outlet_code)  # waits for a concurrent insert of the same row, if any
        conn.execute(_LOCK, {"outlet": outlet_code})


def next_receipt_no(session: Session, outlet_code: str) -> tuple[int, str]:
    """Bump the outlet's counter in this transaction: gap-free because a rollback undoes it.

    The counter row stays locked by the UPDATE until commit, so concurrent tills
    queue here; the very first sale creates the row.
    """
    conn = session.connection()
    seq = conn.execute(_BUMP, {"outlet": outlet_code}).scalar()
    if seq is None:
        _create(session, outlet_code)
        seq = conn.execute(_BUMP, {"outlet": outlet_code}).scalar_one()
    return seq, f"{outlet_code}-{seq:07d}"
