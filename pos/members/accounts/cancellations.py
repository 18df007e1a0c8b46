"""Pembatalan: a member document taken by mistake is undone by another.

The cancellation is a member document of its own (the same gap-free numbers) with
``reverses_id`` naming the document it cancels, on today's business date, whatever day the
first was taken: a closed day's books stay as they were sent, and today's carry the correction.
Its lines mirror the first's, so every sum of savings counts them away.

A deposit or repayment is given back: the cancellation is marked ``withdrawal`` (money out); the
first's months of wajib are due again (``paid_month`` cleared) and its kasbon repayment is owed
again (a kasbon correction linked to the cancellation).  The money goes back in cash from the
till's drawer (that shift's) or by transfer (the bank's, no shift's).

A withdrawal (a leaver's too) is taken back: the member returns the money, in cash into the
drawer or by transfer with its reference, and the savings are as before it; the cancellation is
money received (not ``withdrawal``).  A manager approves either, with a reason.

Refused, before anything is written: a cancellation itself, a document already cancelled,
savings the member no longer holds (sukarela withdrawn since), cash beyond the drawer, QRIS.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pos.approvals.service import Actor, authorize
from pos.errors import typed
from pos.members.accounts import credit, numbering, savings
from pos.members.accounts.documents import (
    DocumentError,
    Taken,
    Tendered,
    document_lines,
    drawer_shift,
    get,
    line_label,
    made_before,
    money_in,
    sent_again,
)
from pos.members.accounts.models import DocTender, DocumentLine, MemberDocument, SavingKind
from pos.members.accounts.withdrawals import PaidOut, out_document, paying_out
from pos.members.models import Member
from pos.money import format_rupiah as rp

KIND = "savings_cancel"   # the approval's kind (``approvals.KIND_LABELS``)


def cancelled_by(session: Session, document_id: int) -> MemberDocument | None:
    """The document that cancels ``document_id``, if any."""
    return session.scalar(select(MemberDocument).where(MemberDocument.reverses_id == document_id))


def _refusal(session: Session, first: MemberDocument, lines: list[DocumentLine]) -> str | None:
    if first.reverses_id is not None:
        return "Bukti pembatalan tidak bisa dibatalkan."
    later = cancelled_by(session, first.id)
    if later is not None:
        return f"Bukti {first.doc_no} sudah dibatalkan dengan bukti {later.doc_no}."
    back = sum(li.amount for li in lines if li.saving is SavingKind.SUKARELA)
    if back and not first.withdrawal:
        held = savings.summary(session, first.member_id, first.business_date).sukarela
        if back > held:
            return (f"Simpanan sukarela anggota tinggal {rp(held)} (sudah ditarik), kurang dari "
                    f"{rp(back)} yang dibatalkan.")
    return None


def _kasbon_after(session: Session, member_id: int, owed: int) -> str:
    """For the manager's dialog: the kasbon a cancelled repayment puts back, over the limit or not."""
    if not owed:
        return ""
    limit, balance = credit.available(session, member_id)
    over = f" (melebihi batas {rp(limit)})" if balance + owed > limit else ""
    return f"; kasbon {rp(balance)} menjadi {rp(balance + owed)}{over}"


def cancel(session: Session, *, document_id: int, tender: Tendered, reason: str, idempotency_key: str,
           outlet_code: str, actor: Actor, business_date: date, now: datetime) -> Taken:
    """Give document ``document_id`` back (once per ``idempotency_key``), a manager approving;
    ``NeedsApproval`` asks for one before anything is written."""
    if (earlier := made_before(session, idempotency_key, outlet_code)) is not None:
        return sent_again(earlier, earlier.document.reverses_id == document_id,
                          till_id=actor.till_id, cashier_id=actor.user_id)
    first = get(session, document_id)
    lines = document_lines(session, first.id)
    reason = typed(reason, 200, "Alasan pembatalan", DocumentError)
    refusal = _refusal(session, first, lines) or (None if reason else "Tulis alasan pembatalan.")
    if refusal:
        raise DocumentError(refusal)
    if first.withdrawal:
        return _taken_back(session, first, lines, tender=tender, reason=reason, outlet_code=outlet_code,
                           idempotency_key=idempotency_key, actor=actor, business_date=business_date, now=now)
    paid = paying_out(session, tender, actor, business_date, first.total, "Pengembalian")
    member = session.get(Member, first.member_id)
    owed = sum(li.amount for li in lines if li.saving is None)
    what = f"Pembatalan bukti {first.doc_no}, {member.number} {member.name}: {reason}"
    logged = authorize(session, actor, kind=KIND, now=now, swap="outerHTML", what=what,
                       before="; ".join(f"{line_label(li)} {rp(li.amount)}" for li in lines),
                       after=f"dikembalikan {rp(first.total)}{paid.after(first.total)}"
                             f"{_kasbon_after(session, first.member_id, owed)}")
    seq, doc_no = numbering.next_doc_no(session, outlet_code)   # the log names it once it is sure
    logged.description = f"Pembatalan bukti {first.doc_no} dengan {doc_no}, {member.number}: {reason}"[:200]
    doc = out_document(session, paid, seq=seq, doc_no=doc_no, idempotency_key=idempotency_key,
                       outlet_code=outlet_code, member_id=first.member_id, actor=actor, tender=tender.method,
                       total=first.total, business_date=business_date, now=now, reverses_id=first.id)
    rows = [DocumentLine(document_id=doc.id, member_id=li.member_id, saving=li.saving, period=li.period,
                         amount=li.amount) for li in lines]
    session.add_all(rows)
    session.execute(update(DocumentLine).where(DocumentLine.document_id == first.id).values(paid_month=None))
    balance = None
    if owed:
        balance = credit.adjust(session, member_id=first.member_id, amount=owed, user_id=actor.user_id,
                                approved_by=logged.approved_by,
                                note=f"Pembatalan angsuran {first.doc_no}", business_date=business_date,
                                now=now, document_id=doc.id)
    session.flush()
    return Taken(doc, rows, balance=balance)


def _taken_back(session: Session, first: MemberDocument, lines: list[DocumentLine], *, tender: Tendered,
                reason: str, idempotency_key: str, outlet_code: str, actor: Actor, business_date: date,
                now: datetime) -> Taken:
    """Withdrawal ``first`` undone: the member brings its money back and holds the savings again."""
    if tender.method is DocTender.QRIS:
        raise DocumentError("Uang penarikan dikembalikan tunai ke laci atau transfer, bukan QRIS.")
    shift_id = drawer_shift(session, actor.till_id, actor.user_id, business_date)
    handed, change, reference, rounding = money_in(first.total, tender)
    member = session.get(Member, first.member_id)
    again = savings.summary(session, first.member_id, business_date).as_dict()
    back = {li.saving.value for li in lines}
    for li in lines:
        again[li.saving.value] += li.amount
    how = f"transfer {reference}" if reference else tender.method.label.lower()
    logged = authorize(session, actor, kind=KIND, now=now, swap="outerHTML",
                       what=f"Pembatalan penarikan {first.doc_no}, {member.number} {member.name}: {reason}",
                       before="; ".join(f"{line_label(li, True)} {rp(li.amount)}" for li in lines),
                       after=f"diterima kembali {rp(first.total + rounding)} ({how}); "
                             + ", ".join(f"{kind} menjadi {rp(amount)}" for kind, amount in again.items()
                                         if kind in back))
    seq, doc_no = numbering.next_doc_no(session, outlet_code)   # the log names it once it is sure
    logged.description = (f"Pembatalan penarikan {first.doc_no} dengan {doc_no}, "
                          f"{member.number}: {reason}")[:200]
    doc = out_document(session, PaidOut(shift_id, reference, None, rounding), seq=seq, doc_no=doc_no,
                       idempotency_key=idempotency_key, outlet_code=outlet_code, member_id=first.member_id,
                       actor=actor, tender=tender.method, total=first.total, business_date=business_date,
                       now=now, reverses_id=first.id, taken=(handed, change))
    rows = [DocumentLine(document_id=doc.id, member_id=li.member_id, saving=li.saving, amount=li.amount)
            for li in lines]
    session.add_all(rows)
    session.flush()
    return Taken(doc, rows)
