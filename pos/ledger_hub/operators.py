"""The hub's operators: the cooperative's people who may open its screens (books, SHU).

A password hashed with ``werkzeug.security`` (never kept in clear); ``add`` generates one when
none is given and returns it once.  No Flask here: ``access`` keeps the session.
"""
from __future__ import annotations

import functools
import re
import secrets

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
    if len(password) < MIN_PASSWORD:
        raise PosError(f"Kata sandi paling sedikit {MIN_PASSWORD} karakter.")
    session.add(HubOperator(username=name, password_hash=generate_password_hash(password),
                            active=True, created_at=utcnow()))
    session.flush()
    return name, generated


def authenticate(session: Session, username: str, password: str) -> HubOperator | None:
    """The active operator with this name and password, else None."""
    name = (username or "").strip().lower()
    operator = session.get(HubOperator, name) if USERNAME.fullmatch(name) else None
    if operator is None:
        check_password_hash(_dummy(), password or "")
        return None
    if not check_password_hash(operator.password_hash, password or "") or not operator.active:
        return None
    return operator


def is_active(session: Session, username: str) -> bool:
    return bool(session.scalar(select(HubOperator.active).where(HubOperator.username == username)))


def listing(session: Session) -> list[HubOperator]:
    return list(session.scalars(select(HubOperator).order_by(HubOperator.username)))
