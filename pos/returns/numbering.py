"""Return numbers (``R-<outlet>-000001``): one gap-free counter per outlet, bumped inside the
return's transaction, so a return that rolls back never uses a number up (as
``pos.sales.numbering`` does for receipts)."""
from __future__ import annotations

from sqlalchemy import bindparam
from sqlalchemy.orm import Session

from pos import upserts
from pos.returns.models import ReturnSequence

_seq_t = ReturnSequence.__table__
_BUMP = _seq_t.update().where(_seq_t.c.outlet_code == bindparam("outlet")).values(
    last_no=_seq_t.c.last_no + 1).returning(_seq_t.c.last_no)


def next_return_no(session: Session, outlet_code: str) -> tuple[int, str]:
    """Bump the outlet's return counter in this transaction; the row stays locked to commit."""
    conn = session.connection()
    seq = conn.execute(_BUMP, {"outlet": outlet_code}).scalar()
    if seq is None:
        conn.execute(upserts.insert(conn, _seq_t).values(outlet_code=outlet_code, last_no=0)
                     .on_conflict_do_nothing())
        seq = conn.execute(_BUMP, {"outlet": outlet_code}).scalar_one()
    return seq, f"R-{outlet_code}-{seq:06d}"
