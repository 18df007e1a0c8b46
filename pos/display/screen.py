"""What a till's customer screen shows now (services; read only, through the caller's read
session): the cart's lines, the member's saving and the total; the QRIS for that total once
the cashier has opened it on the pay panel; or, with the cart empty, "Terima kasih" and the
change of the till's last sale for ``THANKS_SECONDS``.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.errors import NotFound, PosError
from pos.sales import cart, pay_options, pricing
from pos.sales.cart_queries import CART_HEAD
from pos.sales.models import Sale, SaleStatus
from pos.sales.qris_shown import QrisShown
from pos.settings import service as settings
from pos.tills.models import Till

THANKS_SECONDS = 60


@dataclass(frozen=True)
class LastSale:
    receipt_no: str
    total: int
    tendered: int
    change: int
    member_saving: int


@dataclass(frozen=True)
class Screen:
    till_name: str
    view: cart.CartView
    qris: pay_options.QrisBill | None = None
    thanks: LastSale | None = None


def till_name(session: Session, till_id: int) -> str:
    till = session.get(Till, till_id)
    if till is None:
        raise NotFound("Layar tidak ditemukan.")
    return till.name


def screen(session: Session, till_id: int, config: Mapping, shown: QrisShown, now: datetime) -> Screen:
    """The customer screen of ``till_id`` at ``now`` (naive UTC, as the sale rows)."""
    name = till_name(session, till_id)
    tax = pricing.TaxSettings.from_config(config, pkp=settings.pkp(session, config))
    # A till that never had a cart has none yet: ``cart.view`` would create it (a write).
    head = CART_HEAD.first(session.connection(), {"till": till_id})
    view = cart.empty_view(tax) if head is None else cart.view(session, till_id, tax)
    if view.empty:
        shown.forget(till_id)
        return Screen(name, view, thanks=last_sale(session, till_id, now))
    qris = None
    if shown.asked(till_id, view.totals.total, now):
        try:
            qris = pay_options.qris_for(session, config, view.totals.total)
        except PosError:  # no static QRIS set: the till says so; the screen shows the total
            qris = None
    return Screen(name, view, qris=qris)


def last_sale(session: Session, till_id: int, now: datetime) -> LastSale | None:
    """The till's last completed sale when it ended less than ``THANKS_SECONDS`` ago."""
    row = session.execute(
        select(Sale.receipt_no, Sale.total, Sale.tendered, Sale.change, Sale.member_saving)
        .where(Sale.till_id == till_id, Sale.status == SaleStatus.COMPLETED,
               Sale.created_at >= now - timedelta(seconds=THANKS_SECONDS))
        .order_by(Sale.created_at.desc(), Sale.id.desc()).limit(1)).first()
    return None if row is None else LastSale(*row)
