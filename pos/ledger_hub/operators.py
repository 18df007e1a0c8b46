"""The hub's operators: the cooperative's people who may open its screens (books, SHU).

A password hashed with ``werkzeug.security`` (never kept in clear); ``add`` generates one when
none is given and returns it once.  No Flask here: ``access`` keeps the session.
"""
from __future__ import annotations

import functools
import re
import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from pos.clock import utcnow
from pos.errors import PosError
from pos.ledger_hub.models import HubOperator

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,39}")
MIN_PASSWORD = 8


@functools.cache
def _dummy() -> str:
    """Checked against when the name is unknown, so both answers take as long. Made on first
    use, not at import (the outlet's server imports this module through its CLI group)."""
    return generate_password_hash("bukan-kata-sandi-siapa-pun")


def _hashed(password: str) -> str:
    if len(password or "") < MIN_PASSWORD:
        raise PosError(f"Kata sandi paling sedikit {MIN_PASSWORD} karakter.")
    return generate_password_hash(password)


def find(session: Session, username: str) -> HubOperator:
    operator = session.get(HubOperator, (username or "").strip().lower())
    if operator is None:
        raise PosError(f"Operator {username} tidak terdaftar.", 404)
    return operator


def add(session: Session, username: str, password: str | None = None) -> tuple[str, str | None]:
    """Register operator ``username``; returns (username, the generated password or None)."""
    name = (username or "").strip().lower()
    if not USERNAME.fullmatch(name):
        raise PosError("Nama operator harus 2-40 huruf kecil, angka, '.', '_' atau '-'.")
    if session.get(HubOperator, name) is not None:
        raise PosError(f"Operator {name} sudah terdaftar.")
    generated = None
    if password is None:
        generated = password = secrets.token_urlsafe(12)
    session.add(HubOperator(username=name, password_hash=_hashed(password),
                            active=True, created_at=utcnow()))
    session.flush()
    return name, generated


def verify(session: Session, username: str, password: str) -> tuple[HubOperator | None, bool]:
    """The active operator a login form names (or None) and whether the password is theirs.
    One hash in every case (a dummy one for an unknown or inactive name): all take as long."""
    name = (username or "").strip().lower()
    operator = session.get(HubOperator, name) if USERNAME.fullmatch(name) else None
    if operator is None or not operator.active:
        check_password_hash(_dummy(), password or "")
        return None, False
    return operator, check_password_hash(operator.password_hash, password or "")


def authenticate(session: Session, username: str, password: str) -> HubOperator | None:
    """The active operator with this name and password, else None."""
    operator, right = verify(session, username, password)
    return operator if right else None


def is_active(session: Session, username: str) -> bool:
    return bool(session.scalar(select(HubOperator.active).where(HubOperator.username == username)))


def session_valid(session: Session, username: str, signed_in_at: datetime) -> bool:
    """Whether a session of ``username`` signed in at ``signed_in_at`` (naive UTC) still
    counts: the operator is active and has not ended their sessions since."""
    row = session.execute(select(HubOperator.active, HubOperator.sessions_valid_after)
                          .where(HubOperator.username == username)).first()
    return bool(row and row.active and (row.sessions_valid_after is None
                                        or signed_in_at > row.sessions_valid_after))


def end_sessions(session: Session, username: str, now: datetime) -> None:
    """End every session ``username`` has open now (each browser, each copied cookie)."""
    operator = session.get(HubOperator, username)
    if operator is not None:
        operator.sessions_valid_after = now
        session.flush()


def listing(session: Session) -> list[HubOperator]:
    return list(session.scalars(select(HubOperator).order_by(HubOperator.username)))


def set_active(session: Session, username: str, active: bool, now: datetime) -> HubOperator:
    """Let ``username`` sign in again, or not: deactivating also ends every open session."""
    operator = find(session, username)
    operator.active = active
    if not active:
        operator.sessions_valid_after = now
    session.flush()
    return operator


def set_password(session: Session, username: str, password: str, now: datetime) -> HubOperator:
    """A new password for ``username``; every session signed in with the old one ends."""
    operator = find(session, username)
    operator.password_hash = _hashed(password)
    operator.sessions_valid_after = now
    session.flush()
    return operator
