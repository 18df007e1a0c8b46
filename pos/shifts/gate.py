"""The till's open shift, asked by everything that moves money at a till.

A sale, a member's payment at the till and a cash refund each need the open shift of
their till, held by the one doing it, opened on the same business day (a shift left open
overnight is closed first; one of a later day means the clock went back, and is refused), on
a business day that is not closed: one round trip answers them all.  Importing this module is
all ``pos.sales``, ``pos.returns`` and ``pos.members.accounts`` know of shifts.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, bindparam, exists, select
from sqlalchemy.orm import Session

from pos.auth.models import User
from pos.days.models import BusinessDay
from pos.days.service import DayClosed, closed_message, hold_day
from pos.errors import PosError
from pos.money import format_rupiah
from pos.shifts.clock_check import ahead_message
from pos.shifts.figures import figures
from pos.shifts.models import Shift
from pos.sql_direct import Direct


class NoOpenShift(PosError):
    status = 409


NO_SHIFT = "Belum ada shift terbuka di kasir ini. Buka shift dulu dengan menghitung kas awal."


def _gate(lock: bool):
    """The one round trip.  In a write transaction the open shift's row stays share-locked
    (PostgreSQL ``FOR SHARE``; SQLite has one writer at a time anyway) until the money
    movement commits: ``service.close_shift`` locks the row for update before it sums the
    shift, so it waits for a sale in flight and then counts it, and a sale that comes after
    the close finds no open shift.  A page's read locks nothing."""
    def open_shift_column(col, label):
        query = select(col).where(Shift.till_id == bindparam("till"), Shift.closed_at.is_(None))
        return (query.with_for_update(read=True) if lock else query).scalar_subquery().label(label)
    return select(open_shift_column(Shift.id, "shift_id"),
                  open_shift_column(Shift.cashier_id, "cashier_id"),
                  open_shift_column(Shift.business_date, "opened_day"),
                  exists().where(BusinessDay.business_date == bindparam("day")).label("closed"))


_GATES = {True: Direct(_gate(True)), False: Direct(_gate(False))}  # on the cursor: every sale


def _ask(session: Session, till_id: int, day: date):
    conn = session.connection()
    return _GATES[bool(conn.get_execution_options().get("pos_write"))].first(
        conn, {"till": till_id, "day": day})


def left_open(shift_id: int, opened_day: date) -> str:
    """A shift of an earlier business day still open (the drawer not counted overnight): its
    day's money would take today's sales, and neither day would add up."""
    return (f"Shift #{shift_id} dari tanggal {opened_day:%d-%m-%Y} belum ditutup. Tutup shift itu "
            "dulu (hitung laci), lalu buka shift hari ini.")


def own_shift_day(till_column: ColumnElement) -> ColumnElement:
    """The business day of the shift the cashier (bound as ``cashier``) holds open at the till
    ``till_column`` names, else NULL: one look-up on the open shift's index, for a statement
    that runs anyway (the till's cart, on every scan: ``sales.cart_queries``).  Today's is a
    shift to sell in (today is open then: no day closes while a shift of it is open); none, an
    earlier day's, or a later one's (the clock went back), is not, and ``require`` says why."""
    return select(Shift.business_date).where(Shift.till_id == till_column, Shift.closed_at.is_(None),
                                             Shift.cashier_id == bindparam("cashier")).scalar_subquery()


def open_shift(session: Session, till_id: int | None) -> Shift | None:
    """The open shift of ``till_id`` (whoever holds it), or None."""
    if till_id is None:
        return None
    return session.scalar(select(Shift).where(Shift.till_id == till_id, Shift.closed_at.is_(None)))


def require(session: Session, *, till_id: int | None, user_id: int, day: date,
            own: bool = True, reload: bool = False) -> int:
    """The id of the open shift of ``till_id`` held by ``user_id``, on an open ``day``.

    A sale is made only in the seller's own shift (``own``); money a manager takes in or
    pays out at someone's till (a refund, a member's payment) goes through that till's
    drawer, so it belongs to the shift open there, whoever holds it.  With ``reload`` the
    refusal reloads the page that asked (``PosError.reload``): a form of the till's left open
    after its shift closed elsewhere is not sent again and again (Kas masuk/keluar, a member's
    payment at the counter)."""
    try:
        return _require(session, till_id, user_id, day, own)
    except PosError as refused:
        refused.reload = refused.reload or reload
        raise


def takes_money(session: Session, till_id: int, day: date) -> bool:
    """Does ``till_id`` have a shift open today, on an open ``day``, for money at its drawer
    (whoever holds it: ``require(own=False)`` would pass)?"""
    row = _ask(session, till_id, day)
    return not row.closed and row.shift_id is not None and row.opened_day == day


def _require(session: Session, till_id: int | None, user_id: int, day: date, own: bool) -> int:
    if till_id is None:
        raise NoOpenShift("Pilih mesin kasir saat masuk: uang hanya diterima di laci kasir "
                          "yang shift-nya terbuka.")
    row = _ask(session, till_id, day)
    if row.closed:
        raise DayClosed(closed_message(day))
    if row.shift_id is None:
        raise NoOpenShift(NO_SHIFT)
    if row.opened_day < day:
        raise NoOpenShift(left_open(row.shift_id, row.opened_day))
    if row.opened_day > day:   # the clock went back (01-01-2000): nothing filed on that day
        raise NoOpenShift(ahead_message(row.opened_day, day))
    if own and row.cashier_id != user_id:
        name = session.scalar(select(User.full_name).where(User.id == row.cashier_id))
        raise NoOpenShift(f"Shift yang terbuka di kasir ini milik {name}. Shift itu ditutup "
                          "dulu (hitung laci), lalu buka shift Anda sendiri.")
    return row.shift_id


def held(session: Session, *, till_id: int | None, user_id: int, day: date,
         own: bool = True) -> int | None:
    """The open shift of ``till_id`` (held by ``user_id`` when ``own``) if there is one, on
    an open ``day`` (else ``DayClosed``): for what may, but need not, pass a drawer."""
    till = -1 if till_id is None else till_id  # no till: no shift, but the day still counts
    hold_day(session, day)  # no shift may hold this back from the day's closing: the day does
    row = _ask(session, till, day)
    if row.closed:
        raise DayClosed(closed_message(day))
    if row.shift_id is not None and row.opened_day > day:   # the clock went back
        raise NoOpenShift(ahead_message(row.opened_day, day))
    if row.shift_id is None or row.opened_day < day or (own and row.cashier_id != user_id):
        return None   # (an earlier day's shift takes none of today's money)
    return row.shift_id


# Change of Rp100.000 or more is rare at a gerai (a buyer hands notes just above the bill) and
# may well be more than the drawer holds (Rp1.000.000 typed for a Rp100.000 note): it is checked.
CHANGE_CHECKED = 100_000


def pay_change(session: Session, shift_id: int, change: int) -> None:
    """Change comes out of what the drawer held before the sale: from ``CHANGE_CHECKED`` up
    (a zero typed too many: Kembali Rp910.064 for Rp89.936) it must be there, or the sale is
    refused and nothing is written.  Smaller change, nearly every sale's, reads nothing: the
    shift's figures grow with its sales (about 3 ms on SQLite, 6 ms on PostgreSQL, at 2,000)."""
    if change < CHANGE_CHECKED:
        return
    held = figures(session, session.get(Shift, shift_id)).expected["cash"]
    if change > held:
        raise PosError(f"Kembalian {format_rupiah(change)} melebihi uang tunai di laci "
                       f"({format_rupiah(held)}). Periksa uang yang diterima.")
