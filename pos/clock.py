"""Time in the outlet's zone.  The database stores naive UTC; people see local time.

A business date is the outlet-local calendar date of the moment a sale is
committed (a sale at 23:30 WITA belongs to that day, not to UTC's).
"""
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pos.dates import parse_day_first
from pos.errors import PosError


def utcnow() -> datetime:
    """Naive UTC now, the form every timestamp column holds."""
    return datetime.now(UTC).replace(tzinfo=None)


def utc_iso(moment: datetime | None, timespec: str = "auto") -> str | None:
    """A stored naive-UTC timestamp in a machine's JSON, its zone said (``2026-12-05T08:39:53
    +00:00``): without it a script read 08:39 where the screen said 16:39 WITA. Every time a
    ``--json`` or a day summary writes goes through here (``timespec="seconds"``: no fraction)."""
    return None if moment is None else moment.replace(tzinfo=UTC).isoformat(timespec=timespec)


def to_local(moment: datetime, zone: str) -> datetime:
    """A stored naive-UTC timestamp as an aware datetime in ``zone``."""
    return moment.replace(tzinfo=UTC).astimezone(ZoneInfo(zone))


def business_date(moment: datetime, zone: str) -> date:
    return to_local(moment, zone).date()


def zone_abbreviation(zone: str) -> str:
    """WIB / WITA / WIT for Indonesian zones, otherwise the UTC offset."""
    names = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA",
             "Asia/Jayapura": "WIT"}
    return names.get(zone) or datetime.now(ZoneInfo(zone)).strftime("UTC%z")


def check_zone(zone) -> str:
    """``zone`` when it names a time zone; a ``PosError`` saying what to write otherwise (the
    server does not start: every business date would be wrong, or every page would fail)."""
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise PosError(f"POS_TIMEZONE {str(zone)[:40]!r} bukan zona waktu yang dikenal. Contoh: "
                       "Asia/Makassar (WITA), Asia/Jakarta (WIB), Asia/Jayapura (WIT).") from None
    return zone


# The zones an Indonesian moment may be written in (``07-12-2026 10:47 WIB``).
ZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}
MOMENT_FORM = "HH-BB-TTTT JJ:MM"


def typed_moment(text: str, zone: str) -> datetime:
    """A moment typed day first with its time, ``07-12-2026 10:47``, in ``zone`` unless a zone's
    name follows it (``07-12-2026 10:47 WIB``, as the hub prints it), as naive UTC; a
    ``ValueError`` in Indonesian otherwise."""
    parts = (text or "").split()
    if parts and parts[-1].upper() in ZONES:
        zone = ZONES[parts.pop().upper()]
    if len(parts) != 2:
        raise ValueError(f"tidak dikenali; tulis {MOMENT_FORM}, misalnya 07-12-2026 10:47.")
    day = parse_day_first(parts[0])
    hour, _, minute = parts[1].replace(".", ":").partition(":")
    if not (hour.isascii() and hour.isdigit() and minute.isascii() and minute.isdigit()
            and int(hour) < 24 and int(minute) < 60 and len(minute) == 2):
        raise ValueError(f"{parts[0]} {parts[1]}: jam tidak dikenali; tulis JJ:MM (00:00 sampai 23:59), "
                         "misalnya 10:47.")
    local = datetime(day.year, day.month, day.day, int(hour), int(minute), tzinfo=ZoneInfo(zone))
    return local.astimezone(UTC).replace(tzinfo=None)
