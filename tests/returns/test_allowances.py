"""A return gives the buyer's limit (SPHP rice) and the farmer's fertiliser allocation back, and
takes the returned amount off the member's purchases (the SHU basis)."""
from __future__ import annotations

from sqlalchemy import select

from pos.approvals.service import Actor
from pos.auth.models import Role
from pos.auth.service import RIGHTS
from pos.fertilizer.models import FertilizerRedemption, RdkkAllocation
from pos.limits import rules
from pos.limits.models import LimitTotal
from pos.members.accounts.purchases import year_basis
from pos.returns.service import Wanted
from tests.factories import make_product
from tests.fertilizer import conftest as fert
from tests.limits import conftest as lim
from tests.returns.conftest import SOAP, give_back, line_ids, manager, sell


def test_a_returned_sphp_pack_goes_back_into_the_buyers_daily_limit(db, shop):
    with db.transaction() as s:
        sphp = make_product(s, name="Beras SPHP Bulog 5 kg", price=62_500, tax_class="bebas",
                            on_hand=100, barcodes_=[lim.SPHP])
        rule = rules.save_rule(s, None, name="Beras SPHP", max_qty=2, period="day", buyer="any")
        rules.attach(s, rule.id, sphp.id)
    lim.set_buyer(db, shop["till"], lim.NIK_A)
    lim.scan(db, shop["till"], lim.SPHP, times=2)
    sale = lim.pay(db, {"till": shop["till"], "user": shop["cashier"]}).sale
    with db.reading() as s:
        assert s.scalar(select(LimitTotal.taken)) == 2
    give_back(db, manager(shop), sale.id, Wanted(line_ids(db, sale.id)[0], 1))
    with db.reading() as s:
        assert s.scalar(select(LimitTotal.taken)) == 1
    lim.set_buyer(db, shop["till"], lim.NIK_A)
    assert lim.scan(db, shop["till"], lim.SPHP).rows[0].qty == 1  # one pack allowed again


def test_returned_fertiliser_goes_back_into_the_farmers_allocation(db, farm):
    fert.set_buyer(db, farm["till"], fert.SUPARMI)
    fert.scan(db, farm["till"], fert.UREA_CODE, times=2)
    sale = fert.pay(db, farm).sale
    assert fert_taken(db, farm["suparmi"]) == 100_000
    boss = Actor(farm["manager"], farm["till"], RIGHTS[Role.MANAGER], reason="karung basah")
    give_back(db, boss, sale.id, Wanted(line_ids(db, sale.id)[0], 50_000, restock=False))
    assert fert_taken(db, farm["suparmi"]) == 50_000
    with db.reading() as s:
        assert s.scalar(select(FertilizerRedemption.returned_grams)) == 50_000


def fert_taken(db, farmer_id):
    with db.reading() as s:
        return s.scalar(select(RdkkAllocation.taken_grams).where(RdkkAllocation.farmer_id == farmer_id))


def test_member_purchases_are_net_of_returns(db, shop):
    sale = sell(db, shop, (SOAP, 4), member=shop["member"])
    with db.reading() as s:
        before = year_basis(s, 2026)
    assert before.members[0]["purchases"] == 12_000
    assert before.units["sembako"]["member"] == 12_000
    give_back(db, manager(shop), sale.id, Wanted(line_ids(db, sale.id)[0], 1))
    with db.reading() as s:
        after = year_basis(s, 2026)
    assert after.members[0]["purchases"] == 9_000
    assert after.units["sembako"] == {"member": 9_000, "non_member": 0}
    assert after.total["member"] == 9_000
