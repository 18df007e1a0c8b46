"""Manual discounts and price overrides at the till: each role's rights, cost and HET."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from pos.approvals.models import Override
from pos.approvals.service import Actor, Approval, NeedsApproval
from pos.auth.models import Role
from pos.auth.service import RIGHTS
from pos.errors import NotFound
from pos.inventory.catalog.lookup import ScanHit
from pos.inventory.catalog.models import TaxClass
from pos.sales import adjust, cart, dropped, pricing, voids
from pos.sales.adjust import AdjustError, Discount, parse_discount
from pos.sales.models import Cart, CartLine
from tests.approvals.conftest import shop  # noqa: F401  (fixture)
from tests.factories import make_product

LIMIT = 500  # 5%, the default CASHIER_MAX_DISCOUNT_BP


@pytest.mark.parametrize("text, expected", [
    ("5000", Discount(amount=5000)), ("5.000", Discount(amount=5000)),
    ("Rp5.000", Discount(amount=5000)), ("10%", Discount(bp=1000)), ("12,5%", Discount(bp=1250)),
    ("0,25%", Discount(bp=25)), ("100%", Discount(bp=10_000)), ("", Discount()), ("0", Discount()),
])
def test_a_discount_is_an_amount_or_a_percent(text, expected):
    assert parse_discount(text) == expected


@pytest.mark.parametrize("text", ["101%", "-5", "abc", "5,5", "10%%", "1e3", "５０００", "1,234%"])
def test_nonsense_discounts_are_refused(text):
    with pytest.raises(AdjustError):
        parse_discount(text)


def test_a_discount_amount_too_big_says_the_most_it_may_be():
    with pytest.raises(AdjustError) as refused:
        parse_discount("99999999999")
    assert refused.value.message == "Diskon terlalu besar (maksimal Rp1.000.000.000)."
    with pytest.raises(AdjustError, match="maksimal Rp5.000.000"):
        parse_discount("5.000.001", maximum=5_000_000)


def hit(product_id: int, price: int = 10_000) -> ScanHit:
    return ScanHit(product_id=product_id, qty=1, name="x", price=price, active=True)


@pytest.fixture
def line(db, shop):  # noqa: F811
    """Two units of the product (price 10.000, cost 8.000, HET 12.000) in kasir1's cart."""
    with db.transaction() as s:
        line_id = cart.add(s, shop["till"], hit(shop["product"]), times=2, cashier_id=shop["cashier"])
    return line_id


def cashier(shop, reason="rusak", approval=None):  # noqa: F811
    return Actor(shop["cashier"], shop["till"], RIGHTS[Role.CASHIER], reason=reason, approval=approval)


def manager(shop, reason="promo"):  # noqa: F811
    return Actor(shop["manager"], shop["till"], RIGHTS[Role.MANAGER], reason=reason)


def approved(shop, reason="disetujui"):  # noqa: F811
    return cashier(shop, approval=Approval(shop["manager"], reason))


def state(db, line_id):
    with db.reading() as s:
        row = s.get(CartLine, line_id)
        logged = s.execute(select(Override.kind, Override.asked_by, Override.approved_by,
                                  Override.before, Override.after)).all()
        return (row.discount_bp, row.discount_amount, row.price_override, row.below_cost_ok,
                row.adjust_reason), logged


def test_a_cashier_gives_up_to_the_limit_alone(db, shop, line):  # noqa: F811
    with db.transaction() as s:  # 5% of Rp20.000 = Rp1.000
        adjust.line_discount(s, cashier(shop), line, Discount(amount=1000), limit_bp=LIMIT)
    assert state(db, line) == ((0, 1000, None, False, "rusak"), [])


def test_beyond_the_limit_a_cashier_needs_a_manager_and_nothing_changes(db, shop, line):  # noqa: F811
    with db.transaction() as s, pytest.raises(NeedsApproval) as needed:
        adjust.line_discount(s, cashier(shop), line, Discount(bp=1000), limit_bp=LIMIT)
    assert (needed.value.before, needed.value.after) == ("Rp20.000", "Rp18.000")
    assert "Diskon 10%" in needed.value.what
    assert state(db, line) == ((0, 0, None, False, None), [])
    with db.transaction() as s:
        adjust.line_discount(s, approved(shop), line, Discount(bp=1000), limit_bp=LIMIT)
    assert state(db, line) == ((1000, 0, None, False, "rusak"), [
        ("line_discount", shop["cashier"], shop["manager"], "Rp20.000", "Rp18.000")])


def test_below_cost_needs_a_manager_even_within_the_cashiers_limit(db, shop, line):  # noqa: F811
    with db.transaction() as s:  # cost 8.000 a unit: anything past Rp4.000 off two units
        adjust.line_discount(s, manager(shop), line, Discount(bp=1000), limit_bp=LIMIT)
    with db.transaction() as s, pytest.raises(NeedsApproval, match="di bawah harga pokok"):
        adjust.line_discount(s, cashier(shop), line, Discount(bp=2500), limit_bp=10_000)


def test_a_manager_gives_more_but_never_below_cost_without_saying_so(db, shop, line):  # noqa: F811
    with db.transaction() as s:
        adjust.line_discount(s, manager(shop), line, Discount(bp=2000), limit_bp=LIMIT)
    assert state(db, line)[0] == (2000, 0, None, False, "promo")
    with db.transaction() as s, pytest.raises(AdjustError, match="di bawah harga pokok"):
        adjust.line_discount(s, manager(shop), line, Discount(bp=3000), limit_bp=LIMIT)
    assert state(db, line)[0][0] == 2000
    with db.transaction() as s:
        adjust.line_discount(s, manager(shop), line, Discount(bp=10_000), limit_bp=LIMIT,
                             below_cost=True)
    values, logged = state(db, line)
    assert values == (10_000, 0, None, True, "promo")
    assert [(k, a, b) for k, a, b, *_ in logged] == [("line_discount", shop["manager"], shop["manager"])] * 2


def test_a_cashier_who_ticks_below_cost_is_still_asked(db, shop, line):  # noqa: F811
    with db.transaction() as s, pytest.raises(NeedsApproval):
        adjust.line_discount(s, cashier(shop), line, Discount(amount=5000), limit_bp=10_000,
                             below_cost=True)
    with db.transaction() as s:
        adjust.line_discount(s, approved(shop), line, Discount(amount=5000), limit_bp=LIMIT)
    assert state(db, line)[0] == (0, 5000, None, True, "rusak")


def test_absurd_discounts_and_missing_reasons_change_nothing(db, shop, line):  # noqa: F811
    with db.transaction() as s, pytest.raises(AdjustError, match="melebihi"):
        adjust.line_discount(s, manager(shop), line, Discount(amount=20_001), limit_bp=LIMIT)
    with db.transaction() as s, pytest.raises(AdjustError, match="alasan"):
        adjust.line_discount(s, cashier(shop, reason=""), line, Discount(amount=100), limit_bp=LIMIT)
    assert state(db, line) == ((0, 0, None, False, None), [])


def test_removing_a_discount_needs_nobody(db, shop, line):  # noqa: F811
    with db.transaction() as s:
        adjust.line_discount(s, manager(shop), line, Discount(bp=10_000), limit_bp=LIMIT,
                             below_cost=True)
        adjust.line_discount(s, cashier(shop, reason=""), line, Discount(), limit_bp=LIMIT)
    assert state(db, line)[0] == (0, 0, None, False, None)


def test_another_tills_line_is_not_found(db, shop, line):  # noqa: F811
    other = Actor(shop["cashier"], shop["other_till"], RIGHTS[Role.CASHIER], reason="x")
    with db.transaction() as s, pytest.raises(NotFound):
        adjust.line_discount(s, other, line, Discount(amount=100), limit_bp=LIMIT)
    with db.transaction() as s, pytest.raises(NotFound):
        adjust.override_price(s, other, line, 9000)


def test_a_price_override_always_needs_a_manager_and_is_logged(db, shop, line):  # noqa: F811
    with db.transaction() as s, pytest.raises(NeedsApproval) as needed:
        adjust.override_price(s, cashier(shop, reason="harga lama"), line, 9500)
    assert (needed.value.kind, needed.value.before, needed.value.after) == \
        ("price_override", "Rp10.000", "Rp9.500")
    assert state(db, line) == ((0, 0, None, False, None), [])
    with db.transaction() as s:
        adjust.override_price(s, approved(shop), line, 9500)
    assert state(db, line) == ((0, 0, 9500, False, "rusak"), [
        ("price_override", shop["cashier"], shop["manager"], "Rp10.000", "Rp9.500")])
    with db.transaction() as s:
        adjust.override_price(s, cashier(shop), line, None)   # back to the list price
    assert state(db, line)[0][2] is None


def test_a_new_price_equal_to_the_one_shown_asks_no_manager_and_logs_nothing(db, shop, line):  # noqa: F811
    """Rp11.000 typed over an approved Rp11.000: the manager approved a change of nothing, logged."""
    with db.transaction() as s:
        adjust.override_price(s, approved(shop), line, 9500)
    for price in (9500, 9500):   # the approved price again; and again (a double Enter)
        with db.transaction() as s, pytest.raises(AdjustError, match=r"^Harga baru sama dengan harga "
                                                  r"sekarang \(Rp9\.500\); tidak ada yang diubah\."):
            adjust.override_price(s, cashier(shop, reason="lagi"), line, price)
    assert len(state(db, line)[1]) == 1
    with db.transaction() as s:   # the list price back, then the list price typed: nothing to do
        adjust.override_price(s, cashier(shop), line, None)
    with db.transaction() as s, pytest.raises(AdjustError, match="sama dengan harga sekarang"):
        adjust.override_price(s, approved(shop), line, 10_000)
    assert state(db, line)[0][2] is None and len(state(db, line)[1]) == 1


def test_a_new_price_is_what_the_line_sells_at_its_discount_goes(db, shop, line):  # noqa: F811
    """A cashier's 5% stayed under a manager's new price: Rp9.500 approved sold at Rp9.025."""
    with db.transaction() as s:
        adjust.line_discount(s, cashier(shop, reason="langganan"), line, Discount(bp=500), limit_bp=LIMIT)
    with db.transaction() as s, pytest.raises(NeedsApproval) as asked:   # the manager is told it goes
        adjust.override_price(s, cashier(shop, reason="promo"), line, 9500)
    assert asked.value.what.startswith("Ubah harga ") and asked.value.what.endswith(
        " (diskon baris 5% dihapus)")
    with db.transaction() as s:
        adjust.override_price(s, approved(shop), line, 9500)
    assert state(db, line)[0][:3] == (0, 0, 9500)
    with db.reading() as s:
        view = cart.view(s, shop["till"], pricing.TaxSettings(pkp=False))
    assert [x.amount for x in view.priced] == [19_000] and view.totals.total == 19_000


def test_a_price_above_the_het_is_refused_even_for_a_manager(db, shop, line):  # noqa: F811
    with db.transaction() as s, pytest.raises(AdjustError, match="HET"):
        adjust.override_price(s, manager(shop), line, 12_001)
    with db.transaction() as s, pytest.raises(AdjustError, match="HET"):
        adjust.override_price(s, approved(shop), line, 50_000)
    with db.transaction() as s:
        adjust.override_price(s, manager(shop), line, 12_000)    # the ceiling itself is allowed
    assert state(db, line)[0][2] == 12_000


def test_a_price_below_cost_needs_the_tick_and_zero_is_no_price(db, shop, line):  # noqa: F811
    with db.transaction() as s, pytest.raises(AdjustError, match="harga pokok"):
        adjust.override_price(s, manager(shop), line, 7000)
    with db.transaction() as s, pytest.raises(AdjustError, match="lebih dari nol"):
        adjust.override_price(s, manager(shop), line, 0)
    with db.transaction() as s:
        adjust.override_price(s, manager(shop), line, 7000, below_cost=True)
    assert state(db, line)[0][2:4] == (7000, True)


def sale_state(db, shop):  # noqa: F811
    with db.reading() as s:
        row = s.execute(select(Cart.discount_bp, Cart.discount_amount, Cart.discount_reason)
                        .where(Cart.till_id == shop["till"])).one()
        below = s.scalars(select(CartLine.below_cost_ok)).all()
        return tuple(row), below


def test_sale_discount_rights(db, shop, line):  # noqa: F811
    with db.transaction() as s:
        adjust.sale_discount(s, cashier(shop, reason="langganan"), Discount(bp=500), limit_bp=LIMIT)
    assert sale_state(db, shop) == ((500, 0, "langganan"), [False])
    with db.transaction() as s, pytest.raises(NeedsApproval, match="Diskon transaksi 10%"):
        adjust.sale_discount(s, cashier(shop), Discount(bp=1000), limit_bp=LIMIT)
    with db.transaction() as s, pytest.raises(AdjustError, match="harga pokok"):
        adjust.sale_discount(s, manager(shop), Discount(bp=5000), limit_bp=LIMIT)
    assert sale_state(db, shop) == ((500, 0, "langganan"), [False])
    with db.transaction() as s:
        adjust.sale_discount(s, manager(shop), Discount(bp=5000), limit_bp=LIMIT, below_cost=True)
    assert sale_state(db, shop) == ((5000, 0, "promo"), [True])
    with db.transaction() as s, pytest.raises(AdjustError, match="melebihi"):
        adjust.sale_discount(s, manager(shop), Discount(amount=20_001), limit_bp=LIMIT)
    with db.transaction() as s:
        adjust.sale_discount(s, cashier(shop, reason=""), Discount(), limit_bp=LIMIT)
    assert sale_state(db, shop)[0] == (0, 0, None)


def test_a_sale_discount_on_an_empty_cart_is_refused(db, shop):  # noqa: F811
    with db.transaction() as s, pytest.raises(AdjustError, match="kosong"):
        adjust.sale_discount(s, cashier(shop), Discount(amount=100), limit_bp=LIMIT)


def test_a_cashier_gives_the_limit_itself_when_it_rounds_up(db, shop):  # noqa: F811
    """5% of Rp22.990 is Rp1.149,5, given as Rp1.150 (halves up): it asked for a manager."""
    with db.transaction() as s:     # no HET: Rp22.990 is the price
        product = make_product(s, price=22_990, cost=8_000).id
        cart.add(s, shop["till"], hit(product, price=22_990), cashier_id=shop["cashier"])
    with db.transaction() as s:
        adjust.sale_discount(s, cashier(shop, reason="langganan"), Discount(bp=500), limit_bp=LIMIT)
    assert sale_state(db, shop)[0] == (500, 0, "langganan")
    with db.transaction() as s:
        adjust.sale_discount(s, cashier(shop, reason="langganan"), Discount(amount=1_150), limit_bp=LIMIT)
    with db.transaction() as s, pytest.raises(NeedsApproval):
        adjust.sale_discount(s, cashier(shop, reason="langganan"), Discount(amount=1_151), limit_bp=LIMIT)


def test_the_last_line_taken_off_takes_the_sale_discount_with_it(db, shop, line):  # noqa: F811
    """An approved 10% stayed on the emptied cart and came off the next customer's Rp528.000."""
    with db.transaction() as s:
        adjust.sale_discount(s, approved(shop, "barang penyok"), Discount(bp=1000), limit_bp=LIMIT)
        other = cart.add(s, shop["till"], hit(shop["product"], price=5_000), cashier_id=shop["cashier"])
    tax = pricing.TaxSettings()
    with db.transaction() as s:     # one line of two goes: a rate stays (it scales with the sale)
        assert voids.remove_line(s, shop["till"], shop["cashier"], other, "Salah pindai", tax) == []
    assert sale_state(db, shop)[0] == (1000, 0, "rusak")
    with db.transaction() as s:
        said = voids.remove_line(s, shop["till"], shop["cashier"], line, "Pembeli batal", tax)
    assert said == [dropped.SALE_GONE] and sale_state(db, shop)[0] == (0, 0, None)
    with db.transaction() as s:     # the next customer's goods: full price
        cart.add(s, shop["till"], hit(shop["product"]), cashier_id=shop["cashier"])
        assert cart.view(s, shop["till"], tax).totals.sale_discount == 0


PKP = pricing.TaxSettings(pkp=True)   # prices with PPN inside; the cost is kept without it


def test_on_a_pkp_outlet_below_cost_counts_the_ppn_inside_the_price(db, shop, line):  # noqa: F811
    """15% off Rp10.000 is Rp8.500 with PPN inside, Rp7.658 without: below the Rp8.000 cost, as
    the margin reports count it, and it went through without a manager."""
    with db.transaction() as s, pytest.raises(AdjustError, match="di bawah harga pokok"):
        adjust.line_discount(s, manager(shop), line, Discount(bp=1500), limit_bp=10_000, tax=PKP)
    with db.transaction() as s, pytest.raises(NeedsApproval, match="di bawah harga pokok"):
        adjust.line_discount(s, cashier(shop), line, Discount(bp=1500), limit_bp=10_000, tax=PKP)
    assert state(db, line) == ((0, 0, None, False, None), [])
    with db.transaction() as s:   # Rp9.000 covers Rp8.000 and its PPN (Rp8.880)
        adjust.line_discount(s, manager(shop), line, Discount(bp=1000), limit_bp=10_000, tax=PKP)
    with db.transaction() as s, pytest.raises(AdjustError, match="di bawah harga pokok"):
        adjust.override_price(s, manager(shop), line, 8_879, tax=PKP)
    with db.transaction() as s:
        adjust.override_price(s, manager(shop), line, 8_880, tax=PKP)
    assert state(db, line)[0][2:4] == (8_880, False)
    with db.transaction() as s:   # not PKP: the cost alone
        adjust.override_price(s, manager(shop), line, 8_000)
    assert state(db, line)[0][2:4] == (8_000, False)


def test_the_ppn_over_cost_is_the_rate_of_a_pkp_outlets_inclusive_ppn_goods_only():
    assert PKP.cost_tax_bp(TaxClass.PPN) == 1100
    assert PKP.cost_tax_bp(TaxClass.BEBAS) == 0                                    # exempt staples
    assert pricing.TaxSettings(pkp=False).cost_tax_bp(TaxClass.PPN) == 0
    assert pricing.TaxSettings(pkp=True, inclusive=False).cost_tax_bp(TaxClass.PPN) == 0   # net prices
    kapal_api = pricing.LineInput(1, "SBK-0131", "Kapal Api", 1, 14_000, 1, TaxClass.PPN, 12_740,
                                  member=True, member_bp=500)
    assert pricing.decide(kapal_api).amount == 13_300                     # not PKP: 5% for members
    taxed = kapal_api._replace(cost_tax_bp=1100)                          # 14.141 with PPN: above the price
    assert pricing.decide(taxed).amount == 14_000
    assert pricing.needs_approval(taxed._replace(member=False, discount_bp=100))
    assert not pricing.needs_approval(kapal_api._replace(member=False, discount_bp=500))


def sale_and_line(db, shop, line):  # noqa: F811
    """The sale discount and the line's manual discount now on the cart."""
    return sale_state(db, shop)[0][:2], state(db, line)[0][:2]


def test_a_line_discount_then_a_sale_discount_past_the_limit_together_asks(db, shop, line):  # noqa: F811
    """5% on the line and 5% on the sale, each within the limit, took 9,75% off without a
    manager (Rp20.000 sold at Rp18.050): together they are the cashier's manual discount."""
    with db.transaction() as s:
        adjust.line_discount(s, cashier(shop, reason="promo"), line, Discount(bp=500), limit_bp=LIMIT)
    with db.transaction() as s, pytest.raises(NeedsApproval) as asked:
        adjust.sale_discount(s, cashier(shop, reason="langganan"), Discount(bp=500), limit_bp=LIMIT)
    assert asked.value.what == ("Diskon transaksi 5% (bersama diskon baris: diskon manual "
                                "Rp1.950 dari Rp20.000)")
    assert (asked.value.before, asked.value.after) == ("Rp19.000", "Rp18.050")
    assert sale_and_line(db, shop, line) == ((0, 0), (500, 0))
    with db.transaction() as s:
        adjust.sale_discount(s, approved(shop, "langganan"), Discount(bp=500), limit_bp=LIMIT)
    assert sale_and_line(db, shop, line) == ((500, 0), (500, 0))
    assert state(db, line)[1] == [("sale_discount", shop["cashier"], shop["manager"], "Rp19.000",
                                   "Rp18.050")]


def test_a_sale_discount_then_a_line_discount_past_the_limit_together_asks(db, shop, line):  # noqa: F811
    with db.transaction() as s:
        adjust.sale_discount(s, cashier(shop, reason="langganan"), Discount(bp=500), limit_bp=LIMIT)
    with db.transaction() as s, pytest.raises(NeedsApproval) as asked:
        adjust.line_discount(s, cashier(shop, reason="promo"), line, Discount(amount=1000),
                             limit_bp=LIMIT)
    assert asked.value.what.startswith("Diskon Rp1.000 untuk ")
    assert asked.value.what.endswith(" (bersama diskon transaksi 5%: diskon manual Rp1.950 dari Rp20.000)")
    assert (asked.value.before, asked.value.after) == ("Rp20.000", "Rp19.000")
    assert sale_and_line(db, shop, line) == ((500, 0), (0, 0))
    with db.transaction() as s:
        adjust.line_discount(s, approved(shop), line, Discount(amount=1000), limit_bp=LIMIT)
    assert sale_and_line(db, shop, line) == ((500, 0), (0, 1000))
    assert [kind for kind, *_ in state(db, line)[1]] == ["line_discount"]


@pytest.mark.parametrize("line_first", [True, False], ids=["line-then-sale", "sale-then-line"])
def test_line_and_sale_discounts_within_the_limit_together_ask_nobody(db, shop, line, line_first):  # noqa: F811
    """2% on the line (Rp400) and 3% on the rest (Rp588): Rp988 of Rp20.000, within 5%."""
    def on_line(s):
        adjust.line_discount(s, cashier(shop, reason="promo"), line, Discount(bp=200), limit_bp=LIMIT)

    def on_sale(s):
        adjust.sale_discount(s, cashier(shop, reason="langganan"), Discount(bp=300), limit_bp=LIMIT)
    for give in (on_line, on_sale) if line_first else (on_sale, on_line):
        with db.transaction() as s:
            give(s)
    assert sale_and_line(db, shop, line) == ((300, 0), (200, 0))
    assert state(db, line)[1] == []
    with db.reading() as s:
        assert cart.view(s, shop["till"], pricing.TaxSettings()).totals.total == 19_012


def test_a_managers_own_combined_discount_is_logged_as_theirs(db, shop, line):  # noqa: F811
    with db.transaction() as s:
        adjust.line_discount(s, cashier(shop, reason="promo"), line, Discount(bp=500), limit_bp=LIMIT)
    with db.transaction() as s:
        adjust.sale_discount(s, manager(shop, reason="langganan"), Discount(bp=500), limit_bp=LIMIT)
    assert sale_and_line(db, shop, line) == ((500, 0), (500, 0))
    assert [(k, a, b) for k, a, b, *_ in state(db, line)[1]] == \
        [("sale_discount", shop["manager"], shop["manager"])]
