"""Write a closing day's ``sales_day_product`` rows (``pos.reports.models``), and the SQL both
they and the live report take a line's cost from.

``write`` runs in ``pos.closing.service.close_day``'s transaction, after the day's advisory
lock is taken exclusively, so no sale of the day commits between the sums and the lock.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from pos.reports.models import SalesDayProduct
from pos.sales.models import Sale, SaleLine, SaleStatus
from pos.sales.net import TAX_INSIDE


def line_cost():
    """A line's cost in whole Rupiah: moving-average unit cost x quantity, rounded half up
    (``pos.money.round_half_up`` in SQL, all operands positive integers)."""
    return (SaleLine.unit_cost * SaleLine.qty * 2 + SaleLine.price_per) // (SaleLine.price_per * 2)


def write(session: Session, day: date) -> None:
    """Sum ``day``'s completed sale lines per product, unit and category into the summary."""
    keys = (SaleLine.product_id, SaleLine.business_unit, SaleLine.category_id)
    grouped = (select(Sale.business_date, *keys, func.max(SaleLine.sku), func.max(SaleLine.name),
                      func.max(SaleLine.base_unit), func.count(SaleLine.id), func.sum(SaleLine.qty),
                      func.sum(SaleLine.amount), func.sum(SaleLine.discount),
                      func.sum(SaleLine.tax), func.sum(TAX_INSIDE), func.sum(line_cost()))
               .join(Sale, Sale.id == SaleLine.sale_id)
               .where(Sale.business_date == day, Sale.status == SaleStatus.COMPLETED)
               .group_by(Sale.business_date, *keys))
    columns = ["business_date", "product_id", "business_unit", "category_id", "sku", "name",
               "base_unit", "lines", "qty", "amount", "discount", "tax", "tax_inside", "cost"]
    session.execute(insert(SalesDayProduct).from_select(columns, grouped))
