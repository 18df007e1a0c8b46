"""The members a saldo awal file (simpanan or kasbon) names in its nomor column: each number as
typed (any case), or, a number of digits naming no member as it stands (an XLSX cell kept 0042
as 42), the one member it is with its zeros back; several such members: why it cannot be told
(``pos.inventory.catalog.lost_zeros``)."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pos.inventory.catalog import lost_zeros
from pos.inventory.catalog.spreadsheets import Row
from pos.members.models import Member


def members_of(session: Session, rows: list[Row]) -> dict[str, Member | str]:
    """Each number of ``rows`` (in capitals) -> its member, or the row's problem."""
    numbers = list({(r.get("nomor") or "").strip().upper() for r in rows} - {""})
    found: dict[str, Member | str] = {}
    for start in range(0, len(numbers), 500):
        found.update((m.number.upper(), m) for m in session.scalars(
            select(Member).where(func.upper(Member.number).in_(numbers[start:start + 500]))))
    rest = [number for number in numbers if number not in found]
    for number, named in lost_zeros.padded(session, Member.number, rest, Member).items():
        found[number] = named[0][1] if len(named) == 1 else lost_zeros.ambiguous(
            number, "nomor", [shown for shown, _ in named])
    return found
