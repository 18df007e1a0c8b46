"""Member documents at the counter: savings deposits and kasbon repayments.

A document is not a sale: no stock, no PPN, never in sales totals.  It has its own
gap-free number (``numbering``), one tender (Tunai, QRIS or Transfer with its
reference) and an idempotency key from the page, so a double click or a retry makes
one document.  Bad input raises before anything is written.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy import column, select, table
from sqlalchemy.orm import Session

from pos.auth.models import User
from pos.clock import utcnow
from pos.days.service import ensure_open
from pos.errors import NotFound, PosError
from pos.members.accounts import credit, numbering, savings
from pos.members.accounts.doc_receipt import DocSlip
from pos.members.accounts.models import DocTender, DocumentLine, MemberDocument, SavingKind
from pos.members.models import Member
from pos.money import format_rupiah, in_coins, round_cash
from pos.payments.reference import check_reference
from pos.shifts import gate

KEY = re.compile(r"[A-Za-z0-9-]{8,36}")


class DocumentError(PosError):
    """A savings or repayment document that cannot be taken as asked."""


@dataclass(frozen=True)
class Payment:
    """What the member pays on one document (the form, parsed)."""

    pokok: bool = False
    wajib_months: tuple[date, ...] = ()
    sukarela: int = 0
    repayment: int = 0


@dataclass(frozen=True)
class Tendered:
    method: DocTender
    amount: int | None = None  # cash handed over (None: the exact money due); cash only
    reference: str = ""
    coin: int = 0              # cash moves in whole coins of this (POS_CASH_ROUNDING; 0: any Rupiah)

    def due(self, total: int) -> int:
        """The money ``total`` moves in this tender: cash in whole coins (nearest, halves up: as
        a sale takes it and a refund pays it), QRIS and transfer to the Rupiah.  Only an amount
        owed or fixed is rounded (the whole kasbon, wajib, pokok, what a leaver or a cancellation
        gives back); one chosen (sukarela, part of a kasbon) is refused in cash unless whole coins."""
        return round_cash(total, self.coin) if self.method is DocTender.CASH else total


@dataclass
class Taken:
    document: MemberDocument
    lines: list[DocumentLine] = field(default_factory=list)
    created: bool = True
    balance: int | None = None   # kasbon left after a repayment


# A member who left (nonaktif on the member page) saves no more: their savings are settled, or
# about to be (``withdrawals.settle_leaver``); what they owe is still taken.
INACTIVE = ("{name} sudah nonaktif: simpanan tidak diterima lagi, angsuran kasbon tetap diterima. "
            "Bila ia kembali menjadi anggota, aktifkan dulu di halaman anggota.")


def _lines(session: Session, member: Member, paid: Payment, rates: savings.Rates,
           today: date) -> list[tuple[SavingKind | None, date | None, int]]:
    """The document's lines, each rule checked against what is already paid."""
    lines: list[tuple[SavingKind | None, date | None, int]] = []
    if not member.active and (paid.pokok or paid.wajib_months or paid.sukarela):
        raise DocumentError(INACTIVE.format(name=member.name))
    if paid.pokok:
        if savings.pokok_held(session, member.id):
            raise DocumentError("Simpanan pokok anggota ini sudah lunas.")
        lines.append((SavingKind.POKOK, None, rates.pokok))
    if paid.wajib_months:
        months = sorted(set(paid.wajib_months))
        if len(months) != len(paid.wajib_months):
            raise DocumentError("Bulan simpanan wajib tercatat dua kali.")
        first, last = savings.month_start(member.joined_on), savings.add_months(
            savings.month_start(today), rates.wajib_ahead)
        done = savings.paid_months(session, member.id)
        for month in months:
            if not first <= month <= last:
                raise DocumentError(f"Simpanan wajib {savings.month_label(month)} di luar masa "
                                    f"keanggotaan (bulan masuk sampai {rates.wajib_ahead} bulan ke depan).")
            if month in done:
                raise DocumentError(f"Simpanan wajib {savings.month_label(month)} sudah dibayar.")
            lines.append((SavingKind.WAJIB, month, rates.wajib))
    if paid.sukarela:
        lines.append((SavingKind.SUKARELA, None, paid.sukarela))
    if paid.repayment:
        lines.append((None, None, paid.repayment))
    if any(amount <= 0 for _, _, amount in lines):
        raise DocumentError("Setiap jumlah harus lebih dari nol.")
    if not lines:
        raise DocumentError("Pilih yang dibayar: simpanan pokok, wajib, sukarela atau angsuran kasbon.")
    return lines


def money_in(total: int, tender: Tendered) -> tuple[int, int, str | None, int]:
    """(tendered, change, reference, rounding) for the tender; cash must cover what is due (the
    total in whole coins, ``Tendered.due``), and the cash handed over is whole coins too (else its
    change is not: Rp12.350 for Rp12.300 due); QRIS and transfer take no cash handed over."""
    due = tender.due(total)
    if tender.method == DocTender.CASH:
        if tender.amount is None:
            return due, 0, None, due - total
        if tender.amount < due:
            rounded = f" (dibulatkan dari {format_rupiah(total)})" if due != total else ""
            raise DocumentError(f"Uang diterima kurang dari total {format_rupiah(due)}{rounded}.")
        in_coins(tender.amount, tender.coin, "Uang diterima", DocumentError)
        return tender.amount, tender.amount - due, None, due - total
    if tender.amount is not None:   # a stale or tampered form: refused, never silently dropped
        raise DocumentError(f"Uang diterima {format_rupiah(tender.amount)} hanya untuk Tunai, bukan "
                            f"{tender.method.label}: tidak ada yang disimpan. Pilih Tunai, atau kosongkan "
                            "Uang diterima.")
    return total, 0, reference_of(tender), 0


def reference_of(tender: Tendered) -> str | None:
    """A transfer's bank reference (wajib) or a QRIS one (when typed), by the till's rule
    (``payments.reference``: refused, never cut); cash has none."""
    typed = (tender.reference or "").strip()
    if tender.method is DocTender.CASH or (tender.method is DocTender.QRIS and not typed):
        return None
    return check_reference(tender.reference, DocumentError)


def drawer_shift(session: Session, till_id: int | None, cashier_id: int, day: date) -> int | None:
    """At a till the money goes through its drawer: the shift open there (needed for any
    tender, as for a sale).  Away from a till (the treasurer's desk, the command line) no
    drawer is involved; either way never on a closed day.  At a till whose shift is gone (closed
    elsewhere) the page reloads, and the counter's page sends it to the till's Buka shift."""
    if till_id is None:
        ensure_open(session, day)
        return None
    return gate.require(session, till_id=till_id, user_id=cashier_id, day=day, own=False, reload=True)


def made_before(session: Session, idempotency_key: str, outlet_code: str) -> Taken | None:
    """Check the page's key, queue behind the outlet's other documents (``numbering.hold``),
    and return what this key made before, if anything (every kind of document starts so)."""
    if not KEY.fullmatch(idempotency_key or ""):
        raise DocumentError("Kunci transaksi tidak sah; muat ulang halaman.")
    numbering.hold(session, outlet_code)
    earlier = session.scalar(select(MemberDocument).where(MemberDocument.idempotency_key == idempotency_key))
    return None if earlier is None else Taken(earlier, document_lines(session, earlier.id), created=False)


def sent_again(earlier: Taken, same: bool, *, till_id: int | None, cashier_id: int) -> Taken:
    """The document a form sent again made before, when it asks for the same (a double click,
    a retry) at the same till by the same cashier; a form whose member, amounts or tender were
    changed, or sent from another till or by another cashier, is refused, never answered
    "Tersimpan" with another's document."""
    doc = earlier.document
    if (doc.till_id, doc.cashier_id) != (till_id, cashier_id):
        raise DocumentError(f"Formulir ini sudah dipakai untuk bukti {doc.doc_no} di kasir lain atau oleh "
                            "kasir lain; yang ini tidak disimpan. Muat ulang halaman lalu isi lagi.", 409)
    if not same:
        raise DocumentError(f"Formulir ini sudah dipakai untuk bukti {doc.doc_no} dengan "
                            "anggota, jumlah atau cara bayar lain; yang ini tidak disimpan. Muat ulang "
                            "halaman lalu isi lagi.", 409)
    return earlier


def _paid_by(lines: list[DocumentLine]) -> Payment:
    """What a document's lines paid, as the form asked it."""
    def total(kind: SavingKind | None) -> int:
        return sum(li.amount for li in lines if li.saving is kind)
    return Payment(pokok=any(li.saving is SavingKind.POKOK for li in lines),
                   wajib_months=tuple(sorted(li.period for li in lines if li.saving is SavingKind.WAJIB)),
                   sukarela=total(SavingKind.SUKARELA), repayment=total(None))


def take(session: Session, *, member_id: int, paid: Payment, tender: Tendered,
         idempotency_key: str, outlet_code: str, till_id: int | None, cashier_id: int,
         rates: savings.Rates, business_date: date, now: datetime) -> Taken:
    """Record one document (once per ``idempotency_key``) and return it."""
    if (earlier := made_before(session, idempotency_key, outlet_code)) is not None:
        doc = earlier.document
        asked = replace(paid, wajib_months=tuple(sorted(paid.wajib_months)))
        return sent_again(earlier, doc.member_id == member_id and doc.tender is tender.method
                          and not doc.withdrawal and doc.reverses_id is None
                          and _paid_by(earlier.lines) == asked, till_id=till_id, cashier_id=cashier_id)
    member = session.get(Member, member_id)
    if member is None:
        raise NotFound("Anggota tidak ditemukan.")
    shift_id = drawer_shift(session, till_id, cashier_id, business_date)
    lines = _lines(session, member, paid, rates, business_date)
    owed = credit.repayable(session, member_id, paid.repayment)   # before any money is counted
    if tender.method is DocTender.CASH:   # chosen, not owed: never rounded (the member would gain or lose)
        in_coins(paid.sukarela, tender.coin, "Simpanan sukarela", DocumentError)
        in_coins(paid.repayment, tender.coin, "Angsuran kasbon", DocumentError, whole=owed)  # all: owed
    total = sum(amount for _, _, amount in lines)
    handed, change, reference, rounding = money_in(total, tender)
    seq, doc_no = numbering.next_doc_no(session, outlet_code)
    doc = MemberDocument(doc_no=doc_no, seq_no=seq, idempotency_key=idempotency_key,
                         outlet_code=outlet_code, member_id=member_id, till_id=till_id,
                         cashier_id=cashier_id, shift_id=shift_id, tender=tender.method,
                         reference=reference, total=total, rounding=rounding,
                         tendered=handed, change=change, business_date=business_date, created_at=now)
    session.add(doc)
    session.flush()
    rows = [DocumentLine(document_id=doc.id, member_id=member_id, saving=kind, period=period,
                         paid_month=period, amount=amount) for kind, period, amount in lines]
    session.add_all(rows)
    session.flush()
    balance = None
    if paid.repayment:
        balance = credit.repay(session, member_id=member_id, amount=paid.repayment, document_id=doc.id,
                               user_id=cashier_id, business_date=business_date, now=now)
    return Taken(doc, rows, balance=balance)


def document_lines(session: Session, document_id: int) -> list[DocumentLine]:
    return list(session.scalars(select(DocumentLine).where(DocumentLine.document_id == document_id)
                                .order_by(DocumentLine.id)))


def get(session: Session, document_id: int) -> MemberDocument:
    doc = session.get(MemberDocument, document_id)
    if doc is None:
        raise NotFound("Bukti setoran tidak ditemukan.")
    return doc


def record_print(session: Session, document_id: int, error: str | None, now: datetime) -> None:
    """After a print attempt: when it printed, or why not (shown with a reprint button)."""
    doc = get(session, document_id)
    if error is None:
        doc.printed_at, doc.print_error = now, None
    else:
        doc.print_error = error[:200]


def line_label(line: DocumentLine, withdrawal: bool = False, cancel: bool = False) -> str:
    """A line as a slip names it; ``cancel`` on a cancellation (money out: of a deposit; in: of a
    withdrawal)."""
    if cancel and withdrawal:
        return f"Batal: {line_label(line)}"
    if cancel:
        return f"Batal penarikan {line.saving.value}"
    if withdrawal:
        return f"Penarikan simpanan {line.saving.value}"
    if line.saving is None:
        return "Angsuran kasbon"
    if line.saving == SavingKind.WAJIB and line.period is not None:
        return f"Simpanan wajib {savings.month_label(line.period)}"
    return line.saving.label.capitalize()


def slip(session: Session, document_id: int) -> DocSlip:
    """The plain data a receipt of the document shows (the kasbon left, when the member has any)."""
    doc = get(session, document_id)
    member = session.get(Member, doc.member_id)
    cashier = session.scalar(select(User.full_name).where(User.id == doc.cashier_id)) or "-"
    lines = document_lines(session, doc.id)
    limit, balance = credit.available(session, doc.member_id)
    has_credit = limit > 0 or balance > 0 or any(li.saving is None for li in lines)
    cancels = doc.reverses_id and session.scalar(select(MemberDocument.doc_no)
                                                 .where(MemberDocument.id == doc.reverses_id))
    # a withdrawal, or one taken back (money in, its savings held again): the sukarela after it;
    # the kasbon left only where the document is about kasbon or money the member paid in
    withdrawn = doc.withdrawal and not cancels
    taken_back = bool(cancels) and not doc.withdrawal
    sukarela = any(li.saving is SavingKind.SUKARELA for li in lines)
    left = savings.sukarela_after(session, doc.member_id, doc.id) if withdrawn or (taken_back and sukarela) \
        else None
    kasbon = has_credit and not withdrawn and not taken_back
    return DocSlip(doc.doc_no, doc.created_at, cashier, member.number, member.name,
                   [(line_label(li, doc.withdrawal, bool(cancels)), li.amount) for li in lines], doc.total,
                   doc.tender, doc.tendered, doc.change, doc.reference,
                   balance if kasbon else None, doc.withdrawal, left, cancels or None, doc.rounding)


def recent(session: Session, member_id: int, limit: int = 20) -> list[MemberDocument]:
    return list(session.scalars(select(MemberDocument).where(MemberDocument.member_id == member_id)
                                .order_by(MemberDocument.id.desc()).limit(limit)))


_drawer = table("drawer_event", column("till_id"), column("user_id"), column("sale_id"), column("reason"),
                column("opened"), column("error"), column("created_at"))


def log_drawer(session: Session, *, till_id: int, user_id: int, reason: str, error: str | None) -> None:
    """Every drawer opening is logged (the sales' drawer log, named without importing sales):
    ``reason`` names the document, "Setoran anggota GERAI01-S-000123"."""
    session.execute(_drawer.insert().values(till_id=till_id, user_id=user_id, sale_id=None,
                                            reason=reason[:200], opened=error is None,
                                            error=(error or None) and error[:200], created_at=utcnow()))
