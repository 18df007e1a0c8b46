"""The cashier's combined discount limit counts only what the cashier gave alone: a discount a
manager approved (or gave) is the price the cashier's own limit counts from, so a small
discount after it asks no one; a cashier's own discount replacing an approved one counts again.
A member put on after the cashier's discounts is checked against the limit at the member's
prices (an amount given off the list price is more of a member's lower price)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from pos.approvals.models import Override
from pos.approvals.service import NeedsApproval
from pos.prices import setting
from pos.sales import adjust, cart, cart_members, pricing
from pos.sales.adjust import Discount
from pos.sales.models import Cart
from tests.approvals.conftest import shop  # noqa: F401  (fixture)
from tests.factories import make_product
from tests.members.accounts.conftest import make_member
from tests.sales.test_adjust import LIMIT, approved, cashier, hit, manager

PLAIN = pricing.TaxSettings(pkp=False)


@pytest.fixture
def cheap(db, shop):  # noqa: F811
    """Two lines far above cost: A (Rp10.000 x 2) and B (Rp10.000 x 2), cost Rp1.000."""
    with db.transaction() as s:
        ids = [make_product(s, price=10_000, cost=1_000).id for _ in range(2)]
    with db.transaction() as s:
        return [cart.add(s, shop["till"], hit(i), times=2, cashier_id=shop["cashier"]) for i in ids]


def total(db, shop):  # noqa: F811
    with db.reading() as s:
        return cart.view(s, shop["till"], PLAIN).totals.total


def asked_kinds(db):
    with db.reading() as s:
        return list(s.scalars(select(Override.kind).order_by(Override.id)))


@pytest.mark.parametrize("who", ["approved", "manager"])
def test_after_a_managers_sale_discount_a_small_line_discount_asks_no_one(db, shop, cheap, who):  # noqa: F811
    giver = approved(shop, "langganan") if who == "approved" else manager(shop, "langganan")
    with db.transaction() as s:
        adjust.sale_discount(s, giver, Discount(bp=1_000), limit_bp=LIMIT)
    with db.transaction() as s:   # 2% of line A: the cashier's own, within 5%
        adjust.line_discount(s, cashier(shop, reason="penyok"), cheap[0], Discount(bp=200), limit_bp=LIMIT)
    assert asked_kinds(db) == ["sale_discount"]
    assert total(db, shop) == 35_640      # (19.600 + 20.000) less 10%


def test_after_a_managers_line_discount_a_small_sale_discount_asks_no_one(db, shop, cheap):  # noqa: F811
    with db.transaction() as s:
        adjust.line_discount(s, approved(shop), cheap[0], Discount(bp=2_000), limit_bp=LIMIT)
    with db.transaction() as s:   # 3% of the sale: the cashier's own, within 5%
        adjust.sale_discount(s, cashier(shop, reason="langganan"), Discount(bp=300), limit_bp=LIMIT)
    assert asked_kinds(db) == ["line_discount"]
    assert total(db, shop) == 34_920      # (16.000 + 20.000) less 3%


def test_the_cashiers_own_discounts_still_count_together_beside_an_approved_one(db, shop, cheap):  # noqa: F811
    with db.transaction() as s:
        adjust.sale_discount(s, approved(shop, "langganan"), Discount(bp=1_000), limit_bp=LIMIT)
    with db.transaction() as s:
        adjust.line_discount(s, cashier(shop, reason="penyok"), cheap[0], Discount(bp=500), limit_bp=LIMIT)
    with db.transaction() as s:
        adjust.line_discount(s, cashier(shop, reason="penyok"), cheap[1], Discount(bp=500), limit_bp=LIMIT)
    with db.transaction() as s:   # the sale discount replaced by the cashier's own: 5% + 5% + 5%
        with pytest.raises(NeedsApproval, match="bersama diskon baris"):
            adjust.sale_discount(s, cashier(shop, reason="langganan"), Discount(bp=500), limit_bp=LIMIT)


def test_an_approved_line_discount_replaced_by_the_cashiers_own_counts_again(db, shop, cheap):  # noqa: F811
    with db.transaction() as s:
        adjust.line_discount(s, approved(shop), cheap[0], Discount(bp=2_000), limit_bp=LIMIT)
    with db.transaction() as s:   # line A now the cashier's own 5%
        adjust.line_discount(s, cashier(shop, reason="penyok"), cheap[0], Discount(bp=500), limit_bp=LIMIT)
    with db.transaction() as s, pytest.raises(NeedsApproval, match="bersama diskon baris"):
        adjust.sale_discount(s, cashier(shop, reason="langganan"), Discount(bp=500), limit_bp=LIMIT)


def test_an_approved_sale_discount_replaced_by_the_cashiers_own_counts_again(db, shop, cheap):  # noqa: F811
    with db.transaction() as s:
        adjust.sale_discount(s, approved(shop, "langganan"), Discount(bp=1_000), limit_bp=LIMIT)
    with db.transaction() as s:
        adjust.sale_discount(s, cashier(shop, reason="langganan"), Discount(bp=500), limit_bp=LIMIT)
    with db.transaction() as s, pytest.raises(NeedsApproval, match="bersama diskon transaksi"):
        adjust.line_discount(s, cashier(shop, reason="penyok"), cheap[0], Discount(bp=500), limit_bp=LIMIT)


def member_priced(db, shop, line_ids, price):  # noqa: F811
    """The products of ``line_ids`` sell to members at ``price``; a member to put on."""
    from pos.sales.models import CartLine
    with db.transaction() as s:
        for line_id in line_ids:
            setting.set_member_price(s, s.get(CartLine, line_id).product_id, price, shop["manager"])
        return make_member(s, number="TST-790")


def test_a_member_after_the_cashiers_amount_discount_is_checked_at_the_members_prices(db, shop, cheap):  # noqa: F811
    """Rp2.000 off the sale is 5% of Rp40.000 at list price, alone; at the member's Rp8.000 a
    unit the sale is Rp32.000, and Rp2.000 off it is 6,25%: refused, nothing changes."""
    member = member_priced(db, shop, cheap, 8_000)
    with db.transaction() as s:
        adjust.sale_discount(s, cashier(shop, reason="langganan"), Discount(amount=2_000), limit_bp=LIMIT)
    with db.transaction() as s, pytest.raises(cart.CartError, match=r"^Anggota tidak dipasang: diskon "):
        cart_members.offer_member(s, shop["till"], member, limit_bp=LIMIT)
    with db.reading() as s:
        assert cart.cart_of(s, shop["till"])[1] is None
        assert s.scalar(select(Cart.discount_amount).where(Cart.till_id == shop["till"])) == 2_000
    with db.transaction() as s:   # a rate scales with the member's prices: the member goes on
        adjust.sale_discount(s, cashier(shop, reason="langganan"), Discount(bp=500), limit_bp=LIMIT)
        assert cart_members.offer_member(s, shop["till"], member, limit_bp=LIMIT) is None
    assert total(db, shop) == 30_400


def test_a_member_after_a_line_amount_within_the_limit_goes_on(db, shop, cheap):  # noqa: F811
    """Rp500 off line A (Rp20.000, 2,5%) stays within 5% of the member's Rp16.000; an approved
    amount is the manager's, not the cashier's, whatever the member's price."""
    member = member_priced(db, shop, cheap, 8_000)
    with db.transaction() as s:
        adjust.line_discount(s, cashier(shop, reason="penyok"), cheap[0], Discount(amount=500),
                             limit_bp=LIMIT)
        adjust.sale_discount(s, approved(shop, "langganan"), Discount(amount=2_000), limit_bp=LIMIT)
    with db.transaction() as s:
        assert cart_members.offer_member(s, shop["till"], member, limit_bp=LIMIT) is None


def test_a_member_named_as_the_buyer_is_checked_at_the_outlets_own_limit(db, shop, cheap):  # noqa: F811
    """The buyer dialog (Alt+B) puts a member on the sale as F7 does, checked at the outlet's
    POS_CASHIER_MAX_DISCOUNT_BP: at 10% the Rp2.000 off (6,25% of the member's Rp32.000) goes
    on with the member; at the default 5% the same member is refused, nothing changed."""
    from datetime import date

    from pos.sales import buyers

    member_priced(db, shop, cheap, 8_000)
    with db.transaction() as s:
        adjust.sale_discount(s, cashier(shop, reason="langganan"), Discount(amount=2_000), limit_bp=1_000)
    with db.transaction() as s, pytest.raises(cart.CartError, match=r"^Anggota tidak dipasang: diskon "):
        buyers.set_buyer(s, shop["till"], "TST-790", day=date(2026, 12, 6), cashier_id=shop["cashier"])
    with db.transaction() as s:
        buyers.set_buyer(s, shop["till"], "TST-790", day=date(2026, 12, 6), cashier_id=shop["cashier"],
                         limit_bp=1_000)
    with db.reading() as s:
        assert cart.cart_of(s, shop["till"])[1] is not None
    assert total(db, shop) == 30_000
