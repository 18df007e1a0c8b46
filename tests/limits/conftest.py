"""Fixtures of the per-buyer limit tests: a till, a cashier, SPHP rice under a 2-per-day rule."""
from __future__ import annotations

import uuid
from datetime import date, datetime

import pytest

from pos.inventory.catalog.lookup import lookup_barcode
from pos.limits import rules
from pos.sales import buyers, cart, checkout
from pos.sales.models import PaymentMethod
from pos.sales.pricing import TaxSettings
from tests.factories import make_product, make_till, make_user, notes_covering, shift_of_day

TAX = TaxSettings(pkp=False, rate_bp=1100, inclusive=True)
DAY = date(2026, 11, 30)  # a Monday
NIK_A = "6472010101900001"
NIK_B = "6472014101950002"
SPHP = "8990000050001"


def noon(day: date) -> datetime:
    """A UTC moment inside ``day`` in Asia/Makassar."""
    return datetime(day.year, day.month, day.day, 3, 0)


@pytest.fixture
def shop(db):
    with db.transaction() as s:
        till = make_till(s)
        user = make_user(s)
        sphp = make_product(s, name="Beras SPHP Bulog 5 kg", price=62_500, tax_class="bebas",
                            on_hand=100, barcodes_=[SPHP])
        rule = rules.save_rule(s, None, name="Beras SPHP", max_qty=2, period="day", buyer="any")
        rules.attach(s, rule.id, sphp.id)
    return dict(till=till.id, user=user.id, sphp=sphp.id, rule=rule.id)


def scan(db, till_id, code, times=1, day=DAY):
    """Add and check the cart as the till does (the change rolls back when refused)."""
    with db.transaction() as s:
        cart.add(s, till_id, lookup_barcode(s, code), times=times)
        return cart.view(s, till_id, TAX, today=day)


def set_buyer(db, till_id, text, day=DAY, **kw):
    with db.transaction() as s:
        buyers.set_buyer(s, till_id, text, day=day, **kw)


def pay(db, shop, day=DAY, till=None):
    with db.transaction() as s:
        shift_of_day(s, till or shop["till"], shop["user"], day)
        cash = notes_covering(s, till or shop["till"], TAX)
        return checkout.checkout(
            s, till_id=till or shop["till"], cashier_id=shop["user"],
            idempotency_key=str(uuid.uuid4()), tenders=[checkout.Tender(PaymentMethod.CASH, cash)],
            outlet_code="TST01", timezone="Asia/Makassar", tax=TAX, now=noon(day))
