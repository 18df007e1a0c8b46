"""Parked sales (Tahan): park, list, resume at any till, one till only, on both databases."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from pos.clock import utcnow
from pos.db import get_db
from pos.members.models import Member
from pos.sales import cart, parking
from pos.sales.models import Cart, CartLine
from pos.sales.parking import HoldError
from pos.sales.pricing import TaxSettings
from tests.approvals.conftest import shop  # noqa: F401  (fixture)
from tests.conftest import build_app
from tests.factories import make_till, make_user
from tests.sales.test_adjust import hit

TAX = TaxSettings()


@pytest.fixture
def filled(db, shop):  # noqa: F811
    """kasir1's cart: two lines, one with a discount and a manager's price, a member, a sale
    discount."""
    with db.transaction() as s:
        member = Member(number="A-0001", name="Sri Wahyuni")
        s.add(member)
        s.flush()
        first = cart.add(s, shop["till"], hit(shop["product"]), times=2, cashier_id=shop["cashier"])
        second = cart.add(s, shop["till"], hit(shop["product"], 9_000), cashier_id=shop["cashier"])
        s.execute(update(CartLine).where(CartLine.id == first).values(
            discount_amount=500, adjust_reason="penyok", price_override=9_500))
        s.execute(update(Cart).where(Cart.till_id == shop["till"]).values(
            member_id=member.id, discount_bp=300, discount_reason="langganan"))
    return dict(shop, first=first, second=second, member=member.id)


def cart_of(db, till_id):
    with db.reading() as s:
        own = s.execute(select(Cart.id, Cart.member_id, Cart.discount_bp, Cart.discount_reason)
                        .where(Cart.till_id == till_id)).first()
        lines = s.execute(select(CartLine.id, CartLine.qty, CartLine.unit_price,
                                 CartLine.price_override, CartLine.discount_amount)
                          .where(CartLine.cart_id == own.id).order_by(CartLine.id)).all() if own else []
        return own, lines


def parked_count(db) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(Cart).where(Cart.till_id.is_(None)))


def held_carts(s):
    return parking.parked(s, TAX, utcnow().date(), "Asia/Makassar")


def test_park_frees_the_till_and_resume_elsewhere_brings_everything_back(db, filled):
    before = cart_of(db, filled["till"])[1]
    with db.reading() as s:
        shown = cart.view(s, filled["till"], TAX).totals.total   # what the cashier saw
    with db.transaction() as s:
        parked_id = parking.park(s, filled["till"], filled["cashier"], "  Bu Sri \t ambil dompet ")
    own, lines = cart_of(db, filled["till"])
    assert lines == [] and own.member_id is None and own.discount_bp == 0
    with db.reading() as s:
        [held] = held_carts(s)
    assert (held.id, held.note, held.lines, held.member, held.till, held.by) == \
        (parked_id, "Bu Sri ambil dompet", 2, "Sri Wahyuni", "Kasir-1", "Kasir1")
    assert held.amount == shown == 26_675   # the member's prices and the discounts, as at the till

    with db.transaction() as s:       # another cashier at another till goes on with it
        other = make_user(s, "kasir2", "cashier", "2222").id
        parking.resume(s, filled["other_till"], other, parked_id)
    own, lines = cart_of(db, filled["other_till"])
    assert lines == before   # same lines, prices and discounts
    assert (own.member_id, own.discount_bp, own.discount_reason) == (filled["member"], 300, "langganan")
    assert parked_count(db) == 0


def test_resume_only_into_an_empty_cart(db, filled):
    with db.transaction() as s:
        parked_id = parking.park(s, filled["till"], filled["cashier"])
        cart.add(s, filled["till"], hit(filled["product"]), cashier_id=filled["cashier"])
    with db.transaction() as s, pytest.raises(HoldError, match="masih berisi") as refused:
        parking.resume(s, filled["till"], filled["cashier"], parked_id)
    assert refused.value.status == 422   # the till's list keeps it (410: taken elsewhere)
    assert parked_count(db) == 1 and len(cart_of(db, filled["till"])[1]) == 1


def test_an_empty_cart_cannot_be_parked_and_a_missing_one_not_resumed(db, shop):  # noqa: F811
    with db.transaction() as s, pytest.raises(HoldError, match="kosong"):
        parking.park(s, shop["till"], shop["cashier"])
    with db.transaction() as s, pytest.raises(HoldError, match="tidak ada"):
        parking.resume(s, shop["till"], shop["cashier"], 424242)
    with db.transaction() as s, pytest.raises(HoldError):   # a till's own cart is not parked
        parking.resume(s, shop["till"], shop["cashier"], cart.cart_id_for(s, shop["other_till"]))


def test_a_parked_cart_from_an_earlier_day_is_still_listed_with_its_date(db, filled):
    with db.transaction() as s:
        parking.park(s, filled["till"], filled["cashier"], "kemarin", now=utcnow() - timedelta(days=3))
        cart.add(s, filled["till"], hit(filled["product"]), cashier_id=filled["cashier"])
        parking.park(s, filled["till"], filled["cashier"], "hari ini")
    with db.reading() as s:
        held = held_carts(s)
    assert [h.note for h in held] == ["kemarin", "hari ini"]
    assert held[0].parked_at.date() < held[1].parked_at.date()


def test_two_tills_resuming_the_same_parked_cart_only_one_gets_it(db, filled):
    with db.transaction() as s:
        parked_id = parking.park(s, filled["till"], filled["cashier"])
        third = make_till(s, "KASIR-3").id
        other = make_user(s, "kasir2", "cashier", "2222").id
    first_in, outcome = threading.Event(), {}

    def resume(name, till_id, user_id, hold_open):
        try:
            if not hold_open:
                first_in.wait(5)
            with db.transaction() as s:
                parking.resume(s, till_id, user_id, parked_id)
                if hold_open:      # keep the row (and the lock) while the other till tries
                    first_in.set()
                    threading.Event().wait(0.4)
            outcome[name] = "got it"
        except HoldError as error:
            outcome[name] = error.message
        finally:
            first_in.set()

    a = threading.Thread(target=resume, args=("a", filled["other_till"], filled["cashier"], True))
    b = threading.Thread(target=resume, args=("b", third, other, False))
    a.start(), b.start()
    a.join(10), b.join(10)
    assert outcome["a"] == "got it"
    assert "sudah dilanjutkan" in outcome["b"]
    assert len(cart_of(db, filled["other_till"])[1]) == 2 and cart_of(db, third)[1] == []
    assert parked_count(db) == 0


def test_parked_carts_survive_a_restart(app, db, filled, tmp_path, printer):
    with db.transaction() as s:
        parked_id = parking.park(s, filled["till"], filled["cashier"], "besok diambil")
    db.engine.dispose()
    restarted = build_app(tmp_path / "again", app.config["DATABASE_URL"], printer)
    with get_db(restarted).reading() as s:
        assert [(h.id, h.note) for h in held_carts(s)] == [(parked_id, "besok diambil")]
    get_db(restarted).engine.dispose()
