"""Simpanan: what a member has paid per kind, and which months of wajib are still unpaid.

Simpanan wajib is due for every month from the member's join month to the current
month; a month is paid by a document line with that month as its ``period``.  The
month arithmetic is pure and tested without a database.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Date, case, column, func, select, table
from sqlalchemy.orm import Session

from pos.members.accounts.models import CreditEntry, DocumentLine, MemberDocument, OpeningSaving, SavingKind
from pos.members.models import Member

KINDS = tuple(kind.value for kind in SavingKind)   # pokok, wajib, sukarela
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember")


@dataclass(frozen=True)
class Rates:
    """The cooperative's savings amounts (``SIMPANAN_POKOK``, ``SIMPANAN_WAJIB``)."""

    pokok: int
    wajib: int
    wajib_ahead: int = 12

    @classmethod
    def from_config(cls, config) -> Rates:
        return cls(config["SIMPANAN_POKOK"], config["SIMPANAN_WAJIB"], config["SIMPANAN_WAJIB_AHEAD"])


@dataclass(frozen=True)
class SavingsSummary:
    pokok: int
    wajib: int
    sukarela: int
    months_paid: list[date]
    months_unpaid: list[date]     # due (join month .. this month) and not paid

    @property
    def pokok_paid(self) -> bool:
        return self.pokok > 0

    def as_dict(self) -> dict[str, int]:
        return {"pokok": self.pokok, "wajib": self.wajib, "sukarela": self.sukarela}


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    """First days of every month from ``first``'s to ``last``'s, both included."""
    start, end = month_start(first), month_start(last)
    months = []
    while start <= end:
        months.append(start)
        start = add_months(start, 1)
    return months


def unpaid_months(joined: date, today: date, paid: set[date]) -> list[date]:
    return [m for m in months_between(joined, today) if m not in paid]


def month_label(month: date) -> str:
    """``November 2026``."""
    return f"{MONTHS[month.month - 1]} {month.year}"


def parse_month(text: str) -> date:
    """``2026-11`` (a month input) or ``11-2026`` to the month's first day; ValueError otherwise."""
    text = (text or "").strip()
    parts = text.split("-")
    if len(parts) != 2 or not all(p.isascii() and p.isdigit() for p in parts):
        raise ValueError(text)
    year, month = (parts[0], parts[1]) if len(parts[0]) == 4 else (parts[1], parts[0])
    return date(int(year), int(month), 1)


def signed_amount():
    """A document line's amount as the member's savings see it: a withdrawal's counts against
    them (every sum of savings goes through this; the lines themselves stay positive).  Needs
    ``MemberDocument`` in the statement's FROM."""
    return case((MemberDocument.withdrawal, -DocumentLine.amount), else_=DocumentLine.amount)


def opening(session: Session, member_id: int) -> OpeningSaving | None:
    """The member's savings from before the gerai's first day (saldo awal), if imported."""
    return session.get(OpeningSaving, member_id)


def opening_months(session: Session, member_id: int, found: OpeningSaving | None) -> list[date]:
    """The months of wajib the saldo awal paid: from the join month to its last month."""
    if found is None or found.wajib_through is None:
        return []
    joined = session.scalar(select(Member.joined_on).where(Member.id == member_id))
    return months_between(joined, found.wajib_through) if joined else []


def paid_months(session: Session, member_id: int) -> set[date]:
    """The months of wajib paid: by the saldo awal, and by documents (a cancelled document's
    months are due again)."""
    return set(session.scalars(select(DocumentLine.paid_month).where(
        DocumentLine.member_id == member_id, DocumentLine.saving == SavingKind.WAJIB,
        DocumentLine.paid_month.is_not(None)))) | set(
        opening_months(session, member_id, opening(session, member_id)))


def pokok_held(session: Session, member_id: int) -> bool:
    """Whether the member's simpanan pokok is paid (and not cancelled), or came with the saldo awal."""
    found = opening(session, member_id)
    return bool(found and found.pokok) or bool(session.scalar(
        select(func.coalesce(func.sum(signed_amount()), 0)).select_from(DocumentLine)
        .join(MemberDocument, MemberDocument.id == DocumentLine.document_id)
        .where(DocumentLine.member_id == member_id, DocumentLine.saving == SavingKind.POKOK)))


# named without importing sales (above members); ``members.join_date`` reads it too
SALE = table("sale", column("member_id"), column("business_date", Date), column("status"),
             column("member_sale"))


def last_record(session: Session, member_id: int) -> date | None:
    """The day the member last took part: a document with savings (a leaver's withdrawal too), a
    sale as a member, kasbon taken; None when never.  Repaying kasbon, which a nonaktif member
    still does, is not taking part."""
    found = [session.scalar(select(func.max(MemberDocument.business_date))
                            .join(DocumentLine, DocumentLine.document_id == MemberDocument.id)
                            .where(MemberDocument.member_id == member_id, DocumentLine.saving.is_not(None))),
             session.scalar(select(func.max(SALE.c.business_date)).where(
                 SALE.c.member_id == member_id, SALE.c.member_sale.is_(True), SALE.c.status != "voided")),
             session.scalar(select(func.max(CreditEntry.business_date)).where(
                 CreditEntry.member_id == member_id, CreditEntry.amount > 0))]
    return max((day for day in found if day is not None), default=None)


def summary(session: Session, member_id: int, today: date) -> SavingsSummary:
    """Savings held per kind (the saldo awal and all paid in, less what was withdrawn or
    cancelled) and wajib months paid and unpaid up to ``today``.  A nonaktif member owes wajib
    only up to the month they last took part (``last_record``; never: nothing due): the counter
    takes no savings from them, and the day they were made nonaktif is not recorded."""
    joined, active = session.execute(select(Member.joined_on, Member.active)
                                     .where(Member.id == member_id)).one_or_none() or (today, True)
    if not active:
        last = last_record(session, member_id)
        today = min(today, last) if last is not None else add_months(month_start(joined), -1)
    totals = with_opening(session, (DocumentLine.member_id == member_id,),
                          (OpeningSaving.member_id == member_id,)).get(member_id, dict.fromkeys(KINDS, 0))
    paid = paid_months(session, member_id)
    return SavingsSummary(**totals, months_paid=sorted(paid),
                          months_unpaid=unpaid_months(joined, today, paid))


def sukarela_after(session: Session, member_id: int, document_id: int) -> int:
    """The member's simpanan sukarela just after ``document_id`` (a receipt's copy printed
    later still shows what was left then), the saldo awal's included."""
    found = opening(session, member_id)
    return (found.sukarela if found else 0) + int(session.scalar(
        select(func.coalesce(func.sum(signed_amount()), 0)).select_from(DocumentLine)
        .join(MemberDocument, MemberDocument.id == DocumentLine.document_id)
        .where(DocumentLine.member_id == member_id, DocumentLine.saving == SavingKind.SUKARELA,
               MemberDocument.id <= document_id)))


def held(session: Session, *where) -> dict[int, dict[str, int]]:
    """Savings per member and kind, {member_id: {pokok, wajib, sukarela}}, of the document lines
    ``where`` picks (conditions on the lines or their ``MemberDocument``), withdrawals and
    cancellations counted against them (``signed_amount``); the saldo awal is not in it."""
    found: dict[int, dict[str, int]] = {}
    for member_id, kind, amount in session.execute(
            select(DocumentLine.member_id, DocumentLine.saving, func.sum(signed_amount()))
            .join(MemberDocument, MemberDocument.id == DocumentLine.document_id)
            .where(DocumentLine.saving.is_not(None), *where)
            .group_by(DocumentLine.member_id, DocumentLine.saving)):
        found.setdefault(member_id, dict.fromkeys(KINDS, 0))[kind.value] = int(amount)  # PG: Decimal
    return found


def with_opening(session: Session, lines: tuple, opened: tuple) -> dict[int, dict[str, int]]:
    """Savings per member and kind, {member_id: {pokok, wajib, sukarela}}: the document lines
    ``lines`` picks (``held``) plus the saldo awal rows ``opened`` picks (conditions on
    ``OpeningSaving``).  The one sum of savings with their saldo awal: a member's card
    (``summary``), the balances on a day (``held_on``) and each day's ``member_savings`` sent to
    the hub, whose sum up to a year's end is ``held_on`` that day."""
    found = held(session, *lines)
    columns = (getattr(OpeningSaving, kind) for kind in KINDS)
    for member_id, *amounts in session.execute(select(OpeningSaving.member_id, *columns).where(*opened)):
        kinds = found.setdefault(member_id, dict.fromkeys(KINDS, 0))
        for kind, amount in zip(KINDS, amounts, strict=True):
            kinds[kind] += amount
    return found


def held_on(session: Session, day: date) -> dict[int, dict[str, int]]:
    """Every member's savings per kind at the end of ``day``: the saldo awal imported by then
    plus everything paid in by then, less what was withdrawn or cancelled (the savings list,
    ``balances``; at 31 December the SHU's jasa modal basis, ``purchases``, as the hub sums it)."""
    return with_opening(session, (MemberDocument.business_date <= day,),
                        (OpeningSaving.business_date <= day,))
