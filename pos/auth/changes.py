"""The log of changes to staff accounts (``staff_change``): one line each, written in the
transaction that made the change; ``by`` None is the command line at the mini-PC."""
from __future__ import annotations

from sqlalchemy import insert
from sqlalchemy.orm import Session

from pos.auth.models import StaffChange
from pos.clock import utcnow

_INSERT = insert(StaffChange.__table__)


def record(session: Session, user_id: int, by: int | None, detail: str) -> None:
    session.execute(_INSERT, {"user_id": user_id, "changed_by": by, "detail": detail[:200],
                              "changed_at": utcnow()})
