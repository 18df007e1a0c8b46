"""The day's totals by business date: count, gross, tax, per payment method and business unit.

Aggregates run in SQL (one indexed range per query); nothing is summed in Python
from loaded objects.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pos.sales.models import Payment, Sale, SaleLine, SaleStatus


def day_summary(session: Session, day: date) -> dict:
    done = (Sale.business_date == day, Sale.status == SaleStatus.COMPLETED)
    head = session.execute(
        select(func.count(Sale.id), func.coalesce(func.sum(Sale.gross), 0),
               func.coalesce(func.sum(Sale.discount), 0), func.coalesce(func.sum(Sale.tax), 0),
               func.coalesce(func.sum(Sale.total), 0)).where(*done)
    ).one()
    payments = session.execute(
        select(Payment.method, func.count(Payment.id), func.sum(Payment.amount))
        .join(Sale, Sale.id == Payment.sale_id).where(*done).group_by(Payment.method)
    ).all()
    units = session.execute(
        select(SaleLine.business_unit, func.count(SaleLine.id), func.sum(SaleLine.amount),
               func.sum(SaleLine.tax))
        .join(Sale, Sale.id == SaleLine.sale_id).where(*done).group_by(SaleLine.business_unit)
    ).all()
    return {
        "date": day.isoformat(),
        "sale_count": int(head[0]),
        "gross": int(head[1]),
        "discount": int(head[2]),
        "tax": int(head[3]),
        "total": int(head[4]),
        "payments": {_value(m): {"count": int(c), "amount": int(a)} for m, c, a in payments},
        "business_units": {_value(u): {"lines": int(c), "amount": int(a), "tax": int(t)}
                           for u, c, a, t in units},
    }


def _value(member) -> str:
    return getattr(member, "value", member)
