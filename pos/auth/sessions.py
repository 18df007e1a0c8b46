"""Staff sessions kept on the server: a random token in the cookie, its SHA-256 in ``staff_session``.

Logging out, a new PIN and deactivation end every session of the user at once, so a
copied cookie stops working too; idle expiry is judged on the server's ``last_seen``,
which a copied cookie cannot move.  ``last_seen`` is written at most every
``TOUCH_SECONDS``, so a scan adds no write to the database.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session

from pos.auth.models import Role, StaffSession, User
from pos.db import Database
from pos.sql_direct import Direct

TOUCH_SECONDS = 30
KEEP_HISTORY = timedelta(days=90)  # logins (who, where, when) kept for this long

_session_t, _user_t = StaffSession.__table__, User.__table__
_CURRENT = Direct(
    select(_session_t.c.id, _session_t.c.till_id, _session_t.c.last_seen, _user_t.c.id.label("user_id"),
           _user_t.c.username, _user_t.c.full_name, _user_t.c.role, _user_t.c.active)
    .join(_user_t, _user_t.c.id == _session_t.c.user_id)
    .where(_session_t.c.token_hash == bindparam("token_hash"), _session_t.c.ended_at.is_(None)))
_TOUCH = (update(_session_t)
          .where(_session_t.c.id == bindparam("session_id"), _session_t.c.ended_at.is_(None))
          .values(last_seen=bindparam("now")))


@dataclass(frozen=True)
class Current:
    """The open session a cookie names, with its user."""

    session_id: int
    user_id: int
    username: str
    full_name: str
    role: Role
    till_id: int | None
    active: bool
    last_seen: datetime

    def idle(self, now: datetime, timeout_seconds: int) -> bool:
        return now - self.last_seen > timedelta(seconds=timeout_seconds)

    def due_for_touch(self, now: datetime) -> bool:
        return now - self.last_seen >= timedelta(seconds=TOUCH_SECONDS)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def start(session: Session, user_id: int, till_id: int | None, *, now: datetime,
          address: str) -> str | None:
    """Open a session for an active user; the token for the cookie, or None when the user
    was deactivated meanwhile."""
    if not session.scalar(select(User.active).where(User.id == user_id)):
        return None
    # Logins older than the history kept go, so the table stays a few hundred rows.
    session.execute(delete(StaffSession).where(StaffSession.last_seen < now - KEEP_HISTORY))
    token = secrets.token_urlsafe(32)
    session.add(StaffSession(token_hash=token_hash(token), user_id=user_id, till_id=till_id,
                             address=(address or "")[:45], created_at=now, last_seen=now))
    session.flush()
    return token


def current(database: Database, token: str) -> Current | None:
    """The open (not ended) session of ``token`` and its user, in one query outside a
    transaction (``pos.db.Database.glance``); None if none."""
    if not token or not isinstance(token, str) or len(token) > 100:
        return None
    row = database.glance(_CURRENT, {"token_hash": token_hash(token)})
    if row is None:
        return None
    return Current(row.id, row.user_id, row.username, row.full_name, Role(row.role), row.till_id,
                   bool(row.active), row.last_seen)


def touch(session: Session, session_id: int, now: datetime) -> None:
    """Move ``last_seen`` on (callers do it at most every ``TOUCH_SECONDS``)."""
    session.execute(_TOUCH, {"session_id": session_id, "now": now})


def end(session: Session, session_id: int, *, now: datetime, reason: str) -> None:
    session.execute(update(StaffSession)
                    .where(StaffSession.id == session_id, StaffSession.ended_at.is_(None))
                    .values(ended_at=now, end_reason=reason))


def end_token(session: Session, token: str, *, now: datetime, reason: str = "keluar") -> None:
    """End the session a cookie names (logout); nothing when it is unknown or ended."""
    if token and isinstance(token, str):
        session.execute(update(StaffSession)
                        .where(StaffSession.token_hash == token_hash(token),
                               StaffSession.ended_at.is_(None))
                        .values(ended_at=now, end_reason=reason))


def end_all(session: Session, user_id: int, *, now: datetime, reason: str) -> int:
    """End every open session of a user (a new PIN, deactivation); how many were open."""
    result = session.execute(update(StaffSession)
                             .where(StaffSession.user_id == user_id, StaffSession.ended_at.is_(None))
                             .values(ended_at=now, end_reason=reason))
    return result.rowcount
