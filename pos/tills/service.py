"""Finding tills: the active ones a browser can sign in at, and the default one of a new gerai."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.tills.models import Till


def active_tills(session: Session) -> list:
    """(id, code, name) rows of the active tills, by code."""
    return session.execute(
        select(Till.id, Till.code, Till.name).where(Till.active).order_by(Till.code)).all()


def ensure_till(session: Session, code: str, name: str) -> bool:
    """Create the till ``code`` unless it exists; True when it was created."""
    if session.scalar(select(Till.id).where(Till.code == code)) is not None:
        return False
    session.add(Till(code=code, name=name))
    session.flush()
    return True


def has_till(session: Session) -> bool:
    return session.scalar(select(Till.id).limit(1)) is not None
