"""The computer's clock against the records: a mini-PC whose clock went back (a dead CMOS
battery resets it to 01-01-2000) would file a new shift's sales, and a day's closing, under a
business day long past.  What ``pos doctor`` calls the clock behind the newest record
(``health_checks.operations.clock``) refuses a new shift, a shift's closing and a day's
closing here; a year it calls impossible (``plausible``: a new gerai's dead battery, with no
record yet to compare the clock with) refuses a new shift too.

The newest record is the newest sale's time, the newest shift's opening and closing, and the
newest closed day's closing: one statement, each part the newest row by its primary key.
``pos.sales`` asks ``pos.shifts.gate`` for the shift, so the sale is read as a plain table.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import DateTime, Integer, column, select, table
from sqlalchemy.orm import Session

from pos.clock import to_local
from pos.days.models import BusinessDay
from pos.shifts.models import Shift

SKEW = timedelta(minutes=5)        # the newest record may be this far ahead (NTP steps)
YEARS = range(2024, 2100)          # a clock outside these has lost its battery or its mind
FIX = "Betulkan jam komputer, lalu muat ulang halaman."

_sale = table("sale", column("id", Integer), column("created_at", DateTime))


def _newest(value, key):
    return select(value).order_by(key.desc()).limit(1).scalar_subquery()


_NEWEST = select(_newest(_sale.c.created_at, _sale.c.id), _newest(Shift.opened_at, Shift.id),
                 _newest(Shift.closed_at, Shift.id),
                 _newest(BusinessDay.closed_at, BusinessDay.business_date))


def newest_record(session: Session) -> datetime | None:
    """The time of the newest sale, shift opened or closed, or day closed (naive UTC), or None."""
    return max((moment for moment in session.execute(_NEWEST).one() if moment is not None), default=None)


def plausible(now: datetime) -> bool:
    """Is the year of ``now`` (naive UTC) one a working clock shows (``pos doctor``'s rule)?"""
    return now.year in YEARS


def impossible_message(now: datetime, zone: str, fix: str = FIX) -> str:
    """The clock shows a year no record can be filed under (``plausible``)."""
    return (f"Jam komputer menunjukkan {to_local(now, zone):%d-%m-%Y %H:%M}: tanggal itu tidak mungkin "
            f"benar. {fix}")


def behind(session: Session, now: datetime) -> datetime | None:
    """The newest record when the clock (``now``, naive UTC) is more than ``SKEW`` behind it."""
    newest = newest_record(session)
    return newest if newest is not None and newest - now > SKEW else None


def behind_message(newest: datetime, now: datetime, zone: str, fix: str = FIX) -> str:
    return (f"Jam komputer mundur: catatan terakhir tercatat {to_local(newest, zone):%d-%m-%Y %H:%M}, "
            f"jam komputer menunjukkan {to_local(now, zone):%d-%m-%Y %H:%M}. {fix}")


def ahead_message(opened_day: date, today: date) -> str:
    """A shift opened on a later business day than the clock's today: the clock went back."""
    return (f"Jam komputer mundur: shift ini dibuka {opened_day:%d-%m-%Y}, jam komputer menunjukkan "
            f"{today:%d-%m-%Y}. {FIX}")
