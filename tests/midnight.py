"""No test straddles the turn of the business day.

A test takes "today" while it sets up (a shift opened, a day report asked for, a batch's
expiry so many days on) and acts on it a moment later through the app, which takes today
again.  A run that went past midnight in the outlet's zone (16:00 UTC for WITA) failed the
tests running at that moment: their shift was yesterday's and had to be closed first, a day
typed as tomorrow had come.  So a test that would start less than ``LONGEST_TEST`` before the
turn waits for it (``wait_past_turn``, an autouse fixture in ``conftest.py``): once a run
straddling midnight, about a minute at most per test process.  The files made once per run
on a business day (the demo outlet's, ``DayFile``) are made again for the new day.
"""
from __future__ import annotations

import time as wall
from datetime import date, datetime, time, timedelta

from pos import clock
from pos.config import DefaultConfig

# Longer than any test takes (the slowest, a crash round on PostgreSQL, under 40 s).
LONGEST_TEST = 60.0


def outlet_today() -> date:
    """Today as the app counts it (its clock, the outlet's zone), at this moment."""
    return clock.business_date(clock.utcnow(), DefaultConfig.TIMEZONE)


def seconds_to_turn(moment: datetime, zone: str) -> float:
    """Seconds from ``moment`` (naive UTC) to the next midnight in ``zone``."""
    local = clock.to_local(moment, zone)
    midnight = datetime.combine(local.date() + timedelta(days=1), time(0), local.tzinfo)
    return (midnight - local).total_seconds()


def wait_past_turn(now=None, sleep=wall.sleep, zone: str = DefaultConfig.TIMEZONE,
                   longest: float = LONGEST_TEST) -> float:
    """Sleep until the business day has turned when it turns within ``longest`` seconds;
    the seconds slept (0: nothing to wait for). ``now`` and ``sleep`` for its own tests. A
    clock that does not move (one a test stopped) is waited on no longer than ``longest``."""
    now = now or (lambda: clock.utcnow())
    slept = 0.0
    while (left := seconds_to_turn(now(), zone)) < longest and slept < longest:
        sleep(left + 0.25)
        slept += left + 0.25
    return slept


class DayFile:
    """A file made by ``make()`` for the business day it was made on, made again once the day
    has turned (the demo outlet's closed days are the days before its today). Stands where a
    path does (``shutil.copyfile(template, ...)``)."""

    def __init__(self, make):
        self._make, self._day, self._path = make, None, None

    def __fspath__(self) -> str:
        today = outlet_today()
        if today != self._day:
            self._path, self._day = self._make(), today
        return str(self._path)

    __str__ = __fspath__
