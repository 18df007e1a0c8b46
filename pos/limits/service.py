"""Per-buyer limits (filled by issue 10's limits work)."""
from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from pos.members.buyers import Buyer


def check(session: Session, rows, buyer: Buyer, today: date, *, strict: bool = True) -> list[str]:
    """Refuse what passes a buyer's limit (or ask for the buyer); the notes the cart shows."""
    return []


def take(session: Session, rows, buyer: Buyer, day: date, *, sale_id: int, receipt_no: str,
         line_ids: dict[int, int]) -> None:
    """Take the rows' quantities from the buyer's allowance, race-safely (inside checkout)."""
