"""Fixtures of the members' accounts tests: a till, a cashier, a manager, members, sales."""
from __future__ import annotations

import itertools
import uuid
from datetime import date, datetime, time

import pytest

from pos.members.models import Member
from pos.sales.models import Sale, SaleLine, SaleStatus
from tests.factories import make_product, make_till, make_user, open_shift, outlet_today, shift_of_day

_numbers = itertools.count(1)
SHOP_DAY = date(2026, 11, 30)   # the business day the tests take documents on: the shop's shift's


def make_member(s, *, active: bool = True, joined_on: date = date(2026, 1, 15), **values) -> Member:
    n = next(_numbers)
    member = Member(number=values.pop("number", f"AGT-{n:04d}"), name=values.pop("name", f"Anggota {n}"),
                    active=active, joined_on=joined_on, **values)
    s.add(member)
    s.flush()
    return member


def make_sale(s, *, till: int, cashier: int, product: int, total: int, member: int | None = None,
              member_sale: bool = False, day: date = date(2026, 11, 30), unit: str = "sembako",
              status: SaleStatus = SaleStatus.COMPLETED) -> Sale:
    """A completed sale row of one line, as checkout would leave it (for FKs and purchases)."""
    n = next(_numbers)
    sale = Sale(receipt_no=f"TST01-{n:07d}", seq_no=n, idempotency_key=str(uuid.uuid4()),
                outlet_code="TST01", till_id=till, cashier_id=cashier, member_id=member,
                member_sale=member_sale, business_date=day, created_at=datetime.combine(day, time(3)),
                gross=total, tax=0, total=total, tendered=total, change=0, status=status)
    s.add(sale)
    s.flush()
    s.add(SaleLine(sale_id=sale.id, line_no=1, product_id=product, sku="X", name="Barang", qty=1,
                   base_unit="pcs", unit_price=total, price_per=1, amount=total, tax_class="bebas",
                   tax_rate_bp=0, tax=0, unit_cost=0, business_unit=unit))
    s.flush()
    return sale


@pytest.fixture
def shop(db):
    with db.transaction() as s:
        till = make_till(s)
        cashier = make_user(s, "kasir1", "cashier", "1111")
        manager = make_user(s, "manajer1", "manager", "2222")
        product = make_product(s, on_hand=0)
        member = make_member(s, name="Daeng Baso", phone="081234567890")
        other = make_member(s, name="Ibu Ani")
        open_shift(s, till.id, cashier.id, day=SHOP_DAY)
    return dict(till=till.id, cashier=cashier.id, manager=manager.id, product=product.id,
                member=member.id, member_no=member.number, other=other.id)


@pytest.fixture
def shop_today(db, shop):
    """The shop with its shift moved to today: pages and documents of the real day."""
    with db.transaction() as s:
        shift_of_day(s, shop["till"], shop["cashier"], outlet_today())
    return shop
