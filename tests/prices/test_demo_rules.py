"""The demo gerai's price rules: member discounts, member prices and carton tiers that never
take a member's price below cost or above a HET."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from pos import money
from pos.demo.ceilings import DEMO_ZONE
from pos.demo.seed import seed_demo
from pos.het.service import ceiling
from pos.inventory.catalog.models import Product
from pos.prices import rules
from pos.prices.models import MemberPrice, PriceTier
from pos.sales import pricing


def test_demo_rules_stay_between_cost_and_het(db):
    with db.transaction() as s:
        seed_demo(s, history_days=0)  # the rules, not the days sold under them
    with db.reading() as s:
        assert rules.describe(rules.member_discounts(s)) == (
            "Diskon anggota: sembako 2%, pupuk 0%, umkm 3%, kategori Mi Instan 5%")
        assert len(s.scalars(select(MemberPrice)).all()) >= 2
        assert len(s.scalars(select(PriceTier)).all()) >= 2
        products = s.scalars(select(Product)).all()
        found = rules.rules_for(s, [p.id for p in products])
        hets = {p.id: ceiling(s, p.id, date(2026, 11, 30), DEMO_ZONE) for p in products}
    for p in products:
        r, het = found[p.id], hets[p.id]
        for qty in {1, *(q for q, _ in r.tiers)}:
            qty = qty if p.base_unit.value == "pcs" or qty > 1 else 1000
            line = pricing.LineInput(
                product_id=p.id, sku=p.sku, name=p.name, qty=qty, unit_price=p.price,
                price_per=p.price_per, tax_class=p.tax_class, unit_cost=p.cost, het=het,
                tiers=r.tiers, member_price=r.member_price, member_bp=r.member_bp, member=True)
            d = pricing.decide(line)
            assert d.amount >= money.line_amount(p.cost, qty, p.price_per), p.name
            if het is not None:
                assert d.amount <= het * qty // p.price_per, p.name
        assert r.member_price is None or p.cost <= r.member_price < p.price
        assert all(p.cost <= price < p.price for _, price in r.tiers)
