"""The demo's old kasbon: months before its fourteen days of history, a member took goods on
kasbon on two quiet days at Kasir 1, so the ageing list has kasbon over 90 and 31-60 days old.

Each is a real day, as a treasurer could have made it: the manager opens a shift, sells to the
member on kasbon through ``checkout``, counts the drawer, closes the shift and closes the day,
whose ledger document puts the kasbon on *Piutang anggota (kasbon)*.  So what the members owe
is what the closed days booked there (the demo wrote it straight onto the balances before, with
no journal line: the ageing list and the hub's 113100 differed by the Rp265.000).
Adds and flushes only; the caller commits.
"""
from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.auth.models import Role
from pos.closing.service import close_day, settings
from pos.config import DefaultConfig
from pos.demo.drawer import at, cash_of, expected_cash, staff_actor
from pos.demo.history import FLOAT
from pos.inventory.catalog.lookup import lookup_barcode
from pos.inventory.catalog.models import Product, ProductBarcode
from pos.sales import cart, checkout
from pos.sales.models import PaymentMethod
from pos.sales.pricing import TaxSettings
from pos.settings.service import pkp as outlet_pkp
from pos.shifts import service as shifts

# (member, days before today, the goods taken on kasbon, how many); the oldest first.
OLD = (("AGT-0003", 120, "Beras Sania Premium 10 kg", 1), ("AGT-0003", 50, "Sania 2 liter", 1))
TILL = "KASIR-1"
_NS = uuid.UUID("3d0f6b7e-52c1-4b8e-8f0a-4c6a2d9e7b15")


def seed_old_kasbon(session: Session, *, today: date, members: Mapping[str, int], manager: int,
                    till: int, config: Mapping | None = None) -> int:
    """The days of ``OLD`` (``members``: number -> id), each opened, sold, counted and closed by
    the ``manager`` at ``till``; returns how many days were closed."""
    config = {k: getattr(DefaultConfig, k) for k in dir(DefaultConfig) if k.isupper()} \
        | dict(config or {})
    zone, taxed = config["TIMEZONE"], outlet_pkp(session, config)
    tax = TaxSettings.from_config(config, pkp=taxed)
    actor = staff_actor(manager, till, Role.MANAGER, "Hitung laci cocok")
    closed = 0
    for number, days, name, times in OLD:
        code = session.scalar(select(ProductBarcode.code)
                              .join(Product, Product.id == ProductBarcode.product_id)
                              .where(Product.name == name, ProductBarcode.qty == 1).limit(1))
        if number not in members or code is None:
            continue
        day = today - timedelta(days=days)
        float_ = shifts.previous_counted(session, till)
        shift = shifts.open_shift(session, till_id=till, cashier_id=manager,
                                  cash=cash_of(FLOAT[TILL] if float_ is None else float_),
                                  note=None, day=day, now=at(day, 7, 30, zone), zone=zone, actor=actor)
        cart.add(session, till, lookup_barcode(session, code), times=times, cashier_id=manager)
        cart.put_member(session, till, members[number])
        total = cart.view(session, till, tax, today=day).totals.total
        checkout.checkout(session, till_id=till, cashier_id=manager,
                          idempotency_key=str(uuid.uuid5(_NS, f"{number}-{days}")),
                          tenders=[checkout.Tender(PaymentMethod.MEMBER_CREDIT, total)],
                          outlet_code=config["OUTLET_CODE"], timezone=zone, tax=tax,
                          now=at(day, 9, 15, zone))
        shifts.close_shift(session, actor, shift_id=shift.id,
                           cash=cash_of(expected_cash(session, shift.id)), counted_other={},
                           reason=None, now=at(day, 17, 0, zone))
        close_day(session, day=day, user_id=manager, now=at(day, 17, 30, zone), today=today,
                  **settings(config, taxed))
        closed += 1
    session.flush()
    return closed
