"""Finding a member at the till: by card barcode, member number or phone number."""
from __future__ import annotations

import re

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from pos.members.models import Member

_PHONE = re.compile(r"^(?:\+?62|0)(8[0-9]{7,12})$")  # ASCII digits only


def normalize_phone(text: str) -> str | None:
    """``+62 812-3456-7890`` / ``0812 3456 7890`` -> ``081234567890``; None if not a mobile number."""
    digits = re.sub(r"[\s\-().]", "", text or "")
    match = _PHONE.match(digits)
    return f"0{match.group(1)}" if match else None


def find(session: Session, text: str) -> Member | None:
    """The active member whose card, number or phone is ``text``."""
    text = (text or "").strip()
    if not text or len(text) > 32:
        return None
    phone = normalize_phone(text)
    conditions = [Member.card_barcode == text, Member.number == text.upper()]
    if phone:
        conditions.append(Member.phone == phone)
    return session.execute(
        select(Member).where(or_(*conditions), Member.active).limit(1)).scalar()
