"""A batch received close to its expiry: named on the draft and confirmed batch by batch at posting.

A batch that expires in ``EXPIRY_WARNING_DAYS`` days or fewer (60 by default, the days of the
stock list's *Akan kedaluwarsa*, which lists a batch 60 days away too) is seldom what a supplier
should deliver, and a year typed short (06-12-2026 for 06-12-2028) looks just like it; once
posted and partly sold, the receipt can no longer be corrected. So posting asks for each such
batch to be confirmed with its box (``token``: the product's batch and date as they were shown,
so a date changed afterwards is asked about again; two lines of the draft with the same batch
and date share one box, ``boxes``).
A date more than ``FAR_YEARS`` (5) years away is asked about the same way (``far``): a year typed
wrong (31-12-2099, 15-01-2072 for 15-01-2027) that would otherwise sit in stock unnoticed; a
manager's expiry correction (``counts.batch_fix``) and an opening-stock file ask it too (``beyond``).
A date already past is refused outright for goods that go into stock (``receipts.check_expiry``);
a line received 0 (the goods rejected, counted as damaged) records it.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import TypeVar

T = TypeVar("T")


def days_left(expiry: date, today: date) -> int:
    return (expiry - today).days


def soon(line, today: date, warn_days: int | None) -> bool:
    """A received line whose expiry is ``warn_days`` or fewer days after ``today``, as the stock
    list's *Akan kedaluwarsa* counts them (``lists.near_expiry``); never when no days are given
    (posting without the screen, the demo)."""
    return bool(warn_days) and line.qty_packs > 0 and line.expiry is not None and \
        0 < days_left(line.expiry, today) <= warn_days


FAR_YEARS = 5


def years_after(today: date, years: int) -> date:
    """``today`` ``years`` later (29 February on the 28th in a common year)."""
    try:
        return today.replace(year=today.year + years)
    except ValueError:
        return today.replace(year=today.year + years, day=28)


def beyond(expiry: date, today: date) -> bool:
    """``expiry`` more than ``FAR_YEARS`` after ``today``: a year typed wrong, unless confirmed
    (receiving's lines, a manager's correction, an opening-stock file's rows)."""
    return expiry > years_after(today, FAR_YEARS)


def far(line, today: date, warn_days: int | None) -> bool:
    """A received line whose expiry is ``beyond`` (asked, as ``soon``, only when posting from the
    screen: ``warn_days`` given)."""
    return bool(warn_days) and line.qty_packs > 0 and line.expiry is not None and \
        beyond(line.expiry, today)


FAR = f"Kedaluwarsa lebih dari {FAR_YEARS} tahun lagi: periksa tahunnya"


def far_what(name: str, line) -> str:
    """``Paracetamol 500 mg batch B99001 kedaluwarsa 31-12-2099``."""
    batch = f" batch {line.batch_no}" if line.batch_no else ""
    return f"{name}{batch} kedaluwarsa {line.expiry:%d-%m-%Y}"


def token(line) -> str:
    """What a clerk confirms: the product's batch and its expiry as they were shown, for every
    line that carries them (one tick, not one per line: the boxes read the same)."""
    day = line.expiry.isoformat() if line.expiry else ""
    return f"{line.product_id}:{(line.batch_no or '').upper()}:{day}"


def boxes(asked: list[tuple[T, str]], token_of: Callable[[T], str]) -> list[tuple[T, str]]:
    """``asked`` (a line, what to say of it) once per ``token``: the first line that carries the
    batch and date, what is said of it naming how many lines do (``…, 40 hari lagi (2 baris)``)."""
    lines = Counter(token_of(row) for row, _ in asked)
    first = {}
    for row, said in asked:
        first.setdefault(token_of(row), (row, said))
    return [(row, f"{said} ({lines[key]} baris)" if lines[key] > 1 else said)
            for key, (row, said) in first.items()]


def what(name: str, line, today: date) -> str:
    """``Paracetamol 500 mg batch B99001 kedaluwarsa 06-12-2026, 1 hari lagi``."""
    batch = f" batch {line.batch_no}" if line.batch_no else ""
    return (f"{name}{batch} kedaluwarsa {line.expiry:%d-%m-%Y}, "
            f"{days_left(line.expiry, today)} hari lagi")
