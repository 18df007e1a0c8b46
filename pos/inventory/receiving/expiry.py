"""A batch received close to its expiry: named on the draft and confirmed line by line at posting.

A batch that expires within ``EXPIRY_WARNING_DAYS`` (60 by default, the days of the stock list's
*Hampir kedaluwarsa*) is seldom what a supplier should deliver, and a year typed short (06-12-2026
for 06-12-2028) looks just like it; once posted and partly sold, the receipt can no longer be
corrected. So posting asks for each such line to be confirmed with its box (``token``: the line
with its batch and date as they were shown, so a date changed afterwards is asked about again).
A date already past is refused outright for goods that go into stock (``receipts.check_expiry``);
a line received 0 (the goods rejected, counted as damaged) records it.
"""
from __future__ import annotations

from datetime import date


def days_left(expiry: date, today: date) -> int:
    return (expiry - today).days


def soon(line, today: date, warn_days: int | None) -> bool:
    """A received line whose expiry falls within ``warn_days`` of ``today`` (never when no
    days are given: posting without the screen, the demo)."""
    return bool(warn_days) and line.qty_packs > 0 and line.expiry is not None and \
        0 < days_left(line.expiry, today) < warn_days


def token(line) -> str:
    """What a clerk confirms: the line with its batch and expiry as they were shown."""
    return f"{line.id}:{line.batch_no or ''}:{line.expiry.isoformat() if line.expiry else ''}"


def what(name: str, line, today: date) -> str:
    """``Paracetamol 500 mg batch B99001 kedaluwarsa 06-12-2026, 1 hari lagi``."""
    batch = f" batch {line.batch_no}" if line.batch_no else ""
    return (f"{name}{batch} kedaluwarsa {line.expiry:%d-%m-%Y}, "
            f"{days_left(line.expiry, today)} hari lagi")
