"""Sales written straight into the tables for report tests (reports only read them): any
day, hour, member flag, tenders and discounts, far faster than the till for many sales."""
from __future__ import annotations

import itertools
import uuid
from datetime import date, datetime

from sqlalchemy import insert

from pos.sales.models import Payment, Sale, SaleLine, SaleStatus

_seq = itertools.count(1)


def insert_sale(session, *, till_id: int, cashier_id: int, products: list, when: datetime, day: date,
                lines: list[tuple[int, int, int, int]], tenders: list[tuple[str, int]],
                member: bool = False, status: str = "completed", reason: str | None = None) -> int:
    """``lines``: (product index, qty, amount, discount); ``tenders`` (method, amount) must sum
    to the lines' amounts (the sale's total); returns the sale id."""
    n = next(_seq)
    gross = sum(amount for _, _, amount, _ in lines)
    sale_id = session.execute(insert(Sale).values(
        receipt_no=f"R-{n:06d}", seq_no=n, idempotency_key=str(uuid.uuid4()), outlet_code="TST01",
        till_id=till_id, cashier_id=cashier_id, status=SaleStatus(status), member_sale=member,
        business_date=day, created_at=when, gross=gross,
        discount=sum(d for *_, d in lines), tax=0, total=gross, tendered=gross, change=0)
        .returning(Sale.id)).scalar_one()
    for no, (index, qty, amount, discount) in enumerate(lines, 1):
        product = products[index]
        session.execute(insert(SaleLine).values(
            sale_id=sale_id, line_no=no, product_id=product.id, sku=product.sku, name=product.name,
            qty=qty, base_unit=product.base_unit, unit_price=product.price, price_per=1, amount=amount,
            list_price=product.price, discount=discount, discount_reason=reason if discount else None,
            tax_class=product.tax_class, tax_rate_bp=0, tax=0, unit_cost=product.cost,
            business_unit=product.business_unit, category_id=product.category_id))
    for method, amount in tenders:
        session.execute(insert(Payment).values(sale_id=sale_id, method=method, amount=amount,
                                               tendered=amount))
    return sale_id
