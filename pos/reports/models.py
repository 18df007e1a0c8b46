"""What the reports keep of a closed business day: its sale lines summed per product.

``sales_day_product`` holds one row per business date, product, business unit and category
(the unit and category copied onto each line at sale time): the count of lines, quantity,
amount, discount, tax, the PPN inside the amount (``sales.net``) and cost (each line's cost
rounded half up, as the live report rounds it) of the day's completed sales.  The rows are
written when the day closes, in the closing's transaction (``pos.reports.day_totals.write``),
and never change after: a closed day takes no more sales (``pos.days``).  The reports by
product, category and business unit read a closed day from here (about a hundred rows)
instead of its thousands of sale lines.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from pos.db import Base, BigId, enum_column
from pos.inventory.catalog.models import BusinessUnit
from pos.units import BaseUnit


class SalesDayProduct(Base):
    __tablename__ = "sales_day_product"
    __table_args__ = (Index("ix_sales_day_product_day_product", "business_date", "product_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    business_date: Mapped[date]
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    business_unit: Mapped[BusinessUnit] = mapped_column(enum_column(BusinessUnit))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"))
    # The greatest SKU, name and unit of the group's lines: what the day sold them as (the
    # report by product names its rows from the catalogue now, as the category report does).
    sku: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(120))
    base_unit: Mapped[BaseUnit] = mapped_column(enum_column(BaseUnit, 8))
    lines: Mapped[int]
    qty: Mapped[int]
    amount: Mapped[int]
    discount: Mapped[int]
    tax: Mapped[int]
    # The PPN inside ``amount``: ``tax`` less what sales priced before tax added on top of their
    # lines (``Sale.tax_added``, ``sales.net``); the reports' margin takes out only this.
    tax_inside: Mapped[int] = mapped_column(default=0, server_default="0")
    cost: Mapped[int]
