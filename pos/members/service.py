"""Finding a member: at the till by card barcode, member number or phone (``find``), and the
live list as the cashier or manager types a number, name or phone (``search``)."""
from __future__ import annotations

import re

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from pos.members.models import Member

_PHONE = re.compile(r"^(?:\+?62|0)(8[0-9]{7,12})$")  # ASCII digits only
_PHONE_PART = re.compile(r"^(?:\+?62|0)?(8[0-9]{2,12})$")
MAX_WORDS = 5


def normalize_phone(text: str) -> str | None:
    """``+62 812-3456-7890`` / ``0812 3456 7890`` -> ``081234567890``; None if not a mobile number."""
    digits = re.sub(r"[\s\-().]", "", text or "")
    match = _PHONE.match(digits)
    return f"0{match.group(1)}" if match else None


def find(session: Session, text: str, *, include_inactive: bool = False) -> Member | None:
    """The active member (any member with ``include_inactive``) whose card, number or phone is
    ``text``."""
    text = (text or "").strip()
    if not text or len(text) > 32:
        return None
    phone = normalize_phone(text)
    conditions = [Member.card_barcode == text, Member.number == text.upper()]
    if phone:
        conditions.append(Member.phone == phone)
    query = select(Member).where(or_(*conditions))
    if not include_inactive:
        query = query.where(Member.active)
    return session.execute(query.order_by(Member.active.desc(), Member.id).limit(1)).scalar()


def search(session: Session, text: str, limit: int) -> list[Member]:
    """Members whose number starts with ``text``, whose name holds every word of it, or whose
    phone holds its digits (``0812``, ``+62 812``, ``3456``); exact card or NIK too.
    Active members first, then by number; nonaktif ones are listed (the caller marks them)."""
    text = " ".join((text or "").split())[:60]
    if len(text) < 2:
        return []
    conditions = [Member.number.startswith(text.upper(), autoescape=True),
                  Member.card_barcode == text, Member.nik == text]
    words = text.lower().split()[:MAX_WORDS]
    conditions.append(and_(*(func.lower(Member.name).contains(w, autoescape=True) for w in words)))
    digits = re.sub(r"[\s\-().]", "", text)
    phone = _PHONE_PART.match(digits)
    if phone:
        conditions.append(Member.phone.contains(phone.group(1), autoescape=True))
    elif digits.isascii() and digits.isdigit() and len(digits) >= 4:
        conditions.append(Member.phone.contains(digits, autoescape=True))
    return list(session.scalars(select(Member).where(or_(*conditions))
                                .order_by(Member.active.desc(), Member.number).limit(limit)))

