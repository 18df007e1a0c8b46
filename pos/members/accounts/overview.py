"""One member's money at a glance: kasbon limit, balance and what is left, savings, wajib unpaid.

Used by the till's savings page, the member page and ``pos members balance``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from pos.errors import NotFound
from pos.members.accounts import credit, savings
from pos.members.models import Member
from pos.members.service import Ambiguous, find

NO_KASBON = "tidak dapat kasbon (nonaktif)"   # the Sisa batas of a nonaktif member, as the screens say
NO_LIMIT = "tidak dapat kasbon (belum punya batas kasbon)"   # of one with limit 0 (the till's reason)


@dataclass(frozen=True)
class Overview:
    member_id: int
    number: str
    name: str
    active: bool
    credit_limit: int
    balance: int
    savings: savings.SavingsSummary

    @property
    def available(self) -> int:
        """What the member may still take as kasbon: nothing when nonaktif (the till refuses
        them kasbon, whatever their limit: ``sales.pay_options``)."""
        return max(self.credit_limit - self.balance, 0) if self.active else 0

    @property
    def no_kasbon(self) -> str | None:
        """Why the till refuses the member kasbon whatever is left (``sales.pay_options``): nonaktif,
        or no limit; None when they may take it (up to ``available``)."""
        return NO_KASBON if not self.active else NO_LIMIT if self.credit_limit <= 0 else None

    @property
    def status(self) -> str:
        return "aktif" if self.active else "nonaktif"

    def as_dict(self) -> dict:
        return {"number": self.number, "name": self.name, "status": self.status,
                "credit_limit": self.credit_limit, "balance": self.balance, "available": self.available,
                "can_take_kasbon": self.no_kasbon is None,
                "savings": self.savings.as_dict(),
                "wajib_months_unpaid": len(self.savings.months_unpaid),
                "wajib_unpaid": [f"{m:%Y-%m}" for m in self.savings.months_unpaid]}


def of(session: Session, member_id: int, today: date) -> Overview:
    member = session.get(Member, member_id)
    if member is None:
        raise NotFound("Anggota tidak ditemukan.")
    limit, balance = credit.available(session, member_id)
    return Overview(member.id, member.number, member.name, member.active, limit, balance,
                    savings.summary(session, member_id, today))


def by_number(session: Session, number: str, today: date) -> Overview:
    """The overview of the member numbered ``number`` (active or not)."""
    text = (number or "").strip()
    member_id = session.scalar(select(Member.id).where(or_(Member.number == text,
                                                           Member.number == text.upper())).limit(1))
    if member_id is None:
        raise NotFound(f"Anggota {text} tidak ditemukan.")
    return of(session, member_id, today)


def lookup(session: Session, text: str, limit: int = 8) -> list[Member]:
    """Members for what the cashier typed: the card, number or phone, else part of the name.

    A nonaktif member is found too (by number, card or phone): they may still repay kasbon.
    A phone several members share, or a card that is another member's number, lists them all,
    to pick from.
    """
    try:
        exact = find(session, text, include_inactive=True)
    except Ambiguous as shared:
        return shared.members[:limit]
    text = (text or "").strip()
    if exact is not None:
        return [exact]
    if len(text) < 2 or len(text) > 60:
        return []
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return list(session.scalars(select(Member).where(Member.name.ilike(pattern, escape="\\"))
                                .order_by(Member.active.desc(), Member.name).limit(limit)))
