"""Selling through the checkout service, and opening a backup file, for the backup tests."""
from __future__ import annotations

import gzip
import sqlite3
import uuid
from pathlib import Path

import pytest

from pos.inventory.catalog.lookup import lookup_barcode
from pos.sales import cart, checkout
from pos.sales.models import PaymentMethod
from pos.sales.pricing import TaxSettings

TAX = TaxSettings(pkp=False, rate_bp=1100, inclusive=True)
CODE = "8998866200301"


# The SQLite tests run on SQLite only, by parametrizing the ``backend`` fixture (never a skip
# under CI); PostgreSQL's pg_dump path has its own tests on a database each (test_pg_*.py).
sqlite_only = pytest.mark.parametrize("backend", ["sqlite"])


def sell(db, till_id: int, user_id: int, times: int = 1) -> int:
    """One cash sale of ``times`` packets at ``till_id``; returns the sale id."""
    with db.transaction() as s:
        cart.add(s, till_id, lookup_barcode(s, CODE), times=times)
    with db.transaction() as s:
        result = checkout.checkout(
            s, till_id=till_id, cashier_id=user_id, idempotency_key=str(uuid.uuid4()),
            tenders=[checkout.Tender(PaymentMethod.CASH, 100_000)], outlet_code="TST01",
            timezone="Asia/Makassar", tax=TAX)
    return result.sale.id


def opened(backup: Path, tmp_path: Path) -> sqlite3.Connection:
    """The backup decompressed into ``tmp_path`` and opened."""
    plain = tmp_path / (backup.name + ".plain.db")
    plain.write_bytes(gzip.decompress(backup.read_bytes()))
    return sqlite3.connect(plain)


def backups(directory: Path) -> list[Path]:
    return sorted(directory.glob("gerai-*.db.gz"))
