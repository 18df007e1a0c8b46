"""Member-document numbers: one gap-free counter per outlet, apart from sales receipts.

The same approach as sales receipts (``pos.sales.numbering``, not imported: members sit
below sales): ``hold`` takes the counter row's lock before a document looks at anything,
so two requests carrying one idempotency key run one after the other on every database
and the second finds the first's document.  SQLite needs no statement: a write
transaction there begins ``IMMEDIATE``.  A rollback undoes the bump, so no number is lost.
"""
from __future__ import annotations

from sqlalchemy import bindparam
from sqlalchemy.orm import Session

from pos import upserts
from pos.members.accounts.models import DocumentSequence

_seq_t = DocumentSequence.__table__
_BUMP = _seq_t.update().where(_seq_t.c.outlet_code == bindparam("outlet")).values(
    last_no=_seq_t.c.last_no + 1).returning(_seq_t.c.last_no)
# A write that changes nothing: on PostgreSQL it locks the row until the commit.
_LOCK = _seq_t.update().where(_seq_t.c.outlet_code == bindparam("outlet")).values(
    last_no=_seq_t.c.last_no)


def _create(session: Session, outlet_code: str) -> None:
    conn = session.connection()
    conn.execute(upserts.insert(conn, _seq_t).values(outlet_code=outlet_code, last_no=0)
                 .on_conflict_do_nothing())


def hold(session: Session, outlet_code: str) -> None:
    """Queue this transaction behind any other member document of the outlet."""
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        return  # BEGIN IMMEDIATE already made this transaction the only writer
    if conn.execute(_LOCK, {"outlet": outlet_code}).rowcount == 0:
        _create(session, outlet_code)
        conn.execute(_LOCK, {"outlet": outlet_code})


def next_doc_no(session: Session, outlet_code: str) -> tuple[int, str]:
    """Bump the counter in this transaction: ``(123, "GERAI01-S-000123")``."""
    conn = session.connection()
    seq = conn.execute(_BUMP, {"outlet": outlet_code}).scalar()
    if seq is None:
        _create(session, outlet_code)
        seq = conn.execute(_BUMP, {"outlet": outlet_code}).scalar_one()
    return seq, f"{outlet_code}-S-{seq:06d}"
