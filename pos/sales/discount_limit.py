"""The cashier's own discount limit (``POS_CASHIER_MAX_DISCOUNT_BP``): what a cashier may take
off alone, each discount and the cart's manual discounts together.

Only the discounts a cashier gave alone count: one a manager approved in the dialog, or gave
themselves, is stored with ``discount_approved`` (the line's, the sale's) and is the price the
cashier's limit counts from, so a small discount after it asks no one.  A discount the cashier
gives in its place is theirs again (every write of a discount writes the flag), and a quantity
changed drops the line's (``dropped``).  A member put on the sale prices the lines anew: an
amount given off the list price is more of a member's lower price, so the cashier's own
discounts are checked again at the member's prices (``over_at_prices``) before the member goes
on (``cart_members``)."""
from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos import money
from pos.money import format_rupiah
from pos.sales import cart_pricing, pricing
from pos.sales.models import Cart, CartLine


class Sale(NamedTuple):
    """A sale discount as the limit reads it (``adjust.Discount`` reads the same)."""

    bp: int = 0
    amount: int = 0


def within(off: int, base: int, limit_bp: int) -> bool:
    """At most the limit's own amount, rounded as every rate is (5% of Rp22.990 is Rp1.150)."""
    return off <= money.percent_of(base, limit_bp)


def approved(session: Session, cart_id: int) -> tuple[frozenset[int], bool]:
    """The cart's lines whose discount a manager approved or gave, and whether its sale
    discount is such."""
    lines = frozenset(session.scalars(select(CartLine.id).where(
        CartLine.cart_id == cart_id, CartLine.discount_approved)))
    return lines, bool(session.scalar(select(Cart.discount_approved).where(Cart.id == cart_id)))


def _plain(line: pricing.LineInput) -> int:
    return pricing.decide(line._replace(discount_bp=0, discount_amount=0, below_cost_ok=True)).amount


def together(lines: dict[int, pricing.LineInput], sale, limit_bp: int, beside: str,
             approved_lines: frozenset[int] = frozenset()) -> str:
    """What the manager is told when the cashier's own manual discounts together (``lines``'
    own, but for ``approved_lines``, and the ``sale`` discount, as given: member prices and
    tiers are not manual) pass ``limit_bp`` of the lines before them (an approved line counts
    at its approved amount); empty when within.  Each rate rounds as it is given, so a 5% on
    each line is within 5% of them all."""
    given = {line_id: pricing.decide(line._replace(below_cost_ok=True)).amount
             for line_id, line in lines.items()}
    plain = [given[line_id] if line_id in approved_lines else _plain(line) for line_id, line in lines.items()]
    total = sum(given.values())
    off = sum(plain) - total + min(money.percent_of(total, sale.bp) + sale.amount, total)
    most = max(money.percent_of(sum(plain), limit_bp), sum(money.percent_of(p, limit_bp) for p in plain))
    if off <= most:
        return ""
    return f"bersama {beside}: diskon manual {format_rupiah(off)} dari {format_rupiah(sum(plain))}"


def over_at_prices(session: Session, cart_id: int, limit_bp: int) -> str:
    """The cashier's own discount on the cart that is past ``limit_bp`` at the prices the cart
    has now (after a member was put on), named for the cashier; empty when none is."""
    lines = cart_pricing.line_inputs(session, cart_id)
    approved_lines, sale_approved = approved(session, cart_id)
    for line_id, line in lines.items():
        if line_id in approved_lines or not (line.discount_bp or line.discount_amount):
            continue
        base = _plain(line)
        if not within(base - pricing.decide(line._replace(below_cost_ok=True)).amount, base, limit_bp):
            return f"baris {line.name[:60]}"
    row = session.execute(select(Cart.discount_bp, Cart.discount_amount).where(Cart.id == cart_id)).one()
    sale = Sale() if sale_approved else Sale(row.discount_bp, row.discount_amount)
    base = sum(pricing.decide(line).amount for line in lines.values())
    if not within(money.percent_of(base, sale.bp) + sale.amount, base, limit_bp):
        return "transaksi"
    return "baris dan transaksi bersama" if together(lines, sale, limit_bp, "", approved_lines) else ""
