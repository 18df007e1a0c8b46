"""Open a shift, move cash in or out of its drawer, close it with a count.

Every function takes the session and plain values and never commits (``pos.db``).  A
closed shift never changes: the close is one conditional UPDATE on ``closed_at IS NULL``,
so two managers confirming at once close it once, and nothing writes to it afterwards.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pos.approvals.service import Actor, authorize
from pos.auth.models import User
from pos.auth.service import RIGHTS
from pos.clock import to_local
from pos.config import DefaultConfig
from pos.days.service import ensure_open
from pos.errors import NotFound, PosError, typed
from pos.money import format_difference, format_rupiah, in_coins
from pos.shifts import clock_check, denominations, gate
from pos.shifts.figures import LABELS, METHODS, Figures, figures
from pos.shifts.models import CashDirection, CashMovement, Shift, ShiftTender
from pos.tills.models import Till

MAX_FLOAT = 100_000_000   # more than Rp100 juta in one drawer is a typing slip
MAX_MOVEMENT = 500_000_000


class ShiftError(PosError):
    pass


@dataclass(frozen=True)
class Cash:
    """Money counted: by denomination (``counts``) or typed as a total (``counts`` None)."""

    amount: int
    counts: dict[str, int] | None = None

    def in_coins(self, coin: int, label: str) -> None:
        """A total typed must be money a drawer can hold (whole coins of ``coin``); pieces counted
        by denomination are what is there."""
        if self.counts is None:
            in_coins(self.amount, coin, label, ShiftError)

    @classmethod
    def of(cls, counts: dict[str, int] | None, typed_total: int | None) -> Cash:
        if counts:
            return cls(denominations.total(counts), dict(counts))
        if typed_total is None:
            raise ShiftError("Hitung uang per pecahan, atau ketik jumlahnya.")
        return cls(typed_total, None)


def get(session: Session, shift_id: int) -> Shift:
    shift = session.get(Shift, shift_id)
    if shift is None:
        raise NotFound("Shift tidak ditemukan.")
    return shift


def previous_counted(session: Session, till_id: int) -> int | None:
    """The cash counted at the till's last closing (what the next float should be)."""
    return session.scalar(select(Shift.counted_cash).where(
        Shift.till_id == till_id, Shift.closed_at.is_not(None))
        .order_by(Shift.closed_at.desc(), Shift.id.desc()).limit(1))


def open_elsewhere(session: Session, cashier_id: int, till_id: int) -> tuple[Shift, Till] | None:
    """The shift ``cashier_id`` still has open at a till other than ``till_id``, with that till."""
    row = session.execute(select(Shift, Till).join(Till, Till.id == Shift.till_id).where(
        Shift.cashier_id == cashier_id, Shift.closed_at.is_(None), Shift.till_id != till_id)
        .order_by(Shift.opened_at).limit(1)).first()
    return None if row is None else (row[0], row[1])


def elsewhere_message(shift: Shift, till: Till, zone: str) -> str:
    opened = to_local(shift.opened_at, zone)
    return (f"Anda masih punya shift terbuka di {till.name} ({till.code}), dibuka "
            f"{opened:%d-%m-%Y %H:%M}. Tutup shift itu dulu (hitung laci), lalu buka shift di sini.")


def open_shift(session: Session, *, till_id: int | None, cashier_id: int, cash: Cash,
               note: str | None, day: date, now: datetime,
               zone: str = DefaultConfig.TIMEZONE, coin: int = 0, actor: Actor | None = None) -> Shift:
    """Open the till's shift with its counted float (Kas awal, a total typed in whole ``coin``s:
    ``POS_CASH_ROUNDING``); one open shift per till, and one per cashier: a cashier's sales and
    drawer are one till's (``zone`` says when the other was opened); none while the clock
    (``now``) is behind the newest record (``clock_check``: it went back), nor at a year no
    working clock shows (``clock_check.plausible``: a new gerai has no record to compare with).

    A float other than the cash counted at the till's last closing is an opening difference,
    treated as a closing one is: shown from the shift (``opening_difference``), refused without
    its note, and confirmed by a manager (``authorize(kind="shift_open")``: ``actor``, the
    cashier at the till with the dialog's approval; without one, the cashier's own rights: a
    manager approves their own, a cashier is asked for a manager)."""
    if till_id is None:
        raise ShiftError("Pilih mesin kasir saat masuk untuk membuka shift.")
    if cash.amount < 0 or cash.amount > MAX_FLOAT:
        raise ShiftError(f"Kas awal harus antara Rp0 dan {format_rupiah(MAX_FLOAT)}.")
    cash.in_coins(coin, "Kas awal")
    ensure_open(session, day)
    if (newest := clock_check.behind(session, now)) is not None:   # 01-01-2000: no shift filed there
        raise ShiftError(clock_check.behind_message(newest, now, zone), 409)
    if not clock_check.plausible(now):   # 01-01-2000 with nothing filed yet to compare it with
        raise ShiftError(clock_check.impossible_message(now, zone), 409)
    current = gate.open_shift(session, till_id)
    if current is not None:
        raise ShiftError("Kasir ini sudah punya shift terbuka. Tutup shift itu dulu.", 409)
    # The cashier's row is locked for the check (PostgreSQL; SQLite writes one at a time): two
    # tills opening for the same cashier at once cannot both find none open.
    role = session.scalar(select(User.role).where(User.id == cashier_id).with_for_update(key_share=True))
    other = open_elsewhere(session, cashier_id, till_id)
    if other is not None:
        raise ShiftError(elsewhere_message(*other, zone), 409)
    previous = previous_counted(session, till_id)
    note = typed(note, 200, "Catatan", ShiftError) or None
    difference = None if previous is None else cash.amount - previous
    approved_by = None
    if difference:
        approved_by = _opening_approved(
            session, actor or Actor(cashier_id, till_id, RIGHTS.get(role, frozenset()), reason=note or ""),
            cash.amount, previous, note, now)
    shift = Shift(till_id=till_id, cashier_id=cashier_id, business_date=day, opened_at=now,
                  opening_float=cash.amount, opening_counts=cash.counts,
                  previous_counted=previous, opening_note=note, opening_approved_by=approved_by)
    session.add(shift)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:  # another browser opened it a moment ago
        raise ShiftError("Kasir ini sudah punya shift terbuka. Muat ulang halaman.", 409) from None
    return shift


def float_difference_message(amount: int, previous: int) -> str:
    """What the till says of a float other than the last closing's count (``static/js/shift.js``
    says the same while it is typed)."""
    return (f"Kas awal {format_rupiah(amount)} berbeda {format_difference(amount - previous)} dari kas "
            f"dihitung saat tutup shift terakhir ({format_rupiah(previous)}).")


def _opening_approved(session: Session, actor: Actor, amount: int, previous: int,
                      note: str | None, now: datetime) -> int:
    """The manager who approves an opening difference (its note required first: refused
    before a manager is called over); the approval is logged like a closing's."""
    if not note:
        raise ShiftError(f"{float_difference_message(amount, previous)} Tulis catatan selisih "
                         "(ke mana uangnya); selisih dicatat apa adanya, tidak dipaksa cocok.")
    logged = authorize(session, actor, kind="shift_open",
                       what=f"Buka shift, selisih kas awal {format_difference(amount - previous)}",
                       before=f"dihitung saat tutup terakhir {format_rupiah(previous)}",
                       after=f"kas awal {format_rupiah(amount)}", now=now, suggested=note)
    return logged.approved_by


def threshold_message(limit: int) -> str:
    return f"Kas masuk/keluar di atas {format_rupiah(limit)} perlu persetujuan manajer."


def move_cash(session: Session, actor: Actor, *, direction: CashDirection, amount: int,
              reason: str, day: date, now: datetime, approval_above: int, coin: int = 0) -> CashMovement:
    """Kas masuk / Kas keluar in the actor's open shift, in whole ``coin``s (``POS_CASH_ROUNDING``:
    no drawer pays Rp12.345); above ``approval_above`` a manager approves
    (``approvals.authorize`` raises ``NeedsApproval`` for the inline dialog)."""
    reason = typed(reason, 200, "Alasan", ShiftError)
    if not reason:
        raise ShiftError("Tulis alasan kas masuk/keluar.")
    if amount <= 0 or amount > MAX_MOVEMENT:
        raise ShiftError(f"Jumlah harus lebih dari Rp0 dan paling banyak {format_rupiah(MAX_MOVEMENT)}.")
    in_coins(amount, coin, direction.label, ShiftError)
    shift_id = gate.require(session, till_id=actor.till_id, user_id=actor.user_id, day=day,
                            reload=True)   # the till's form: it reloads to Buka shift, with why
    needs_manager = amount > approval_above
    # the drawer's cash, read only when it is used: a Kas keluar's limit, the manager's dialog
    cash = figures(session, get(session, shift_id)).expected["cash"] \
        if direction is CashDirection.OUT or needs_manager else 0
    # refused before a manager is called over: no PIN can put the money in the drawer
    if direction is CashDirection.OUT and amount > cash:
        raise ShiftError(f"Kas keluar {format_rupiah(amount)} melebihi uang tunai di laci "
                         f"({format_rupiah(cash)}).")
    approved_by = None
    if needs_manager:
        after = cash - amount if direction is CashDirection.OUT else cash + amount
        logged = authorize(session, actor, kind=f"cash_{direction.value}",
                           what=f"{direction.label}: {reason}", before=f"di laci {format_rupiah(cash)}",
                           after=f"{direction.label} {format_rupiah(amount)}; di laci {format_rupiah(after)}",
                           now=now)
        approved_by = logged.approved_by
    row = CashMovement(shift_id=shift_id, till_id=actor.till_id, user_id=actor.user_id,
                       direction=direction, amount=amount, reason=reason,
                       approved_by=approved_by, business_date=day, created_at=now)
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class Closed:
    shift: Shift
    figures: Figures
    tenders: list[ShiftTender]


def close_shift(session: Session, actor: Actor, *, shift_id: int, cash: Cash,
                counted_other: dict[str, int], reason: str | None, now: datetime,
                coin: int = 0, zone: str = DefaultConfig.TIMEZONE,
                must_count: tuple[str, ...] = ()) -> Closed:
    """Close ``shift_id`` with the drawer counted (``cash``: a total typed in whole ``coin``s) and
    the other tenders as counted (a method left out counts as expected; one of ``must_count``
    that moved in the shift is refused left out: the form's QRIS and transfer, typed from their
    settlement).  The difference is kept with its
    reason, never forced to zero; a manager confirms (``authorize(kind="shift_close")``).
    Refused while the clock (``now``) is behind the newest record (``clock_check``, ``zone``
    dating it): its closed_at would be filed before what it closes, as a new shift's opening.

    The shift's row is locked for update before anything is summed: a sale (or refund, or
    member payment) in flight share-locks it in ``gate``, so the close waits for it and then
    counts it, and whatever comes after the close finds no open shift (PostgreSQL; SQLite
    runs one write transaction at a time)."""
    shift = session.scalar(select(Shift).where(Shift.id == shift_id).with_for_update()
                           .execution_options(populate_existing=True))
    if shift is None:
        raise NotFound("Shift tidak ditemukan.")
    if shift.closed_at is not None:
        raise ShiftError("Shift ini sudah ditutup; shift yang ditutup tidak berubah lagi.", 409)
    if (newest := clock_check.behind(session, now)) is not None:   # before a manager is called over
        raise ShiftError(clock_check.behind_message(newest, now, zone), 409)
    # Another cashier (a cashier change at the till) may count it too: a cashier always
    # needs a manager's confirmation below (``authorize``), so no one closes it alone.
    if cash.amount < 0 or cash.amount > MAX_MOVEMENT:
        raise ShiftError("Jumlah uang dihitung tidak masuk akal. Periksa lagi.")
    cash.in_coins(coin, "Uang tunai dihitung")
    f = figures(session, shift)
    expected = f.expected
    counted = {"cash": cash.amount}
    missing = [LABELS[m] for m in must_count if counted_other.get(m) is None and f.moved(m)]
    if missing:
        raise ShiftError(f"Isi {' dan '.join(missing)} dihitung: jumlah menurut laporan settlement "
                         "(aplikasi QRIS, mutasi bank); minus bila retur lebih besar.", 422)
    for method in METHODS[1:]:
        value = counted_other.get(method)
        if value is not None and abs(value) > MAX_MOVEMENT:  # below 0: refunds through it
            raise ShiftError(f"Jumlah {method} dihitung tidak masuk akal.")
        counted[method] = expected[method] if value is None else value
    difference = sum(counted[m] - expected[m] for m in METHODS)
    reason = typed(reason, 200, "Alasan selisih", ShiftError) or None
    # Each tender on its own: a cash shortage is not made good by a QRIS count as much too high.
    off = [f"{LABELS[m]} {format_difference(counted[m] - expected[m])}"
           for m in METHODS if counted[m] != expected[m]]
    if off and not reason:
        raise ShiftError(f"Ada selisih ({', '.join(off)}). Tulis alasannya; selisih "
                         "dicatat apa adanya, tidak dipaksa cocok.")
    # every tender that is off is named to the manager, not only the cash (before/after)
    what = f"Tutup shift #{shift.id}" + (f", selisih {', '.join(off)}" if off else ", tanpa selisih")
    # the cash, and each other tender that is off, labelled: "Sebelum" and "Sesudah" side by side
    shown = [m for m in METHODS if m == "cash" or counted[m] != expected[m]]
    logged = authorize(session, actor, kind="shift_close", what=what[:200],
                       before=_amounts("diharapkan", shown, expected),
                       after=_amounts("dihitung", shown, counted), now=now,
                       suggested="" if off else "Tanpa selisih")
    done = session.execute(
        update(Shift).where(Shift.id == shift.id, Shift.closed_at.is_(None))
        .values(closed_at=now, closed_by=actor.user_id, approved_by=logged.approved_by,
                closing_counts=cash.counts, expected_cash=expected["cash"],
                counted_cash=cash.amount, difference=difference, close_reason=reason)
        .execution_options(synchronize_session=False))
    if done.rowcount != 1:
        raise ShiftError("Shift ini baru saja ditutup dari layar lain.", 409)
    # cash always, and every tender that moved (sold and refunded to Rp0 too: its count was asked)
    rows = [ShiftTender(shift_id=shift.id, method=m, expected=expected[m], counted=counted[m],
                        difference=counted[m] - expected[m])
            for m in METHODS if expected[m] or counted[m] or m == "cash" or f.moved(m)]
    session.add_all(rows)
    session.flush()
    session.refresh(shift)
    return Closed(shift, f, rows)


def _amounts(word: str, methods: list[str], amounts: dict[str, int]) -> str:
    """``diharapkan Tunai Rp253.500, QRIS Rp50.000`` (the log keeps 100 characters)."""
    listed = ", ".join(f"{LABELS[m]} {format_rupiah(amounts[m])}" for m in methods)
    return f"{word} {listed}"[:100]


def tenders_of(session: Session, shift_id: int) -> list[ShiftTender]:
    order = {m: n for n, m in enumerate(METHODS)}
    return sorted(session.scalars(select(ShiftTender).where(ShiftTender.shift_id == shift_id)),
                  key=lambda t: order.get(t.method, 99))
