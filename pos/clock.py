"""Time in the outlet's zone.  The database stores naive UTC; people see local time.

A business date is the outlet-local calendar date of the moment a sale is
committed (a sale at 23:30 WITA belongs to that day, not to UTC's).
"""
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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
