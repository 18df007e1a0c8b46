"""The receiving tests' staff and supplier (``gr``)."""
from __future__ import annotations

import pytest

from pos.inventory.receiving import receipts
from tests.factories import make_user


@pytest.fixture
def gr(db):
    """Staff and a supplier: their ids."""
    with db.transaction() as s:
        ids = dict(clerk=make_user(s, "gudang", "clerk", "2222").id,
                   manager=make_user(s, "manajer", "manager", "9999").id,
                   cashier=make_user(s, "kasir", "cashier", "1111").id,
                   supplier=receipts.create_supplier(s, "PBF Sehat", "pbf", "0541123456"))
    return ids
