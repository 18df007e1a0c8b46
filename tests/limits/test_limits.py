"""Per-buyer limits: rules, the check at every scan, the take at checkout, giving back."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from pos.errors import PosError
from pos.inventory.catalog.models import Product
from pos.limits import rules, service
from pos.limits.models import LimitTake, LimitTotal
from pos.limits.service import LimitExceeded
from pos.members.buyers import MEMBER, NIK, NeedsBuyer
from pos.sales.models import CartLine, Sale, SaleLine
from tests.factories import make_product, make_till
from tests.limits.conftest import DAY, NIK_A, NIK_B, SPHP, pay, scan, set_buyer
from tests.members.accounts.conftest import make_member


def lines(db):
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(CartLine))


def test_a_rule_needs_a_name_a_positive_quantity_and_a_unique_name(db, shop):
    with db.transaction() as s:
        with pytest.raises(PosError, match="Nama"):
            rules.save_rule(s, None, name="  ", max_qty=2, period="day", buyer="any")
        with pytest.raises(PosError, match="lebih dari nol"):
            rules.save_rule(s, None, name="Minyak", max_qty=0, period="day", buyer="any")
        with pytest.raises(PosError, match="tidak dikenal"):
            rules.save_rule(s, None, name="Minyak", max_qty=2, period="month", buyer="any")
        with pytest.raises(PosError, match="Sudah ada"):
            rules.save_rule(s, None, name="beras sphp", max_qty=3, period="day", buyer="any")
        changed = rules.save_rule(s, shop["rule"], name="Beras SPHP", max_qty=3, period="week",
                                  buyer="nik", note="uji")
        assert (changed.max_qty, changed.period.value, changed.buyer.value) == (3, "week", "nik")
        listed = rules.rules(s)
        assert [(r.rule.name, r.unit.value, [p[2] for p in r.products]) for r in listed] == [
            ("Beras SPHP", "pcs", ["Beras SPHP Bulog 5 kg"])]


def test_a_product_is_under_one_rule_and_a_rule_keeps_one_base_unit(db, shop):
    with db.transaction() as s:
        other = rules.save_rule(s, None, name="Minyak", max_qty=2, period="day", buyer="any")
        with pytest.raises(PosError, match="sudah masuk batas 'Beras SPHP'"):
            rules.attach(s, other.id, shop["sphp"])
        curah = make_product(s, name="Beras curah", base_unit="gram", on_hand=0)
        with pytest.raises(PosError, match="satuan dasar yang sama"):
            rules.attach(s, shop["rule"], curah.id)
        pack = make_product(s, name="Beras SPHP 2 kg", on_hand=0)
        rules.attach(s, shop["rule"], pack.id)
        assert {p[2] for p in rules.products_of(s, shop["rule"])} == {
            "Beras SPHP Bulog 5 kg", "Beras SPHP 2 kg"}
        rules.detach(s, shop["rule"], pack.id)
        assert s.get(Product, pack.id).limit_rule_id is None


def test_a_limited_scan_without_a_buyer_asks_for_one_and_adds_nothing(db, shop):
    with pytest.raises(NeedsBuyer) as asked:
        scan(db, shop["till"], SPHP)
    assert asked.value.needs == frozenset({NIK})
    assert asked.value.product == "Beras SPHP Bulog 5 kg"
    assert lines(db) == 0


def test_the_cart_notes_what_the_buyer_may_still_take(db, shop):
    set_buyer(db, shop["till"], NIK_A)
    view = scan(db, shop["till"], SPHP)
    assert view.notes == ("Beras SPHP: boleh 1 lagi hari ini (batas 2 per pembeli per hari).",)
    view = scan(db, shop["till"], SPHP)
    assert "boleh 0 lagi" in view.notes[0]


def test_the_third_pack_is_refused_with_the_reason_and_nothing_changes(db, shop):
    set_buyer(db, shop["till"], NIK_A)
    scan(db, shop["till"], SPHP, times=2)
    with pytest.raises(LimitExceeded, match="diminta 3"):
        scan(db, shop["till"], SPHP)
    pay(db, shop)
    set_buyer(db, shop["till"], NIK_A)
    with pytest.raises(LimitExceeded) as refused:
        scan(db, shop["till"], SPHP)
    assert refused.value.message == ("Batas Beras SPHP: 2 per pembeli per hari; NIK 6472********0001 "
                                     "sudah membeli 2 hari ini, diminta 1.")
    assert lines(db) == 0
    set_buyer(db, shop["till"], NIK_B)  # another buyer has their own allowance
    assert scan(db, shop["till"], SPHP).rows[0].qty == 1
    with db.reading() as s:
        assert s.scalar(select(LimitTotal.taken).where(LimitTotal.buyer_key == f"nik:{NIK_A}")) == 2


def test_the_allowance_is_new_the_next_day(db, shop):
    set_buyer(db, shop["till"], NIK_A)
    scan(db, shop["till"], SPHP, times=2)
    pay(db, shop)
    tomorrow = DAY + timedelta(days=1)
    set_buyer(db, shop["till"], NIK_A, day=tomorrow)
    assert scan(db, shop["till"], SPHP, times=2, day=tomorrow).rows[0].qty == 2
    pay(db, shop, day=tomorrow)


def test_a_weekly_rule_counts_monday_to_sunday(db, shop):
    with db.transaction() as s:
        rules.save_rule(s, shop["rule"], name="Beras SPHP", max_qty=3, period="week", buyer="any")
    set_buyer(db, shop["till"], NIK_A)
    scan(db, shop["till"], SPHP, times=2)
    pay(db, shop)  # Monday 30-11
    sunday = DAY + timedelta(days=6)
    set_buyer(db, shop["till"], NIK_A, day=sunday)
    with pytest.raises(LimitExceeded, match="sudah membeli 2 minggu ini"):
        scan(db, shop["till"], SPHP, times=2, day=sunday)
    assert "boleh 0 lagi minggu ini" in scan(db, shop["till"], SPHP, day=sunday).notes[0]
    pay(db, shop, day=sunday)
    monday = DAY + timedelta(days=7)
    set_buyer(db, shop["till"], NIK_A, day=monday)
    assert scan(db, shop["till"], SPHP, times=3, day=monday).rows[0].qty == 3


def test_a_member_with_a_registered_nik_shares_the_allowance_of_that_nik(db, shop):
    with db.transaction() as s:
        member = make_member(s, nik=NIK_A)
    set_buyer(db, shop["till"], NIK_A)
    scan(db, shop["till"], SPHP, times=2)
    pay(db, shop)
    set_buyer(db, shop["till"], member.number)
    with pytest.raises(LimitExceeded, match=re.escape("NIK 6472********0001 sudah membeli 2")):
        scan(db, shop["till"], SPHP)


def test_a_member_without_nik_is_counted_by_member_and_a_nik_rule_asks_for_a_nik(db, shop):
    with db.transaction() as s:
        member = make_member(s)
    set_buyer(db, shop["till"], member.number)
    scan(db, shop["till"], SPHP, times=2)
    pay(db, shop)
    with db.reading() as s:
        assert s.scalar(select(LimitTake.buyer_key)) == f"member:{member.id}"
    set_buyer(db, shop["till"], member.number)
    with pytest.raises(LimitExceeded, match="anggota"):
        scan(db, shop["till"], SPHP)
    with db.transaction() as s:
        rules.save_rule(s, shop["rule"], name="Beras SPHP", max_qty=2, period="day", buyer="nik")
    with pytest.raises(NeedsBuyer) as asked:
        scan(db, shop["till"], SPHP)
    assert asked.value.needs == frozenset({NIK})


def test_a_members_only_rule_refuses_a_typed_nik_and_asks_for_a_member(db, shop):
    with db.transaction() as s:
        rules.save_rule(s, shop["rule"], name="Beras SPHP", max_qty=2, period="day",
                        buyer="member")
    with pytest.raises(NeedsBuyer) as asked:
        scan(db, shop["till"], SPHP)
    assert asked.value.needs == frozenset({MEMBER})
    with pytest.raises(PosError, match="hanya untuk anggota"):
        set_buyer(db, shop["till"], NIK_A, needs=frozenset({MEMBER}))


def test_an_inactive_rule_limits_nothing(db, shop):
    with db.transaction() as s:
        rules.save_rule(s, shop["rule"], name="Beras SPHP", max_qty=2, period="day", buyer="any",
                        active=False)
    assert scan(db, shop["till"], SPHP, times=5).notes == ()


def test_checkout_takes_per_line_and_give_back_returns_it_once(db, shop):
    set_buyer(db, shop["till"], NIK_A)
    scan(db, shop["till"], SPHP, times=2)
    sale = pay(db, shop).sale
    with db.reading() as s:
        line_id = s.scalar(select(SaleLine.id).where(SaleLine.sale_id == sale.id))
        take = s.execute(select(LimitTake)).scalar_one()
        assert (take.qty, take.receipt_no, take.period_start) == (2, sale.receipt_no, DAY)
    with db.transaction() as s:
        with pytest.raises(PosError):
            service.give_back(s, line_id, 0)
        assert service.give_back(s, line_id, 1) == 1
    set_buyer(db, shop["till"], NIK_A)
    assert scan(db, shop["till"], SPHP).rows[0].qty == 1  # one pack back in the allowance
    with db.transaction() as s:
        assert service.give_back(s, line_id, 5) == 1  # only what is left of the line
        assert service.give_back(s, line_id, 1) == 0
        assert s.scalar(select(LimitTotal.taken)) == 0


def test_a_sale_over_the_limit_at_checkout_rolls_back_whole(db, shop):
    """The cart was fine at the scan; another till sold to the buyer meanwhile."""
    with db.transaction() as s:
        second = make_till(s, "KASIR-2").id
    set_buyer(db, shop["till"], NIK_A)
    scan(db, shop["till"], SPHP, times=2)
    set_buyer(db, second, NIK_A)
    scan(db, second, SPHP)
    pay(db, shop, till=second)
    with pytest.raises(LimitExceeded):
        pay(db, shop)
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Sale)) == 1
        assert s.scalar(select(LimitTotal.taken)) == 1
    assert lines(db) == 1
