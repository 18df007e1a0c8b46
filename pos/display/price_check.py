"""The shelf price check (services; read only): a scanned code's product with its price, the
member price, the quantity (grosir) prices and the HET in force, through the catalog lookup
(``inventory.catalog.lookup``), the price rules (``prices.rules``) and ``het.service.ceiling``.

The member price is decided by the till's own ``sales.pricing.decide`` for one unit sold to a
member (the member discount stops at cost, a ceiling caps it), so the shelf never promises
less than the till charges.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from pos.het.service import ceiling
from pos.inventory.catalog import lookup
from pos.inventory.catalog.models import Product
from pos.prices.rules import ProductRules, rules_for
from pos.sales import pricing
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


def _member_rule(reason: str | None) -> str | None:
    """The till's reason ("anggota 5%", "harga anggota", "…, HET") as the shelf words it."""
    for part in (reason or "").split(", "):
        if part == "harga anggota":
            return part
        if part.startswith("anggota "):
            return f"diskon {part}"
    return None


def member_price(session: Session, hit: lookup.ScanHit, rules: ProductRules | None,
                 het: int | None, tax: pricing.TaxSettings | None = None) -> tuple[int | None, str | None]:
    """What a member pays for one unit (one piece, one kg) at the till, and why; (None, None)
    when a member pays what everyone pays."""
    if rules is None or (rules.member_price is None and not rules.member_bp):
        return None, None
    product = session.get(Product, hit.product_id)
    unit = BaseUnit(hit.base_unit)
    line = pricing.LineInput(
        hit.product_id, product.sku, hit.name, unit.price_per, hit.price, unit.price_per,
        product.tax_class, product.cost, product.business_unit, product.category_id, unit,
        het=het, tiers=rules.tiers, member_price=rules.member_price, member_bp=rules.member_bp,
        member=True, cost_tax_bp=tax.cost_tax_bp(product.tax_class) if tax else 0)
    decision = pricing.decide(line)
    if decision.member_saving <= 0:
        return None, None
    return decision.amount, _member_rule(decision.reason)


def check(session: Session, code: str, patterns: tuple, day: date, zone: str | None,
          tax: pricing.TaxSettings | None = None) -> PriceCheck:
    """The prices of the product behind ``code`` (a member's as the till charges it under
    ``tax``); ``lookup.UnknownBarcode`` when none."""
    hit = lookup.lookup_barcode(session, code, patterns)
    rules = rules_for(session, [hit.product_id]).get(hit.product_id)
    het = ceiling(session, hit.product_id, day, zone)
    member, rule = member_price(session, hit, rules, het, tax)
    tiers = tuple(t for t in (rules.tiers if rules is not None else ()) if t[1] < hit.price)
    return PriceCheck(hit.name, hit.price, BaseUnit(hit.base_unit).price_label, member, rule,
                      tiers, hit.base_unit, het, hit.fixed_amount)
