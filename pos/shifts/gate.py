"""The till's open shift, asked by everything that moves money at a till.

A sale, a member's payment at the till and a cash refund each need the open shift of
their till, held by the one doing it, on a business day that is not closed: one round
trip answers all three.  Importing this module is all ``pos.sales``, ``pos.returns`` and
``pos.members.accounts`` know of shifts.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import Session

from pos.auth.models import User
from pos.days.models import BusinessDay
from pos.days.service import DayClosed, closed_message
from pos.errors import PosError
from pos.shifts.models import Shift


class NoOpenShift(PosError):
    status = 409


NO_SHIFT = "Belum ada shift terbuka di kasir ini. Buka shift dulu dengan menghitung kas awal."

_GATE = select(
    select(Shift.id).where(Shift.till_id == bindparam("till"), Shift.closed_at.is_(None))
    .scalar_subquery().label("shift_id"),
    select(Shift.cashier_id).where(Shift.till_id == bindparam("till"), Shift.closed_at.is_(None))
    .scalar_subquery().label("cashier_id"),
    exists().where(BusinessDay.business_date == bindparam("day")).label("closed"),
)


def open_shift(session: Session, till_id: int | None) -> Shift | None:
    """The open shift of ``till_id`` (whoever holds it), or None."""
    if till_id is None:
        return None
    return session.scalar(select(Shift).where(Shift.till_id == till_id, Shift.closed_at.is_(None)))


def require(session: Session, *, till_id: int | None, user_id: int, day: date,
            own: bool = True) -> int:
    """The id of the open shift of ``till_id`` held by ``user_id``, on an open ``day``.

    A sale is made only in the seller's own shift (``own``); money a manager takes in or
    pays out at someone's till (a refund, a member's payment) goes through that till's
    drawer, so it belongs to the shift open there, whoever holds it."""
    if till_id is None:
        raise NoOpenShift("Pilih kasir (till) saat masuk: uang hanya diterima di laci kasir "
                          "yang shift-nya terbuka.")
    row = session.connection().execute(_GATE, {"till": till_id, "day": day}).one()
    if row.closed:
        raise DayClosed(closed_message(day))
    if row.shift_id is None:
        raise NoOpenShift(NO_SHIFT)
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
    row = session.connection().execute(_GATE, {"till": till, "day": day}).one()
    if row.closed:
        raise DayClosed(closed_message(day))
    if row.shift_id is None or (own and row.cashier_id != user_id):
        return None
    return row.shift_id
