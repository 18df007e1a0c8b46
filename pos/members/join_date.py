"""How late a member's join date may be: no later than the month of the first thing recorded for
them.  Simpanan wajib is due from the join month (``accounts.savings``), so a join date moved past
months already paid would leave them before the membership (and the counter would offer them
again); a sale as a member, a savings or repayment document or a kasbon before joining is as
wrong.  ``register.update_member`` refuses such a date, naming the first record.

The check is by month, as wajib is: a member with wajib Juni 2026 paid may join on any day of
June 2026 at the latest.  A cancelled document's months and money do not count (they are as if
never paid); a kasbon entry of 0 (a limit set) is no record.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from pos.members.accounts.models import (
    CreditEntry,
    DocumentLine,
    MemberDocument,
    OpeningKasbon,
    OpeningSaving,
    SavingKind,
)
from pos.members.accounts.savings import SALE, add_months, month_label, month_start


def first_record(session: Session, member_id: int) -> tuple[date, str] | None:
    """The earliest thing recorded for the member (its date, and what it is in words), or None."""
    found: list[tuple[date, str]] = []
    wajib = session.scalar(select(DocumentLine.paid_month).where(
        DocumentLine.member_id == member_id, DocumentLine.saving == SavingKind.WAJIB,
        DocumentLine.paid_month.is_not(None)).order_by(DocumentLine.paid_month).limit(1))
    if wajib is not None:
        found.append((wajib, f"simpanan wajib {month_label(wajib)}"))
    back = aliased(MemberDocument)
    doc = session.execute(select(MemberDocument.business_date, MemberDocument.doc_no).where(
        MemberDocument.member_id == member_id, MemberDocument.withdrawal.is_(False),
        MemberDocument.reverses_id.is_(None),
        ~select(back.id).where(back.reverses_id == MemberDocument.id).exists())
        .order_by(MemberDocument.business_date, MemberDocument.id).limit(1)).first()
    if doc is not None:
        found.append((doc.business_date, f"bukti setoran {doc.doc_no} tanggal {doc.business_date:%d-%m-%Y}"))
    sold = session.scalar(select(SALE.c.business_date).where(
        SALE.c.member_id == member_id, SALE.c.status != "voided")
        .order_by(SALE.c.business_date).limit(1))
    if sold is not None:
        found.append((sold, f"penjualan sebagai anggota tanggal {sold:%d-%m-%Y}"))
    owed = session.scalar(select(CreditEntry.business_date).where(
        CreditEntry.member_id == member_id, CreditEntry.amount != 0)
        .order_by(CreditEntry.business_date).limit(1))
    if owed is not None:
        found.append((owed, f"kasbon tanggal {owed:%d-%m-%Y}"))
    old = session.get(OpeningKasbon, member_id)
    if old is not None:
        found.append((old.since, f"saldo awal kasbon sejak {old.since:%d-%m-%Y}"))
    saved = session.get(OpeningSaving, member_id)
    if saved is not None and saved.wajib_through is not None:
        through = saved.wajib_through
        found.append((through, f"saldo awal simpanan wajib sampai {month_label(through)}"))
    return min(found, key=lambda pair: pair[0]) if found else None


def too_late(session: Session, member_id: int, joined_on: date) -> str | None:
    """Why ``joined_on`` cannot be the member's join date (after the month of their first
    record), or None when it can."""
    first = first_record(session, member_id)
    if first is None or month_start(joined_on) <= month_start(first[0]):
        return None
    latest = add_months(month_start(first[0]), 1).toordinal() - 1
    return (f"Tanggal masuk {joined_on:%d-%m-%Y} sesudah catatan pertama anggota ini: {first[1]}. "
            f"Tanggal masuk paling lambat {date.fromordinal(latest):%d-%m-%Y}.")
