"""Builders that add and flush plain test objects (the caller's transaction commits)."""
from __future__ import annotations

import itertools
from datetime import date

from pos.auth.service import create_user
from pos.inventory import stock
from pos.inventory.catalog.barcodes import with_check_digit
from pos.inventory.catalog.products import create_product
from pos.inventory.models import MovementKind
from pos.tills.models import Till

_counter = itertools.count(1)


def ean13(prefix: str = "899") -> str:
    n = next(_counter)
    return with_check_digit(f"{prefix}{n:0{12 - len(prefix)}d}")


def make_product(session, *, on_hand: int = 100, expiry: date | None = date(2030, 12, 31),
                 **overrides):
    """A product with opening stock; batch-tracked ones get it as batch AWAL-<sku>."""
    n = next(_counter)
    values = dict(sku=f"T-{n:05d}", name=f"Barang Uji {n}", price=10_000, cost=8_000,
                  business_unit="sembako", barcodes_=[ean13()])
    values.update(overrides)
    product = create_product(session, **values)
    if on_hand:
        batch = stock.ensure_batch(session, product.id, f"AWAL-{product.sku}", expiry) \
            if product.batch_tracked else None
        stock.move(session, product, on_hand, MovementKind.OPENING, reason="uji", batch_id=batch)
    return product


def make_till(session, code: str = "KASIR-1") -> Till:
    till = Till(code=code, name=code.title())
    session.add(till)
    session.flush()
    return till


def make_user(session, username: str = "kasir1", role: str = "cashier", pin: str = "1111"):
    return create_user(session, username, username.title(), role, pin)


def login(client, user_id: int, till_id: int | None = None) -> None:
    """Log a test client in without typing the PIN."""
    import time

    with client.session_transaction() as s:
        s.update(uid=user_id, till_id=till_id, seen=int(time.time()))
