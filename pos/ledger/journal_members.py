"""The day journal's members' part (``journal.day_journal``): members' documents and a
manager's Koreksi kasbon (``members.accounts.corrections``)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from pos.chart import TENDER_ROLE
from pos.members.accounts.corrections import ADDED, WRITE_OFF, free
from pos.members.accounts.models import CreditEntry, DocumentLine, MemberDocument


def _v(member) -> str:
    return getattr(member, "value", member)


def member_documents(session: Session, day: date, book) -> None:
    """Money received into the tender, credited to the savings or the kasbon owed (a withdrawal's
    cancellation too: its money back); a withdrawal or a deposit's cancellation the other way:
    the savings (or the kasbon owed) debited, the tender credited."""
    cancels = MemberDocument.reverses_id.is_not(None)
    for tender, out, cancel, saving, amount in session.execute(
            select(MemberDocument.tender, MemberDocument.withdrawal, cancels, DocumentLine.saving,
                   func.sum(DocumentLine.amount))
            .join(MemberDocument, MemberDocument.id == DocumentLine.document_id)
            .where(MemberDocument.business_date == day)
            .group_by(MemberDocument.tender, MemberDocument.withdrawal, cancels, DocumentLine.saving)):
        memo = "Angsuran kasbon anggota" if saving is None else f"Simpanan {_v(saving)}"
        if cancel and out:   # a deposit given back
            memo = f"Pembatalan {memo[0].lower()}{memo[1:]}"
        elif cancel:         # a withdrawal's money brought back
            memo = f"Pembatalan penarikan simpanan {_v(saving)}"
        elif out:
            memo = f"Penarikan simpanan {_v(saving)}"
        book.post(TENDER_ROLE[_v(tender)], int(amount), memo, debit=not out)
        book.post("member_receivable" if saving is None else f"savings:{_v(saving)}", int(amount),
                  memo, debit=bool(out))
    for tender, out, rounding in session.execute(   # cash in whole coins: the rest is the cooperative's
            select(MemberDocument.tender, MemberDocument.withdrawal, func.sum(MemberDocument.rounding))
            .where(MemberDocument.business_date == day, MemberDocument.rounding != 0)
            .group_by(MemberDocument.tender, MemberDocument.withdrawal)):
        book.post(TENDER_ROLE[_v(tender)], int(rounding), "Pembulatan tunai anggota", debit=not out)
        book.post("rounding", int(rounding), "Pembulatan tunai anggota", debit=bool(out))


def kasbon_corrections(session: Session, day: date, book) -> None:
    """Kasbon written off: ``receivable_loss`` debited, the members' kasbon credited; kasbon
    added (an earlier error): the other way.  Each direction on lines of its own, never netted."""
    added, taken = session.execute(
        select(func.coalesce(func.sum(case((CreditEntry.amount > 0, CreditEntry.amount), else_=0)), 0),
               func.coalesce(func.sum(case((CreditEntry.amount < 0, CreditEntry.amount), else_=0)), 0))
        .where(CreditEntry.business_date == day, free())).one()
    for amount, memo in ((int(taken), WRITE_OFF), (int(added), ADDED)):
        book.post("member_receivable", amount, memo, debit=True)   # negative: credited
        book.post("receivable_loss", amount, memo, debit=False)
