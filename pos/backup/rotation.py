"""Which backups to keep: the newest of each of the last 14 days and the newest of each of the
last 12 months (a backup may be both); everything older goes. A backup dated after today (the
clock was set back) is kept and takes no place in the count. Whatever the dates say, the newest
14 never go: when the rule keeps fewer, the newest of the others stay with them (a clock run
fast would otherwise leave its today's window empty). Pure on explicit dates, so the rule is
tested without a clock; ``rotate`` applies it to a directory, per kind of backup, and deletes
nothing when today is far past the newest backup before the one just made (the clock may be
wrong, or backups stopped long ago): ``Rotated.held`` says why."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from pos.backup import copy, pg_dump
from pos.backup.copy import taken_at

DAILY = 14
MONTHLY = 12
STALE = timedelta(days=31)   # today this far past the newest backup: nothing deleted
KINDS = (copy.SUFFIX, pg_dump.SUFFIX)


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def keep(taken: list[datetime], today: date, daily: int = DAILY, monthly: int = MONTHLY) -> set[datetime]:
    """The moments in ``taken`` to keep on ``today``: never fewer than the newest ``daily``."""
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
    kept = set(newest_of_day.values()) | set(newest_of_month.values()) | later
    others = sorted(set(taken) - kept, reverse=True)
    return kept | set(others[:max(daily - len(kept), 0)])


@dataclass(frozen=True)
class Rotated:
    gone: list[Path]        # the backups deleted
    held: str | None        # why none was deleted, for the operator (None: the rule was applied)


def rotate(directory: Path, today: date, prefix: str = copy.PREFIX, made: Path | None = None) -> Rotated:
    """Delete the backups in ``directory`` that ``keep`` does not keep. Only files named like a
    backup (starting with ``prefix``) are touched, and each kind (SQLite ``.db.gz``, PostgreSQL
    ``.pgdump``) is kept by the rule on its own, so one kind never pushes out the other. When
    today is more than ``STALE`` past the newest backup other than ``made`` (the one just
    taken), nothing is deleted and ``held`` says why."""
    found = {suffix: {path: at for path in directory.iterdir()
                      if (at := taken_at(path.name, suffix, prefix)) is not None and path.is_file()}
             for suffix in KINDS}
    before = [at for backups in found.values() for path, at in backups.items() if path != made]
    newest = max(before, default=None)
    if newest is not None and today - newest.date() > STALE:
        return Rotated([], _held(newest.date(), today))
    gone = []
    for backups in found.values():
        kept = keep(list(backups.values()), today)
        gone.extend(path for path, at in backups.items() if at not in kept)
    for path in sorted(gone):
        path.unlink()
    return Rotated(sorted(gone), None)


def _held(newest: date, today: date) -> str:
    return (f"Cadangan lama tidak dihapus: cadangan terbaru sebelum ini bertanggal {newest:%d-%m-%Y}, "
            f"{(today - newest).days} hari sebelum tanggal komputer ({today:%d-%m-%Y}). Jam komputer "
            "mungkin terlalu cepat, atau pencadangan sudah lama terhenti. Periksa tanggal komputer "
            "(date atau timedatectl) dan setel bila salah sebelum pencadangan berikutnya.")
