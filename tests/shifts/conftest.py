"""Fixtures of the shift tests: a till, two cashiers and a manager; helpers to post forms."""
from __future__ import annotations

import pytest

from tests.factories import make_till, make_user

HX = {"HX-Request": "true"}
MANAGER = {"approval_user": "manajer1", "approval_pin": "2222", "approval_reason": "dicek"}


@pytest.fixture
def staff(db):
    with db.transaction() as s:
        till = make_till(s)
        cashier = make_user(s, "kasir1", "cashier", "1111")
        other = make_user(s, "kasir2", "cashier", "3333")
        manager = make_user(s, "manajer1", "manager", "2222")
    return dict(till=till.id, cashier=cashier.id, other=other.id, manager=manager.id)
