"""Is a business day closed?  The one check every writer of a day's money asks.

On PostgreSQL the check alone would race the closing (READ COMMITTED: a return checks, the
day closes without seeing the uncommitted return, the return commits onto the closed day), so
both take the day's advisory lock first (``hold_day``): writers shared, the closing exclusive.
A writer in flight holds the closing back until it commits, and the closing's figures then
include it; a writer that comes during the closing waits, then finds the day closed.  SQLite
needs nothing: a write transaction there begins ``IMMEDIATE``, one at a time.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import exists, select, text
from sqlalchemy.orm import Session

from pos.days.models import BusinessDay
from pos.errors import PosError


class DayClosed(PosError):
    status = 409


def closed_message(day: date) -> str:
    return (f"Hari {day:%d-%m-%Y} sudah ditutup: tidak ada perubahan lagi untuk hari itu, jadi "
            "transaksi ini tidak tersimpan. Penjualan dan transaksi lain baru dapat dibuat lagi "
            "mulai hari usaha berikutnya.")


DAY_LOCK = 0x64617973  # "days": the advisory lock class of a business day; the day's ordinal
_SHARED = text("SELECT pg_advisory_xact_lock_shared(CAST(:kind AS integer), CAST(:day AS integer))")
_EXCLUSIVE = text("SELECT pg_advisory_xact_lock(CAST(:kind AS integer), CAST(:day AS integer))")


def hold_day(session: Session, day: date, *, closing: bool = False) -> None:
    """Until this transaction ends, hold ``day`` against its closing (``closing=True``: hold
    it against every writer of it, for the closing itself).  Before any check of the day."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        conn.execute(_EXCLUSIVE if closing else _SHARED, {"kind": DAY_LOCK, "day": day.toordinal()})


def is_closed(session: Session, day: date) -> bool:
    return bool(session.scalar(select(exists().where(BusinessDay.business_date == day))))


def ensure_open(session: Session, day: date) -> None:
    """Raise ``DayClosed`` when ``day`` is closed (a change would edit a closed day); else the
    day stays open until this transaction ends (``hold_day``)."""
    hold_day(session, day)
    if is_closed(session, day):
        raise DayClosed(closed_message(day))


def closed_days(session: Session, first: date, last: date) -> set[date]:
    return set(session.scalars(select(BusinessDay.business_date).where(
        BusinessDay.business_date.between(first, last))))
