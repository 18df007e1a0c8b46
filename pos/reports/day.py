"""The day's totals by business date: count, gross, tax, cash rounding, per payment method
(amounts applied to sales: cash net of change) and business unit; for a PKP outlet the tax
base and tax per tax class (``tax_classes``), which pages show only when ``pkp``.

Aggregates run in SQL (one indexed range per query); nothing is summed in Python
from loaded objects.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pos.inventory.catalog.models import TaxClass
from pos.money import dpp_nilai_lain, round_half_up
from pos.returns.records import day_totals as returns_of_day
from pos.sales.models import Payment, Sale, SaleLine, SaleStatus


def day_summary(session: Session, day: date, *, outlet_pkp: bool = False,
                dpp_share: tuple[int, int] = (11, 12)) -> dict:
    """The totals of ``day``; ``pkp`` is true when the outlet is PKP now (``outlet_pkp``) or
    any of the day's sales was made while it was, so a day's tax never goes unreported."""
    done = (Sale.business_date == day, Sale.status == SaleStatus.COMPLETED)
    head = session.execute(
        select(func.count(Sale.id), func.coalesce(func.sum(Sale.gross), 0),
               func.coalesce(func.sum(Sale.discount), 0), func.coalesce(func.sum(Sale.tax), 0),
               func.coalesce(func.sum(Sale.total), 0),
               func.coalesce(func.sum(Sale.rounding), 0)).where(*done)
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
    costs = _costs(session, done)
    classes = _tax_classes(session, done, dpp_share)
    return {
        "date": day.isoformat(),
        "pkp": outlet_pkp or bool(classes),
        "tax_classes": classes,
        "sale_count": int(head[0]),
        "gross": int(head[1]),
        "discount": int(head[2]),
        "tax": int(head[3]),
        "total": int(head[4]),
        "rounding": int(head[5]),  # cash rounding, + or -: inside total, not in the lines
        "cost": sum(costs.values()),
        "margin": int(head[4]) - int(head[3]) - sum(costs.values()),
        "payments": {_value(m): {"count": int(c), "amount": int(a)} for m, c, a in payments},
        "business_units": {_value(u): {"lines": int(c), "amount": int(a), "tax": int(t),
                                       "cost": costs.get(_value(u), 0),
                                       "margin": int(a) - int(t) - costs.get(_value(u), 0)}
                           for u, c, a, t in units},
        # Returns booked on this day (whatever day their sale was): count and amount refunded.
        "returns": returns_of_day(session, day),
    }


def _tax_classes(session: Session, done, dpp_share: tuple[int, int]) -> dict[str, dict]:
    """The PKP sales' lines per tax class: amount (tax included), tax, and the tax base
    (``dpp``): the DPP nilai lain (11/12 of the ex-tax amount) for PPN, the amount otherwise."""
    rows = session.execute(
        select(SaleLine.tax_class, func.sum(SaleLine.amount), func.sum(SaleLine.tax))
        .join(Sale, Sale.id == SaleLine.sale_id).where(*done, Sale.pkp.is_(True))
        .group_by(SaleLine.tax_class)).all()
    out = {}
    for tax_class, amount, tax in rows:
        amount, tax = int(amount), int(tax)
        taxed = _value(tax_class) == TaxClass.PPN.value and tax
        out[_value(tax_class)] = {"amount": amount, "tax": tax,
                                  "dpp": dpp_nilai_lain(amount - tax, *dpp_share) if taxed else amount}
    return out


def _costs(session: Session, done) -> dict[str, int]:
    """Cost of goods sold per business unit at the moving-average cost of sale time.

    Costs are per price unit (piece, kg, litre), so each (unit, price_per) group is
    summed exactly in SQL and divided, rounded half up, once.
    """
    rows = session.execute(
        select(SaleLine.business_unit, SaleLine.price_per,
               func.sum(SaleLine.unit_cost * SaleLine.qty))
        .join(Sale, Sale.id == SaleLine.sale_id).where(*done)
        .group_by(SaleLine.business_unit, SaleLine.price_per)).all()
    out: dict[str, int] = {}
    for unit, per, total in rows:
        out[_value(unit)] = out.get(_value(unit), 0) + round_half_up(int(total), per)
    return out


def _value(member) -> str:
    return getattr(member, "value", member)
