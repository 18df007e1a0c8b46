"""Time in the outlet's zone.  The database stores naive UTC; people see local time.

A business date is the outlet-local calendar date of the moment a sale is
committed (a sale at 23:30 WITA belongs to that day, not to UTC's).
"""
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    """Naive UTC now, the form every timestamp column holds."""
    return datetime.now(UTC).replace(tzinfo=None)


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
