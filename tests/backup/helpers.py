"""Selling through the checkout service, and opening a backup file, for the backup tests."""
from __future__ import annotations

import gzip
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from pos.inventory.catalog.lookup import lookup_barcode
from pos.sales import cart, checkout
from pos.sales.models import PaymentMethod
from pos.sales.pricing import TaxSettings
from tests.factories import make_product, make_till, make_user, open_shift

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


def stock_shop(db, tills: int) -> list[tuple[int, int]]:
    """``tills`` tills each with its cashier's open shift, and Indomie Goreng with plenty of
    stock; returns (till id, cashier id) of each."""
    with db.transaction() as s:
        ids = []
        for n in range(tills):
            till = make_till(s, f"KASIR-{n + 1}")
            user = make_user(s, f"kasir{n + 1}")
            open_shift(s, till.id, user.id)
            ids.append((till.id, user.id))
        make_product(s, name="Indomie Goreng", price=3_500, on_hand=100_000, barcodes_=[CODE])
    return ids


def while_selling(db, shop: list[tuple[int, int]], backup: Callable[[], object], *,
                  first: int, then: int) -> tuple[list[int], object, list[int]]:
    """Every till of ``shop`` sells in a thread of its own; once ``first`` sales are committed,
    ``backup()`` runs, and the tills go on until ``then`` more are. Returns the ids committed
    before the backup began, what ``backup()`` returned and every id sold; a till's error fails
    the test."""
    stop = threading.Event()
    sold: list[int] = []
    errors: list[BaseException] = []

    def till(till_id, user_id):
        try:
            while not stop.is_set():
                sold.append(sell(db, till_id, user_id))
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=till, args=pair) for pair in shop]
    for thread in threads:
        thread.start()
    try:
        _wait_for(lambda: len(sold) >= first or errors, "the tills made no sales")
        before = list(sold)          # committed before the backup starts
        result = backup()
        after_backup = len(sold)
        _wait_for(lambda: len(sold) >= after_backup + then or errors,  # the tills go on selling
                  "the tills stopped selling after the backup")
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a till did not stop"
    assert errors == []
    return before, result, sold


def opened(backup: Path, tmp_path: Path) -> sqlite3.Connection:
    """The backup decompressed into ``tmp_path`` and opened."""
    plain = tmp_path / (backup.name + ".plain.db")
    plain.write_bytes(gzip.decompress(backup.read_bytes()))
    return sqlite3.connect(plain)


def backups(directory: Path) -> list[Path]:
    return sorted(directory.glob("gerai-*.db.gz"))


def _wait_for(done, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, what
        threading.Event().wait(0.01)
