"""Subsidised fertiliser at the till (filled by issue 10's fertiliser work)."""
from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from pos.members.buyers import Buyer


def check(session: Session, rows, buyer: Buyer, today: date, *, strict: bool = True) -> list[str]:
    """Refuse subsidised fertiliser beyond the farmer's allocation (or ask for the farmer)."""
    return []


def redeem(session: Session, rows, buyer: Buyer, day: date, *, sale_id: int, receipt_no: str,
           line_ids: dict[int, int], cashier_id: int) -> None:
    """Take the rows' kilograms from the farmer's allocation, race-safely (inside checkout)."""
