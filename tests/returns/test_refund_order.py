"""A returned line's share of a sale discount does not depend on the order lines come back in,
nor on how they are split: the sale stored each line's amount (the sale discount spread once,
``pricing.price_cart``), and a return refunds each line cumulatively (``amounts.share``), so the
refunds of the units returned, in any order and any split, add up to exactly what was paid for
them, never more."""
from __future__ import annotations

import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from pos.inventory.catalog.lookup import lookup_barcode
from pos.returns.amounts import share
from pos.returns.models import SaleReturn
from pos.returns.service import Wanted
from pos.sales import adjust, cart, checkout, pricing
from pos.sales.models import PaymentMethod, Sale
from tests.factories import notes_covering, shift_of_day
from tests.returns.conftest import DAY, MEDICINE, NOW, SOAP, TAX, give_back, line_ids, manager

PLAIN = pricing.TaxSettings(pkp=False)
lines_st = st.lists(st.tuples(st.integers(1, 200_000), st.integers(1, 12)), min_size=1, max_size=6)


@st.composite
def sale_and_plan(draw):
    """A priced sale (lines, a sale discount as a rate or an amount) and a return plan: every
    unit of some lines, in chunks, the chunks of all lines shuffled together."""
    lines = [pricing.LineInput(i, f"S{i}", f"Barang {i}", qty, price, 1, "umum", unit_cost=0, line_id=i)
             for i, (price, qty) in enumerate(draw(lines_st), start=1)]
    bp, amount = draw(st.one_of(st.tuples(st.integers(0, 10_000), st.just(0)),
                                st.tuples(st.just(0), st.integers(0, 3_000_000))))
    priced, _ = pricing.price_cart(lines, PLAIN, discount_bp=bp, discount_amount=amount)
    chunks = []
    for n, p in enumerate(priced):
        left = p.line.qty if draw(st.booleans()) else draw(st.integers(0, p.line.qty))
        while left:
            take = draw(st.integers(1, left))
            chunks.append((n, take))
            left -= take
    return priced, draw(st.permutations(chunks))


def refunds(priced, plan) -> tuple[list[int], dict[int, int]]:
    """Each chunk's refund, as the return service computes it, and the units back per line."""
    back: dict[int, int] = {}
    out = []
    for n, qty in plan:
        line = priced[n]
        before = back.get(n, 0)
        out.append(share(line.amount, line.line.qty, before, qty))
        back[n] = before + qty
    return out, back


@settings(max_examples=300, deadline=None)
@given(sale_and_plan())
def test_refunds_add_up_to_what_was_paid_in_any_order_and_split(case):
    priced, plan = case
    paid, back = refunds(priced, plan)
    assert all(part >= 0 for part in paid)
    # what came back is worth the same however it came back: by line, by count alone
    assert sum(paid) == sum(share(priced[n].amount, priced[n].line.qty, 0, k) for n, k in back.items())
    for n, k in back.items():   # never more than paid for the line; all of it once all is back
        assert share(priced[n].amount, priced[n].line.qty, 0, k) <= priced[n].amount
        if k == priced[n].line.qty:
            assert sum(a for a, (m, _) in zip(paid, plan, strict=True) if m == n) == priced[n].amount
    assert sum(paid) <= sum(p.amount for p in priced)


@settings(max_examples=200, deadline=None)
@given(sale_and_plan(), st.randoms(use_true_random=False))
def test_a_plan_reordered_refunds_the_same_total(case, rnd):
    priced, plan = case
    shuffled = list(plan)
    rnd.shuffle(shuffled)
    assert sum(refunds(priced, plan)[0]) == sum(refunds(priced, shuffled)[0])


def _discounted_sale(db, shop) -> int:
    """Three soaps and three paracetamols less a manager's 7% on the sale, paid in cash."""
    with db.transaction() as s:
        for code, times in ((SOAP, 3), (MEDICINE, 3)):
            cart.add(s, shop["till"], lookup_barcode(s, code), times=times)
        adjust.sale_discount(s, manager(shop), adjust.Discount(bp=700), limit_bp=500, tax=TAX)
    with db.transaction() as s:
        shift_of_day(s, shop["till"], shop["cashier"], DAY)
        return checkout.checkout(
            s, till_id=shop["till"], cashier_id=shop["cashier"], idempotency_key=str(uuid.uuid4()),
            tenders=[checkout.Tender(PaymentMethod.CASH, notes_covering(s, shop["till"], TAX))],
            outlet_code="TST01", timezone="Asia/Makassar", tax=TAX,
            now=NOW).sale.id


@pytest.mark.parametrize("order", [[(0, 1), (1, 3), (0, 2)], [(1, 1), (0, 3), (1, 2)]])
def test_a_discounted_sale_returned_in_any_order_refunds_what_was_paid(db, shop, order):
    sale_id = _discounted_sale(db, shop)
    ids = line_ids(db, sale_id)
    for n, qty in order:
        give_back(db, manager(shop), sale_id, Wanted(ids[n], qty))
    with db.reading() as s:
        total = s.scalar(select(Sale.total).where(Sale.id == sale_id))
        back = s.scalars(select(SaleReturn.refund_total).where(SaleReturn.sale_id == sale_id)).all()
    assert total == 22_320          # (Rp9.000 + Rp15.000) less 7%: Rp1.680 off
    assert sum(back) == total
