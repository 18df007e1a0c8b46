"""No path sells above the ceiling (hypothesis): any mix of list price, member price, tier,
member discount, manager override, line and sale discounts and a price-embedded label's
``fixed_amount`` ends at or below ``het * qty // price_per`` on every line; and cash rounding
never takes a sale with a line at its ceiling above what its lines cost."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pos import money
from pos.inventory.catalog.models import TaxClass
from pos.sales import pricing, tenders
from pos.sales.cart_pricing import at_ceiling
from pos.sales.models import PaymentMethod
from pos.units import BaseUnit

prices = st.integers(1, 2_000_000)
rates = st.integers(0, 10_000)


@st.composite
def capped_lines(draw, product_id: int = 1) -> pricing.LineInput:
    """A line with a ceiling and any rule, discount or override on it."""
    unit = draw(st.sampled_from(list(BaseUnit)))
    qty = draw(st.integers(1, 500 if unit is BaseUnit.PCS else 100_000))
    tiers = tuple(sorted(draw(st.dictionaries(st.integers(2, 1_000), prices, max_size=3)).items()))
    return pricing.LineInput(
        product_id=product_id, sku="X", name="x", qty=qty, unit_price=draw(prices),
        price_per=unit.price_per, tax_class=draw(st.sampled_from(list(TaxClass))),
        unit_cost=draw(st.integers(0, 2_000_000)), base_unit=unit,
        fixed_amount=draw(st.none() | st.integers(1, 5_000_000)),
        het=draw(prices), tiers=tiers, member_price=draw(st.none() | prices),
        member_bp=draw(rates), member=draw(st.booleans()),
        price_override=draw(st.none() | prices), discount_bp=draw(rates),
        discount_amount=draw(st.integers(0, 100_000)), below_cost_ok=draw(st.booleans()))


def top(line: pricing.LineInput) -> int:
    return line.het * line.qty // line.price_per


@settings(max_examples=300, deadline=None)
@given(st.lists(capped_lines(), min_size=1, max_size=5), rates, st.integers(0, 500_000),
       st.booleans(), st.booleans())
def test_no_line_of_any_cart_ends_above_its_ceiling(lines, sale_bp, sale_amount, inclusive, pkp):
    lines = [pricing.LineInput(**{**line._asdict(), "product_id": n, "line_id": n})
             for n, line in enumerate(lines, start=1)]
    tax = pricing.TaxSettings(pkp=pkp, inclusive=inclusive)
    priced, totals = pricing.price_cart(lines, tax, discount_bp=sale_bp, discount_amount=sale_amount)
    for p in priced:
        assert 0 <= p.amount <= top(p.line)
        assert p.unit_price <= p.line.het
        assert pricing.decide(p.line).amount <= top(p.line)
    assert totals.total <= sum(top(line) for line in lines) + (0 if inclusive else totals.tax)


@settings(max_examples=300, deadline=None)
@given(st.lists(capped_lines(), min_size=1, max_size=4), st.sampled_from([50, 100, 200, 500, 1000]))
def test_cash_rounding_never_takes_a_sale_at_its_ceiling_up(lines, coin):
    priced, totals = pricing.price_cart(lines, pricing.TaxSettings(pkp=False))
    settled = tenders.settle(totals.total, [tenders.Tender(PaymentMethod.CASH, 10**12)], coin,
                             round_down=at_ceiling(priced))
    if at_ceiling(priced):
        assert settled.total <= totals.total and settled.rounding <= 0
        assert totals.total - settled.total < coin
    else:
        assert abs(settled.rounding) * 2 <= coin


@given(st.integers(0, 10**9), st.sampled_from([0, 1, 50, 100, 500, 1000]))
def test_round_down_only_where_half_up_would_go_up(amount, coin):
    down = money.round_cash(amount, coin, round_down=True)
    nearest = money.round_cash(amount, coin)
    assert down <= amount and (down == nearest or nearest > amount)
