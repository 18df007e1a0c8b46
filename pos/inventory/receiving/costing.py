"""Cost of goods: the moving average that receiving keeps on ``Product.cost``.

``Product.cost`` is integer Rupiah per price unit (per piece, kg or litre), i.e.
per base unit for pieces and per 1000 base units for weighed goods.  Integer
Rupiah per gram would lose 10% and more (subsidised urea costs Rp1.8 per gram).

Rounding (``money.round_half_up``, halves away from zero), once per step:

* received unit cost = cost per pack x price_per / base units per pack;
* new average = (old on hand x old cost + received qty x received unit cost)
  / (old on hand + received qty), quantities in base units;
* with nothing (or less than nothing) on hand before the receipt there is no
  cost to average with: the new average is the received unit cost.

A reversal (correcting receipt) takes the reversed goods' value back out of the average
(``reversed_average``): (on hand x cost - qty x their unit cost) / what is left, as the
ledger takes their value out of inventory; so a receipt typed at twice its cost and
corrected leaves no doubled cost behind.  When the receipt's corrections take back all it
brought in of a product and nothing else moved since, the cost is exactly what it was before
it (a partial correction takes out only its own goods' value); when the reversal takes the
stock to zero or below (or would leave no value), the cost goes back to what it was before
the reversed receipt.  Every change is logged as a ``PriceChange(field="cost")``.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.inventory.catalog.models import PriceChange, Product
from pos.money import format_rupiah, round_half_up

# A cost per price unit this many times the selling price, or below this fraction of it, is
# most likely a price per sack typed on a line in kg (or the other way round).
COST_ABOVE_PRICE = 5
COST_BELOW_PRICE = 10


def cost_qty(pack_qty: int, price_per: int) -> int:
    """The base units a line's cost per pack is for: its pack's, or on a line of loose goods
    kept to the gram or ml (``pack_qty`` 1: 12,5 kg received as 12.500 g, see ``amounts``) the
    kg or litre its cost is typed for.  A piece is both (``price_per`` 1)."""
    return price_per if pack_qty == 1 else pack_qty


def received_unit_cost(cost_per_pack: int, pack_qty: int, price_per: int) -> int:
    """Rupiah per price unit for goods bought at ``cost_per_pack`` per pack of a line whose
    count is in ``pack_qty`` base units (``cost_qty``)."""
    return round_half_up(cost_per_pack * price_per, cost_qty(pack_qty, price_per))


def line_value(qty_packs: int, cost_per_pack: int, pack_qty: int, price_per: int) -> int:
    """What a line's goods cost: packs x cost per pack, or for a line kept to the gram the
    grams at the cost per kg, rounded half up once (12,5 kg at Rp11.475 is Rp143.438)."""
    return round_half_up(qty_packs * pack_qty * cost_per_pack, cost_qty(pack_qty, price_per))


def pack_cost(cost_per_pack: int, from_qty: int, to_qty: int) -> int:
    """The cost of a pack of ``to_qty`` base units when ``from_qty`` of them cost
    ``cost_per_pack``: the cost per base unit kept, rounded half up once (Rp11.475 per kg is
    Rp573.750 per karung 50 kg; Rp50.000 per karton 24 is Rp2.083 per piece)."""
    return round_half_up(cost_per_pack * to_qty, from_qty)


def cost_doubt(product: Product, cost_per_pack: int, pack_qty: int) -> str | None:
    """Why a cost per pack is unlikely beside the product's selling price, in words for the
    clerk ("harga beli Rp573.750 per kg, lebih dari 5 kali harga jual Rp12.500"), or None.
    A cost of 0 (bonus goods) and a product without a price are never doubted."""
    unit_cost = received_unit_cost(cost_per_pack, pack_qty, product.price_per)
    if unit_cost <= 0 or product.price <= 0:
        return None
    if unit_cost > COST_ABOVE_PRICE * product.price:
        how = f"lebih dari {COST_ABOVE_PRICE} kali"
    elif unit_cost * COST_BELOW_PRICE < product.price:
        how = "kurang dari sepersepuluh"
    else:
        return None
    unit = product.base_unit.price_label
    return (f"harga beli {format_rupiah(unit_cost)} per {unit}, {how} harga jual "
            f"{format_rupiah(product.price)} per {unit}")


def sold_at_loss(product: Product, cost_per_pack: int, pack_qty: int) -> bool:
    """The cost per kg or piece is above the selling price (every sale a loss), short of an
    unlikely cost (``cost_doubt``): noted on the line, posting asks nothing."""
    unit_cost = received_unit_cost(cost_per_pack, pack_qty, product.price_per)
    return 0 < product.price < unit_cost and not cost_doubt(product, cost_per_pack, pack_qty)


def moving_average(old_on_hand: int, old_cost: int, qty: int, unit_cost: int) -> int:
    """The new average after ``qty`` base units arrive at ``unit_cost`` per price unit."""
    if old_on_hand <= 0:
        return unit_cost
    return round_half_up(old_on_hand * old_cost + qty * unit_cost, old_on_hand + qty)


def reversed_average(on_hand: int, cost: int, qty: int, unit_cost: int) -> int | None:
    """The average once ``qty`` base units bought at ``unit_cost`` go back out of ``on_hand``
    at ``cost``; None when nothing, or no value, would be left."""
    left, value = on_hand - qty, on_hand * cost - qty * unit_cost
    return round_half_up(value, left) if left > 0 and value > 0 else None


def current_cost(session: Session, product_id: int) -> int:
    """The committed cost, read again after the stock row is locked (two receipts at once)."""
    return session.scalar(select(Product.cost).where(Product.id == product_id))


def set_cost(session: Session, product: Product, new: int, user_id: int | None,
             reason: str) -> None:
    """Change the product's cost and log old and new; nothing happens when it is unchanged."""
    old = current_cost(session, product.id)
    if new == old:
        return
    session.add(PriceChange(product_id=product.id, field="cost", old=old, new=new,
                            changed_by=user_id, reason=reason[:200]))
    product.cost = new


def receive_cost(session: Session, product: Product, old_on_hand: int, qty: int,
                 unit_cost: int, user_id: int | None, reason: str) -> int:
    """Average ``qty`` base units at ``unit_cost`` into the product's cost; returns the new cost."""
    new = moving_average(old_on_hand, current_cost(session, product.id), qty, unit_cost)
    set_cost(session, product, new, user_id, reason)
    return new


def cost_before(session: Session, product_id: int, receipt_reason: str) -> int | None:
    """The cost a product had before the receipt whose log entries carry ``receipt_reason``."""
    return session.scalar(
        select(PriceChange.old)
        .where(PriceChange.product_id == product_id, PriceChange.field == "cost",
               PriceChange.reason == receipt_reason)
        .order_by(PriceChange.id).limit(1))
