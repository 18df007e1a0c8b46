"""Pricing a cart's rows: the catalog row, the product's price rules and the buyer, as the
pure ``pricing`` module's plain values.  Used by the cart view on every scan and by checkout,
so the cart, the total beside Bayar and the sale always agree.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from pos.clock import utcnow
from pos.het.service import sql_params as het_params
from pos.members.buyers import Buyer
from pos.prices.rules import ProductRules, resolve
from pos.sales import cart_queries as q
from pos.sales import pricing


@dataclass(frozen=True)
class Terms:
    """What prices a cart besides its lines: the buyer and the sale discount."""

    member_id: int | None = None
    member_number: str | None = None
    member_name: str | None = None
    member_active: bool = False
    discount_bp: int = 0
    discount_amount: int = 0
    discount_reason: str | None = None
    buyer: Buyer | None = None  # who buys regulated goods (asked at the till), if anyone yet
    discount_granted: int | None = None  # the Rupiah a manager approved off the sale discount

    @property
    def any_set(self) -> bool:
        """Anything on the cart besides its lines (a member, a buyer, a sale discount)."""
        return (self.member_id is not None or self.buyer is not None or bool(self.discount_bp)
                or bool(self.discount_amount) or self.discount_reason is not None)

    @property
    def member_sale(self) -> bool:
        """Sold to an active member: member prices apply and the SHU counts it."""
        return self.member_id is not None and self.member_active


def terms_of(row) -> Terms:
    """A ``CART_HEAD`` / ``CART_TERMS`` row as ``Terms``."""
    buyer = None
    if row.buyer_nik or row.buyer_category or row.proxy_name or row.member_id is not None:
        buyer = Buyer(row.buyer_nik, row.buyer_name, row.buyer_category, row.member_id,
                      row.member_nik, row.proxy_name, row.proxy_nik, row.proxy_relation,
                      row.member_name)
    return Terms(row.member_id, row.member_number, row.member_name, bool(row.member_active),
                 row.discount_bp or 0, row.discount_amount or 0, row.discount_reason, buyer,
                 row.discount_approved_off if row.discount_approved else None)


def cart_terms(session: Session, cart_id: int) -> Terms:
    row = q.CART_TERMS.first(session.connection(), {"cart": cart_id})
    return terms_of(row) if row is not None else Terms()


def lines_for_pricing(session: Session, cart_id: int, day: date | None = None,
                      zone: str | None = None):
    """Cart lines joined to the current catalog data and the ceiling price (HET) in force on
    ``day`` in ``zone``, in the order they were added.  Callers pass the business day; without
    it the UTC date stands in (tests and tools only: a sale passes its own)."""
    params = {"cart": cart_id, **het_params(day or utcnow().date(), zone)}
    return q.LINES.all(session.connection(), params)


def to_line_input(row, rules: ProductRules | None = None, member: bool = False,
                  tax: pricing.TaxSettings | None = None) -> pricing.LineInput:
    """A ``cart_queries.LINES`` row as the pricing function's input, with the product's rules
    from the row itself unless given (read by position: this runs for every line on every
    scan, and a Row's attribute look-up costs several times more)."""
    (line_id, qty, unit_price, fixed_amount, manual, override, discount_bp, discount_amount,
     below_cost_ok, reason, product_id, sku, name, unit, tax_class, cost, het, business_unit,
     category_id) = row[:19]
    if rules is None:
        rules = resolve(*row[-4:])
    return pricing.LineInput(
        product_id, sku, name, qty, unit_price, unit.price_per, tax_class, cost, business_unit,
        category_id, unit, fixed_amount, manual, het, rules.tiers, rules.member_price,
        rules.member_bp, member, override, discount_bp or 0, discount_amount or 0,
        bool(below_cost_ok), line_id, reason, tax.cost_tax_bp(tax_class) if tax else 0)


def price_rows(session: Session, rows, tax: pricing.TaxSettings, terms: Terms,
               cart_id: int | None = None) -> tuple[list[pricing.PricedLine], pricing.Totals]:
    """Every ``LINES`` row priced with its product's rules (read with the row) for this buyer,
    then the sale discount.  ``session`` and ``cart_id`` are kept for callers; no query runs."""
    member = terms.member_sale
    return pricing.price_cart([to_line_input(r, None, member, tax) for r in rows], tax,
                              discount_bp=terms.discount_bp,
                              discount_amount=terms.discount_amount,
                              discount_reason=terms.discount_reason)


def line_inputs(session: Session, cart_id: int, day: date | None = None,
                zone: str | None = None, tax: pricing.TaxSettings | None = None
                ) -> dict[int, pricing.LineInput]:
    """Each cart line (by line id) as the pricing function sees it, with its product's rules
    and the buyer: to ask ``pricing.needs_approval(line._replace(discount_bp=...))`` whether a
    discount would take it below cost before storing it."""
    member = cart_terms(session, cart_id).member_sale
    return {r.line_id: to_line_input(r, None, member, tax)
            for r in lines_for_pricing(session, cart_id, day, zone)}


def at_ceiling(priced: list[pricing.PricedLine]) -> bool:
    """True when a line is at its ceiling price (HET): cash rounding must not round the sale up
    (``tenders.settle(..., round_down=True)``), or the customer would pay above it."""
    return any(p.line.het is not None and p.amount >= p.line.het * p.line.qty // p.line.price_per
               for p in priced)
