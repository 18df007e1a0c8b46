"""The day's sales split for the closing summary: per till, per cashier, member vs
non-member, and each member's purchases net of the returns booked that day (the SHU
basis as ``members.accounts.purchases`` nets it), and each member's savings and kasbon
repayments taken that day (the jasa modal basis).  Every figure is a SQL aggregate."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from pos.auth.models import User
from pos.chart import chart
from pos.members.accounts import savings
from pos.members.accounts.models import DocumentLine, MemberDocument, OpeningKasbon, OpeningSaving
from pos.members.models import Member
from pos.returns.models import SaleReturn
from pos.sales.models import Sale, SaleStatus
from pos.tills.models import Till


def _done(day: date):
    return (Sale.business_date == day, Sale.status == SaleStatus.COMPLETED)


def tills(session: Session, day: date) -> list[dict]:
    """Completed sales per till: code, name, count and total."""
    rows = session.execute(
        select(Sale.till_id, Till.code, Till.name, func.count(Sale.id), func.sum(Sale.total))
        .join(Till, Till.id == Sale.till_id).where(*_done(day))
        .group_by(Sale.till_id, Till.code, Till.name).order_by(Till.code))
    return [{"till_id": t, "code": c, "name": n, "sale_count": int(k), "total": int(a)}
            for t, c, n, k, a in rows]


def cashiers(session: Session, day: date) -> list[dict]:
    """Completed sales per cashier: username, name, count and total."""
    rows = session.execute(
        select(Sale.cashier_id, User.username, User.full_name, func.count(Sale.id),
               func.sum(Sale.total))
        .join(User, User.id == Sale.cashier_id).where(*_done(day))
        .group_by(Sale.cashier_id, User.username, User.full_name).order_by(User.username))
    return [{"user_id": u, "username": name, "name": full, "sale_count": int(k), "total": int(a)}
            for u, name, full, k, a in rows]


def member_split(session: Session, day: date) -> dict[str, dict[str, int]]:
    """Member sales (``member_sale``: an active member at member prices) and the rest."""
    out = {"member": {"sale_count": 0, "total": 0}, "non_member": {"sale_count": 0, "total": 0}}
    for flag, count, total in session.execute(
            select(Sale.member_sale, func.count(Sale.id), func.sum(Sale.total))
            .where(*_done(day)).group_by(Sale.member_sale)):
        out["member" if flag else "non_member"] = {"sale_count": int(count), "total": int(total)}
    return out


def member_purchases(session: Session, day: date) -> list[dict]:
    """Each member's purchases of the day less the refunds of returns booked that day on
    their member sales (whatever day the sale was): the day's share of the SHU basis. Both
    are money as paid: a sale's total and a refund with its cash rounding, so a sale given
    back in full nets to zero."""
    bought = dict(session.execute(
        select(Sale.member_id, func.sum(Sale.total))
        .where(*_done(day), Sale.member_sale.is_(True), Sale.member_id.is_not(None))
        .group_by(Sale.member_id)).all())
    returned = dict(session.execute(
        select(Sale.member_id, func.sum(SaleReturn.refund_total + SaleReturn.rounding))
        .join(Sale, Sale.id == SaleReturn.sale_id)
        .where(SaleReturn.business_date == day, Sale.status == SaleStatus.COMPLETED,
               Sale.member_sale.is_(True), Sale.member_id.is_not(None))
        .group_by(Sale.member_id)).all())
    ids = set(bought) | set(returned)
    if not ids:
        return []
    people = session.execute(select(Member.id, Member.number, Member.name)
                             .where(Member.id.in_(ids)).order_by(Member.number))
    return [{"member_id": i, "number": number, "name": name,
             "purchases": int(bought.get(i, 0)), "returned": int(returned.get(i, 0)),
             "total": int(bought.get(i, 0)) - int(returned.get(i, 0))}
            for i, number, name in people]


def member_savings(session: Session, day: date) -> list[dict]:
    """Each member's savings of the day: simpanan pokok, wajib, sukarela (the saldo awal
    imported that day with what was paid in, less what was withdrawn: below zero on a day the
    member took more out than in; ``savings.with_opening``, the rule of every balance) and
    kasbon repayments.  The hub sums the days up to a year's end as the jasa modal basis: the
    savings held then, ``savings.held_on``, as ``pos members purchases`` shows them."""
    documents, opened = (MemberDocument.business_date == day,), (OpeningSaving.business_date == day,)
    kinds = savings.with_opening(session, documents, opened)
    lines = select(DocumentLine.member_id).join(MemberDocument, MemberDocument.id == DocumentLine.document_id)
    repaid = dict(session.execute(
        lines.add_columns(func.sum(savings.signed_amount()))
        .where(*documents, DocumentLine.saving.is_(None)).group_by(DocumentLine.member_id)).all())
    if not kinds and not repaid:
        return []
    people = session.execute(select(Member.id, Member.number, Member.name).where(or_(   # no long IN list
        Member.id.in_(lines.where(*documents)),
        Member.id.in_(select(OpeningSaving.member_id).where(*opened)))))
    none = dict.fromkeys(savings.KINDS, 0)
    return sorted(({"member_id": i, "number": number, "name": name, **kinds.get(i, none),
                    "repayments": int(repaid.get(i, 0))} for i, number, name in people),
                  key=lambda row: row["number"])


def opening_savings(session: Session, day: date) -> dict[str, int]:
    """The saldo awal simpanan imported on ``day`` (it goes with ``member_savings``): how many
    members, and its sums per kind."""
    kinds = (OpeningSaving.pokok, OpeningSaving.wajib, OpeningSaving.sukarela)
    count, pokok, wajib, sukarela = session.execute(
        select(func.count(), *(func.coalesce(func.sum(kind), 0) for kind in kinds))
        .where(OpeningSaving.business_date == day)).one()
    return {"members": int(count), "pokok": int(pokok), "wajib": int(wajib), "sukarela": int(sukarela)}


def opening_kasbon(session: Session, day: date, overrides: dict | None = None) -> dict:
    """The saldo awal kasbon imported on ``day`` (members' debts from the paper books): how many
    members, its sum, and the account of the members' kasbon (``member_receivable``, 113100
    unless ``POS_LEDGER_ACCOUNTS`` names another).  No journal line carries it: that account
    gets it on the hub's Saldo awal, so this tells the bookkeeper what to enter there."""
    count, amount = session.execute(select(func.count(), func.coalesce(func.sum(OpeningKasbon.amount), 0))
                                    .where(OpeningKasbon.business_date == day)).one()
    code, name = chart(overrides)("member_receivable")
    return {"members": int(count), "amount": int(amount), "account": code, "name": name}
