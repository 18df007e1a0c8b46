"""Is a business day closed?  The one check every writer of a day's money asks."""
from __future__ import annotations

from datetime import date

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from pos.days.models import BusinessDay
from pos.errors import PosError


class DayClosed(PosError):
    status = 409


def closed_message(day: date) -> str:
    return (f"Hari {day:%d-%m-%Y} sudah ditutup: tidak ada perubahan lagi untuk hari itu. "
            "Transaksi baru dibukukan pada hari berikutnya.")


def is_closed(session: Session, day: date) -> bool:
    return bool(session.scalar(select(exists().where(BusinessDay.business_date == day))))


def ensure_open(session: Session, day: date) -> None:
    """Raise ``DayClosed`` when ``day`` is closed (a change would edit a closed day)."""
    if is_closed(session, day):
        raise DayClosed(closed_message(day))


def closed_days(session: Session, first: date, last: date) -> set[date]:
    return set(session.scalars(select(BusinessDay.business_date).where(
        BusinessDay.business_date.between(first, last))))
