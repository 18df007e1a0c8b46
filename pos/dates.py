"""Dates as people at the outlet type and read them: day first (dd-mm-yyyy) whatever the
browser's language, with Indonesian month names.  Pure functions; ``web.date_field`` reads
form fields with ``parse_day_first`` and ``static/js/dates.js`` follows the same rules.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from markupsafe import Markup

from pos.errors import PosError

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember")
# 15112026, 15-11-2026 (or / or .), and ISO 2026-11-15; ASCII digits only (\d would take any
# script's digits).
_FORMS = ((re.compile(r"([0-9]{2})([0-9]{2})([0-9]{4})"), "dmy"),
          (re.compile(r"([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})"), "dmy"),
          (re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"), "ymd"))
FIRST_YEAR, LAST_YEAR = 2000, 2099  # outside: a slip of the keyboard
_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def parse_day_first(text: str) -> date:
    """The date in ``text``; ``ValueError`` with what is wrong (in Indonesian, to follow the
    field's name) for text that is not a date or a date that is not in the calendar
    (31-02-2026, 00-01-2026): never rolled over into another day."""
    raw = (text or "").strip()
    found = next(((m, order) for pattern, order in _FORMS if (m := pattern.fullmatch(raw))), None)
    if found is None:
        raise ValueError("tidak dikenali; tulis HH-BB-TTTT, misalnya 15-11-2026.")
    parts = dict(zip(found[1], map(int, found[0].groups()), strict=True))
    day, month, year = parts["d"], parts["m"], parts["y"]
    # day first as it was read (20261130 is "20-26-1130"); an ISO date as written (2026-13-01
    # said back as "01-13-2026" named a date nobody typed)
    typed = raw if found[1] == "ymd" else f"{day:02d}-{month:02d}-{year:04d}"
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"{typed}: tahun harus antara {FIRST_YEAR} dan {LAST_YEAR}.")
    if not 1 <= month <= 12:
        raise ValueError(f"{typed} tidak ada: bulan harus 01 sampai 12.")
    last = days_in_month(year, month)
    if day < 1:
        raise ValueError(f"{typed} tidak ada: tanggal harus 01 sampai {last}.")
    if day > last:
        raise ValueError(f"{typed} tidak ada: {MONTHS[month - 1]} {year} hanya {last} hari.")
    return date(year, month, day)


def date_problem(label: str, typed: str, error: ValueError) -> str:
    """``parse_day_first``'s ``error`` said of the field ``label``, the text typed named once:
    "tanggal 31-02-2026 tidak ada: Februari 2026 hanya 28 hari." (the message names the date
    itself), "tanggal 'kemarin' tidak dikenali; …" (it does not)."""
    said = str(error)
    return f"{label} {said}" if said[:1].isdigit() else f"{label} '{typed.strip()[:20]}' {said}"


def not_yet(day: date, today: date, then: str = "") -> str | None:
    """Why ``day`` is refused when it has not yet come (else None): the one rule and wording of
    every place one business day is asked for (the day report, Tutup hari, ``pos report day``,
    ``pos day``, ``pos shift list``, ``pos lpg day``), whose zeros would read as a day with
    nothing in it. ``then`` says what there is not: "belum ada ringkasan"."""
    if day <= today:
        return None
    return f"Hari {day:%d-%m-%Y} belum tiba (hari ini {today:%d-%m-%Y})" + (f": {then}." if then else ".")


# What a command says of a range typed backwards (``cli_dates.day_range``).
FROM_AFTER_TO = "--from harus sebelum atau sama dengan --to."


def parse_iso(text: str) -> date:
    """``YYYY-MM-DD`` exactly (a URL's, an option's or a document's date), in the years above;
    ``ValueError`` otherwise. ``date.fromisoformat`` also takes 20261203, 2026-W49-4 and the
    year 1, whose day bounds overflow."""
    found = _ISO.fullmatch(text or "")
    if found is None or not FIRST_YEAR <= int(found[1]) <= LAST_YEAR:
        raise ValueError(f"not a date YYYY-MM-DD from {FIRST_YEAR} to {LAST_YEAR}: {text!r}")
    return date(int(found[1]), int(found[2]), int(found[3]))


def shown(value: date | datetime | None) -> Markup:
    """A date as a screen shows it, ``dd-mm-yyyy`` (a datetime with its ``HH:MM``), in one
    ``span.date`` a line never breaks inside: "22-11-" on one line and "2026" on the next is not
    a date. The ``day`` filter; ``web.local_time`` for stored UTC times. Empty for None."""
    if value is None:
        return Markup("")
    text = value.strftime("%d-%m-%Y %H:%M" if isinstance(value, datetime) else "%d-%m-%Y")
    return Markup('<span class="date">%s</span>') % text


_IN_TEXT = re.compile(r"\b[0-9]{2}-[0-9]{2}-[0-9]{4}\b")


def kept_whole(text: str | None) -> Markup:
    """Words with dates in them (a reason "Kedaluwarsa 13-11-2026", a logged HET "mulai
    01-01-2025"), escaped, each dd-mm-yyyy in a ``span.date`` as ``shown`` writes it: the line
    breaks between words, never inside a date. The ``dates_kept`` filter."""
    escaped = Markup.escape(text or "")   # digits and hyphens pass escaping unchanged
    return Markup(_IN_TEXT.sub(lambda m: f'<span class="date">{m.group(0)}</span>', str(escaped)))


_UNBROKEN = re.compile(r"\S{21,}")   # longer than any word: pasted text with no space in it


def typed(text: str | None) -> Markup:
    """A typed reason, note or memo (``td.typed``): its words and dates (``kept_whole``) break
    only between them; a run of more than 20 characters with no space in it (200 pasted) is a
    ``span.long-word``, which breaks anywhere. The ``typed`` filter."""
    raw, parts, at = text or "", [], 0
    for run in _UNBROKEN.finditer(raw):
        parts += [kept_whole(raw[at:run.start()]),
                  Markup('<span class="long-word">%s</span>') % kept_whole(run.group())]
        at = run.end()
    return Markup("").join([*parts, kept_whole(raw[at:])])


def in_words(value: date | None) -> str:
    """``15 November 2026`` (empty for no date): how a date is read back to whoever typed it."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}" if isinstance(value, date) else ""


def days_in_month(year: int, month: int) -> int:
    return date.fromordinal(date(year + month // 12, month % 12 + 1, 1).toordinal() - 1).day


def check_range(first: date, last: date, longest_days: int | None = None) -> tuple[date, date]:
    """``(first, last)`` of a report or list range, refused (400) backwards or longer than
    ``longest_days``."""
    if last < first:
        raise PosError("Tanggal awal harus sebelum atau sama dengan tanggal akhir.", 400)
    if longest_days is not None and (last - first).days > longest_days:
        raise PosError(f"Rentang paling lama {longest_days} hari.", 400)
    return first, last


@dataclass(frozen=True)
class TypedRange:
    """A report's Dari/Sampai as typed (``typed_range``): the dates to show, what was typed (put
    back in the fields when it is refused) and what is wrong with it (None: nothing)."""

    start: date
    end: date
    typed: tuple[str, str] = ("", "")
    problem: str | None = None
    bad: tuple[bool, bool] = (False, False)   # which field the problem is in

    def field_values(self) -> tuple[date | str, date | str]:
        """What the Dari and Sampai fields show: the typed text of a refused range, else the dates."""
        return self.typed if self.problem else (self.start, self.end)


def typed_range(raw_start: str | None, raw_end: str | None, default_start: date,
                default_end: date | None = None, *,
                labels: tuple[str, str] = ("Tanggal awal", "Tanggal akhir"),
                longest_days: int | None = None) -> TypedRange:
    """The range a report page was asked for: each blank field its default (``default_end``
    None: the start), a date typed wrong or a range backwards or too long a ``problem`` with
    the message ``parse_day_first`` / ``check_range`` give, so the page is drawn again with
    the fields as typed instead of an error page. The one place report pages read their dates."""
    typed = ((raw_start or "").strip(), (raw_end or "").strip())
    found: list[date | None] = []
    for text, label in zip(typed, labels, strict=True):
        try:
            found.append(parse_day_first(text) if text else None)
        except ValueError as wrong:
            bad = (label == labels[0], label == labels[1])
            return TypedRange(default_start, default_end or default_start, typed, f"{label} {wrong}", bad)
    start = found[0] or default_start
    end = found[1] or default_end or start
    try:
        check_range(start, end, longest_days)
    except PosError as wrong:
        return TypedRange(start, end, typed, wrong.message, (True, True))
    return TypedRange(start, end, typed)
