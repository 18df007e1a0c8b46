"""Staff accounts: create, check a PIN, change a PIN, deactivate, and role rights.

A login reads the user (``login_candidate``, a read session), then ``authenticate``
hashes the PIN with no database transaction open and consults the in-memory
``LoginGuard`` (``pos.auth.throttle``): a wrong PIN writes nothing, and only a
successful login writes (its session row, ``pos.auth.sessions``).  An unknown
name, a wrong PIN and a locked account get the same answer after the same work.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from pos.auth import changes, pins, sessions
from pos.auth.models import Role, User
from pos.auth.throttle import LoginGuard
from pos.clock import utcnow
from pos.errors import Forbidden, NotFound, PosError
from pos.text import clean
from pos.tills import service as tills
from pos.tills.models import Till

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{1,31}$")
_PIN = re.compile(r"^[0-9]{4,8}\Z")  # ASCII digits only; "$" would let "1234\n" in


@functools.cache
def _dummy_hash() -> str:
    """A hash to compare against when the user does not exist, so timing reveals nothing.
    Made on first use, not at import: a server start need not wait ~0.2 s of CPU for it."""
    return generate_password_hash("00000000")


_LONGEST_PIN = 64  # longer input is hashed as "" (scrypt time grows with the input)
# The one answer to an unknown name, a wrong PIN and a locked account alike.
LOGIN_REFUSED = "Nama pengguna atau PIN salah, atau akun sedang dikunci sementara."

# What each role may do.  Every protected route names one of these rights.
# "stock_lists" reads the stock lists (low stock, batches near expiry and expired): the
# apoteker watches the pharmacy's expiry dates without the clerk's rights to change stock.
RIGHTS: dict[Role, frozenset[str]] = {
    Role.CASHIER: frozenset({"sell"}),
    Role.CLERK: frozenset({"stock", "stock_lists"}),
    Role.MANAGER: frozenset({"sell", "stock", "stock_lists", "manage", "reports", "rx_register"}),
    Role.ADMIN: frozenset({"sell", "stock", "stock_lists", "manage", "reports", "admin",
                           "rx_register"}),
    # Only an apoteker may approve obat keras ("dispense"), not a manager nor the admin (a
    # professional licence, not an office); the register of obat keras sold ("rx_register")
    # is read by the apoteker and the managers.
    Role.PHARMACIST: frozenset({"sell", "dispense", "rx_register", "stock_lists"}),
}


class UserError(PosError):
    pass


@dataclass(frozen=True)
class LoginCandidate:
    """What a login needs of the user named in the form (a plain row, no ORM object)."""

    id: int
    pin_hash: str
    active: bool
    role: Role = Role.CASHIER

    def may(self, right: str) -> bool:
        return may(self.role, right)


def may(role: Role, right: str) -> bool:
    return right in RIGHTS[role]


def works_at_a_till(role: Role) -> bool:
    """A role whose work is selling and nothing else: its home is the till, and it signs in
    at one (a manager, clerk or pharmacist may sign in without)."""
    return may(role, "sell") and not may(role, "stock") and not may(role, "dispense")


def require_right(session: Session, user_id: int | None, right: str, refusal: str, *,
                  made_by: set[int | None] | frozenset[int | None] = frozenset(),
                  allow_self: bool = False, own: str = "Pengajuan ini Anda buat sendiri") -> User:
    """The active user ``user_id`` whose role has ``right``; otherwise ``Forbidden(refusal)``.

    Services that record who approved something check it here as well as on the
    route, so a decision is never recorded for someone without the right.  This is
    the one approver rule: with ``made_by`` (who made what is being approved), none
    of them may approve it, unless ``allow_self`` (``POS_SELF_APPROVAL``, for an
    outlet with one manager); the caller then records the approval as a self-approval.
    ``own`` says how the user made it (a count: they opened it or counted in it).
    """
    user = session.get(User, user_id) if user_id is not None else None
    if user is None or not user.active or not may(user.role, right):
        raise Forbidden(refusal)
    if user.id in made_by and not allow_self:
        raise Forbidden(f"{own}; yang menyetujui harus orang lain. "
                        "Gerai dengan satu manajer dapat mengizinkan persetujuan sendiri "
                        "(pengaturan POS_SELF_APPROVAL).")
    return user


def create_user(session: Session, username: str, full_name: str, role: Role | str, pin: str,
                licence_no: str | None = None, *, by: int | None = None,
                guessable_pin_ok: bool = False) -> User:
    """A new staff account; ``licence_no``: an apoteker's SIPA, printed on obat keras receipts;
    ``by``: who made it (logged; None for the command line).  A manager's or admin's PIN anyone
    could guess is refused (``pins``) unless ``guessable_pin_ok``: the demo's own accounts."""
    username = (username or "").strip().lower()
    if not _USERNAME.match(username):
        raise UserError("Nama pengguna 2-32 huruf kecil, angka, titik, garis bawah atau strip.")
    if not _PIN.match(pin or ""):
        raise UserError("PIN harus 4 sampai 8 angka.")
    try:
        role = Role(role)
    except ValueError:
        raise UserError(f"Peran tidak dikenal: {str(role)[:20]}.") from None
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise UserError(f"Nama pengguna {username} sudah ada.")
    if not guessable_pin_ok and (weak := pins.refusal(role, pin)):
        raise UserError(weak)
    user = User(username=username, full_name=clean_name(full_name) or username, role=role,
                pin_hash=generate_password_hash(pin), licence_no=_licence_of(role, licence_no))
    session.add(user)
    session.flush()
    changes.record(session, user.id, by, f"Akun dibuat: {username} ({role.label})"
                   + (f", SIPA {user.licence_no}" if user.licence_no else ""))
    return user


def clean_name(text: str | None) -> str:
    """A full name as typed, spaces tidied and control characters gone; at most 100 letters."""
    name = " ".join(clean(text or "").split())
    if len(name) > 100:
        raise UserError("Nama lengkap terlalu panjang (maksimal 100 huruf).")
    return name


def clean_licence(text: str | None) -> str | None:
    """A licence number (SIPA) as typed, spaces tidied and without a leading "SIPA" (the
    receipt prints "SIPA <number>"); None when empty."""
    licence = re.sub(r"^SIPA\s*(no\.?|nomor)?\s*:?\s*", "", " ".join((text or "").split()),
                     flags=re.IGNORECASE)
    if len(licence) > 60:
        raise UserError("Nomor SIPA terlalu panjang (maksimal 60 huruf).")
    return licence or None


def set_licence(session: Session, user: User, licence_no: str | None, *,
                by: int | None = None) -> bool:
    """Give (or take away, with an empty text) a staff member's licence number (SIPA);
    whether it changed (a change is logged)."""
    return _change(session, user, "licence_no", _licence_of(Role(user.role), licence_no), "SIPA", by)


def _licence_of(role: Role, text: str | None) -> str | None:
    """A SIPA is an apoteker's: refused for any other role (a cashier's receipt would print it
    as the pharmacist's)."""
    licence = clean_licence(text)
    if licence is not None and role is not Role.PHARMACIST:
        raise UserError(f"Nomor SIPA hanya untuk apoteker, bukan {role.label}: kosongkan isiannya.")
    return licence


def rename_user(session: Session, user: User, full_name: str, *, by: int | None = None) -> bool:
    """A staff member's full name (shown on receipts); whether it changed (logged)."""
    name = clean_name(full_name)
    if not name:
        raise UserError("Nama lengkap wajib diisi.")
    return _change(session, user, "full_name", name, "Nama", by)


def _change(session: Session, user: User, field: str, value: str | None, label: str,
            by: int | None) -> bool:
    """Set ``user.<field>`` to ``value`` and log ``<label> old -> new``; False when it is so."""
    before = getattr(user, field)
    if value == before:
        return False
    setattr(user, field, value)
    session.flush()
    changes.record(session, user.id, by, f"{label} {before or '(kosong)'} -> {value or '(kosong)'}")
    return True


def login_candidate(session: Session, username: str) -> LoginCandidate | None:
    """The user a login form names (case and spaces ignored), or None."""
    row = session.execute(select(User.id, User.pin_hash, User.active, User.role)
                          .where(User.username == (username or "").strip().lower())).first()
    return LoginCandidate(row.id, row.pin_hash, bool(row.active), Role(row.role)) if row else None


def authenticate(candidate: LoginCandidate | None, pin: str, guard: LoginGuard,
                 address: str, *, right: str | None = None) -> int | None:
    """The user's id when ``pin`` is right and no lock stands in the way, else None.

    Call it with no transaction open: the PIN hash takes about 100 ms.  A hash is
    computed in every case (a dummy one for an unknown or inactive name), so the three
    refusals take the same time.  Only a real PIN check of an active user who is not
    locked counts towards a lock; refusals during a lock do not, so one address can
    never push a user over the per-user ceiling by itself.  With ``right`` (an approval:
    the manager's "manage", the apoteker's "dispense"), a user whose role lacks it is
    refused as a wrong PIN is, and counted so: the answer never tells a colleague's right
    PIN from a wrong one.  A right PIN that gets in gives back the attempt the caller's
    ``guard.admit`` counted: only refused PINs use up an address's minute.
    """
    known = candidate is not None and candidate.active
    pin = pin if isinstance(pin, str) and len(pin) <= _LONGEST_PIN else ""
    matched = check_password_hash(candidate.pin_hash if known else _dummy_hash(), pin)
    if not known or guard.locked(candidate.id, address, candidate.pin_hash):
        return None
    if not matched or (right is not None and not candidate.may(right)):
        guard.failed(candidate.id, address, candidate.pin_hash)
        return None
    guard.succeeded(candidate.id, address)
    guard.give_back(address)
    return candidate.id


def set_pin(session: Session, user: User, pin: str, *, now: datetime | None = None,
            by: int | None = None) -> int:
    """A new PIN; every open session of the user ends (a copied cookie too).  How many ended.
    A manager's or admin's PIN anyone could guess is refused (``pins``)."""
    if not _PIN.match(pin or ""):
        raise UserError("PIN harus 4 sampai 8 angka.")
    if weak := pins.refusal(user.role, pin):
        raise UserError(weak)
    user.pin_hash = generate_password_hash(pin)
    session.flush()
    ended = sessions.end_all(session, user.id, now=now or utcnow(), reason="pin")
    changes.record(session, user.id, by, f"PIN baru; {ended} sesi diakhiri")
    return ended


def find_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == (username or "").strip().lower()))
    if user is None:
        raise NotFound(f"Staf {username} tidak ada.")
    return user


def deactivate_user(session: Session, user: User, *, now: datetime | None = None,
                    by: int | None = None) -> int:
    """The user can no longer log in, every open session ends now, and a till they held is
    free (it waited for a cashier who can never come back).  How many sessions ended.

    The last active manager or admin stays (``UserError``): without one nobody could keep the
    staff, approve or close a day, and only ``pos user activate`` at the mini-PC would undo it."""
    if may(user.role, "manage") and user.active and not session.scalar(
            select(User.id).where(User.active.is_(True), User.id != user.id,
                                  User.role.in_([r for r in Role if may(r, "manage")])).limit(1)):
        raise UserError(f"{user.username} adalah manajer atau admin aktif terakhir: tanpa akun itu tidak "
                        "ada yang dapat mengelola gerai. Aktifkan atau buat akun manajer lain dulu "
                        "(pos user activate NAMA, pos user add NAMA --role manager).")
    user.active = False
    session.flush()
    for till_id in session.scalars(select(Till.id).where(Till.held_by == user.id)).all():
        tills.leave(session, till_id, user.id)   # logged as their leaving, as at a logout
    ended = sessions.end_all(session, user.id, now=now or utcnow(), reason="nonaktif")
    changes.record(session, user.id, by, f"Dinonaktifkan; {ended} sesi diakhiri")
    return ended


def activate_user(session: Session, user: User, *, by: int | None = None) -> None:
    """A deactivated staff member may log in again (with the PIN they had)."""
    user.active = True
    session.flush()
    changes.record(session, user.id, by, "Diaktifkan lagi")


def staff_name(session: Session, user_id: int | None) -> str:
    """The full name shown for a staff member (a till's holder, a cart's cashier)."""
    name = session.scalar(select(User.full_name).where(User.id == user_id)) if user_id else None
    return name or "staf tidak dikenal"
