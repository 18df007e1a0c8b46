"""What the till draws of its cart (``cart.view`` builds it): each line as a row, the totals,
the member, the buyer's notes and the discounts a manager approved."""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from pos.sales import discount_limit, pricing
from pos.sales.cart_pricing import Terms, at_ceiling
from pos.units import BaseUnit


class CartRow(NamedTuple):
    """One cart line as the till draws it (built for every line on every scan: a named tuple)."""

    line_id: int
    product_id: int
    sku: str
    name: str
    qty: int
    unit_price: int
    base_unit: BaseUnit
    amount: int
    on_hand: int
    manual: bool = False  # a typed weight
    list_price: int = 0   # the catalog price, shown crossed out when the buyer pays less
    discount: int = 0
    member_saving: int = 0
    reason: str | None = None
    rx: str | None = None  # an obat keras line's prescription and apoteker (``cart_rx.labels``)


def cart_key(member_id: int | None, lines: Iterable) -> str:
    """Which cart this is, as the pay panel saw it: the member and every line (its id, product
    and quantity).  Each payment the panel lists carries the key of the cart it was added for;
    the panel drops them when the cart's key changes (emptied, parked, resumed, another member,
    any line changed, even to the same total) and checkout refuses one whose key is not the
    cart's.  ``lines``: ``CartRow``s or ``cart_queries.LINES`` rows (``line_id``, ``qty`` and the
    product as ``product_id`` or ``id``)."""
    parts = [str(member_id or "")]
    for line in lines:
        product = line.product_id if isinstance(line, CartRow) else line.id
        parts.append(f"{line.line_id}:{product}:{line.qty}")
    return hashlib.blake2b(" ".join(parts).encode(), digest_size=8).hexdigest()


@dataclass(frozen=True)
class CartView:
    rows: list[CartRow]
    totals: pricing.Totals
    priced: list[pricing.PricedLine]
    member: tuple[int, str, str] | None = None  # (id, number, name)
    member_active: bool = False  # a nonaktif member buys at the non-member price
    member_discounts: str | None = None  # "Diskon anggota: sembako 3%, pupuk 0%"
    ask_member: tuple[str, str] | None = None  # (number, name) of a second card, to confirm
    terms: Terms = Terms()
    notes: tuple[str, ...] = ()  # what the buyer of regulated goods may still take, and why not
    grants: discount_limit.Grants = discount_limit.Grants()  # the discounts a manager approved

    def discount_held(self, limit_bp: int) -> str:
        """Why the sale may not be paid yet: a discount grown past what a manager approved
        (``discount_limit.held``; checkout asks it again); empty when it may."""
        return discount_limit.held_at(self.priced, self.terms, self.grants, limit_bp)

    @property
    def key(self) -> str:
        """``cart_key`` of this cart (the till's #cart carries it for the pay panel)."""
        return cart_key(self.member[0] if self.member else None, self.rows)

    @property
    def empty(self) -> bool:
        return not self.rows

    @property
    def at_ceiling(self) -> bool:
        """A line is at its HET: the pay panel rounds cash down, never up (as checkout)."""
        return at_ceiling(self.priced)
