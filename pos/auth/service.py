"""Staff accounts: create, authenticate with lockout, and role rights.

``authenticate`` returns a result instead of raising on a wrong PIN, because the
failed attempt itself must be committed (raising would roll it back).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from pos.auth.models import Role, User
from pos.errors import Forbidden, PosError

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{1,31}$")
_PIN = re.compile(r"^[0-9]{4,8}\Z")  # ASCII digits only; "$" would let "1234\n" in
# A hash to compare against when the user does not exist, so timing reveals nothing.
_DUMMY_HASH = generate_password_hash("00000000")

# What each role may do.  Every protected route names one of these rights.
RIGHTS: dict[Role, frozenset[str]] = {
    Role.CASHIER: frozenset({"sell"}),
    Role.CLERK: frozenset({"stock"}),
    Role.MANAGER: frozenset({"sell", "stock", "manage", "reports"}),
    Role.ADMIN: frozenset({"sell", "stock", "manage", "reports", "admin"}),
}


class UserError(PosError):
    pass


@dataclass
class LoginResult:
    user: User | None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.user is not None


def may(role: Role, right: str) -> bool:
    return right in RIGHTS[role]


def require_right(session: Session, user_id: int | None, right: str, refusal: str) -> User:
    """The active user ``user_id`` whose role has ``right``; otherwise ``Forbidden(refusal)``.

    Services that record who approved something check it here as well as on the
    route, so a decision is never recorded for someone without the right.
    """
    user = session.get(User, user_id) if user_id is not None else None
    if user is None or not user.active or not may(user.role, right):
        raise Forbidden(refusal)
    return user


def create_user(session: Session, username: str, full_name: str, role: Role | str, pin: str) -> User:
    username = (username or "").strip().lower()
    if not _USERNAME.match(username):
        raise UserError("Nama pengguna 2-32 huruf kecil, angka, titik, garis bawah atau strip.")
    if not _PIN.match(pin or ""):
        raise UserError("PIN harus 4 sampai 8 angka.")
    try:
        role = Role(role)
    except ValueError:
        raise UserError(f"Peran tidak dikenal: {role}.") from None
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise UserError(f"Nama pengguna {username} sudah ada.")
    user = User(username=username, full_name=(full_name or username).strip(), role=role,
                pin_hash=generate_password_hash(pin))
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, username: str, pin: str, *, now: datetime,
                 max_attempts: int = 5, lock_seconds: int = 300) -> LoginResult:
    """Check a PIN; count failures and lock the account for a while after too many."""
    wrong = LoginResult(None, "Nama pengguna atau PIN salah.")
    user = session.scalar(select(User).where(User.username == (username or "").strip().lower()))
    if user is None or not user.active:
        check_password_hash(_DUMMY_HASH, pin or "")
        return wrong
    if user.locked_until and user.locked_until > now:
        minutes = max(1, int((user.locked_until - now).total_seconds() + 59) // 60)
        return LoginResult(None, f"Akun dikunci karena PIN salah {max_attempts} kali. "
                                 f"Coba lagi dalam {minutes} menit atau hubungi manajer.")
    if not check_password_hash(user.pin_hash, pin or ""):
        user.failed_pins += 1
        if user.failed_pins >= max_attempts:
            user.failed_pins = 0
            user.locked_until = now + timedelta(seconds=lock_seconds)
            return LoginResult(None, f"PIN salah {max_attempts} kali. Akun dikunci "
                                     f"{lock_seconds // 60} menit.")
        return wrong
    user.failed_pins = 0
    user.locked_until = None
    return LoginResult(user)


def set_pin(session: Session, user: User, pin: str) -> None:
    if not _PIN.match(pin or ""):
        raise UserError("PIN harus 4 sampai 8 angka.")
    user.pin_hash = generate_password_hash(pin)
    user.failed_pins = 0
    user.locked_until = None
