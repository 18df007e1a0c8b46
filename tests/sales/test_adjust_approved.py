"""A line a manager let below cost (a price, a line discount) is not cut lower without them.

A walk-through: Beras Sania at Rp75.000, a manager approved Rp60.000 (below cost); the
cashier's 5% sale discount then sold it at Rp57.000 without asking (``below_cost_ok`` had
lifted the line's floor), as a 3% after an approved 10,5% line discount did.  Here: two units
at Rp10.000, cost Rp8.000 a unit (Rp16.000 for the line)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from pos.approvals.models import Override
from pos.approvals.service import NeedsApproval
from pos.sales import adjust, cart, pricing
from pos.sales.adjust import AdjustError, Discount
from pos.sales.models import Cart
from tests.approvals.conftest import shop  # noqa: F401  (fixture)
from tests.factories import login, make_product, sealed
from tests.sales.test_adjust import LIMIT, approved, cashier, hit, line, manager  # noqa: F401
from tests.sales.test_adjust_views import HX, MANAGER

PLAIN = pricing.TaxSettings(pkp=False)


def sold(db, shop):  # noqa: F811
    """What each line sells at now, and the cart's sale discount."""
    with db.reading() as s:
        view = cart.view(s, shop["till"], PLAIN)
        bp, amount = s.execute(select(Cart.discount_bp, Cart.discount_amount)
                               .where(Cart.till_id == shop["till"])).one()
    return [p.amount for p in view.priced], (bp, amount)


def logged(db):
    with db.reading() as s:
        return s.execute(select(Override.kind, Override.description, Override.before, Override.after)
                         .order_by(Override.id)).all()


@pytest.fixture
def below(db, shop, line):  # noqa: F811
    """A manager approved Rp7.000 a unit (below the Rp8.000 cost): the line is Rp14.000."""
    with db.transaction() as s:
        adjust.override_price(s, approved(shop), line, 7_000)
    assert sold(db, shop) == ([14_000], (0, 0))
    return line


def test_a_cashiers_sale_discount_on_an_approved_price_asks_the_manager(db, shop, below):  # noqa: F811
    with db.transaction() as s, pytest.raises(NeedsApproval, match="di bawah harga pokok") as asked:
        adjust.sale_discount(s, cashier(shop, reason="langganan"), Discount(bp=500), limit_bp=LIMIT)
    assert (asked.value.kind, asked.value.before, asked.value.after) == \
        ("sale_discount", "Rp14.000", "Rp13.300")
    assert sold(db, shop) == ([14_000], (0, 0))
    with db.transaction() as s, pytest.raises(NeedsApproval):      # an amount alike
        adjust.sale_discount(s, cashier(shop, reason="langganan"), Discount(amount=100), limit_bp=LIMIT)
    with db.transaction() as s:
        adjust.sale_discount(s, approved(shop, "langganan"), Discount(bp=500), limit_bp=LIMIT)
    assert sold(db, shop) == ([13_300], (500, 0))
    assert [kind for kind, *_ in logged(db)] == ["price_override", "sale_discount"]


def test_a_cashiers_sale_discount_after_an_approved_line_discount_asks(db, shop, line):  # noqa: F811
    with db.transaction() as s:     # 25% off: Rp15.000, below the Rp16.000 cost, approved
        adjust.line_discount(s, approved(shop), line, Discount(bp=2500), limit_bp=LIMIT)
    assert sold(db, shop) == ([15_000], (0, 0))
    with db.transaction() as s, pytest.raises(NeedsApproval, match="di bawah harga pokok") as asked:
        adjust.sale_discount(s, cashier(shop, reason="langganan"), Discount(bp=300), limit_bp=LIMIT)
    assert (asked.value.before, asked.value.after) == ("Rp15.000", "Rp14.550")
    assert sold(db, shop) == ([15_000], (0, 0))


def test_a_sale_discount_the_other_lines_could_carry_still_asks(db, shop, below):  # noqa: F811
    """Spread in proportion, a share would still come off the approved line."""
    with db.transaction() as s:
        other = make_product(s, price=50_000, cost=10_000).id
        cart.add(s, shop["till"], hit(other, price=50_000), cashier_id=shop["cashier"])
    with db.transaction() as s, pytest.raises(NeedsApproval, match="di bawah harga pokok"):
        adjust.sale_discount(s, cashier(shop, reason="langganan"), Discount(bp=500), limit_bp=LIMIT)
    assert sold(db, shop) == ([14_000, 50_000], (0, 0))


def test_a_price_approved_above_cost_takes_a_cashiers_discount_down_to_cost(db, shop, line):  # noqa: F811
    with db.transaction() as s:     # Rp17.000 less 5%: Rp16.150, the cost is Rp16.000
        adjust.override_price(s, approved(shop), line, 8_500)
        adjust.sale_discount(s, cashier(shop, reason="langganan"), Discount(bp=500), limit_bp=LIMIT)
    assert sold(db, shop) == ([16_150], (500, 0))


def test_a_cashiers_line_discount_on_an_approved_price_asks(db, shop, below):  # noqa: F811
    with db.transaction() as s, pytest.raises(NeedsApproval, match="di bawah harga pokok"):
        adjust.line_discount(s, cashier(shop), below, Discount(bp=100), limit_bp=LIMIT)
    assert sold(db, shop) == ([14_000], (0, 0))


def test_a_price_approved_under_a_sale_discount_shows_what_the_line_sells_at(db, shop, line):  # noqa: F811
    """The cashier's 5% first (Rp19.000, above cost), then a manager's Rp7.000: the line sells
    at Rp13.300, and the dialog says so before the manager approves."""
    with db.transaction() as s:
        adjust.sale_discount(s, cashier(shop, reason="langganan"), Discount(bp=500), limit_bp=LIMIT)
    assert sold(db, shop) == ([19_000], (500, 0))
    with db.transaction() as s, pytest.raises(NeedsApproval) as asked:
        adjust.override_price(s, cashier(shop), line, 7_000)
    assert asked.value.what.endswith("(di bawah harga pokok; diskon nota 5% ikut: baris Rp13.300)")
    with db.transaction() as s:
        adjust.override_price(s, approved(shop), line, 7_000)
    assert sold(db, shop) == ([13_300], (500, 0))
    assert logged(db)[-1].description.endswith("diskon nota 5% ikut: baris Rp13.300)")
    with db.transaction() as s, pytest.raises(NeedsApproval) as asked:   # a line discount alike
        adjust.line_discount(s, cashier(shop), line, Discount(bp=1000), limit_bp=LIMIT)
    assert asked.value.what.endswith("(di bawah harga pokok; diskon nota 5% ikut: baris Rp11.970)")


def test_a_managers_own_sale_discount_needs_no_dialog_only_the_tick(db, shop, below):  # noqa: F811
    with db.transaction() as s, pytest.raises(AdjustError, match="di bawah harga pokok"):
        adjust.sale_discount(s, manager(shop), Discount(bp=500), limit_bp=LIMIT)
    with db.transaction() as s:
        adjust.sale_discount(s, manager(shop), Discount(bp=500), limit_bp=LIMIT, below_cost=True)
    assert sold(db, shop) == ([13_300], (500, 0))
    assert logged(db)[-1][2:] == ("Rp14.000", "Rp13.300")


def test_at_the_till_the_cashiers_sale_discount_opens_the_managers_dialog(client, db, shop, below):  # noqa: F811
    login(client, shop["cashier"], shop["till"])
    answer = client.post("/kasir/ubah/diskon", headers=HX, data={"discount": "5%", "reason": "langganan"})
    assert answer.headers.get("HX-Retarget") == "#approval-dialog"
    page = answer.get_data(as_text=True)
    assert "di bawah harga pokok" in page and "Rp14.000" in page and "Rp13.300" in page
    assert sold(db, shop) == ([14_000], (0, 0))
    answer = client.post("/kasir/ubah/diskon", headers=HX, data=sealed(
        client, "/kasir/ubah/diskon", {"discount": "5%", "reason": "langganan", **MANAGER}))
    assert answer.status_code == 200 and sold(db, shop) == ([13_300], (500, 0))


def test_a_member_is_not_put_on_a_cart_whose_discount_a_manager_let_below_cost(db, shop, line):  # noqa: F811
    """The approval was for the prices without a member: a member's lower price under an
    approved 25% would have sold the line lower than the manager saw, asking no one."""
    from pos.sales import cart_members
    from tests.members.accounts.conftest import make_member

    with db.transaction() as s:
        adjust.line_discount(s, approved(shop), line, Discount(bp=2_500), limit_bp=LIMIT)
        member = make_member(s, number="TST-777")
    assert sold(db, shop) == ([15_000], (0, 0))
    with db.transaction() as s, pytest.raises(cart.CartError, match=r"^Anggota tidak dipasang: diskon "
                                              r".* disetujui manajer di bawah harga pokok"):
        cart_members.offer_member(s, shop["till"], member)
    with db.reading() as s:
        assert cart.cart_of(s, shop["till"])[1] is None
    with db.transaction() as s:   # the discount taken off: the member goes on
        adjust.line_discount(s, cashier(shop, reason="batal"), line, Discount(), limit_bp=LIMIT)
        assert cart_members.offer_member(s, shop["till"], member) is None
        assert cart.cart_of(s, shop["till"])[1] == member.id


def test_a_member_is_not_put_on_a_cart_under_a_sale_discount_approved_below_cost(db, shop, line):  # noqa: F811
    from pos.sales import cart_members
    from tests.members.accounts.conftest import make_member

    with db.transaction() as s:
        adjust.sale_discount(s, approved(shop, "langganan"), Discount(bp=2_500), limit_bp=LIMIT)
        member = make_member(s, number="TST-778")
    with db.transaction() as s, pytest.raises(cart.CartError, match="Anggota tidak dipasang"):
        cart_members.offer_member(s, shop["till"], member)
