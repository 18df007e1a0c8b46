"""Member credit (kasbon) and savings (simpanan): the running balance, its entries, and the
documents taken at the counter (savings deposits and kasbon repayments).

The balance row holds the limit and the running balance of one member; every change to
it writes a ``CreditEntry`` in the same transaction, so the balance always equals the sum
of the member's entries and the statement and the ageing list come from the entries.
"""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from pos.clock import utcnow
from pos.db import Base, BigId, enum_column


class EntryKind(str, enum.Enum):
    CHARGE = "charge"           # a sale paid by kasbon (+)
    REPAYMENT = "repayment"     # a repayment document (-)
    ADJUSTMENT = "adjustment"   # a manager's correction (+ or -)

    @property
    def label(self) -> str:
        return {"charge": "Kasbon", "repayment": "Angsuran", "adjustment": "Koreksi"}[self.value]


class SavingKind(str, enum.Enum):
    POKOK = "pokok"         # once, on joining
    WAJIB = "wajib"         # every month
    SUKARELA = "sukarela"   # any amount, any time

    @property
    def label(self) -> str:
        return f"Simpanan {self.value}"


class DocTender(str, enum.Enum):
    CASH = "cash"
    QRIS = "qris"
    TRANSFER = "transfer"

    @property
    def label(self) -> str:
        return {"cash": "Tunai", "qris": "QRIS", "transfer": "Transfer/Debit"}[self.value]


class MemberCredit(Base):
    """One member's kasbon: the limit a manager set and the running balance owed."""

    __tablename__ = "member_credit"
    __table_args__ = (CheckConstraint("balance >= 0", name="balance_nonneg"),
                      CheckConstraint("credit_limit >= 0", name="limit_nonneg"))

    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), primary_key=True)
    credit_limit: Mapped[int] = mapped_column(default=0)
    balance: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))


class CreditEntry(Base):
    """A change to a member's kasbon balance: signed, dated, with the sale or document behind it."""

    __tablename__ = "credit_entry"
    __table_args__ = (Index("ix_credit_entry_member_id_id", "member_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"))
    kind: Mapped[EntryKind] = mapped_column(enum_column(EntryKind))
    amount: Mapped[int]   # + adds to what the member owes, - pays it off
    sale_id: Mapped[int | None] = mapped_column(ForeignKey("sale.id"), index=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("member_document.id"))
    business_date: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    # The manager who approved it when someone else (a cashier's return) made it; else NULL.
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    note: Mapped[str | None] = mapped_column(String(200))


class DocumentSequence(Base):
    """Last member-document number used per outlet (its own series, e.g. GERAI01-S-0000123)."""

    __tablename__ = "member_document_sequence"

    outlet_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    last_no: Mapped[int] = mapped_column(default=0)


class MemberDocument(Base):
    """Money a member brings to the counter that is not a sale: savings and kasbon repayments;
    or, marked ``withdrawal``, simpanan sukarela paid back to the member (money out: its total
    and lines are positive, every reader counts them against the member's savings).

    No stock, no PPN, never in sales totals; its own gap-free number.
    """

    __tablename__ = "member_document"
    __table_args__ = (CheckConstraint("total > 0", name="total_positive"),
                      Index("ix_member_document_business_date", "business_date"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    doc_no: Mapped[str] = mapped_column(String(32), unique=True)
    seq_no: Mapped[int]
    idempotency_key: Mapped[str] = mapped_column(String(36), unique=True)
    outlet_code: Mapped[str] = mapped_column(String(16))
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    till_id: Mapped[int | None] = mapped_column(ForeignKey("till.id"))
    cashier_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    # The shift whose drawer took it (always for cash; NULL for a transfer away from a till).
    shift_id: Mapped[int | None] = mapped_column(ForeignKey("shift.id"), index=True)
    tender: Mapped[DocTender] = mapped_column(enum_column(DocTender))
    reference: Mapped[str | None] = mapped_column(String(64))   # bank / QRIS reference
    total: Mapped[int]
    # money paid out, approved by a manager: simpanan sukarela withdrawn (Penarikan), or, with
    # ``reverses_id``, a document taken by mistake given back (Pembatalan); False: money received
    withdrawal: Mapped[bool] = mapped_column(default=False, server_default=false())
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("member_document.id"), unique=True)
    # Cash is taken and paid in whole coins (POS_CASH_ROUNDING): the money moved is ``total +
    # rounding`` (+ or -, 0 for QRIS and transfer), while the savings and kasbon move by ``total``.
    rounding: Mapped[int] = mapped_column(default=0, server_default="0")
    tendered: Mapped[int]   # cash handed over (>= the money due); the money moved otherwise
    change: Mapped[int]
    business_date: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    printed_at: Mapped[datetime | None]
    print_error: Mapped[str | None] = mapped_column(String(200))

    @property
    def paid(self) -> int:
        """The money that moved, into the tender or out of it: the lines' total and its rounding."""
        return self.total + self.rounding

    @property
    def tender_label(self) -> str:
        """How the money moved: money paid out by transfer went to the member's account."""
        if self.withdrawal and self.tender is DocTender.TRANSFER:
            return "Transfer ke rekening"
        return self.tender.label


class DocumentLine(Base):
    """One thing paid on a document: a saving (wajib with the month it pays for) or a repayment."""

    __tablename__ = "member_document_line"
    # A month of wajib is paid once (NULL months, the other kinds and cancelled lines, never clash).
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),
                      UniqueConstraint("member_id", "saving", "paid_month",
                                       name="uq_member_document_line_paid_month"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("member_document.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"))
    # A saving kind, or NULL for a kasbon repayment.
    saving: Mapped[SavingKind | None] = mapped_column(enum_column(SavingKind))
    period: Mapped[date | None]   # simpanan wajib: the first day of the month it pays for
    # the month this line still pays: ``period`` on a wajib line, NULL once its document is
    # cancelled (the month is due again) and on a cancellation's own lines
    paid_month: Mapped[date | None]
    amount: Mapped[int]


class OpeningSaving(Base):
    """A member's savings from before the gerai's first day (the paper books): pokok, wajib
    with the last month it paid, sukarela; imported once per member on a business day, which
    sends it to the hub with that day (``reports.day_parts.member_savings``)."""

    __tablename__ = "member_opening_saving"
    __table_args__ = (CheckConstraint("pokok >= 0 AND wajib >= 0 AND sukarela >= 0", name="amounts_nonneg"),)

    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), primary_key=True)
    pokok: Mapped[int] = mapped_column(default=0)
    wajib: Mapped[int] = mapped_column(default=0)
    wajib_through: Mapped[date | None]   # the first day of the last month of wajib paid
    sukarela: Mapped[int] = mapped_column(default=0)
    business_date: Mapped[date] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))


class OpeningKasbon(Base):
    """What a member owed the gerai on the paper books (kasbon, piutang anggota) before its
    first day: imported once per member on a business day (``business_date``), held on the
    member's balance by one kasbon entry (``entry_id``) dated ``since``, the oldest unpaid
    kasbon's date, from which the ageing counts.  No journal line: account 113100 gets it on
    the hub's Saldo awal (``members.accounts.opening_kasbon``)."""

    __tablename__ = "member_opening_kasbon"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), primary_key=True)
    amount: Mapped[int]
    since: Mapped[date]
    entry_id: Mapped[int] = mapped_column(ForeignKey("credit_entry.id"), unique=True)
    business_date: Mapped[date] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
