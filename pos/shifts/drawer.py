"""The cash drawer's log for a cash movement (Kas masuk / Kas keluar): every opening is
written to the sales' drawer log through a plain table description (``pos.sales`` imports
``pos.shifts``, never the other way round)."""
from __future__ import annotations

from sqlalchemy import column, table
from sqlalchemy.orm import Session

from pos.clock import utcnow

_drawer = table("drawer_event", column("till_id"), column("user_id"), column("sale_id"),
                column("reason"), column("opened"), column("error"), column("created_at"))


def log(session: Session, *, till_id: int, user_id: int, reason: str, error: str | None) -> None:
    """Who opened the drawer, why, and whether it opened (``error`` None)."""
    session.execute(_drawer.insert().values(
        till_id=till_id, user_id=user_id, sale_id=None, reason=(reason or "-")[:200],
        opened=error is None, error=(error or None) and error[:200], created_at=utcnow()))
