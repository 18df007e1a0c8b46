"""The day's totals by business date: count, gross, tax, cash rounding, per payment method
(amounts applied to sales: cash net of change) and business unit; for a PKP outlet the tax
base and tax per tax class (``tax_classes``, and ``bukan_pkp``: the lines of sales made while it
was not, on a day it was too), which pages show only when ``pkp``. The gross
margin of the day's sales (``margin``) and after the returns booked that day
(``margin_after_returns``: the journal's revenue less cost of goods sold and returned goods
written off, from the journal's own query, ``returns.goods``).

Aggregates run in SQL (one indexed range per query); nothing is summed in Python
from loaded objects. The statements are built once (``bindparam("day")``): building and
keying them per call cost as much as SQLite's own work on a day of 500 sales.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from pos.inventory.catalog.models import TaxClass
from pos.money import dpp_nilai_lain, round_half_up
from pos.reports.tax_labels import NOT_PKP
from pos.returns.goods import margin_effect, returned_goods
from pos.returns.records import day_totals as returns_of_day
from pos.sales.models import Payment, Sale, SaleLine, SaleStatus
from pos.sales.net import TAX_INSIDE

_DONE = (Sale.business_date == bindparam("day"), Sale.status == SaleStatus.COMPLETED)
_HEAD = select(func.count(Sale.id), func.coalesce(func.sum(Sale.gross), 0),
               func.coalesce(func.sum(Sale.discount), 0), func.coalesce(func.sum(Sale.tax), 0),
               func.coalesce(func.sum(Sale.total), 0),
               func.coalesce(func.sum(Sale.rounding), 0)).where(*_DONE)
_PAYMENTS = (select(Payment.method, func.count(Payment.sale_id.distinct()), func.sum(Payment.amount))
             .join(Sale, Sale.id == Payment.sale_id).where(*_DONE).group_by(Payment.method))
# The day's lines in one grouped pass (units, cost of goods, tax classes: ``_lines``).
_LINES = (select(SaleLine.business_unit, SaleLine.price_per, SaleLine.tax_class, Sale.pkp,
                 func.count(SaleLine.id), func.sum(SaleLine.amount), func.sum(SaleLine.tax),
                 func.sum(SaleLine.unit_cost * SaleLine.qty), func.sum(TAX_INSIDE))
          .join(Sale, Sale.id == SaleLine.sale_id).where(*_DONE)
          .group_by(SaleLine.business_unit, SaleLine.price_per, SaleLine.tax_class, Sale.pkp))


def day_summary(session: Session, day: date, *, outlet_pkp: bool = False,
                dpp_share: tuple[int, int] = (11, 12)) -> dict:
    """The totals of ``day``; ``pkp`` is true when the outlet is PKP now (``outlet_pkp``) or
    any of the day's sales was made while it was, so a day's tax never goes unreported."""
    head = session.execute(_HEAD, {"day": day}).one()
    payments = session.execute(_PAYMENTS, {"day": day}).all()
    units, costs, classes, untaxed = _lines(session.execute(_LINES, {"day": day}).all(), dpp_share)
    pkp = outlet_pkp or bool(classes)
    if pkp and untaxed:   # sold before the outlet was PKP (or after it stopped): no PPN, no DPP
        classes[NOT_PKP] = {"amount": untaxed, "tax": 0, "dpp": 0}
    margin = int(head[4]) - int(head[5]) - int(head[3]) - sum(costs.values())
    back = margin_effect(returned_goods(session, day))   # the journal's own rows
    return {
        "date": day.isoformat(),
        "pkp": pkp,
        "tax_classes": classes,
        "sale_count": int(head[0]),
        "gross": int(head[1]),
        "discount": int(head[2]),
        "tax": int(head[3]),
        "total": int(head[4]),
        "rounding": int(head[5]),  # cash rounding, + or -: inside total, not in the lines
        "cost": sum(costs.values()),
        # on the goods, as each unit's: the cash rounding is no profit on goods (shown apart)
        "margin": margin,
        # The returns booked this day as the journal books them: their worth less PPN taken back
        # from revenue, their cost of goods given back, the damaged ones' cost written off.
        "returned_goods": back,
        "margin_after_returns": margin - back["revenue"] + back["cost"] - back["written_off"],
        "payments": {_value(m): {"count": int(c), "amount": int(a)} for m, c, a in payments},
        "business_units": {unit: {**{k: v for k, v in sums.items() if k != "inside"},
                                  "cost": costs[unit],
                                  "margin": sums["amount"] - sums["inside"] - costs[unit]}
                           for unit, sums in units.items()},
        # Returns booked on this day (whatever day their sale was): count and amount refunded.
        "returns": returns_of_day(session, day),
    }


def _lines(rows, dpp_share: tuple[int, int]):
    """From ``_LINES``'s rows: per business unit (lines, amount, tax), the cost of goods sold
    per unit, the PKP sales' lines per tax class, and the amount of the other sales' lines
    (sold while the outlet was not PKP: on a day it became PKP, or stopped, the tax table's
    ``bukan_pkp`` row, so the table adds up to the day's goods).

    Cost is the moving-average cost of sale time per price unit (piece, kg, litre), so each
    (unit, price_per) group is summed exactly in SQL and divided, rounded half up, once. Per
    tax class: amount (the lines', with the PPN inside them or, ``Sale.tax_added``, without the
    PPN added to them), tax, and the tax base (``dpp``): the DPP nilai lain (11/12 of the
    amount net of PPN, ``sales.net``) for PPN, the amount otherwise.  ``inside``: the PPN inside
    the amounts, which a unit's margin leaves out."""
    units: dict[str, dict] = {}
    per_price_unit: dict[tuple[str, int], int] = {}
    taxed: dict[str, list[int]] = {}
    untaxed = 0
    for unit, per, tax_class, sale_pkp, lines, amount, tax, cost, inside in rows:
        sums = units.setdefault(_value(unit), {"lines": 0, "amount": 0, "tax": 0, "inside": 0})
        sums["lines"] += int(lines)
        sums["amount"] += int(amount)
        sums["tax"] += int(tax)
        sums["inside"] += int(inside)
        key = (_value(unit), per)
        per_price_unit[key] = per_price_unit.get(key, 0) + int(cost)
        if sale_pkp:
            pair = taxed.setdefault(_value(tax_class), [0, 0, 0])
            pair[0] += int(amount)
            pair[1] += int(tax)
            pair[2] += int(inside)
        else:
            untaxed += int(amount)
    costs = dict.fromkeys(units, 0)
    for (unit, per), total in per_price_unit.items():
        costs[unit] += round_half_up(total, per)
    classes = {}
    for tax_class, (amount, tax, inside) in taxed.items():
        ppn = tax_class == TaxClass.PPN.value and tax
        classes[tax_class] = {"amount": amount, "tax": tax,
                              "dpp": dpp_nilai_lain(amount - inside, *dpp_share) if ppn else amount}
    return units, costs, classes, untaxed


def _value(member) -> str:
    return getattr(member, "value", member)
