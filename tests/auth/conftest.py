"""Fixtures of the auth tests: a till and a cashier (kasir1, PIN 1111)."""
from __future__ import annotations

import pytest

from tests.factories import make_till, make_user


@pytest.fixture
def shop(db):
    with db.transaction() as s:
        till = make_till(s)
        cashier = make_user(s, "kasir1", "cashier", "1111")
    return dict(till=till.id, cashier=cashier.id)
