"""The shelf price check (services; read only): a scanned code's product with its price, the
member price, the quantity (grosir) prices and the HET in force, through the catalog lookup
(``inventory.catalog.lookup``), the price rules (``prices.rules``) and ``het.service.ceiling``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from pos.het.service import ceiling
from pos.inventory.catalog import lookup
from pos.money import format_rate, percent_of
from pos.prices.rules import rules_for
from pos.units import BaseUnit


@dataclass(frozen=True)
class PriceCheck:
    name: str
    price: int                 # the catalog price per unit (per kg for weighed goods)
    per: str                   # "pcs" or "kg"
    member_price: int | None   # what a member pays per unit, when less than the price
    member_rule: str | None    # "harga anggota" or "diskon anggota 3%"
    tiers: tuple[tuple[int, int], ...]  # (from quantity in base units, unit price)
    base_unit: str
    het: int | None
    label_amount: int | None = None  # the amount printed on a price label


def check(session: Session, code: str, patterns: tuple, day: date, zone: str | None) -> PriceCheck:
    """The prices of the product behind ``code``; ``lookup.UnknownBarcode`` when none."""
    hit = lookup.lookup_barcode(session, code, patterns)
    rules = rules_for(session, [hit.product_id]).get(hit.product_id)
    member_price, member_rule = None, None
    if rules is not None and rules.member_price is not None and rules.member_price < hit.price:
        member_price, member_rule = rules.member_price, "harga anggota"
    if rules is not None and rules.member_bp > 0:
        rated = hit.price - percent_of(hit.price, rules.member_bp)
        if rated < hit.price and (member_price is None or rated < member_price):
            member_price, member_rule = rated, f"diskon anggota {format_rate(rules.member_bp)}%"
    tiers = tuple(t for t in (rules.tiers if rules is not None else ()) if t[1] < hit.price)
    return PriceCheck(hit.name, hit.price, BaseUnit(hit.base_unit).price_label, member_price,
                      member_rule, tiers, hit.base_unit, ceiling(session, hit.product_id, day, zone),
                      hit.fixed_amount)
