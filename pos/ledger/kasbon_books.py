"""What the members owe beside what the books hold on their account (``member_receivable``,
113100): the sum of the members' kasbon balances against the saldo awal kasbon (booked on the
hub's Saldo awal, no journal line: ``members.accounts.opening_kasbon``) plus the closed days'
journals as the outbox holds them plus the kasbon moved on days not yet closed (their journal
comes at Tutup hari).  Whatever is left is a difference: each closed day whose kartu piutang
entries (every kasbon entry but the saldo awal's) and journal lines disagree is named, with the
Koreksi kasbon behind it when that explains it (made before corrections were journaled).
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pos.chart import Chart
from pos.days.models import BusinessDay
from pos.ledger.models import LedgerOutbox
from pos.members.accounts import corrections
from pos.members.accounts.models import CreditEntry, MemberCredit, OpeningKasbon
from pos.members.models import Member
from pos.money import format_rupiah as rp


@dataclass(frozen=True)
class KasbonBooks:
    account: tuple[str, str]
    owed: int          # the members' kasbon balances, summed
    opening: int       # saldo awal kasbon: on the hub's Saldo awal
    journal: int       # the closed days' journal lines on the account (debit - credit)
    open_days: int     # kasbon moved on days not closed yet
    causes: list[str] = field(default_factory=list)

    @property
    def books(self) -> int:
        return self.opening + self.journal + self.open_days

    @property
    def difference(self) -> int:
        return self.owed - self.books


# A document never changes once in the outbox: its amount on an account is kept by its content
# hash, so a page drawn again reads only the documents added since (each body is read once).
_SEEN: dict[tuple[str, str], int] = {}


def _journal_by_day(session: Session, code: str) -> dict[date, int]:
    """The documents' lines on ``code`` (debit - credit) per business day."""
    rows = session.execute(select(LedgerOutbox.id, LedgerOutbox.business_date,
                                  LedgerOutbox.content_hash)).all()
    missing = [r.id for r in rows if (r.content_hash, code) not in _SEEN]
    for start in range(0, len(missing), 500):
        for content_hash, body in session.execute(select(LedgerOutbox.content_hash, LedgerOutbox.body)
                                                  .where(LedgerOutbox.id.in_(missing[start:start + 500]))):
            _SEEN[(content_hash, code)] = sum(
                int(line.get("debit") or 0) - int(line.get("credit") or 0)
                for line in json.loads(body).get("journal") or [] if line.get("account") == code)
    out: dict[date, int] = defaultdict(int)
    for row in rows:
        out[row.business_date] += _SEEN[(row.content_hash, code)]
    return out


def _corrections_note(session: Session, day: date, gap: int) -> str:
    """The day's Koreksi kasbon, named, when they are the gap: no journal line took them."""
    rows = session.execute(select(Member.name, CreditEntry.amount, CreditEntry.note)
                           .join(Member, Member.id == CreditEntry.member_id)
                           .where(CreditEntry.business_date == day, corrections.free())
                           .order_by(CreditEntry.id)).all()
    if not rows or sum(r.amount for r in rows) != gap:
        return "periksa kasbon, retur dan angsuran hari itu"
    named = ", ".join(f"koreksi kasbon {r.name} {rp(r.amount)} ({r.note})" for r in rows)
    return (f"{named} tanpa baris jurnal (dibuat sebelum koreksi kasbon dibukukan); "
            "bukukan di buku koperasi sebagai penghapusan atau koreksi piutang")


def reconcile(session: Session, chart: Chart) -> KasbonBooks:
    code, name = chart("member_receivable")
    owed = int(session.scalar(select(func.coalesce(func.sum(MemberCredit.balance), 0))))
    opening = int(session.scalar(select(func.coalesce(func.sum(OpeningKasbon.amount), 0))))
    cards = {day: int(amount) for day, amount in session.execute(
        select(CreditEntry.business_date, func.sum(CreditEntry.amount))
        .where(CreditEntry.id.not_in(select(OpeningKasbon.entry_id)), CreditEntry.amount != 0)
        .group_by(CreditEntry.business_date))}
    closed = set(session.scalars(select(BusinessDay.business_date)))
    journal = _journal_by_day(session, code)
    causes = []
    entries = sum(cards.values()) + opening
    if entries != owed:
        causes.append(f"Saldo kasbon anggota {rp(owed)} tidak sama dengan jumlah kartu piutangnya "
                      f"{rp(entries)}.")
    for day in sorted(closed & (set(cards) | set(journal))):
        card, booked = cards.get(day, 0), journal.get(day, 0)
        if card != booked:
            causes.append(f"{day:%d-%m-%Y}: kartu piutang {rp(card)}, jurnal {rp(booked)} "
                          f"(selisih {rp(card - booked)}): {_corrections_note(session, day, card - booked)}.")
    return KasbonBooks(account=(code, name), owed=owed, opening=opening,
                       journal=sum(journal.values()),
                       open_days=sum(v for day, v in cards.items() if day not in closed), causes=causes)
