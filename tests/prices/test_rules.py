"""Price rules in the database: the loader the cart calls on every scan, and the rules
services (validation, below-cost confirmation, the change log).  SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
from sqlalchemy import event, func, select

from pos.inventory.catalog.models import Category, Product, TaxClass
from pos.inventory.catalog.tax import TaxSettings
from pos.prices import rules, setting
from pos.prices.models import MemberDiscount, MemberPrice, PriceRuleChange, PriceTier
from tests.factories import make_product, make_user


@pytest.fixture
def goods(db):
    with db.transaction() as s:
        manager = make_user(s, "manajer1", "manager", "9999")
        oil = make_product(s, name="Minyak Goreng 2 L", price=38_000, cost=34_000, het=40_000,
                           category="Minyak")
        sugar = make_product(s, name="Gula Pasir 1 kg", price=18_500, cost=16_000)
        urea = make_product(s, name="Pupuk Urea", price=1_800, cost=1_500, het=1_800,
                            business_unit="pupuk", base_unit="gram", weighed=True, on_hand=0)
        minyak = s.scalar(select(Category.id).where(Category.name == "Minyak"))
    return dict(manager=manager.id, oil=oil.id, sugar=sugar.id, urea=urea.id, minyak=minyak)


def count_queries(db, work):
    seen = []

    def record(*args):
        seen.append(args[2])
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        with db.reading() as s:
            result = work(s)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return result, [q for q in seen if q.lstrip().upper().startswith("SELECT")]


def test_loader_resolves_category_over_unit_in_one_query(db, goods):
    with db.transaction() as s:
        setting.set_member_discounts(s, {"sembako": "2", "pupuk": "0"}, {goods["minyak"]: "5"},
                                     goods["manager"])
        setting.set_member_price(s, goods["sugar"], 17_500, goods["manager"])
        setting.add_tier(s, goods["sugar"], 20, 17_800, goods["manager"])
        setting.add_tier(s, goods["sugar"], 10, 18_000, goods["manager"])
    found, selects = count_queries(db, lambda s: rules.rules_for(
        s, [goods["oil"], goods["sugar"], goods["urea"]]))
    assert len(selects) == 1
    assert found[goods["oil"]] == rules.ProductRules(None, 500, ())         # the category's 5%
    assert found[goods["sugar"]] == rules.ProductRules(17_500, 200, ((10, 18_000), (20, 17_800)))
    assert found[goods["urea"]] is rules.NONE                                # pupuk 0%
    with db.reading() as s:
        assert rules.describe(rules.member_discounts(s)) == \
            "Diskon anggota: sembako 2%, pupuk 0%, kategori Minyak 5%"
        assert rules.rules_for(s, []) == {}


def test_discounts_all_or_nothing_and_logged(db, goods):
    with db.transaction() as s:
        assert setting.set_member_discounts(s, {"sembako": "2,5"}, {}, goods["manager"]) == 1
    with pytest.raises(setting.PriceRuleError, match="0 sampai 100"):
        with db.transaction() as s:
            setting.set_member_discounts(s, {"sembako": "3", "pupuk": "101"}, {}, goods["manager"])
    with db.reading() as s:
        assert s.scalar(select(MemberDiscount.rate_bp)) == 250
        change = s.scalars(select(PriceRuleChange)).one()
        assert (change.kind, change.business_unit, change.old, change.new, change.changed_by) == (
            "diskon_unit", "sembako", None, 250, goods["manager"])
    with db.transaction() as s:  # blank removes the rule; the log keeps the old value
        setting.set_member_discounts(s, {"sembako": ""}, {}, goods["manager"])
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(MemberDiscount)) == 0
        assert s.scalars(select(PriceRuleChange.new).order_by(PriceRuleChange.id)).all() == [250, None]


@pytest.mark.parametrize("text, bp", [("5", 500), ("2,5", 250), ("2.25%", 225), ("100", 10_000),
                                      ("0", 0), ("", None)])
def test_rates_are_typed_as_percent(text, bp):
    assert setting.parse_rate(text, "x") == bp


@pytest.mark.parametrize("text", ["-1", "100,01", "abc", "٣", "1e2", "5,555", "1" * 5000])
def test_bad_rates_are_refused(text):
    with pytest.raises(setting.PriceRuleError):
        setting.parse_rate(text, "x")


def test_member_price_rules(db, goods):
    with db.transaction() as s:
        for price, message in [(0, "lebih dari nol"), (38_000, "di bawah harga jual"),
                               (33_000, "di bawah harga pokok")]:
            with pytest.raises(setting.PriceRuleError, match=message):
                setting.set_member_price(s, goods["oil"], price, goods["manager"])
        assert setting.set_member_price(s, goods["oil"], 33_000, goods["manager"], below_cost_ok=True)
    with db.reading() as s:
        assert s.get(MemberPrice, goods["oil"]).price == 33_000
        assert s.scalars(select(PriceRuleChange.below_cost)).all() == [True]


def test_on_a_pkp_outlet_a_price_must_cover_the_cost_with_its_ppn(db, goods):
    """Kept net of PPN, Rp34.000 of cost needs Rp37.740 of an inclusive price: a member price
    or tier of Rp37.000 sold under cost with no confirmation asked."""
    pkp = TaxSettings(pkp=True, rate_bp=1100, inclusive=True)
    for work in (lambda s, **kw: setting.set_member_price(s, goods["oil"], 37_000, goods["manager"], **kw),
                 lambda s, **kw: setting.add_tier(s, goods["oil"], 10, 37_000, goods["manager"], **kw)):
        words = r"Rp37\.000 di bawah harga pokok Rp34\.000 \(dengan PPN Rp37\.740\)"
        with db.transaction() as s, pytest.raises(setting.BelowCost, match=words):
            work(s, tax=pkp)
    with db.transaction() as s:   # exclusive prices, a non-PKP outlet, PPN-free goods: the cost alone
        setting.add_tier(s, goods["oil"], 10, 37_000, goods["manager"],
                         tax=TaxSettings(pkp=True, inclusive=False))
        setting.set_member_price(s, goods["oil"], 37_000, goods["manager"], tax=TaxSettings(pkp=False))
        s.get(Product, goods["sugar"]).tax_class = TaxClass.BEBAS
        setting.set_member_price(s, goods["sugar"], 16_000, goods["manager"], tax=pkp)
    with db.transaction() as s:   # confirmed, it is kept and logged as under cost
        setting.add_tier(s, goods["oil"], 20, 36_900, goods["manager"], below_cost_ok=True, tax=pkp)
    with db.reading() as s:
        assert s.scalars(select(PriceRuleChange.below_cost).order_by(PriceRuleChange.id)).all() == [
            False, False, False, True]


def test_tiers_must_get_cheaper_as_quantity_grows(db, goods):
    with db.transaction() as s:
        setting.add_tier(s, goods["sugar"], 10, 18_000, goods["manager"])
        setting.add_tier(s, goods["sugar"], 40, 17_500, goods["manager"])
    for qty, price, message in [(20, 18_200, "makin murah"), (5, 17_000, "makin murah"),
                                (1, 17_000, "lebih dari 1"), (50, 15_000, "di bawah harga pokok"),
                                (50, 19_000, "di bawah harga jual")]:
        with pytest.raises(setting.PriceRuleError, match=message):
            with db.transaction() as s:
                setting.add_tier(s, goods["sugar"], qty, price, goods["manager"])
    with db.transaction() as s:  # the same quantity changes that tier's price
        setting.add_tier(s, goods["sugar"], 40, 17_000, goods["manager"])
        tier = s.scalar(select(PriceTier).where(PriceTier.min_qty == 10))
        setting.remove_tier(s, goods["sugar"], tier.id, goods["manager"])
    with db.reading() as s:
        assert [(t.min_qty, t.price) for t in setting.tiers_of(s, goods["sugar"])] == [(40, 17_000)]
        assert [(c["old"], c["new"]) for c in setting.history(s, goods["sugar"])] == [
            (18_000, None), (17_500, 17_000), (None, 17_500), (None, 18_000)]
    with pytest.raises(setting.PriceRuleError, match="tidak ditemukan"):
        with db.transaction() as s:
            setting.remove_tier(s, goods["oil"], 1, goods["manager"])
