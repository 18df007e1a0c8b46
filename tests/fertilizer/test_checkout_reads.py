"""A fertiliser checkout reads the farmer's standing once: the check inside checkout reads the
season, the farmer and the allocations, and the redemption after it takes the grams with the
allocation's guarded UPDATE alone, never trusting what the check read for the quota itself."""
from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select, update

from pos.fertilizer import farmers, quota
from pos.fertilizer.models import FertilizerRedemption, RdkkAllocation
from pos.fertilizer.quota import QuotaError
from pos.inventory.catalog.models import FertilizerType
from pos.members.buyers import Buyer
from pos.sales import cart, regulation
from pos.sales.models import SaleQuota
from tests.factories import make_product
from tests.fertilizer.conftest import DARMO, DAY, NPK_CODE, SUPARMI, TAX, UREA_CODE, scan, set_buyer
from tests.fertilizer.test_receipt_quota import MIE, counted_checkout, statements

RDKK = ("rdkk_season", "rdkk_farmer", "rdkk_allocation")


def reads_of(ran: list[str], table: str) -> list[str]:
    return [q for q in ran if q.startswith("SELECT") and f"FROM {table}" in q]


def test_a_fertiliser_checkout_reads_the_season_the_farmer_and_the_allocations_once(db, farm, backend):
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
    # the allocation's UPDATE, the redemption, the quota kept for the receipt, the buyer, and
    # the cart's buyer cleared (24 [25] while redeem read the first three again, and the ids)
    assert len(ran) == {"sqlite": 20, "postgresql": 21}[backend], ran
    assert [len(reads_of(ran, table)) for table in RDKK] == [1, 1, 1], ran
    # the season's and the farmer's reads hold their rows to the commit (PostgreSQL: FOR
    # SHARE, in the same statements; SQLite's writer lock holds everything already)
    listing = reads_of(ran, "rdkk_season") + reads_of(ran, "rdkk_farmer")
    assert [q.endswith(" FOR SHARE") for q in listing] == [backend == "postgresql"] * 2, listing
    assert not [q for q in reads_of(ran, "rdkk_allocation") if " FOR " in q], ran
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


def test_two_types_on_one_sale_are_one_update_each_and_no_more_reads(db, farm, backend):
    set_buyer(db, farm["till"], DARMO, "Darmo Santoso")
    scan(db, farm["till"], UREA_CODE)
    scan(db, farm["till"], NPK_CODE)
    sale, ran = counted_checkout(db, farm)
    assert [len(reads_of(ran, table)) for table in RDKK] == [1, 1, 1], ran
    assert len([q for q in ran if q.startswith("UPDATE rdkk_allocation")]) == 2
    with db.reading() as s:
        ids = dict(s.execute(select(RdkkAllocation.fertilizer, RdkkAllocation.id)
                             .where(RdkkAllocation.farmer_id == farm["darmo"])).all())
        assert sorted(s.execute(select(FertilizerRedemption.fertilizer,
                                       FertilizerRedemption.allocation_id)).all()) \
            == sorted(ids.items())
        assert sorted(s.execute(select(SaleQuota.fertilizer, SaleQuota.remaining_grams)
                                .where(SaleQuota.sale_id == sale.id)).all()) \
            == sorted([(FertilizerType.UREA, 0), (FertilizerType.NPK, 150_000)])


@dataclass(frozen=True)
class Row:
    """A cart line as ``quota.check`` and ``quota.redeem`` read it."""

    qty: int
    subsidy: str | None
    base_unit: str = "gram"
    name: str = "Pupuk Urea Subsidi 50 kg"


def test_what_the_check_read_is_never_the_quota_the_update_refuses_past_it(db, farm):
    """The check saw 50 kg left; another till took it before the UPDATE: refused on the figure
    read after the refusal, and nothing taken."""
    rows, buyer = [Row(50_000, "urea")], Buyer(nik=DARMO)
    with pytest.raises(QuotaError) as refused, db.transaction() as s:
        notes, standing = quota.checked(s, rows, buyer, DAY)
        assert notes == ["Urea untuk Darmo Santoso: sisa kuota 0 kg setelah transaksi ini "
                         "(musim MT I 2026)."]
        s.execute(update(RdkkAllocation).where(RdkkAllocation.farmer_id == farm["darmo"],
                                               RdkkAllocation.fertilizer == FertilizerType.UREA)
                  .values(taken_grams=RdkkAllocation.taken_grams + 10_000))
        quota.redeem(s, rows, buyer, DAY, sale_id=1, receipt_no="TST01-000001",
                     line_ids={id(rows[0]): 1}, cashier_id=farm["user"], standing=standing)
    assert refused.value.message == ("Sisa kuota Urea petani ini 40 kg; diminta 50 kg. "
                                     "Penjualan dibatalkan.")
    with db.reading() as s:
        assert s.scalar(select(RdkkAllocation.taken_grams)
                        .where(RdkkAllocation.farmer_id == farm["darmo"],
                               RdkkAllocation.fertilizer == FertilizerType.UREA)) == 100_000
        assert s.scalar(select(func.count()).select_from(FertilizerRedemption)) == 0


def test_the_cart_check_locks_nothing_and_redeem_holds_a_listing_it_was_not_handed_held(
        db, farm, backend):
    """A scan's check and a page read lock no row; ``redeem`` given a standing read without
    the hold reads the season and the farmer again, held, before its UPDATE decides."""
    set_buyer(db, farm["till"], DARMO, "Darmo Santoso")
    with statements(db) as scanned:
        scan(db, farm["till"], UREA_CODE)
        with db.reading() as s:
            cart.view(s, farm["till"], TAX, today=DAY)
    assert reads_of(scanned, "rdkk_farmer") and not [q for q in scanned if "rdkk_" in q and " FOR " in q]
    rows, buyer = [Row(100_000, "urea")], Buyer(nik=DARMO)  # more than his 50 kg: refused
    with pytest.raises(QuotaError), db.transaction() as s:
        read = farmers.standing(s, DARMO, DAY)  # the Pupuk screen's read: not held
        assert read.held is False
        with statements(db) as ran:
            quota.redeem(s, rows, buyer, DAY, sale_id=1, receipt_no="TST01-000001",
                         line_ids={id(rows[0]): 1}, cashier_id=farm["user"], standing=read)
    listing = reads_of(ran, "rdkk_season") + reads_of(ran, "rdkk_farmer")
    assert [q.endswith(" FOR SHARE") for q in listing] == [backend == "postgresql"] * 2, ran


def test_checkout_carries_the_checked_standing_only_for_fertiliser(db, farm):
    """The cart check's notes are as before; a cart without fertiliser carries no standing."""
    set_buyer(db, farm["till"], DARMO, "Darmo Santoso")
    scan(db, farm["till"], UREA_CODE)
    with db.reading() as s:
        view = cart.view(s, farm["till"], TAX, today=DAY)
        rows = cart.lines_for_pricing(s, cart.cart_id_for(s, farm["till"]), DAY, TAX.het_zone)
        checked = regulation.checked(s, rows, view.terms, DAY, at_checkout=True)
        assert checked.notes == list(view.notes) == [
            "Urea untuk Darmo Santoso: sisa kuota 0 kg setelah transaksi ini (musim MT I 2026)."]
        assert (checked.farmer.farmer.id, checked.farmer.season.id) == (farm["darmo"], farm["season"])
        assert checked.farmer.held  # at checkout the listing is read share-locked
        assert regulation.checked(s, [], view.terms, DAY).farmer is None
