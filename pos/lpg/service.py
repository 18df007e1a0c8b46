"""LPG 3 kg at the till (filled by issue 10's LPG work)."""
from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from pos.members.buyers import Buyer


def check(rows, buyer: Buyer, *, strict: bool = True) -> list[str]:
    """Ask for the buyer's NIK and category before LPG 3 kg goes on the sale."""
    return []


def record(session: Session, rows, buyer: Buyer, day: date, *, sale_id: int, receipt_no: str,
           line_ids: dict[int, int]) -> None:
    """Write the LPG 3 kg lines with the buyer's NIK and category (inside checkout)."""
