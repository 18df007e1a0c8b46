"""The member file's optional ``batas_kasbon`` column: each member's kasbon limit in Rupiah
(``500000``, ``500.000`` or ``Rp500.000``; an empty cell keeps the limit, 0 takes kasbon away).

It is read and set as on the member page (``credit.set_limit``): the same largest limit and the
same messages ("Batas kasbon tidak valid. …"), only by a user with the manage right (the
manager importing the file), each change logged as an entry on the member's kartu piutang.
``transfer`` checks the cells with the rest of the row and sets the limits after the members are
saved, in the same transaction: a file is saved whole or not at all.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.auth.service import require_right
from pos.errors import PosError
from pos.inventory.catalog.spreadsheets import Row
from pos.members.accounts import credit
from pos.members.accounts.models import MemberCredit
from pos.money import MoneyError, parse_rupiah

COLUMN, LABEL = "batas_kasbon", "Batas kasbon"
REFUSAL = "Hanya manajer yang dapat mengatur batas kasbon."   # as ``credit.set_limit`` says it


def cell(row: Row) -> int | None:
    """The row's limit, or None when the cell is empty (kept); ``PosError`` for a wrong one."""
    text = (row.get(COLUMN) or "").strip()
    if not text:
        return None
    try:
        return parse_rupiah(text, credit.MAX_LIMIT)
    except MoneyError as problem:
        raise PosError(problem.of_field(LABEL)) from None


def problems(row: Row) -> list[str]:
    """What is wrong with the row's limit (nothing when it is empty or right)."""
    try:
        cell(row)
    except PosError as error:
        return [error.message]
    return []


def refused(session: Session, rows: list[Row], user_id: int | None) -> list[str]:
    """"Baris N: Hanya manajer …" for every row setting a limit when ``user_id`` may not."""
    lines = [row["_line"] for row in rows if (row.get(COLUMN) or "").strip()]
    if not lines:
        return []
    try:
        require_right(session, user_id, "manage", REFUSAL)
    except PosError as error:
        return [f"Baris {line}: {error.message}" for line in lines]
    return []


def stored(session: Session) -> dict[int, int]:
    """Every member's limit by member id (members never given one are missing)."""
    return dict(session.execute(select(MemberCredit.member_id, MemberCredit.credit_limit)).all())


def save(session: Session, member_id: int, limit: int, user_id: int, today: date) -> None:
    """Set the limit as the member page does (an entry logged when it changes)."""
    credit.set_limit(session, member_id, limit, user_id, today=today)
