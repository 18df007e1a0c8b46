"""The kartu piutang (kasbon entries with a running balance) and the ageing list.

Ageing settles repayments against the oldest charges first (FIFO); what is left of each
charge is aged by its business date.  ``age`` is pure and tested without a database.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import column, select, table
from sqlalchemy.orm import Session, aliased

from pos.auth.models import User
from pos.members.accounts.credit import OPENING_NOTE
from pos.members.accounts.models import CreditEntry, EntryKind, MemberCredit, MemberDocument
from pos.members.models import Member
from pos.text import clean, neutral

# The ``sale`` table, named without importing pos.sales (which sits above members).
_sale = table("sale", column("id"), column("receipt_no"))
BUCKETS = ("0-30", "31-60", "61-90", ">90")
BUCKET_LABELS = {"0-30": "0-30 hari", "31-60": "31-60 hari", "61-90": "61-90 hari", ">90": "> 90 hari"}


@dataclass(frozen=True)
class StatementRow:
    day: date
    created_at: datetime
    kind: EntryKind
    label: str
    reference: str        # the sale's receipt or the document's number, if any
    amount: int
    balance: int          # running balance after this entry
    user: str             # who made it, and the manager who approved it when another did


def bucket(days: int) -> str:
    if days <= 30:
        return "0-30"
    if days <= 60:
        return "31-60"
    if days <= 90:
        return "61-90"
    return ">90"


def age(entries: list[tuple], today: date) -> dict[str, int]:
    """Outstanding amount per bucket from (business date, signed amount[, sale id]) in entry
    order: a payment settles the oldest charges first; a credit of a sale (its return) settles
    that sale's own charge first, so goods given back do not age someone's older debt."""
    open_charges: deque[list] = deque()
    for day, amount, *sale in entries:
        if amount > 0:
            open_charges.append([day, amount, sale[0] if sale else None])
            continue
        left = -amount
        own = [c for c in open_charges if sale and sale[0] is not None and c[2] == sale[0]]
        for charge in [*own, *open_charges]:
            take = min(left, charge[1])
            charge[1] -= take
            left -= take
            if left <= 0:
                break
        open_charges = deque(c for c in open_charges if c[1] > 0)
    buckets = dict.fromkeys(BUCKETS, 0)
    for day, amount, _sale in open_charges:
        buckets[bucket((today - day).days)] += amount
    return buckets


_APPROVER = aliased(User)


def kartu_piutang(session: Session, member_id: int) -> list[StatementRow]:
    """Every kasbon entry of the member by business date (a back-dated correction sits at its
    date), with the balance after each."""
    rows = session.execute(
        select(CreditEntry, MemberDocument.doc_no, _sale.c.receipt_no, User.full_name,
               _APPROVER.full_name)
        .outerjoin(MemberDocument, MemberDocument.id == CreditEntry.document_id)
        .outerjoin(_sale, _sale.c.id == CreditEntry.sale_id)
        .outerjoin(User, User.id == CreditEntry.user_id)
        .outerjoin(_APPROVER, _APPROVER.id == CreditEntry.approved_by)
        .where(CreditEntry.member_id == member_id)
        .order_by(CreditEntry.business_date, CreditEntry.id)).all()
    balance, found = 0, []
    for entry, doc_no, receipt_no, user, approver in rows:
        balance += entry.amount
        by = f"{user} (disetujui {approver})" if approver else user or "-"
        found.append(StatementRow(entry.business_date, entry.created_at, entry.kind,
                                  _label(entry), doc_no or receipt_no or "",
                                  entry.amount, balance, by))
    return found


def _label(entry: CreditEntry) -> str:
    """The row's words: a manager's Koreksi kasbon says so and which way (a write-off in the
    Bayar column read as a payment), with its reason; any other entry its note or its kind."""
    if entry.kind == EntryKind.ADJUSTMENT and entry.amount and entry.sale_id is None \
            and entry.document_id is None and entry.note != OPENING_NOTE:
        return f"Koreksi kasbon ({'hapus piutang' if entry.amount < 0 else 'tambah'}): {entry.note}"
    return entry.note or entry.kind.label


@dataclass
class AgeingRow:
    member_id: int
    number: str
    name: str
    limit: int
    balance: int
    buckets: dict[str, int] = field(default_factory=dict)


def ageing(session: Session, today: date) -> tuple[list[AgeingRow], dict[str, int]]:
    """Members who owe kasbon, with their buckets, and the totals (``balance`` included)."""
    owing = session.execute(
        select(Member.id, Member.number, Member.name, MemberCredit.credit_limit, MemberCredit.balance)
        .join(MemberCredit, MemberCredit.member_id == Member.id)
        .where(MemberCredit.balance > 0).order_by(Member.number)).all()
    entries: dict[int, list[tuple[date, int]]] = {}
    if owing:
        members = [r.id for r in owing]
        # a repayment cancelled as taken by mistake (Pembatalan) and its cancellation age
        # nothing: the cancellation is no new debt of today
        voided = {doc for pair in session.execute(
            select(MemberDocument.id, MemberDocument.reverses_id)
            .where(MemberDocument.member_id.in_(members), MemberDocument.reverses_id.is_not(None)))
            for doc in pair}
        for member_id, day, amount, sale_id, document_id in session.execute(
                select(CreditEntry.member_id, CreditEntry.business_date, CreditEntry.amount,
                       CreditEntry.sale_id, CreditEntry.document_id)
                .where(CreditEntry.member_id.in_(members), CreditEntry.amount != 0)
                .order_by(CreditEntry.business_date, CreditEntry.id)):
            if document_id not in voided:
                entries.setdefault(member_id, []).append((day, amount, sale_id))
    rows = [AgeingRow(r.id, r.number, r.name, r.credit_limit, r.balance, age(entries.get(r.id, []), today))
            for r in owing]
    totals = {b: sum(r.buckets[b] for r in rows) for b in BUCKETS}
    totals["balance"] = sum(r.balance for r in rows)
    return rows, totals


def ageing_csv_rows(rows: list[AgeingRow], totals: dict[str, int]) -> list[list]:
    """The ageing list as CSV rows (header first, totals last), plain integers of Rupiah."""
    out: list[list] = [["nomor", "nama", "batas", "kasbon", *BUCKETS]]
    out += [[_cell(r.number), _cell(r.name), r.limit, r.balance, *(r.buckets[b] for b in BUCKETS)]
            for r in rows]
    out.append(["TOTAL", "", "", totals["balance"], *(totals[b] for b in BUCKETS)])
    return out


def _cell(text: str) -> str:
    """Text a spreadsheet would run as a formula gets a leading apostrophe."""
    return neutral(clean(text))
