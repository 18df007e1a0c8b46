"""Fixtures of the approval tests: a till, a cashier, two managers, a product, a login guard."""
from __future__ import annotations

import pytest

from pos.auth.throttle import LoginGuard
from tests.factories import make_product, make_till, make_user


@pytest.fixture
def shop(db):
    """A till, kasir1 (PIN 1111), manajer1 (9999), manajer2 (8888) and one product in stock."""
    with db.transaction() as s:
        till = make_till(s)
        other_till = make_till(s, "KASIR-2")
        cashier = make_user(s, "kasir1", "cashier", "1111")
        manager = make_user(s, "manajer1", "manager", "9999")
        second = make_user(s, "manajer2", "manager", "8888")
        product = make_product(s, price=10_000, cost=8_000, het=12_000)
    return dict(till=till.id, other_till=other_till.id, cashier=cashier.id, manager=manager.id,
                second=second.id, product=product.id)


@pytest.fixture
def guard():
    return LoginGuard(per_minute=100, max_attempts=5, per_user=20, lock_seconds=300)
