"""Pembatalan: a savings or repayment document taken by mistake is given back by another.

The cancellation is a member document of its own (the same gap-free numbers), marked
``withdrawal`` (money out) with ``reverses_id`` naming the document it cancels, on today's
business date, whatever day the first was taken: a closed day's books stay as they were sent,
and today's carry the correction.  Its lines mirror the first's, so every sum of savings counts
them away; the first's months of wajib are due again (``paid_month`` cleared) and its kasbon
repayment is owed again (a kasbon correction linked to the cancellation).  The money goes back
in cash from the till's drawer (that shift's) or by transfer (the bank's, no shift's).  A
manager approves, with a reason.

Refused, before anything is written: a withdrawal or a cancellation itself, a document already
cancelled, savings the member no longer holds (sukarela withdrawn since), cash beyond the drawer.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pos.approvals.service import Actor, authorize
from pos.members.accounts import credit, numbering, savings
from pos.members.accounts.documents import (
    DocumentError,
    Taken,
    Tendered,
    document_lines,
    get,
    line_label,
    made_before,
)
from pos.members.accounts.models import DocumentLine, MemberDocument, SavingKind
from pos.members.accounts.withdrawals import out_document, paying_out
from pos.members.models import Member
from pos.money import format_rupiah as rp

KIND = "savings_cancel"   # the approval's kind (``approvals.KIND_LABELS``)


def cancelled_by(session: Session, document_id: int) -> MemberDocument | None:
    """The document that cancels ``document_id``, if any."""
    return session.scalar(select(MemberDocument).where(MemberDocument.reverses_id == document_id))


def _refusal(session: Session, first: MemberDocument, lines: list[DocumentLine]) -> str | None:
    if first.reverses_id is not None:
        return "Bukti pembatalan tidak bisa dibatalkan."
    if first.withdrawal:
        return "Bukti penarikan tidak bisa dibatalkan; anggota menyetor kembali sebagai simpanan sukarela."
    later = cancelled_by(session, first.id)
    if later is not None:
        return f"Bukti {first.doc_no} sudah dibatalkan dengan bukti {later.doc_no}."
    back = sum(li.amount for li in lines if li.saving is SavingKind.SUKARELA)
    if back:
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
        return earlier
    first = get(session, document_id)
    lines = document_lines(session, first.id)
    reason = (reason or "").strip()[:200]
    refusal = _refusal(session, first, lines) or (None if reason else "Tulis alasan pembatalan.")
    if refusal:
        raise DocumentError(refusal)
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
        balance = credit.adjust(session, member_id=first.member_id, amount=owed, user_id=logged.approved_by,
                                note=f"Pembatalan angsuran {first.doc_no}", business_date=business_date,
                                now=now, document_id=doc.id)
    session.flush()
    return Taken(doc, rows, balance=balance)
