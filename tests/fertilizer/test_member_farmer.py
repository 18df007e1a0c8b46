"""A member on the sale (F7) whose NIK is not on the e-RDKK list, buying subsidised fertiliser:
the till asks for the farmer, as it does with no buyer at all, instead of dropping the sack with
"NIK ... tidak terdaftar"; the member stays on the sale and the farmer buys the fertiliser."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from pos.fertilizer.models import FertilizerRedemption
from pos.members.buyers import FARMER, NeedsBuyer
from pos.members.models import Member
from pos.sales import buyers, cart_members
from pos.sales.models import CartLine, Sale, SaleBuyer
from tests.factories import make_product
from tests.fertilizer.conftest import DARMO, DAY, SUPARMI, UREA_CODE, pay, scan

BUDI_NIK = "6411101505800001"   # not on the list
SUGAR = "8990000600015"


@pytest.fixture
def members(db, farm):
    with db.transaction() as s:
        s.add_all([Member(number="AGT-0001", name="Budi Santoso", nik=BUDI_NIK, active=True,
                          joined_on=date(2026, 1, 15)),
                   Member(number="AGT-0002", name="Darmo Santoso", nik=DARMO, active=True,
                          joined_on=date(2026, 1, 15))])
        make_product(s, name="Gula Pasir 1 kg", price=18_000, cost=15_000, on_hand=50,
                     barcodes_=[(SUGAR, 1)])
    return farm


def attach(db, till: int, number: str) -> None:
    with db.transaction() as s:   # F7
        cart_members.offer(s, till, number)


def member_id(db, number: str) -> int:
    with db.reading() as s:
        return s.scalar(select(Member.id).where(Member.number == number))


def test_a_member_not_on_the_list_is_asked_for_the_farmer_who_then_buys_the_fertiliser(db, members):
    till = members["till"]
    attach(db, till, "AGT-0001")
    scan(db, till, SUGAR)
    with pytest.raises(NeedsBuyer) as asked:
        scan(db, till, UREA_CODE)
    assert asked.value.needs == frozenset({FARMER})
    assert asked.value.message == ("Anggota Budi Santoso tidak terdaftar di e-RDKK: masukkan NIK / "
                                   "Kartu Tani petani.")
    with db.reading() as s:   # the sack is not on the cart yet, the sugar is
        assert s.scalar(select(func.count()).select_from(CartLine)) == 1

    with db.transaction() as s:   # the dialog's answer: Suparmi, the farmer
        buyers.set_buyer(s, till, SUPARMI, day=DAY, needs=frozenset({FARMER}),
                         cashier_id=members["user"])
    view = scan(db, till, UREA_CODE)
    assert "Urea untuk Suparmi: sisa kuota 150 kg setelah transaksi ini (musim MT I 2026)." in view.notes
    sale = pay(db, members).sale
    budi = member_id(db, "AGT-0001")
    with db.reading() as s:
        assert s.get(Sale, sale.id).member_id == budi   # member price and SHU stay his
        buyer = s.get(SaleBuyer, sale.id)
        assert (buyer.nik, buyer.name, buyer.member_id) == (SUPARMI, "Suparmi", budi)
        redemption = s.scalars(select(FertilizerRedemption)).one()
        assert (redemption.nik, redemption.farmer_id, redemption.grams) == (SUPARMI, members["suparmi"],
                                                                           50_000)


def test_a_member_on_the_list_buys_as_the_farmer_with_no_question(db, members):
    till = members["till"]
    attach(db, till, "AGT-0002")
    view = scan(db, till, UREA_CODE)
    assert "Urea untuk Darmo Santoso: sisa kuota 0 kg setelah transaksi ini (musim MT I 2026)." \
        in view.notes
    sale = pay(db, members).sale
    with db.reading() as s:
        assert s.get(SaleBuyer, sale.id).nik == DARMO
        assert s.scalars(select(FertilizerRedemption.nik)).one() == DARMO
