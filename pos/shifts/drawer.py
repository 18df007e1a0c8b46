"""The cash drawer's log at the till: an opening for a cash movement (Kas masuk / Kas keluar),
and an opening without a sale (Buka laci: change for a big note, a wrong change put right),
with its reason, shift and approver.  Every opening is written to the sales' drawer log
through a plain table description (``pos.sales`` imports ``pos.shifts``, never the other way
round).

A no-sale opening is recorded first (``open_no_sale``, in the shift open at the till, a
manager's PIN unless ``POS_CASHIER_OPENS_DRAWER``), committed, and only then the drawer is
kicked; whether it opened is written after (``outcome``): a printer that fails never loses
the record.  The shift's reports list them (``no_sales``).

A manager's Buka laci on Perangkat while a shift is open at their till (``open_at_till``) is
recorded in that shift the same way, the manager as the one who opened it: the cashier's Tutup
shift and Laporan X/Z show that the drawer was opened mid-shift.  Alt+L only ever records the
shift's own cashier (``gate.require``), so an opening by anyone else is one from Perangkat
(``NoSale.from_devices``).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Boolean, DateTime, Integer, String, column, select, table, update
from sqlalchemy.orm import Session, aliased

from pos.approvals.service import Actor, authorize
from pos.auth.models import User
from pos.clock import utcnow
from pos.errors import PosError, typed
from pos.shifts import gate
from pos.shifts.models import Shift
from pos.text import clean

_drawer = table("drawer_event", column("id", Integer), column("till_id", Integer),
                column("user_id", Integer), column("sale_id", Integer), column("reason", String),
                column("opened", Boolean), column("error", String), column("created_at", DateTime),
                column("no_sale", Boolean), column("shift_id", Integer),
                column("approved_by", Integer))

# The quick reasons of Buka laci (keys 1, 2, 3 in its dialog); a note typed goes with one or
# stands alone.
NO_SALE_REASONS = ("Tukar uang pecahan", "Perbaiki kembalian", "Periksa isi laci")
NO_SALE_KIND = "no_sale"     # the override log's kind (``approvals.service.KIND_LABELS``)


class DrawerError(PosError):
    pass


def log(session: Session, *, till_id: int, user_id: int, reason: str, error: str | None) -> None:
    """Who opened the drawer, why, and whether it opened (``error`` None)."""
    session.execute(_drawer.insert().values(
        till_id=till_id, user_id=user_id, sale_id=None, reason=(reason or "-")[:200],
        opened=error is None, error=(error or None) and error[:200], created_at=utcnow(),
        no_sale=False))


def no_sale_reason(choice: str | None, note: str | None) -> str:
    """The reason as logged: a quick reason, a typed note, or both (``Tukar uang pecahan:
    pembeli bawa Rp100.000``); a choice not in the list (a tampered form) or no reason at all is
    refused, and so is a note over 200 characters."""
    choice = (choice or "").strip()
    note = clean(typed(note, 200, "Alasan lain", DrawerError)).strip()
    if choice and choice not in NO_SALE_REASONS:
        raise DrawerError("Pilih alasan dari daftar (1, 2, 3) atau ketik alasannya.")
    reason = f"{choice}: {note}" if choice and note else choice or note
    if len(reason) > 200:
        raise DrawerError(f"Alasan lain terlalu panjang (paling banyak {198 - len(choice)} huruf "
                          "bersama alasan yang dipilih).")
    if len(reason) < 3:
        raise DrawerError("Tulis alasan membuka laci: pilih 1, 2, 3 atau ketik alasannya "
                          "(minimal 3 huruf). Laci tidak dibuka.")
    return reason


@dataclass(frozen=True)
class Opened:
    """A no-sale opening recorded: its drawer log row, the shift, who approved (None: the
    cashier alone, as ``POS_CASHIER_OPENS_DRAWER`` allows)."""

    event_id: int
    shift_id: int
    approved_by: int | None


def open_no_sale(session: Session, actor: Actor, *, reason: str, day: date, now: datetime,
                 cashier_alone: bool = False) -> Opened:
    """Record the drawer opened without a sale at the actor's till, in their open shift (else
    ``NoOpenShift``, nothing written).  A manager's approval is asked (``NeedsApproval``) unless
    the actor may approve themselves (a manager: logged as their own) or ``cashier_alone``.
    The drawer is kicked by the caller after the commit, and its outcome written (``outcome``)."""
    shift_id = gate.require(session, till_id=actor.till_id, user_id=actor.user_id, day=day,
                            reload=True)   # a form left open after the shift closed elsewhere
    approve = not cashier_alone or actor.approval is not None
    return _record(session, actor, shift_id, reason=reason, now=now, approve=approve,
                   what=f"Buka laci tanpa penjualan: {reason}")


def open_at_till(session: Session, actor: Actor, *, reason: str, now: datetime) -> Opened | None:
    """Perangkat's Buka laci by a manager signed in at a till: while a shift is open there
    (whoever holds it, of whatever day: its drawer is counted when it closes) it is recorded in
    that shift as Alt+L's no-sale opening is, the manager as the one who opened it, their own
    approval logged; None when no shift is open there (nothing written: the caller logs it
    outside any shift).  The shift's row is share-locked, as ``gate`` does, so a close waits."""
    shift_id = session.scalar(select(Shift.id).where(Shift.till_id == actor.till_id,
                                                     Shift.closed_at.is_(None)).with_for_update(read=True))
    if shift_id is None:
        return None
    return _record(session, actor, shift_id, reason=reason, now=now, approve=True,
                   what=f"Buka laci dari Perangkat: {reason}")


def _record(session: Session, actor: Actor, shift_id: int, *, reason: str, now: datetime,
            approve: bool, what: str) -> Opened:
    """The no-sale row in ``shift_id`` (its approval logged first when ``approve``)."""
    approved_by = None
    if approve:
        logged = authorize(session, actor, kind=NO_SALE_KIND, what=what, before="laci tertutup",
                           after=f"laci dibuka (shift #{shift_id})", now=now, suggested=reason)
        approved_by = logged.approved_by
    event_id = session.execute(_drawer.insert().values(
        till_id=actor.till_id, user_id=actor.user_id, sale_id=None, reason=reason, opened=False,
        error=None, created_at=now, no_sale=True, shift_id=shift_id, approved_by=approved_by)
        .returning(_drawer.c.id)).scalar_one()
    return Opened(event_id, shift_id, approved_by)


def outcome(session: Session, event_id: int, error: str | None) -> None:
    """Whether the drawer of a recorded opening opened (``error`` None) or why not."""
    session.execute(update(_drawer).where(_drawer.c.id == event_id).values(
        opened=error is None, error=(error or None) and error[:200]))


@dataclass(frozen=True)
class NoSale:
    """One no-sale opening as the shift's screens and reports show it; ``from_devices``: a
    manager's from Perangkat (opened by someone else than the shift's cashier)."""

    at: datetime
    reason: str
    by: str
    approver: str | None
    opened: bool
    error: str | None
    from_devices: bool = False

    @property
    def who(self) -> str:
        """``Kasir1, disetujui Manajer1``; ``Manajer1 (dari Perangkat)``."""
        if self.from_devices:
            return f"{self.by} (dari Perangkat)"
        return self.by + (f", disetujui {self.approver}" if self.approver else "")


_BY, _APPROVER = aliased(User), aliased(User)


def no_sales(session: Session, shift_id: int) -> list[NoSale]:
    """The shift's no-sale openings, oldest first (a manager's from Perangkat among them)."""
    rows = session.execute(
        select(_drawer.c.created_at, _drawer.c.reason, _BY.full_name, _APPROVER.full_name,
               _drawer.c.opened, _drawer.c.error, _drawer.c.user_id != Shift.cashier_id)
        .join(Shift, Shift.id == _drawer.c.shift_id)
        .join(_BY, _BY.id == _drawer.c.user_id)
        .outerjoin(_APPROVER, _APPROVER.id == _drawer.c.approved_by)
        .where(_drawer.c.shift_id == shift_id, _drawer.c.no_sale.is_(True))
        .order_by(_drawer.c.created_at, _drawer.c.id))
    return [NoSale(*row) for row in rows]
