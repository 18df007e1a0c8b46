"""The one pricing function (``pricing.decide``) and the sale-discount spread (``money.spread``):
no database."""
from __future__ import annotations

import pytest

from pos import money
from pos.inventory.catalog.models import TaxClass
from pos.sales import pricing
from pos.units import BaseUnit

TAX = pricing.TaxSettings()


def line(**kw) -> pricing.LineInput:
    values = dict(product_id=1, sku="MG2", name="Minyak Goreng 2 L", qty=1, unit_price=38_000,
                  price_per=1, tax_class=TaxClass.PPN, unit_cost=34_000)
    values.update(kw)
    return pricing.LineInput(**values)


def member(**kw) -> pricing.LineInput:
    return line(member=True, **kw)


def test_no_rules_is_the_list_price():
    d = pricing.decide(line(qty=2))
    assert (d.amount, d.list_amount, d.discount, d.member_saving, d.reason) == (76_000, 76_000, 0, 0, None)


def test_member_discount_for_an_active_member_only():
    assert pricing.decide(line(member_bp=500)).amount == 38_000  # not a member (or nonaktif)
    d = pricing.decide(member(member_bp=500))
    assert (d.amount, d.discount, d.member_saving, d.reason) == (36_100, 1_900, 1_900, "anggota 5%")
    assert d.unit_price == 36_100


def test_member_discount_stops_at_cost_and_says_so():
    """The reason said "anggota 20%" of a line cut at cost (2,3% off on the walk-through's
    receipt): it says the discount stopped at the cost ("s.d. harga pokok")."""
    d = pricing.decide(member(member_bp=2_000))  # 20% would be 30.400, cost is 34.000
    assert (d.amount, d.reason) == (34_000, "anggota 20% s.d. harga pokok")
    whole = pricing.decide(member(member_bp=1_000))  # 10% = 34.200, above cost: all of it
    assert (whole.amount, whole.reason) == (34_200, "anggota 10%")


def test_a_list_price_already_below_cost_is_never_discounted_further():
    d = pricing.decide(member(unit_price=30_000, member_bp=500))
    assert d.amount == 30_000 and d.member_saving == 0


def test_member_gets_the_lowest_of_tier_member_price_and_discount():
    rules = dict(tiers=((6, 36_500),), member_price=37_000, member_bp=300)  # 3% = 36.860
    assert pricing.decide(member(qty=1, **rules)).reason == "anggota 3%"       # 36.860 < 37.000
    six = pricing.decide(member(qty=6, **rules))
    assert (six.amount, six.reason) == (6 * 36_500, "grosir")                  # tier wins at 6
    assert six.member_saving == 0  # a non-member gets the tier too
    cheap = pricing.decide(member(qty=1, tiers=(), member_price=35_000, member_bp=300))
    assert (cheap.amount, cheap.reason, cheap.member_saving) == (35_000, "harga anggota", 3_000)


def test_tiers_are_for_everyone_from_their_quantity():
    tiers = ((12, 37_000), (40, 36_000))
    assert [pricing.decide(line(qty=q, tiers=tiers)).amount for q in (11, 12, 39, 40, 41)] == [
        11 * 38_000, 12 * 37_000, 39 * 37_000, 40 * 36_000, 41 * 36_000]
    assert pricing.decide(line(qty=40, tiers=tiers)).reason == "grosir"
    assert pricing.decide(line(qty=5, tiers=tiers)).reason is None      # below every tier


def test_a_catalog_price_above_the_ceiling_lists_the_line_at_the_ceiling():
    """The cap is the price, not a discount: a member's saving and the discount are one figure
    (the receipt said "harga anggota -Rp6.000" beside "Hemat anggota Rp1.860")."""
    capped = pricing.decide(line(unit_price=10_000, het=8_140, unit_cost=3_000))
    assert (capped.amount, capped.list_amount, capped.discount) == (8_140, 8_140, 0)
    member = pricing.decide(line(unit_price=10_000, het=8_140, unit_cost=3_000, member=True,
                                 member_price=6_280))
    assert (member.amount, member.discount, member.member_saving) == (6_280, 1_860, 1_860)
    assert pricing.list_price(line(unit_price=10_000, het=8_140)) == 8_140
    assert pricing.list_price(line(unit_price=7_000, het=8_140)) == 7_000


def test_nothing_goes_above_the_ceiling():
    # HET lowered below the list price: everyone pays at most the HET
    d = pricing.decide(line(qty=2, het=37_500))
    assert d.amount == 75_000 and "HET" in d.reason
    # an override above the HET is cut to the HET
    assert pricing.decide(line(price_override=40_000, het=38_500)).amount == 38_500
    # weighed goods: 333 g at HET Rp1.800/kg is 599,4: never rounded up to 600
    urea = line(qty=333, unit_price=1_850, price_per=1000, het=1_800, unit_cost=1_500,
                base_unit=BaseUnit.GRAM, tax_class=TaxClass.TIDAK_DIPUNGUT)
    assert pricing.decide(urea).amount == 599


def test_manager_override_may_go_below_cost_but_discounts_on_it_stop_there():
    d = pricing.decide(line(price_override=30_000))
    assert (d.amount, d.reason) == (30_000, "harga manajer")
    # the override replaces member prices and tiers
    assert pricing.decide(member(price_override=37_500, member_price=36_000)).amount == 37_500
    # a further manual discount on a below-cost override never goes below the override
    assert pricing.decide(line(price_override=30_000, discount_amount=5_000)).amount == 30_000


def test_a_manager_price_above_the_list_price_is_the_lines_price_not_a_discount_below_zero():
    """Rp40.000 set on a Rp38.000 line printed ``harga manajer --Rp2.000`` and made the day's
    discounts smaller than the discounts given; it is the line's price, nothing came off it."""
    d = pricing.decide(line(qty=2, price_override=40_000))
    assert (d.amount, d.list_amount, d.discount) == (80_000, 80_000, 0)
    assert pricing.list_price(line(price_override=40_000)) == 40_000
    assert pricing.list_price(line(price_override=40_000, het=39_000)) == 39_000    # never above HET
    with_discount = pricing.decide(line(price_override=40_000, discount_amount=1_000))
    assert (with_discount.amount, with_discount.discount) == (39_000, 1_000)
    assert pricing.list_price(line(price_override=30_000)) == 38_000                 # a lower one: a discount


def test_manual_line_discount_is_floored_at_cost_unless_approved():
    d = pricing.decide(line(discount_bp=1_000))  # 10%: 34.200, above cost
    assert (d.amount, d.reason, d.clipped) == (34_200, "diskon", False)
    clipped = pricing.decide(line(discount_amount=10_000))
    assert (clipped.amount, clipped.clipped) == (34_000, True)
    assert pricing.needs_approval(line(discount_amount=10_000))
    assert not pricing.needs_approval(line(discount_amount=10_000, below_cost_ok=True))
    assert pricing.decide(line(discount_amount=10_000, below_cost_ok=True)).amount == 28_000
    both = pricing.decide(member(member_bp=200, discount_bp=100, discount_amount=100))
    assert both.amount == 36_768  # 38.000 x 0,98 x 0,99 - 100 = 36.767,6, rounded once
    assert both.reason == "anggota 2%, diskon"
    assert pricing.decide(line(discount_amount=99_999, below_cost_ok=True)).amount == 0


def test_weighed_goods_round_once():
    rice = dict(qty=1_250, unit_price=14_000, price_per=1000, unit_cost=12_000,
                base_unit=BaseUnit.GRAM, tax_class=TaxClass.BEBAS)
    assert pricing.decide(line(**rice)).amount == 17_500
    # 2,5% of 1,25 kg at Rp14.000: 17.500 x 0,975 = 17.062,5 -> 17.063 (one rounding)
    d = pricing.decide(member(member_bp=250, **rice))
    assert (d.amount, d.member_saving) == (17_063, 437)
    # 333 g at Rp14.001/kg = 4.662,333 -> 4.662
    assert pricing.decide(line(**{**rice, "qty": 333, "unit_price": 14_001})).amount == 4_662


def test_a_price_label_is_taken_as_printed_except_for_a_manual_discount():
    label = dict(qty=512, unit_price=14_000, price_per=1000, fixed_amount=7_200, unit_cost=12_000,
                 base_unit=BaseUnit.GRAM)
    d = pricing.decide(member(member_bp=500, member_price=13_000, tiers=((100, 13_500),), **label))
    assert (d.amount, d.discount, d.member_saving) == (7_200, 0, 0)
    assert pricing.decide(line(discount_amount=200, **label)).amount == 7_000
    # still floored at the cost of 512 g (6.144)
    assert pricing.decide(line(discount_amount=5_000, **label)).amount == 6_144


def test_a_price_labels_list_price_is_its_own_price_per_kg():
    """A Rp5.000 label for 294 g of sugar listed at Rp17.000/kg is Rp17.007/kg: its list price
    is that, not the catalog's (shown crossed out beside it, it looked like a discount)."""
    label = line(qty=294, unit_price=17_000, price_per=1000, fixed_amount=5_000, unit_cost=15_000,
                 base_unit=BaseUnit.GRAM)
    d = pricing.decide(label)
    assert (d.unit_price, d.amount, d.discount) == (17_007, 5_000, 0)
    assert pricing.list_price(label) == 17_007
    # under a ceiling of Rp16.000/kg both are cut to it, as any line's are
    capped = label._replace(het=16_000)
    assert pricing.list_price(capped) == pricing.decide(capped).unit_price == 16_000


def test_the_sale_discount_is_spread_exactly_and_keeps_tax_per_line():
    lines = [line(qty=1, unit_price=10_000, unit_cost=5_000),
             line(product_id=2, qty=1, unit_price=20_001, unit_cost=10_000, tax_class=TaxClass.BEBAS),
             line(product_id=3, qty=1, unit_price=7_000, unit_cost=6_000)]
    priced, totals = pricing.price_cart(lines, TAX, discount_amount=1_001)
    assert sum(p.discount for p in priced) == totals.sale_discount == 1_001
    assert totals.total == 37_001 - 1_001 and totals.discount == 1_001
    assert [p.reason for p in priced] == ["diskon nota"] * 3
    for p in priced:  # the tax inside each line is recomputed on what is paid
        assert p.tax == pricing.price_line(pricing.LineInput(**{
            **p.line._asdict(), "unit_price": p.amount, "qty": 1}), TAX).tax
    assert totals.tax_by_class[(TaxClass.BEBAS, 0)][0] == priced[1].amount


def test_the_sale_discount_stops_at_each_line_cost_and_moves_to_the_others():
    lines = [line(qty=1, unit_price=10_000, unit_cost=9_900), line(product_id=2, qty=1,
             unit_price=10_000, unit_cost=1_000)]
    priced, totals = pricing.price_cart(lines, TAX, discount_bp=1_000)  # 10% of 20.000 = 2.000
    assert [p.amount for p in priced] == [9_900, 8_100]
    assert totals.sale_discount == 2_000
    # more than all the room there is: only down to cost
    priced, totals = pricing.price_cart(lines, TAX, discount_amount=50_000)
    assert [p.amount for p in priced] == [9_900, 1_000] and totals.sale_discount == 9_100


@pytest.mark.parametrize("total, weights, caps, expected", [
    (100, [1, 1, 1], [100] * 3, [34, 33, 33]),
    (10, [0, 0], [10, 10], [5, 5]),
    (7, [5, 5], [2, 100], [2, 5]),
    (50, [1, 2], [3, 4], [3, 4]),
])
def test_spread_by_largest_remainder(total, weights, caps, expected):
    assert money.spread(total, weights, caps) == expected


def test_totals_show_gross_at_list_prices_and_the_member_saving():
    priced, totals = pricing.price_cart([member(qty=2, member_bp=500), line(product_id=2)], TAX)
    assert totals.gross == 3 * 38_000
    assert totals.member_saving == totals.discount == 3_800
    assert totals.total == 3 * 38_000 - 3_800


def test_sale_discount_short_says_how_much_the_cost_floors_refuse():
    lines = [line(qty=1, unit_price=10_000, unit_cost=9_000), line(product_id=2, qty=1,
             unit_price=10_000, unit_cost=9_500)]
    assert pricing.sale_discount_short(lines, TAX, discount_amount=1_500) == 0
    assert pricing.sale_discount_short(lines, TAX, discount_bp=2_000) == 4_000 - 1_500
    approved = [pricing.LineInput(**{**x._asdict(), "below_cost_ok": True}) for x in lines]
    assert pricing.sale_discount_short(approved, TAX, discount_bp=2_000) == 0


def test_a_sale_discounts_reason_reaches_every_line_whole():
    """Cut at 40 characters mid-word, its ':' and ',' left as double spaces: "diskon nota
    (langganan  setia  <b>x</b> panjang sekal)"."""
    reason = "langganan: setia, <b>x</b> panjang sekali karena belanja rutin tiap minggu di gerai"
    priced, _ = pricing.price_cart([line(), line(sku="GP1")], TAX, discount_bp=500, discount_reason=reason)
    assert {p.reason for p in priced} == {
        "diskon nota (langganan setia <b>x</b> panjang sekali karena belanja rutin tiap minggu di gerai)"}
