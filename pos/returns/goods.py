"""The goods a day's returns brought back, as the ledger journal books them and the day report
counts them (one query, so the two cannot disagree): per business unit, member or not, and
restocked or damaged, the returned lines' worth net of PPN (``revenue``: what the refund paid
for them less the PPN in it, inside the line's amount or added to it: ``Sale.tax_added``), the
discount their sale gave on them net of PPN, as the sale's journal booked it (``discount``: the
sale line's discount less its PPN share, ``sales.net.discount_ppn``; the return takes back the
sale's list price and gives back its *potongan*, so revenue + discount at list price net of PPN
is debited and the discount credited), the PPN in it and the cost of goods sold the returned
units carried (``cost``, at the moving-average cost their sale recorded, summed exactly per price
unit and rounded half up once per group).

A returned line's discount is its sale line's (net of PPN) by the refund's own split (``amounts.share`` over
the units it took back, after the units earlier returns of the line took, by the order they
were booked in), so the parts of a line returned in several returns add up to exactly the
discount the sale booked."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, aliased

from pos.money import round_half_up
from pos.returns.amounts import share
from pos.returns.models import SaleReturn, SaleReturnLine
from pos.sales.models import Sale, SaleLine
from pos.sales.net import discount_ppn, with_ppn


@dataclass(frozen=True)
class ReturnedGoods:
    unit: str
    member: bool
    restock: bool
    revenue: int     # the lines' worth (as refunded) less the PPN inside it
    tax: int
    cost: int        # back into stock; a damaged line's is then written off
    discount: int = 0   # what the sale took off the returned units' list price, net of PPN


_earlier = aliased(SaleReturnLine)
# The units of the same sale line that returns booked before this one took back (the line's
# ``returned_qty`` before it: the conditional UPDATE orders them, the row id follows it).
_BEFORE = (select(func.coalesce(func.sum(_earlier.qty), 0))
           .where(_earlier.sale_line_id == SaleReturnLine.sale_line_id,
                  _earlier.id < SaleReturnLine.id)
           .correlate(SaleReturnLine).scalar_subquery())
_GOODS = (select(SaleLine.business_unit, Sale.member_sale, SaleLine.price_per, SaleReturnLine.restock,
                 SaleReturnLine.amount, SaleReturnLine.tax, SaleLine.unit_cost * SaleReturnLine.qty,
                 SaleLine.discount, SaleLine.qty, SaleReturnLine.qty, _BEFORE, Sale.tax_added,
                 SaleLine.amount, SaleLine.tax, SaleLine.tax_rate_bp)
          .join(SaleLine, SaleLine.id == SaleReturnLine.sale_line_id)
          .join(Sale, Sale.id == SaleLine.sale_id)
          .join(SaleReturn, SaleReturn.id == SaleReturnLine.return_id)
          .where(SaleReturn.business_date == bindparam("day"))
          .order_by(SaleReturnLine.id))


def returned_goods(session: Session, day: date) -> list[ReturnedGoods]:
    """The returns booked on ``day`` (whatever day their sale was), one row per business unit,
    member or not, price unit and restocked or not."""
    sums: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for unit, member, per, restock, amount, tax, cost, discount, sold, qty, before, added, \
            line_amount, line_tax, rate in session.execute(_GOODS, {"day": day}):
        group = sums[(getattr(unit, "value", unit), bool(member), per, bool(restock))]
        group[0] += with_ppn(int(amount), int(tax), bool(added))   # the PPN inside it, or added to it
        group[1] += int(tax)
        group[2] += int(cost)
        if discount:   # the sale line's potongan net of PPN, as its sale booked it
            net = int(discount) - discount_ppn(int(line_amount), int(discount), int(line_tax),
                                                int(rate), bool(added))
            group[3] += share(net, int(sold), int(before), int(qty))
    return [ReturnedGoods(unit, member, restock, amount - tax, tax, round_half_up(cost, per), discount)
            for (unit, member, per, restock), (amount, tax, cost, discount) in sums.items()]


def margin_effect(goods: list[ReturnedGoods]) -> dict[str, int]:
    """What the returns did to the gross margin: the revenue taken back, the cost of goods sold
    given back (every returned unit's) and the damaged ones' cost written off (``stock_loss``);
    the margin after returns is the sales' margin - revenue + cost - written_off."""
    return {"revenue": sum(g.revenue for g in goods), "cost": sum(g.cost for g in goods),
            "written_off": sum(g.cost for g in goods if not g.restock)}
