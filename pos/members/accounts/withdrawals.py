"""Penarikan simpanan sukarela: a member takes voluntary savings back at the counter.

It is a member document marked ``withdrawal`` (the same gap-free numbers and idempotency key
as a deposit), one line of simpanan sukarela, paid in cash from the till's drawer or by
transfer to the member's bank account (with its reference).  Only sukarela is withdrawn by
an active member; pokok and wajib come back with it when a member has left, nonaktif on the
member page (``settle_leaver``: every saving in one document),
never more than the member holds, and cash never beyond what the drawer holds (so only at a
till with its shift open), and in cash in whole coins of ``POS_CASH_ROUNDING`` (the member
chooses the amount: Rp10.050 is refused, never paid as Rp10.100).  Cash belongs to the shift
whose drawer paid it; a transfer to the member's account is the cooperative's bank, not a
till's, and belongs to no shift.  Every withdrawal is approved by a manager
(``approvals.authorize``, logged with the document's number): money leaves a member's
savings, and the member is not always there to see it.
Bad input raises before anything is written.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from pos.approvals.service import Actor, authorize
from pos.errors import NotFound
from pos.members.accounts import credit, numbering, savings
from pos.members.accounts.documents import (
    DocumentError,
    Taken,
    Tendered,
    drawer_shift,
    made_before,
    reference_of,
    sent_again,
)
from pos.members.accounts.models import DocTender, DocumentLine, MemberDocument, SavingKind
from pos.members.models import Member
from pos.money import format_rupiah as rp
from pos.money import in_coins
from pos.shifts.figures import figures
from pos.shifts.models import Shift

MAX_WITHDRAWAL = 1_000_000_000   # Rp1 milyar: beyond it a typo, not a withdrawal
NO_DRAWER = "Uang tunai dibayar dari laci mesin kasir: masuk dengan memilih kasir, atau pakai transfer."
OUT_BY_TRANSFER = "transfer ke rekening"
KIND = "savings_withdrawal"       # the approval's kinds (``approvals.KIND_LABELS``)
LEAVER_KIND = "savings_leaver"


@dataclass(frozen=True)
class PaidOut:
    """How money leaves for the member: cash from the till's drawer (its shift, the cash there
    before, and the rounding that pays it in whole coins) or a transfer to the member's account
    (its reference; no shift)."""

    shift_id: int | None
    reference: str | None
    drawer: int | None
    rounding: int = 0

    def after(self, amount: int) -> str:
        """What the manager's dialog says of the money after ``amount`` goes."""
        if self.drawer is None:
            return f"; {OUT_BY_TRANSFER} {self.reference}"
        cash = amount + self.rounding
        rounded = f"; dibayar tunai {rp(cash)} (pembulatan)" if self.rounding else ""
        return f"{rounded}; di laci {rp(self.drawer - cash)}"


def paying_out(session: Session, tender: Tendered, actor: Actor, business_date: date, amount: int,
               noun: str) -> PaidOut:
    """Check how ``amount`` is paid out (``noun``: "Penarikan", "Pengembalian"): never QRIS, a
    transfer with its reference, cash only at a till, in whole coins and never beyond its
    drawer; refused before a manager is called over (no PIN fills a drawer)."""
    if tender.method is DocTender.QRIS:
        raise DocumentError(f"{noun} dibayar tunai atau transfer ke rekening anggota, bukan QRIS.")
    reference = reference_of(tender)
    shift_id = drawer_shift(session, actor.till_id, actor.user_id, business_date)
    if tender.method is not DocTender.CASH:
        return PaidOut(None, reference, None)
    if shift_id is None:
        raise DocumentError(NO_DRAWER)
    drawer = figures(session, session.get(Shift, shift_id)).expected["cash"]
    cash = tender.due(amount)
    if cash > drawer:
        raise DocumentError(f"{noun} {rp(cash)} melebihi uang tunai di laci ({rp(drawer)}).")
    return PaidOut(shift_id, None, drawer, cash - amount)


def withdraw(session: Session, *, member_id: int, amount: int, tender: Tendered, idempotency_key: str,
             outlet_code: str, actor: Actor, business_date: date, now: datetime) -> Taken:
    """Pay ``amount`` of the member's simpanan sukarela out (once per ``idempotency_key``),
    a manager approving; ``NeedsApproval`` asks for one before anything is written."""
    if (earlier := made_before(session, idempotency_key, outlet_code)) is not None:
        doc = earlier.document
        return sent_again(earlier, doc.member_id == member_id and doc.withdrawal and doc.total == amount
                          and doc.tender is tender.method and doc.reverses_id is None,
                          till_id=actor.till_id, cashier_id=actor.user_id)
    member = session.get(Member, member_id)
    if member is None:
        raise NotFound("Anggota tidak ditemukan.")
    if amount <= 0 or amount > MAX_WITHDRAWAL:
        raise DocumentError(f"Jumlah penarikan harus lebih dari Rp0 dan paling banyak {rp(MAX_WITHDRAWAL)}.")
    held = savings.summary(session, member_id, business_date).sukarela
    if amount > held:
        raise DocumentError(f"Simpanan sukarela {member.name} {rp(held)}, "
                            f"kurang dari penarikan {rp(amount)}.")
    if tender.method is DocTender.CASH:   # the member chooses it: whole coins, never rounded
        in_coins(amount, tender.coin, "Penarikan", DocumentError)
    paid = paying_out(session, tender, actor, business_date, amount, "Penarikan")
    what = f"Penarikan simpanan sukarela, {member.number} {member.name}"
    logged = authorize(session, actor, kind=KIND, now=now, swap="outerHTML", suggested="Diminta anggota",
                       what=what, before=f"sukarela {rp(held)}",
                       after=f"ditarik {rp(amount)}, sisa {rp(held - amount)}{paid.after(amount)}")
    seq, doc_no = numbering.next_doc_no(session, outlet_code)   # the log names it once it is sure
    logged.description = f"{what}: {doc_no}"[:200]
    doc = out_document(session, paid, seq=seq, doc_no=doc_no, idempotency_key=idempotency_key,
                       outlet_code=outlet_code, member_id=member_id, actor=actor, tender=tender.method,
                       total=amount, business_date=business_date, now=now)
    line = DocumentLine(document_id=doc.id, member_id=member_id, saving=SavingKind.SUKARELA, amount=amount)
    session.add(line)
    session.flush()
    return Taken(doc, [line])


def settle_leaver(session: Session, *, member_id: int, tender: Tendered, idempotency_key: str,
                  outlet_code: str, actor: Actor, business_date: date, now: datetime) -> Taken:
    """A member who left (made nonaktif on the member page) gets every saving back, pokok and
    wajib with the sukarela, in one document (once per ``idempotency_key``), a manager
    approving; ``NeedsApproval`` asks for one before anything is written."""
    if (earlier := made_before(session, idempotency_key, outlet_code)) is not None:
        doc = earlier.document
        return sent_again(earlier, doc.member_id == member_id and doc.withdrawal
                          and doc.tender is tender.method and doc.reverses_id is None,
                          till_id=actor.till_id, cashier_id=actor.user_id)
    member = session.get(Member, member_id)
    if member is None:
        raise NotFound("Anggota tidak ditemukan.")
    if member.active:
        raise DocumentError(f"{member.name} masih anggota aktif: simpanan pokok dan wajib dikembalikan "
                            "setelah ia keluar (nonaktifkan di halaman anggota).")
    owed = credit.available(session, member_id)[1]
    if owed:   # the cooperative's money first: a repayment (it may come out of these savings)
        raise DocumentError(f"{member.name} masih berutang kasbon {rp(owed)}: terima angsurannya dulu "
                            "(boleh dibayar dari simpanan yang dikembalikan), lalu kembalikan simpanannya.")
    held = savings.summary(session, member_id, business_date).as_dict()
    back = {kind: amount for kind, amount in held.items() if amount > 0}
    total = sum(back.values())
    if not total:
        raise DocumentError(f"{member.name} tidak punya simpanan untuk dikembalikan.")
    paid = paying_out(session, tender, actor, business_date, total, "Pengembalian")
    what = f"Pengembalian simpanan anggota keluar, {member.number} {member.name}"
    logged = authorize(session, actor, kind=LEAVER_KIND, now=now, swap="outerHTML",
                       suggested="Anggota keluar", what=what,
                       before=", ".join(f"{kind} {rp(amount)}" for kind, amount in back.items()),
                       after=f"dikembalikan {rp(total)}, sisa Rp0{paid.after(total)}")
    seq, doc_no = numbering.next_doc_no(session, outlet_code)
    logged.description = f"{what}: {doc_no}"[:200]
    doc = out_document(session, paid, seq=seq, doc_no=doc_no, idempotency_key=idempotency_key,
                       outlet_code=outlet_code, member_id=member_id, actor=actor, tender=tender.method,
                       total=total, business_date=business_date, now=now)
    rows = [DocumentLine(document_id=doc.id, member_id=member_id, saving=SavingKind(kind), amount=amount)
            for kind, amount in back.items()]
    session.add_all(rows)
    session.flush()
    return Taken(doc, rows)


def out_document(session: Session, paid: PaidOut, *, seq: int, doc_no: str, idempotency_key: str,
                 outlet_code: str, member_id: int, actor: Actor, tender: DocTender, total: int,
                 business_date: date, now: datetime, reverses_id: int | None = None,
                 taken: tuple[int, int] | None = None) -> MemberDocument:
    """The member document of money paid out (a withdrawal, or a cancellation of ``reverses_id``);
    with ``taken`` (handed over, change) money received instead: a withdrawal's cancellation."""
    tendered, change = taken or (total + paid.rounding, 0)
    doc = MemberDocument(doc_no=doc_no, seq_no=seq, idempotency_key=idempotency_key, outlet_code=outlet_code,
                         member_id=member_id, till_id=actor.till_id, cashier_id=actor.user_id,
                         shift_id=paid.shift_id, tender=tender, reference=paid.reference, total=total,
                         rounding=paid.rounding, withdrawal=taken is None, reverses_id=reverses_id,
                         tendered=tendered, change=change, business_date=business_date, created_at=now)
    session.add(doc)
    session.flush()
    return doc
