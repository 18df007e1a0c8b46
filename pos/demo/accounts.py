"""Demo members' money: kasbon limits, a member's old kasbon taken on two quiet days months ago
(``old_kasbon``: real sales on days closed, so the ageing list is not empty and the books hold
it), savings paid at the counter (and some sukarela withdrawn, and a kasbon repayment).

Dates are relative to today, so the demo always shows every bucket it means to.  The savings
documents fall inside the closed history (``history.DAYS``), which closes their days: a document
on an older day would leave that day open, listed on Tutup hari and never sent to the ledger.
Adds and flushes only; the caller commits.
"""
from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.approvals.service import Actor
from pos.auth.models import Role, User
from pos.auth.service import RIGHTS
from pos.clock import business_date, utcnow
from pos.config import DefaultConfig
from pos.demo.old_kasbon import OLD, TILL, seed_old_kasbon
from pos.members.accounts import credit, documents, savings, withdrawals
from pos.members.accounts.documents import Payment, Tendered
from pos.members.accounts.models import DocTender, MemberDocument
from pos.members.models import Member
from pos.tills.models import Till

LIMITS = {"AGT-0001": 500_000, "AGT-0002": 300_000, "AGT-0003": 250_000, "AGT-0005": 200_000}
# The limits were set the day before the oldest kasbon (``old_kasbon.OLD``).
LIMITS_SET_DAYS_AGO = max(days for _, days, _, _ in OLD) + 1
_NS = uuid.UUID("6f1c1d6e-9a55-4c3e-9d1b-0a7e5a1f2c00")


def seed_accounts(session: Session, config: Mapping | None = None, *, old_kasbon: bool = True) -> int:
    """Limits, the old kasbon days when ``old_kasbon`` (closed with the app's ``config``: outlet
    code, zone, PKP; a demo seeded without its past days has none) and savings documents (the
    old kasbon's repayment only when it is owed); returns how many documents were made."""
    if session.scalar(select(MemberDocument.id).limit(1)) is not None:
        return 0
    manager = session.scalar(select(User.id).where(User.username == "manajer1"))
    cashier = session.scalar(select(User.id).where(User.username == "kasir1"))
    if manager is None or cashier is None:
        return 0
    ids = dict(session.execute(select(Member.number, Member.id).where(Member.number.in_(LIMITS))).all())
    today = business_date(utcnow(), DefaultConfig.TIMEZONE)
    set_on = today - timedelta(days=LIMITS_SET_DAYS_AGO)
    for number, limit in LIMITS.items():
        if number in ids:
            credit.set_limit(session, ids[number], limit, manager, today=set_on,
                             now=datetime.combine(set_on, time(1)))
    till = session.scalar(select(Till.id).where(Till.code == TILL))
    if old_kasbon and till is not None:
        seed_old_kasbon(session, today=today, members=ids, manager=manager, till=till, config=config)
    rates, made = savings.Rates(DefaultConfig.SIMPANAN_POKOK, DefaultConfig.SIMPANAN_WAJIB), 0

    def take(number: str, days: int, paid: Payment, tender: Tendered) -> None:
        nonlocal made
        day = today - timedelta(days=days)
        documents.take(session, member_id=ids[number], paid=paid, tender=tender,
                       idempotency_key=str(uuid.uuid5(_NS, f"{number}-{days}")),
                       outlet_code=DefaultConfig.OUTLET_CODE, till_id=None, cashier_id=cashier,
                       rates=rates, business_date=day, now=datetime.combine(day, time(3)))
        made += 1

    if "AGT-0001" in ids:
        joined = session.get(Member, ids["AGT-0001"]).joined_on
        due = savings.months_between(joined, savings.add_months(savings.month_start(today), -2))
        take("AGT-0001", 13, Payment(pokok=True, wajib_months=tuple(due)), Tendered(DocTender.CASH))
    if "AGT-0002" in ids:
        take("AGT-0002", 12, Payment(pokok=True, sukarela=50_000),
             Tendered(DocTender.TRANSFER, reference="BRI 0042 7781"))
    if "AGT-0003" in ids and credit.available(session, ids["AGT-0003"])[1] >= 30_000:
        take("AGT-0003", 11, Payment(repayment=30_000), Tendered(DocTender.QRIS))
    if "AGT-0002" in ids:   # a manager pays part of the sukarela out, by transfer
        day = today - timedelta(days=10)
        withdrawals.withdraw(session, member_id=ids["AGT-0002"], amount=20_000,
                             tender=Tendered(DocTender.TRANSFER, reference="BRI 0042 9120"),
                             idempotency_key=str(uuid.uuid5(_NS, "AGT-0002-tarik")),
                             outlet_code=DefaultConfig.OUTLET_CODE,
                             actor=Actor(manager, None, RIGHTS[Role.MANAGER], reason="Diminta anggota"),
                             business_date=day, now=datetime.combine(day, time(4)))
        made += 1
    return made
