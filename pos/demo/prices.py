"""Demo price rules: member discounts per business unit and for one category, a member price
on a few goods and a carton price (harga grosir) on a few others.

Every demo price is checked against the product's own cost and HET as it is set (the same
rules as the manager's screen), so no demo member price is below cost or above a HET.
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pos.auth.models import User
from pos.het.models import CeilingPrice
from pos.inventory.catalog.models import Category, Product
from pos.prices import setting

UNIT_DISCOUNTS = {"sembako": "2", "pupuk": "0", "umkm": "3"}
CATEGORY_DISCOUNTS = {"Mi Instan": "5"}
# (product name, member price as a share of the list price, in percent)
MEMBER_PRICES = (("Gulaku Gula Tebu Premium 1 kg", 95), ("Sania 2 liter", 95),
                 ("Rose Brand Gula Kristal Putih 1 kg", 96))
# (product name, pieces in a carton, carton price per piece as a share of the list price)
CARTON_TIERS = (("Indomie Mi Goreng Original 85 g", 40, 94), ("Sania 1 liter", 12, 96),
                ("Fortune 2 liter", 6, 97))


def _round_down(amount: int, step: int = 100) -> int:
    return amount // step * step


def _within(session: Session, product: Product, share: int) -> int | None:
    """A price at ``share`` percent of the list price, to Rp100, never under cost or over a
    ceiling (HET) in any zone, now or scheduled."""
    price = max(_round_down(product.price * share // 100), -(-product.cost // 100) * 100)
    het = session.scalar(select(func.min(CeilingPrice.price)).where(
        CeilingPrice.product_id == product.id))
    if het is not None:
        price = min(price, het)
    return price if product.cost <= price < product.price else None


def seed_price_rules(session: Session) -> int:
    """Add the demo's member discounts, member prices and carton tiers; returns how many."""
    manager = session.scalar(select(User.id).where(User.username == "manajer1"))
    categories = dict(session.execute(select(Category.name, Category.id).where(
        Category.name.in_(list(CATEGORY_DISCOUNTS)))).all())
    count = setting.set_member_discounts(
        session, UNIT_DISCOUNTS, {categories[n]: r for n, r in CATEGORY_DISCOUNTS.items()
                                  if n in categories}, manager)
    by_name = {p.name: p for p in session.scalars(select(Product).where(Product.name.in_(
        [n for n, _ in MEMBER_PRICES] + [n for n, _, _ in CARTON_TIERS])))}
    for name, share in MEMBER_PRICES:
        product = by_name.get(name)
        price = _within(session, product, share) if product else None
        if price is not None:
            count += setting.set_member_price(session, product.id, price, manager)
    for name, pieces, share in CARTON_TIERS:
        product = by_name.get(name)
        price = _within(session, product, share) if product else None
        if price is not None:
            setting.add_tier(session, product.id, pieces, price, manager)
            count += 1
    return count
