"""A manager's approval covers the discount they saw, in Rupiah: a percentage approved on a
Rp50.000 cart (Rp5.000 off) did not go on to take Rp205.000 off the Rp2.050.000 the cashier
scanned after it.  Once the cart has grown so that a discount passes what was approved and the
cashier's own limit, the sale is not paid (checkout refuses, whatever the screen sent) until a
manager approves it again; the till shows it as needing approval.  Lines removed, an amount
approved, or the cashier's own discount within their limit need nothing."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import update

from pos.approvals.service import NeedsApproval
from pos.sales import adjust, cart, cart_members, checkout, parking, pricing
from pos.sales.adjust import Discount
from pos.sales.models import CartLine, PaymentMethod
from tests.approvals.conftest import shop  # noqa: F401  (fixture)
from tests.factories import login, make_product, open_shift, sealed
from tests.sales.test_adjust import LIMIT, approved, cashier, hit, manager
from tests.sales.test_adjust_views import HX, MANAGER

PLAIN = pricing.TaxSettings(pkp=False)


@pytest.fixture
def goods(db, shop):  # noqa: F811
    """A Rp10.000 good and a Rp1.000.000 one (far above cost); five of the first in the cart."""
    with db.transaction() as s:
        small = make_product(s, price=10_000, cost=1_000, on_hand=500).id
        big = make_product(s, price=1_000_000, cost=100_000, on_hand=50).id
        line = cart.add(s, shop["till"], hit(small), times=5, cashier_id=shop["cashier"])
    return dict(small=small, big=big, line=line)


def add(db, shop, product, price, times=1):  # noqa: F811
    with db.transaction() as s:
        return cart.add(s, shop["till"], hit(product, price=price), times=times, cashier_id=shop["cashier"])


def pay(db, shop, **kw):  # noqa: F811
    with db.transaction() as s:
        open_shift(s, shop["till"], shop["cashier"])
        total = cart.view(s, shop["till"], PLAIN).totals.total
        return checkout.checkout(
            s, till_id=shop["till"], cashier_id=shop["cashier"], idempotency_key=str(uuid.uuid4()),
            tenders=[checkout.Tender(PaymentMethod.CASH, total)], outlet_code="TST01",
            timezone="Asia/Makassar", tax=PLAIN, discount_limit_bp=LIMIT, **kw).sale


def held(db, shop):  # noqa: F811
    with db.reading() as s:
        return cart.view(s, shop["till"], PLAIN).discount_held(LIMIT)


def test_an_approved_percent_does_not_grow_past_what_the_manager_saw(db, shop, goods):  # noqa: F811
    with db.transaction() as s:   # 10% of Rp50.000: Rp5.000, approved
        adjust.sale_discount(s, approved(shop, "langganan"), Discount(bp=1_000), limit_bp=LIMIT)
    assert held(db, shop) == ""
    add(db, shop, goods["big"], 1_000_000, times=2)      # Rp2.050.000: 10% is Rp205.000
    message = held(db, shop)
    assert message.startswith("Diskon transaksi 10% kini Rp205.000 (disetujui manajer Rp5.000)")
    assert "batas diskon kasir 5%" in message and "Shift+F5" in message
    with pytest.raises(checkout.CartChanged) as refused:
        pay(db, shop)
    assert refused.value.message == message
    with db.reading() as s:       # nothing paid: the cart is still there
        assert len(cart.view(s, shop["till"], PLAIN).rows) == 2
    with db.transaction() as s:   # the manager approves it again, for what it is now
        adjust.sale_discount(s, approved(shop, "langganan"), Discount(bp=1_000), limit_bp=LIMIT)
    assert held(db, shop) == ""
    sale = pay(db, shop)
    assert (sale.total, sale.discount) == (1_845_000, 205_000)


def test_a_quantity_raised_after_the_approval_is_held_too(db, shop, goods):  # noqa: F811
    with db.transaction() as s:
        adjust.sale_discount(s, approved(shop, "langganan"), Discount(bp=1_000), limit_bp=LIMIT)
        cart.set_qty(s, shop["till"], goods["line"], 6)        # Rp60.000: 10% is Rp6.000
    assert held(db, shop).startswith("Diskon transaksi 10% kini Rp6.000 (disetujui manajer Rp5.000)")
    with pytest.raises(checkout.CartChanged, match="disetujui manajer Rp5.000"):
        pay(db, shop)


def test_a_managers_own_percent_is_held_at_what_they_gave(db, shop, goods):  # noqa: F811
    with db.transaction() as s:
        adjust.sale_discount(s, manager(shop, "langganan"), Discount(bp=1_000), limit_bp=LIMIT)
    add(db, shop, goods["big"], 1_000_000)
    with pytest.raises(checkout.CartChanged, match="disetujui manajer Rp5.000"):
        pay(db, shop)


@pytest.mark.parametrize("change", ["remove", "amount", "own"])
def test_what_needs_no_new_approval_is_paid(db, shop, goods, change):  # noqa: F811
    """Lines removed (the discount shrinks), an approved amount (it does not grow), the
    cashier's own 5% on a grown cart (within their limit, as before)."""
    other = add(db, shop, goods["small"], 9_000)           # a line of its own: another price
    with db.transaction() as s:
        s.execute(update(CartLine).where(CartLine.id == other).values(qty=3))
        giver = cashier(shop, reason="langganan") if change == "own" else approved(shop, "langganan")
        discount = {"remove": Discount(bp=1_000), "amount": Discount(amount=8_000),
                    "own": Discount(bp=500)}[change]
        adjust.sale_discount(s, giver, discount, limit_bp=LIMIT)
    with db.transaction() as s:
        if change == "remove":
            cart.remove(s, shop["till"], other)
    if change != "remove":
        add(db, shop, goods["big"], 1_000_000)
    assert held(db, shop) == ""
    sale = pay(db, shop)
    expected = {"remove": 5_000, "amount": 8_000, "own": 53_850}[change]   # own: 5% of Rp1.077.000
    assert sale.discount == expected


def test_an_approved_line_percent_grows_when_the_member_goes_off(db, shop, goods):  # noqa: F811
    """Approved at the member's Rp8.000 a unit (10%: Rp4.000 of Rp40.000); the member taken off,
    the line is Rp50.000 and 10% is Rp5.000, more than approved: held until approved again."""
    from pos.prices import setting
    from tests.members.accounts.conftest import make_member
    with db.transaction() as s:
        setting.set_member_price(s, goods["small"], 8_000, shop["manager"])
        member = make_member(s, number="TST-791")
    with db.transaction() as s:
        assert cart_members.offer_member(s, shop["till"], member, limit_bp=LIMIT) is None
        adjust.line_discount(s, approved(shop, "penyok"), goods["line"], Discount(bp=1_000), limit_bp=LIMIT)
    assert held(db, shop) == ""
    with db.transaction() as s:
        cart.detach_member(s, shop["till"])
    assert held(db, shop).startswith("Diskon baris ")
    assert "10% kini Rp5.000 (disetujui manajer Rp4.000)" in held(db, shop)
    with pytest.raises(checkout.CartChanged, match="F5"):
        pay(db, shop)
    with db.transaction() as s:   # the member back on: Rp4.000 again, as approved
        assert cart_members.offer_member(s, shop["till"], member, limit_bp=LIMIT) is None
    assert pay(db, shop).total == 36_000


def test_a_stale_approval_counts_as_the_cashiers_own_for_the_next_discount(db, shop, goods):  # noqa: F811
    with db.transaction() as s:
        adjust.sale_discount(s, approved(shop, "langganan"), Discount(bp=1_000), limit_bp=LIMIT)
    add(db, shop, goods["big"], 1_000_000)
    with db.transaction() as s, pytest.raises(NeedsApproval, match="bersama diskon transaksi"):
        adjust.line_discount(s, cashier(shop, reason="penyok"), goods["line"], Discount(bp=100),
                             limit_bp=LIMIT)


def test_a_parked_sale_keeps_what_was_approved(db, shop, goods):  # noqa: F811
    with db.transaction() as s:
        adjust.sale_discount(s, approved(shop, "langganan"), Discount(bp=1_000), limit_bp=LIMIT)
        parked = parking.park(s, shop["till"], shop["cashier"])
        parking.resume(s, shop["till"], shop["cashier"], parked)
    assert held(db, shop) == ""
    assert pay(db, shop).discount == 5_000


def test_at_the_till_the_grown_discount_is_shown_and_the_payment_refused(client, db, shop, goods):  # noqa: F811
    login(client, shop["cashier"], shop["till"])
    answer = client.post("/kasir/ubah/diskon", headers=HX, data=sealed(
        client, "/kasir/ubah/diskon", {"discount": "10%", "reason": "langganan", **MANAGER}))
    assert answer.status_code == 200 and 'id="discount-held"' not in answer.get_data(as_text=True)
    add(db, shop, goods["big"], 1_000_000, times=2)
    page = client.get("/kasir").get_data(as_text=True)
    assert 'id="discount-held"' in page and "Rp205.000 (disetujui manajer Rp5.000)" in page
    checked = client.post("/kasir/bayar/periksa", headers=HX)
    assert checked.status_code == 422 and "disetujui manajer Rp5.000" in checked.get_data(as_text=True)
    paid = client.post("/kasir/bayar", headers=HX, data={
        "idempotency_key": str(uuid.uuid4()), "tendered": "1845000",
        "expected_total": "1845000"})
    assert paid.status_code == 422, paid.get_data(as_text=True)
    assert "disetujui manajer Rp5.000" in paid.get_data(as_text=True)
    with db.reading() as s:
        assert len(cart.view(s, shop["till"], PLAIN).rows) == 2
