"""The statements of a fertiliser checkout, counted against a plain one's."""
from __future__ import annotations

from sqlalchemy import select

from pos.fertilizer.models import FertilizerRedemption, RdkkAllocation
from pos.inventory.catalog.models import FertilizerType
from pos.sales.models import SaleQuota
from tests.factories import make_product
from tests.fertilizer.conftest import SUPARMI, UREA_CODE, scan, set_buyer
from tests.fertilizer.test_receipt_quota import MIE, counted_checkout

RDKK = ("rdkk_season", "rdkk_farmer", "rdkk_allocation")


def reads_of(ran: list[str], table: str) -> list[str]:
    return [q for q in ran if q.startswith("SELECT") and f"FROM {table}" in q]


def test_the_statements_of_a_fertiliser_checkout_and_of_a_plain_one(db, farm, backend):
    with db.transaction() as s:
        make_product(s, name="Indomie Goreng", price=3_500, on_hand=10, barcodes_=[MIE])
    scan(db, farm["till"], MIE)
    counted_checkout(db, farm)  # the outlet's first receipt number makes its counter row
    scan(db, farm["till"], MIE)
    _, plain = counted_checkout(db, farm)
    assert len(plain) == {"sqlite": 11, "postgresql": 12}[backend], plain

    set_buyer(db, farm["till"], SUPARMI, "Suparmi")
    scan(db, farm["till"], UREA_CODE)
    sale, ran = counted_checkout(db, farm)
    # the plain 11 [12] and: the check's season, farmer and allocations; the sale lines' ids;
    # redeem's season, farmer and allocations again, and the allocations' ids; the allocation's
    # UPDATE, the redemption, the quota kept for the receipt, the buyer, the cart's buyer cleared
    assert len(ran) == {"sqlite": 24, "postgresql": 25}[backend], ran
    assert [len(reads_of(ran, table)) for table in RDKK] == [2, 2, 3], ran
    assert len([q for q in ran if q.startswith("UPDATE rdkk_allocation")]) == 1
    with db.reading() as s:
        allocation = s.scalar(select(RdkkAllocation.id)
                              .where(RdkkAllocation.farmer_id == farm["suparmi"]))
        assert s.execute(select(FertilizerRedemption.allocation_id, FertilizerRedemption.season_id,
                                FertilizerRedemption.farmer_id, FertilizerRedemption.nik)).all() \
            == [(allocation, farm["season"], farm["suparmi"], SUPARMI)]
        assert s.execute(select(SaleQuota.fertilizer, SaleQuota.remaining_grams)
                         .where(SaleQuota.sale_id == sale.id)).all() \
            == [(FertilizerType.UREA, 150_000)]

