"""The goods a day's returns brought back, as the ledger journal books them and the day report
counts them (one query, so the two cannot disagree): per business unit, member or not, and
restocked or damaged, the returned lines' worth net of PPN (``revenue``), the PPN in it and the
cost of goods sold the returned units carried (``cost``, at the moving-average cost their sale
recorded, summed exactly per price unit and rounded half up once per group)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from pos.money import round_half_up
from pos.returns.models import SaleReturn, SaleReturnLine
from pos.sales.models import Sale, SaleLine


@dataclass(frozen=True)
class ReturnedGoods:
    unit: str
    member: bool
    restock: bool
    revenue: int     # the lines' worth less the PPN inside it
    tax: int
    cost: int        # back into stock; a damaged line's is then written off


_GOODS = (select(SaleLine.business_unit, Sale.member_sale, SaleLine.price_per, SaleReturnLine.restock,
                 func.sum(SaleReturnLine.amount), func.sum(SaleReturnLine.tax),
                 func.sum(SaleLine.unit_cost * SaleReturnLine.qty))
          .join(SaleLine, SaleLine.id == SaleReturnLine.sale_line_id)
          .join(Sale, Sale.id == SaleLine.sale_id)
          .join(SaleReturn, SaleReturn.id == SaleReturnLine.return_id)
          .where(SaleReturn.business_date == bindparam("day"))
          .group_by(SaleLine.business_unit, Sale.member_sale, SaleLine.price_per,
                    SaleReturnLine.restock))


def returned_goods(session: Session, day: date) -> list[ReturnedGoods]:
    """The returns booked on ``day`` (whatever day their sale was), one row per group."""
    return [ReturnedGoods(getattr(unit, "value", unit), bool(member), bool(restock),
                          int(amount) - int(tax), int(tax), round_half_up(int(cost), per))
            for unit, member, per, restock, amount, tax, cost in session.execute(_GOODS, {"day": day})]


def margin_effect(goods: list[ReturnedGoods]) -> dict[str, int]:
    """What the returns did to the gross margin: the revenue taken back, the cost of goods sold
    given back (every returned unit's) and the damaged ones' cost written off (``stock_loss``);
    the margin after returns is the sales' margin - revenue + cost - written_off."""
    return {"revenue": sum(g.revenue for g in goods), "cost": sum(g.cost for g in goods),
            "written_off": sum(g.cost for g in goods if not g.restock)}
