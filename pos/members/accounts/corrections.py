"""Koreksi kasbon: a manager's free correction of a member's kasbon (``credit.adjust`` with a
note, no sale and no document), and how the books take it.

Kasbon taken off that the member did not pay is written off (*penghapusan piutang*): the
journal debits ``receivable_loss`` (690300 *Selisih dan penghapusan piutang anggota*, or the
cooperative's own account, an allowance say, by ``POS_LEDGER_ACCOUNTS``) and credits the members'
kasbon (``member_receivable``, 113100); kasbon added (an earlier error: a charge never recorded)
is the other way round, against the same account, as stock found at a count is against
*Selisih dan penghapusan persediaan*.  It is booked on its business day, which must be open,
and the day's summary lists it (``of_day``).

Not corrections here: a return's kasbon taken off (``sale_id``: the return's refund books it) and
a cancelled repayment's kasbon owed again (``document_id``: the cancelling document books it), nor
the saldo awal kasbon (``OpeningKasbon``: the hub's Saldo awal), nor a limit's change (amount 0).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from pos.auth.models import User
from pos.chart import chart
from pos.days.service import ensure_open
from pos.members.accounts import credit
from pos.members.accounts.models import CreditEntry, EntryKind, MemberCredit, OpeningKasbon
from pos.members.models import Member
from pos.money import format_rupiah

WRITE_OFF = "Koreksi kasbon: penghapusan piutang anggota"
ADDED = "Koreksi kasbon: kasbon ditambahkan"


def free():
    """The credit entries that are a manager's Koreksi kasbon (a SQL condition)."""
    return and_(CreditEntry.kind == EntryKind.ADJUSTMENT, CreditEntry.amount != 0,
                CreditEntry.sale_id.is_(None), CreditEntry.document_id.is_(None),
                CreditEntry.id.not_in(select(OpeningKasbon.entry_id)))


def correct(session: Session, *, member_id: int, amount: int, user_id: int, note: str,
            business_date: date, now: datetime, seen_balance: int | None = None) -> int:
    """The manager's correction (+ adds to what the member owes, - writes it off) on the open
    day ``business_date``; returns the new balance.  ``seen_balance``, the kasbon the form was
    drawn with: refused when it has changed since (the same form sent twice, a double click,
    would have written the kasbon off twice; or a payment came in meanwhile)."""
    ensure_open(session, business_date)
    if seen_balance is not None:
        owed = session.scalar(select(MemberCredit.balance).where(MemberCredit.member_id == member_id)
                              .with_for_update()) or 0
        if owed != seen_balance:
            raise credit.CreditError(
                f"Kasbon anggota ini berubah sejak halaman dibuka (kini {format_rupiah(owed)}, "
                f"tadi {format_rupiah(seen_balance)}): periksa kartu piutang, lalu koreksi lagi bila "
                "masih perlu.")
    return credit.adjust(session, member_id=member_id, amount=amount, user_id=user_id, note=note,
                         business_date=business_date, now=now)


def accounts(overrides: dict | None) -> dict[str, tuple[str, str]]:
    """The two accounts a correction moves, as the chart names them."""
    books = chart(overrides)
    return {"receivable": books("member_receivable"), "loss": books("receivable_loss")}


def booking(overrides: dict | None, amount: int) -> str:
    """What the journal makes of a correction of ``amount``, said for the manager's screen."""
    found = accounts(overrides)
    receivable, loss = (" ".join(found[k]) for k in ("receivable", "loss"))
    if amount < 0:
        return f"penghapusan piutang: debit {loss}, kredit {receivable} {format_rupiah(-amount)}"
    return f"kasbon ditambahkan: debit {receivable}, kredit {loss} {format_rupiah(amount)}"


def of_day(session: Session, day: date, overrides: dict | None = None) -> dict:
    """The day's corrections for its summary: how many, the kasbon added and written off, the
    account they went to and each entry (member, amount, note, who)."""
    rows = session.execute(
        select(CreditEntry.id, Member.id, Member.number, Member.name, CreditEntry.amount, CreditEntry.note,
               User.full_name)
        .join(Member, Member.id == CreditEntry.member_id).join(User, User.id == CreditEntry.user_id)
        .where(CreditEntry.business_date == day, free()).order_by(CreditEntry.id)).all()
    code, name = accounts(overrides)["loss"]
    return {"count": len(rows), "added": sum(r.amount for r in rows if r.amount > 0),
            "written_off": sum(-r.amount for r in rows if r.amount < 0), "account": code, "name": name,
            "entries": [{"member_id": r[1], "number": r.number, "name": r.name, "amount": r.amount,
                         "note": r.note, "by": r.full_name} for r in rows]}
