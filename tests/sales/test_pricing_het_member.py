"""A member's percent and an F5 percent were taken from a catalog price above the ceiling and
then capped at the HET: gula at Rp18.000/kg under a HET of Rp17.500 sold to a member with 2%
at Rp17.500, as to anyone ("anggota 2%, HET"), and with F5 2% more at Rp17.287 (1,2%).  Percents
come off the price the line is listed at, the HET; a member price or a tier above the HET is
capped as the list price is.  Pure: no database."""
from __future__ import annotations

from pos.inventory.catalog.models import TaxClass
from pos.sales import pricing
from pos.units import BaseUnit


def sugar(**kw) -> pricing.LineInput:
    """1 kg of SBK-0162 at Rp18.000/kg (saved above its HET with a warning), HET Rp17.500."""
    values = dict(product_id=1, sku="SBK-0162", name="Gula Pasir Curah", qty=1000, unit_price=18_000,
                  price_per=1000, tax_class=TaxClass.BEBAS, unit_cost=15_640,
                  base_unit=BaseUnit.GRAM, het=17_500)
    return pricing.LineInput(**{**values, **kw})


def test_a_members_percent_comes_off_the_het():
    d = pricing.decide(sugar(member=True, member_bp=200))
    assert (d.amount, d.unit_price, d.list_amount, d.discount, d.member_saving, d.reason) == (
        17_150, 17_150, 17_500, 350, 350, "anggota 2%")
    anyone = pricing.decide(sugar(member_bp=200))
    assert (anyone.amount, anyone.discount, anyone.reason) == (17_500, 0, "HET")


def test_an_f5_percent_comes_off_the_het_too():
    d = pricing.decide(sugar(member=True, member_bp=200, discount_bp=200))
    assert (d.amount, d.discount, d.member_saving, d.reason) == (16_807, 693, 343, "anggota 2%, diskon")
    assert pricing.decide(sugar(discount_bp=200)).amount == 17_150


def test_a_member_price_or_a_tier_above_the_het_is_capped_and_one_below_it_kept():
    above = pricing.decide(sugar(member=True, member_price=17_800))
    assert (above.amount, above.member_saving, above.reason) == (17_500, 0, "HET")
    below = pricing.decide(sugar(member=True, member_price=17_000))
    assert (below.amount, below.member_saving, below.reason) == (17_000, 500, "harga anggota")
    tier = pricing.decide(sugar(qty=5_000, tiers=((5_000, 17_800),)))
    assert (tier.amount, tier.reason) == (87_500, "HET")
    lower_tier = pricing.decide(sugar(qty=5_000, tiers=((5_000, 17_200),)))
    assert (lower_tier.amount, lower_tier.reason) == (86_000, "grosir")
