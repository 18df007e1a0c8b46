"""The Staf screen's rules: who may change which account, the list of staff and each one's log.

A manager keeps the accounts of the counter and the store room (kasir, petugas gudang,
apoteker) and their own PIN; the accounts of managers and admins are kept by an admin (or
``pos user`` at the mini-PC), so no manager can make themselves or a friend more than they
are. Nobody deactivates their own account. Every change is logged (``changes``) with who
made it, and shows in the audit log.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from pos.auth import service
from pos.auth.models import Role, StaffChange, StaffSession, User
from pos.errors import Forbidden, NotFound

COUNTER_ROLES = (Role.CASHIER, Role.CLERK, Role.PHARMACIST)
ADMIN_ONLY = "Akun manajer dan admin hanya dapat diubah oleh admin (atau dengan pos user di mini-PC)."


@dataclass(frozen=True)
class StaffRow:
    id: int
    username: str
    full_name: str
    role: Role
    active: bool
    licence_no: str | None
    last_login: datetime | None


@dataclass(frozen=True)
class ChangeRow:
    at: datetime
    by: str | None     # None: the command line
    detail: str


def roles_for(actor_role: Role) -> list[Role]:
    """The roles an account made by ``actor_role`` may have."""
    return list(Role) if service.may(actor_role, "admin") else list(COUNTER_ROLES)


def may_manage(actor_role: Role, target_role: Role) -> bool:
    return target_role in roles_for(actor_role)


def listing(session: Session) -> list[StaffRow]:
    """Every account, the active first, each with its last login."""
    last = (select(StaffSession.user_id, func.max(StaffSession.created_at).label("at"))
            .group_by(StaffSession.user_id).subquery())
    rows = session.execute(
        select(User.id, User.username, User.full_name, User.role, User.active, User.licence_no,
               last.c.at)
        .outerjoin(last, last.c.user_id == User.id)
        .order_by(User.active.desc(), User.username)).all()
    return [StaffRow(r.id, r.username, r.full_name, Role(r.role), bool(r.active), r.licence_no, r.at)
            for r in rows]


def without_licence(session: Session) -> list[str]:
    """The full names of the active apoteker without a SIPA: they cannot approve obat keras
    (the receipt prints the SIPA), which Staf and a manager's home page say until it is given."""
    return list(session.scalars(select(User.full_name).where(
        User.role == Role.PHARMACIST, User.active.is_(True), User.licence_no.is_(None))
        .order_by(User.full_name)))


def unlicensed_warning(name: str) -> str:
    return f"Apoteker {name} belum punya nomor SIPA: ia belum dapat menyetujui obat keras."


def any_staff(session: Session) -> bool:
    """Is there any staff account at all (active or not)? None: a new gerai, whose first manager
    is made with ``pos user add`` at the mini-PC (``pos init`` and the login page say so)."""
    return session.scalar(select(User.id).limit(1)) is not None


def log_of(session: Session, user_id: int, limit: int = 20) -> list[ChangeRow]:
    """The latest changes to one account, newest first."""
    by = aliased(User)
    rows = session.execute(
        select(StaffChange.changed_at, by.full_name, StaffChange.detail)
        .outerjoin(by, by.id == StaffChange.changed_by)
        .where(StaffChange.user_id == user_id)
        .order_by(StaffChange.changed_at.desc(), StaffChange.id.desc()).limit(limit)).all()
    return [ChangeRow(at, name, detail) for at, name, detail in rows]


def _actor(session: Session, actor_id: int) -> User:
    return service.require_right(session, actor_id, "manage", "Hanya manajer yang dapat mengubah akun staf.")


def target(session: Session, actor_id: int, user_id: int) -> User:
    """The account ``user_id``, when ``actor_id`` may change it (else ``Forbidden``)."""
    actor = _actor(session, actor_id)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("Staf ini tidak ada.")
    if user.id != actor.id and not may_manage(actor.role, user.role):
        raise Forbidden(ADMIN_ONLY)
    return user


def _same_pin(pin: str, again: str) -> None:
    if pin != again:
        raise service.UserError("Kedua PIN tidak sama; ketik sekali lagi.")


def add(session: Session, actor_id: int, *, username: str, full_name: str, role: str, pin: str,
        pin_again: str, licence_no: str = "") -> User:
    actor = _actor(session, actor_id)
    if role not in {r.value for r in Role}:
        raise service.UserError("Pilih peran staf dari daftar.")
    if not may_manage(actor.role, Role(role)):
        raise Forbidden(ADMIN_ONLY)
    _same_pin(pin, pin_again)
    if not service.clean_name(full_name):
        raise service.UserError("Nama lengkap wajib diisi.")
    return service.create_user(session, username, full_name, role, pin, licence_no, by=actor_id)


def new_pin(session: Session, actor_id: int, user_id: int, pin: str, pin_again: str) -> int:
    user = target(session, actor_id, user_id)
    _same_pin(pin, pin_again)
    return service.set_pin(session, user, pin, by=actor_id)


def edit(session: Session, actor_id: int, user_id: int, full_name: str, licence_no: str) -> bool:
    """A new name and SIPA; whether anything changed."""
    user = target(session, actor_id, user_id)
    renamed = service.rename_user(session, user, full_name, by=actor_id)
    return service.set_licence(session, user, licence_no, by=actor_id) or renamed


def set_active(session: Session, actor_id: int, user_id: int, active: bool) -> int | None:
    """Deactivate (how many sessions ended) or activate again (0) an account; None when it
    already was so."""
    user = target(session, actor_id, user_id)
    if user.id == actor_id:
        raise service.UserError("Akun sendiri tidak dapat dinonaktifkan atau diaktifkan di sini.")
    if user.active == active:
        return None
    if not active:
        return service.deactivate_user(session, user, by=actor_id)
    service.activate_user(session, user, by=actor_id)
    return 0
