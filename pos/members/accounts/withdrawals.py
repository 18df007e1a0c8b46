"""Penarikan simpanan sukarela: a member takes voluntary savings back at the counter.

It is a member document marked ``withdrawal`` (the same gap-free numbers and idempotency key
as a deposit), one line of simpanan sukarela, paid in cash from the till's drawer or by
transfer to the member's bank account (with its reference).  Only sukarela is withdrawn at
the counter (pokok and wajib come back when a member leaves, by the cooperative's decision),
never more than the member holds, and cash never beyond what the drawer holds (so only at a
till with its shift open).  Cash belongs to the shift whose drawer paid it; a transfer to the
member's account is the cooperative's bank, not a till's, and belongs to no shift.  Every
withdrawal is approved by a manager (``approvals.authorize``, logged with the document's
number): money leaves a member's savings, and the member is not always there to see it.
Bad input raises before anything is written.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.approvals.service import Actor, authorize
from pos.errors import NotFound
from pos.members.accounts import numbering, savings
from pos.members.accounts.documents import KEY, DocumentError, Taken, Tendered, document_lines, drawer_shift
from pos.members.accounts.models import DocTender, DocumentLine, MemberDocument, SavingKind
from pos.members.models import Member
from pos.money import format_rupiah as rp
from pos.shifts.figures import figures
from pos.shifts.models import Shift

MAX_WITHDRAWAL = 1_000_000_000   # Rp1 milyar: beyond it a typo, not a withdrawal
NO_DRAWER = "Uang tunai dibayar dari laci mesin kasir: masuk dengan memilih kasir, atau pakai transfer."
OUT_BY_TRANSFER = "transfer ke rekening"
KIND = "savings_withdrawal"       # the approval's kind (``approvals.KIND_LABELS``)


def withdraw(session: Session, *, member_id: int, amount: int, tender: Tendered, idempotency_key: str,
             outlet_code: str, actor: Actor, business_date: date, now: datetime) -> Taken:
    """Pay ``amount`` of the member's simpanan sukarela out (once per ``idempotency_key``),
    a manager approving; ``NeedsApproval`` asks for one before anything is written."""
    if not KEY.fullmatch(idempotency_key or ""):
        raise DocumentError("Kunci transaksi tidak sah; muat ulang halaman.")
    numbering.hold(session, outlet_code)
    earlier = session.scalar(select(MemberDocument).where(MemberDocument.idempotency_key == idempotency_key))
    if earlier is not None:
        return Taken(earlier, document_lines(session, earlier.id), created=False)
    member = session.get(Member, member_id)
    if member is None:
        raise NotFound("Anggota tidak ditemukan.")
    if amount <= 0 or amount > MAX_WITHDRAWAL:
        raise DocumentError(f"Jumlah penarikan harus lebih dari Rp0 dan paling banyak {rp(MAX_WITHDRAWAL)}.")
    reference = (tender.reference or "").strip()[:64] or None
    if tender.method is DocTender.QRIS:
        raise DocumentError("Penarikan dibayar tunai atau transfer ke rekening anggota, bukan QRIS.")
    if tender.method is DocTender.TRANSFER and not reference:
        raise DocumentError("Transfer ke rekening anggota perlu nomor referensi bank.")
    shift_id = drawer_shift(session, actor.till_id, actor.user_id, business_date)
    if tender.method is DocTender.CASH and shift_id is None:
        raise DocumentError(NO_DRAWER)
    held = savings.summary(session, member_id, business_date).sukarela
    if amount > held:
        raise DocumentError(f"Simpanan sukarela {member.name} {rp(held)}, "
                            f"kurang dari penarikan {rp(amount)}.")
    drawer = None
    if tender.method is DocTender.CASH and shift_id is not None:
        drawer = figures(session, session.get(Shift, shift_id)).expected["cash"]
        if amount > drawer:   # refused before a manager is called over: no PIN fills the drawer
            raise DocumentError(f"Penarikan {rp(amount)} melebihi uang tunai di laci ({rp(drawer)}).")
    seq, doc_no = numbering.next_doc_no(session, outlet_code)
    paid_from = f"; di laci {rp(drawer - amount)}" if drawer is not None \
        else f"; {OUT_BY_TRANSFER} {reference}"
    authorize(session, actor, kind=KIND, now=now, swap="outerHTML", suggested="Diminta anggota",
              what=f"Penarikan simpanan sukarela {doc_no}, {member.number} {member.name}",
              before=f"sukarela {rp(held)}",
              after=f"ditarik {rp(amount)}, sisa {rp(held - amount)}{paid_from}")
    doc = MemberDocument(doc_no=doc_no, seq_no=seq, idempotency_key=idempotency_key, outlet_code=outlet_code,
                         member_id=member_id, till_id=actor.till_id, cashier_id=actor.user_id,
                         shift_id=shift_id if tender.method is DocTender.CASH else None,
                         tender=tender.method, reference=reference, total=amount,
                         withdrawal=True, tendered=amount, change=0, business_date=business_date,
                         created_at=now)
    session.add(doc)
    session.flush()
    line = DocumentLine(document_id=doc.id, member_id=member_id, saving=SavingKind.SUKARELA, amount=amount)
    session.add(line)
    session.flush()
    return Taken(doc, [line])
