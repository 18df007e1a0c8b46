"""Parked sales (Tahan): put the till's cart aside with a note, resume it at any till.

A parked cart is a ``Cart`` row without a till (``till_id`` NULL, ``parked_at`` set): its
lines move off the till's own cart, with their prices and discounts, the member and the
sale discount, so the till serves the next customer at once.  Rows survive a restart.
Resuming moves them back into a till's cart, only when that cart is empty; two tills
resuming the same parked cart at once cannot both get it (``_take`` claims the row with
a conditional UPDATE that only one transaction can win).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session, aliased

from pos.auth.models import User
from pos.clock import utcnow
from pos.errors import PosError, typed
from pos.members.models import Member
from pos.sales import cart as carts
from pos.sales import pricing
from pos.sales.cart_pricing import cart_terms, lines_for_pricing, price_rows
from pos.sales.models import Cart, CartLine
from pos.text import clean
from pos.tills.models import Till


class HoldError(PosError):
    pass


@dataclass(frozen=True)
class Parked:
    id: int
    note: str
    parked_at: datetime
    by: str
    till: str
    member: str | None
    lines: int
    amount: int  # what the customer would pay: priced for its member, with its discounts


_CARRIED = (Cart.member_id, Cart.discount_bp, Cart.discount_amount, Cart.discount_reason,
            Cart.discount_approved, Cart.discount_approved_off)
# The buyer of regulated goods stays with a parked sale.
_BUYER = (Cart.buyer_nik, Cart.buyer_name, Cart.buyer_category, Cart.proxy_name, Cart.proxy_nik,
          Cart.proxy_relation)
_NO_BUYER = {c.key: None for c in _BUYER}


def park(session: Session, till_id: int, cashier_id: int, note: str = "",
         *, now: datetime | None = None) -> int:
    """Park the till's cart (lines, member, sale discount); returns the parked cart's id."""
    cart_id = carts.claim(session, till_id, cashier_id)
    if session.scalar(select(func.count()).select_from(CartLine)
                      .where(CartLine.cart_id == cart_id)) == 0:
        raise HoldError("Keranjang masih kosong; tidak ada yang ditahan.")
    own = session.execute(select(*_CARRIED, *_BUYER).where(Cart.id == cart_id)).one()
    parked = session.execute(insert(Cart).values(
        **{c.key: getattr(own, c.key) for c in _BUYER},
        till_id=None, cashier_id=cashier_id, member_id=own.member_id,
        discount_bp=own.discount_bp, discount_amount=own.discount_amount,
        discount_reason=own.discount_reason, discount_approved=own.discount_approved,
        discount_approved_off=own.discount_approved_off, parked_from=till_id, parked_by=cashier_id,
        parked_note=clean(typed(" ".join((note or "").split()), 100, "Catatan")) or None,
        parked_at=now or utcnow()).returning(Cart.id)).scalar_one()
    session.execute(update(CartLine).where(CartLine.cart_id == cart_id).values(cart_id=parked))
    session.execute(update(Cart).where(Cart.id == cart_id).values(
        member_id=None, discount_bp=0, discount_amount=0, discount_reason=None, discount_approved=False,
        discount_approved_off=0, **_NO_BUYER))
    return parked


def resume(session: Session, till_id: int, cashier_id: int, parked_id: int,
           day: date | None = None) -> None:
    """Move a parked cart into this till's cart, which must be empty (with ``day``: in the
    cashier's shift open here that business day, as a scan)."""
    cart_id = carts.claim(session, till_id, cashier_id, day)
    if session.scalar(select(CartLine.id).where(CartLine.cart_id == cart_id).limit(1)) is not None:
        # 422: the parked sale is still there for this till once its cart is empty, so the
        # till's list keeps it (it drops only a sale gone, 410: ``_take``).
        raise HoldError("Keranjang kasir ini masih berisi belanjaan. Selesaikan, tahan, atau "
                        "kosongkan dulu, lalu lanjutkan transaksi yang ditahan.")
    _take(session, parked_id)
    own = session.execute(select(*_CARRIED, *_BUYER).where(Cart.id == parked_id)).one()
    session.execute(update(CartLine).where(CartLine.cart_id == parked_id).values(cart_id=cart_id))
    session.execute(update(Cart).where(Cart.id == cart_id).values(
        **{c.key: getattr(own, c.key) for c in _BUYER}, member_id=own.member_id, discount_bp=own.discount_bp,
        discount_amount=own.discount_amount, discount_reason=own.discount_reason,
        discount_approved=own.discount_approved, discount_approved_off=own.discount_approved_off))
    session.execute(delete(Cart).where(Cart.id == parked_id))


def _take(session: Session, parked_id: int) -> None:
    """Claim the parked row: the one UPDATE that matches wins; a second till (waiting on the
    row lock in PostgreSQL, on the write lock in SQLite) then matches nothing."""
    taken = session.execute(update(Cart).where(
        Cart.id == parked_id, Cart.till_id.is_(None), Cart.parked_at.is_not(None))
        .values(parked_at=None).execution_options(synchronize_session=False)).rowcount
    if taken != 1:
        # 410, gone: the one answer for which the till's list drops it (static/js/till_extra.js)
        raise HoldError("Transaksi tahanan ini sudah dilanjutkan di kasir lain atau tidak ada.", 410)


def parked(session: Session, tax: pricing.TaxSettings, day: date, zone: str) -> list[Parked]:
    """Every parked cart, oldest first, with who parked it, where, and what it holds: its
    total priced as the till would (member prices, line and sale discounts, HET on ``day``)."""
    by, member = aliased(User), aliased(Member)
    carts_found = session.execute(
        select(Cart.id, Cart.parked_note, Cart.parked_at, by.full_name, Till.name,
               member.name.label("member"))
        .outerjoin(by, by.id == Cart.parked_by).outerjoin(Till, Till.id == Cart.parked_from)
        .outerjoin(member, member.id == Cart.member_id)
        .where(Cart.till_id.is_(None), Cart.parked_at.is_not(None))
        .order_by(Cart.parked_at, Cart.id)).all()
    out = []
    for c in carts_found:   # a few at a counter: each priced as its cart
        rows = lines_for_pricing(session, c.id, day, zone)
        _priced, totals = price_rows(session, rows, tax, cart_terms(session, c.id))
        out.append(Parked(c.id, c.parked_note or "", c.parked_at, c.full_name or "-",
                          c.name or "-", c.member, len(rows), totals.total))
    return out
