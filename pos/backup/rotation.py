"""Which backups to keep: the newest of each of the last 14 days and the newest of each of the
last 12 months (a backup may be both); everything older goes. A backup dated after today (the
clock was set back) is kept and takes no place in the count. Pure on explicit dates, so the
rule is tested without a clock; ``rotate`` applies it to a directory, per kind of backup."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from pos.backup import copy, pg_dump
from pos.backup.copy import taken_at

DAILY = 14
MONTHLY = 12
KINDS = (copy.SUFFIX, pg_dump.SUFFIX)


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def keep(taken: list[datetime], today: date, daily: int = DAILY, monthly: int = MONTHLY) -> set[datetime]:
    """The moments in ``taken`` to keep on ``today``."""
    first_day = today - timedelta(days=daily - 1)
    first_month = _month_index(today) - (monthly - 1)
    newest_of_day: dict[date, datetime] = {}
    newest_of_month: dict[int, datetime] = {}
    later = {at for at in taken if at.date() > today}
    for at in taken:
        day = at.date()
        if day > today:
            continue
        if first_day <= day <= today and at > newest_of_day.get(day, datetime.min):
            newest_of_day[day] = at
        month = _month_index(day)
        if first_month <= month and at > newest_of_month.get(month, datetime.min):
            newest_of_month[month] = at
    return set(newest_of_day.values()) | set(newest_of_month.values()) | later


def rotate(directory: Path, today: date, prefix: str = copy.PREFIX) -> list[Path]:
    """Delete the backups in ``directory`` that ``keep`` does not keep; returns those deleted.
    Only files named like a backup (starting with ``prefix``) are touched, and each kind
    (SQLite ``.db.gz``, PostgreSQL ``.pgdump``) is kept by the rule on its own, so one kind
    never pushes out the other."""
    gone = []
    for suffix in KINDS:
        found = {}
        for path in directory.iterdir():
            at = taken_at(path.name, suffix, prefix)
            if at is not None and path.is_file():
                found[path] = at
        kept = keep(list(found.values()), today)
        gone.extend(path for path, at in found.items() if at not in kept)
    for path in sorted(gone):
        path.unlink()
    return sorted(gone)
