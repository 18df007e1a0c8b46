"""Tills: finding them, their own devices, and who holds each one.

A cashier who signs in at a till holds it until signing out; nobody else can take it
over silently: they are told who holds it, and only a manager can release it.  The
same cashier signing in again (after a browser crash, or on another screen) simply
takes it back.  A cart left by another cashier is shown to the next one, who goes on
with it or empties it; either choice is logged as a ``TillEvent``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pos.errors import NotFound, PosError, typed
from pos.hardware.addresses import DISPLAY_SCHEMES, PRINTER_SCHEMES, check_url
from pos.hardware.ports import HardwareError
from pos.tills.models import Till, TillEvent, TillEventKind


class TillBusy(PosError):
    status = 409


@dataclass(frozen=True)
class Holder:
    user_id: int
    since: datetime | None


def active_tills(session: Session) -> list:
    """(id, code, name) rows of the active tills, by code."""
    return session.execute(
        select(Till.id, Till.code, Till.name).where(Till.active).order_by(Till.code)).all()


def all_tills(session: Session) -> list[Till]:
    return list(session.scalars(select(Till).order_by(Till.code)))


def get_till(session: Session, till_id: int) -> Till:
    till = session.get(Till, till_id)
    if till is None:
        raise NotFound("Mesin kasir tidak ditemukan.")
    return till


def till_by_code(session: Session, code: str) -> Till:
    till = session.scalar(select(Till).where(Till.code == (code or "").strip().upper()))
    if till is None:
        raise NotFound(f"Kasir {code} tidak ada.")
    return till


def device_urls(session: Session, till_id: int) -> tuple[str | None, str | None]:
    """The till's own (printer, display) URLs; None where it uses the outlet's."""
    row = session.execute(select(Till.printer, Till.display).where(Till.id == till_id)).first()
    return (row.printer, row.display) if row else (None, None)


_CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{0,15}")


def add_till(session: Session, code: str, name: str) -> Till:
    """A new till (a second counter, a tablet at the fertiliser store): its code, as the login's
    till list and the receipts' records name it, upper-cased; refused, nothing made, when the
    code is malformed or taken or the name is empty or too long."""
    code = (code or "").strip().upper()
    if not _CODE.fullmatch(code):
        raise PosError("Kode kasir 1 sampai 16 huruf, angka atau tanda -, diawali huruf atau angka "
                       "(mis. KASIR-2).")
    name = typed(name, 60, "Nama kasir")
    if not name:
        raise PosError("Isi nama kasir, mis. Kasir 2.")
    if session.scalar(select(Till.id).where(Till.code == code)) is not None:
        raise PosError(f"Kode kasir {code} sudah dipakai; pilih kode lain.", 409)
    till = Till(code=code, name=name)
    session.add(till)
    session.flush()
    return till


def ensure_till(session: Session, code: str, name: str) -> bool:
    """Create the till ``code`` unless it exists; True when it was created."""
    if session.scalar(select(Till.id).where(Till.code == code)) is not None:
        return False
    session.add(Till(code=code, name=name))
    session.flush()
    return True


def has_till(session: Session) -> bool:
    return session.scalar(select(Till.id).limit(1)) is not None


def log(session: Session, till_id: int, user_id: int | None, kind: TillEventKind,
        detail: str | None = None) -> None:
    session.add(TillEvent(till_id=till_id, user_id=user_id, kind=kind,
                          detail=detail[:200] if detail else None))


class DeviceAddressError(PosError):
    """A printer or display address refused; ``field`` is the form's field at fault."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


def set_devices(session: Session, till_id: int, *, printer: str | None, display: str | None,
                manual_weight: bool, user_id: int | None) -> tuple[Till, bool]:
    """The till's own printer and pole display (empty: the outlet's), and whether the cashier
    may type a weight when there is no scale; the change is logged. (till, whether anything
    changed)."""
    till = get_till(session, till_id)
    printer, display = (printer or "").strip() or None, (display or "").strip() or None
    for field, url, schemes, label in (("printer", printer, PRINTER_SCHEMES, "printer"),
                                       ("display", display, DISPLAY_SCHEMES, "layar pelanggan")):
        try:
            if url:
                check_url(url, schemes, label)
        except HardwareError as problem:
            raise DeviceAddressError(str(problem), field) from None
    changes = [f"{name}: {_shown(old)} -> {_shown(new)}" for name, old, new in (
        ("printer", till.printer, printer), ("layar", till.display, display),
        ("berat diketik", till.manual_weight, manual_weight)) if old != new]
    till.printer, till.display, till.manual_weight = printer, display, manual_weight
    if changes:
        log(session, till.id, user_id, TillEventKind.DEVICES, "; ".join(changes))
    session.flush()
    return till, bool(changes)


def _shown(value: str | bool | None) -> str:
    """A device setting as the log says it: an address, ``ya``/``tidak``, ``-`` for none."""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    return value or "-"


def holder(session: Session, till_id: int) -> Holder | None:
    """Who holds the till now, if anyone (the caller names them: tills know no staff)."""
    row = session.execute(select(Till.held_by, Till.held_since).where(Till.id == till_id)).first()
    return Holder(*row) if row is not None and row.held_by is not None else None


def take(session: Session, till_id: int, user_id: int, now: datetime) -> bool:
    """``user_id`` (who sells) signs in at the till: holds it, or takes it back; ``TillBusy``
    when someone else holds it.  True when newly taken (logged)."""
    till = session.scalar(select(Till).where(Till.id == till_id).with_for_update()
                          .execution_options(populate_existing=True))
    if till is None:
        raise NotFound("Mesin kasir tidak ditemukan.")
    if till.held_by not in (None, user_id):
        raise TillBusy(f"{till.name} sedang dipegang kasir lain. Minta ia keluar dulu, atau minta "
                       "manajer melepaskannya di halaman Perangkat.")
    if till.held_by == user_id:
        return False
    till.held_by, till.held_since = user_id, now
    log(session, till.id, user_id, TillEventKind.TAKE)
    session.flush()
    return True


def leave(session: Session, till_id: int | None, user_id: int) -> None:
    """The holder signs out: the till is free (its cart stays for whoever comes next)."""
    if till_id is None:
        return
    freed = session.execute(update(Till).where(Till.id == till_id, Till.held_by == user_id)
                            .values(held_by=None, held_since=None)).rowcount
    if freed:
        log(session, till_id, user_id, TillEventKind.LEAVE)


def release(session: Session, till_id: int, by_user_id: int, holder_name: str) -> bool:
    """Free a till held by someone (a manager's decision, checked by the caller); logged."""
    freed = session.execute(update(Till).where(Till.id == till_id, Till.held_by.is_not(None))
                            .values(held_by=None, held_since=None)).rowcount
    if freed:
        log(session, till_id, by_user_id, TillEventKind.RELEASE, f"dipegang {holder_name}")
    return bool(freed)
