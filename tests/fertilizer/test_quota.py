"""Subsidised fertiliser at the till, on SQLite and PostgreSQL: only to a listed farmer, within
what is left of the allocation; taken race-safely at checkout; given back on a return."""
from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from pos.fertilizer import farmers, quota
from pos.fertilizer.farmers import NotListed
from pos.fertilizer.models import FertilizerRedemption, RdkkAllocation
from pos.fertilizer.quota import QuotaError
from pos.inventory.catalog.models import FertilizerType
from pos.members.buyers import FARMER, NeedsBuyer
from pos.members.nik import NikError
from pos.sales.models import CartLine, Sale, SaleBuyer, SaleLine
from tests.fertilizer.conftest import (
    DARMO,
    DARMO_CARD,
    DAY,
    NPK_CODE,
    SUPARMI,
    UREA_CODE,
    pay,
    scan,
    set_buyer,
)

PROXY = dict(proxy_name="Sri Wahyuni", proxy_nik="6402104405900003", proxy_relation="keluarga")


def taken(db, farmer_id: int, kind: str = "urea") -> int:
    with db.reading() as s:
        return s.scalar(select(RdkkAllocation.taken_grams).where(
            RdkkAllocation.farmer_id == farmer_id,
            RdkkAllocation.fertilizer == FertilizerType(kind)))


def test_a_farmer_is_found_by_nik_or_kartu_tani_on_the_season_in_force(db, farm):
    with db.reading() as s:
        assert farmers.identify_farmer(s, DARMO, DAY) == (DARMO, "Darmo Santoso")
        assert farmers.identify_farmer(s, "6402 1015 0570 0001", DAY) == (DARMO, "Darmo Santoso")
        assert farmers.identify_farmer(s, DARMO_CARD, DAY) == (DARMO, "Darmo Santoso")
        with pytest.raises(NotListed, match=r"NIK 6402\*+0009 tidak terdaftar di e-RDKK musim MT I 2026"):
            farmers.identify_farmer(s, "6402101803770009", DAY)
        with pytest.raises(NotListed, match=r"^Kartu Tani 12345678 tidak terdaftar di e-RDKK musim "
                                            r"MT I 2026\.$"):
            farmers.identify_farmer(s, "12345678", DAY)
        with pytest.raises(NotListed, match=r"Kartu Tani 640210150570000 tidak terdaftar di e-RDKK musim "
                                            r"MT I 2026\. NIK harus 16 angka; ini 15 angka\.$"):
            farmers.identify_farmer(s, "640210150570000", DAY)   # Darmo's NIK one digit short
        with pytest.raises(NotListed, match="^'AGT-0001' bukan NIK atau nomor Kartu Tani petani di "
                                            "e-RDKK musim MT I 2026"):   # a member number, as typed
            farmers.identify_farmer(s, "AGT-0001", DAY)
        with pytest.raises(NikError):
            farmers.identify_farmer(s, "  ", DAY)
        with pytest.raises(NotListed, match="Belum ada daftar e-RDKK yang berlaku tanggal 01-04-2027"):
            farmers.identify_farmer(s, DARMO, date(2027, 4, 1))


def test_subsidised_fertiliser_asks_for_the_farmer_first_and_changes_nothing(db, farm):
    with pytest.raises(NeedsBuyer) as asked:
        scan(db, farm["till"], UREA_CODE)
    assert asked.value.needs == frozenset({FARMER})
    assert asked.value.product == "Pupuk Urea Subsidi 50 kg"
    assert "NIK atau nomor Kartu Tani" in asked.value.message
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(CartLine)) == 0


def test_a_buyer_not_on_the_list_is_refused(db, farm):
    set_buyer(db, farm["till"], "6402101803770009")
    with pytest.raises(NotListed, match=r"NIK 6402\*+0009 tidak terdaftar di e-RDKK musim MT I 2026"):
        scan(db, farm["till"], UREA_CODE)


def test_a_type_the_farmer_has_no_allocation_of_is_said_so(db, farm):
    """"Sisa kuota NPK petani ini 0 kg" read as an allocation used up."""
    set_buyer(db, farm["till"], SUPARMI)                       # urea only
    with pytest.raises(QuotaError, match="Suparmi tidak punya alokasi NPK di e-RDKK musim MT I 2026."):
        scan(db, farm["till"], NPK_CODE)


def test_no_season_in_force_refuses_subsidised_fertiliser(db, farm):
    set_buyer(db, farm["till"], DARMO)
    with pytest.raises(NotListed, match="Belum ada daftar e-RDKK"):
        scan(db, farm["till"], UREA_CODE, today=date(2026, 9, 30))


def test_within_the_allocation_the_cart_notes_what_is_left_and_beyond_it_is_refused(db, farm):
    set_buyer(db, farm["till"], DARMO, "Darmo Santoso")
    view = scan(db, farm["till"], UREA_CODE)
    assert "Urea untuk Darmo Santoso: sisa kuota 0 kg setelah transaksi ini (musim MT I 2026)." \
        in view.notes
    with pytest.raises(QuotaError, match="Sisa kuota Urea petani ini 50 kg; diminta 100 kg."):
        scan(db, farm["till"], UREA_CODE)
    view = scan(db, farm["till"], NPK_CODE, times=4)
    assert any("NPK untuk Darmo Santoso: sisa kuota 0 kg" in n for n in view.notes)
    with db.reading() as s:  # the refused scan left the cart as it was
        assert sorted(s.scalars(select(CartLine.qty))) == [50_000, 200_000]


def test_a_page_read_notes_the_problem_instead_of_raising(db, farm):
    set_buyer(db, farm["till"], DARMO)
    scan(db, farm["till"], UREA_CODE)
    set_buyer(db, farm["till"], "6402101803770009")
    from pos.sales import cart
    from tests.fertilizer.conftest import TAX
    with db.reading() as s:
        view = cart.view(s, farm["till"], TAX, today=DAY, strict=False)
    assert any("tidak terdaftar" in n for n in view.notes)


def test_checkout_takes_the_allocation_and_records_the_farmer_and_the_proxy(db, farm):
    set_buyer(db, farm["till"], DARMO, "Darmo Santoso", **PROXY)
    scan(db, farm["till"], UREA_CODE)
    scan(db, farm["till"], NPK_CODE, times=2)
    sale = pay(db, farm).sale
    assert sale.total == 50 * 1_800 + 100 * 1_800
    assert sale.tax == 0  # PPN tidak dipungut
    assert taken(db, farm["darmo"]) == 150_000
    assert taken(db, farm["darmo"], "npk") == 100_000
    with db.reading() as s:
        rows = s.execute(select(FertilizerRedemption).order_by(FertilizerRedemption.id)).scalars().all()
        assert [(r.fertilizer, r.grams, r.nik, r.receipt_no) for r in rows] == [
            (FertilizerType.UREA, 50_000, DARMO, sale.receipt_no),
            (FertilizerType.NPK, 100_000, DARMO, sale.receipt_no)]
        assert {(r.proxy_name, r.proxy_nik, r.proxy_relation) for r in rows} == {
            ("Sri Wahyuni", "6402104405900003", "keluarga")}
        assert {r.business_date for r in rows} == {DAY}
        buyer = s.get(SaleBuyer, sale.id)
        assert (buyer.nik, buyer.name, buyer.proxy_name, buyer.proxy_nik, buyer.proxy_relation) == (
            DARMO, "Darmo Santoso", "Sri Wahyuni", "6402104405900003", "keluarga")


def test_two_tills_racing_for_the_last_sack_of_one_farmer_only_one_sells(db, farm):
    """Darmo has 50 kg of urea left; two tills each sell him a 50 kg sack at the same moment."""
    for till in farm["tills"]:
        set_buyer(db, till, DARMO, "Darmo Santoso")
        scan(db, till, UREA_CODE)
    start, results = threading.Barrier(2), []

    def till_pays(till_id):
        start.wait()
        try:
            results.append(pay(db, farm, till_id).sale.receipt_no)
        except QuotaError as refused:
            results.append(refused.message)

    threads = [threading.Thread(target=till_pays, args=(t,)) for t in farm["tills"]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    sold = [r for r in results if r.startswith("TST01-")]
    refused = [r for r in results if not r.startswith("TST01-")]
    assert len(sold) == 1 and len(refused) == 1, results
    assert "Sisa kuota Urea petani ini 0 kg; diminta 50 kg" in refused[0]
    assert taken(db, farm["darmo"]) == 150_000
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Sale)) == 1
        assert s.scalar(select(func.sum(FertilizerRedemption.grams))) == 50_000


def test_a_return_gives_the_allocation_back_never_more_than_was_sold(db, farm):
    set_buyer(db, farm["till"], SUPARMI)
    scan(db, farm["till"], UREA_CODE, times=2)
    sale = pay(db, farm).sale
    assert taken(db, farm["suparmi"]) == 100_000
    with db.reading() as s:
        line_id = s.scalar(select(SaleLine.id).where(SaleLine.sale_id == sale.id))
    with db.transaction() as s:  # with what is left after it, for the return slip
        assert quota.give_back(s, line_id, 50_000) == quota.GivenBack(
            50_000, "MT I 2026", farmers.Quota(FertilizerType.UREA, 200_000, 50_000))
    assert taken(db, farm["suparmi"]) == 50_000
    with db.transaction() as s, pytest.raises(QuotaError, match="Paling banyak 50 kg"):
        quota.give_back(s, line_id, 60_000)
    with db.transaction() as s:
        assert quota.give_back(s, line_id, 50_000).quota.remaining == 200_000
        assert quota.give_back(s, line_id + 1000, 50_000) is None  # no fertiliser on that line
    assert taken(db, farm["suparmi"]) == 0
    with db.reading() as s:
        assert s.scalar(select(FertilizerRedemption.returned_grams)) == 100_000
    # what came back can be redeemed again
    set_buyer(db, farm["till"], SUPARMI)
    view = scan(db, farm["till"], UREA_CODE, times=4)
    assert any("sisa kuota 0 kg" in n for n in view.notes)


def test_a_farmer_dropped_from_the_list_after_a_returned_sale_is_kept_unlisted(db, farm):
    from pos.fertilizer.models import RdkkFarmer
    from pos.fertilizer.rdkk import COLUMNS, KEY, RdkkFile
    from pos.inventory.catalog.spreadsheets import read_csv

    set_buyer(db, farm["till"], SUPARMI)
    scan(db, farm["till"], UREA_CODE)
    sale = pay(db, farm).sale
    with db.transaction() as s:
        line_id = s.scalar(select(SaleLine.id).where(SaleLine.sale_id == sale.id))
        quota.give_back(s, line_id, 50_000)
    data = (",".join(COLUMNS) + f"\n{DARMO},Darmo Santoso,,,padi,,150,200,,,\n").encode()
    with db.transaction() as s:
        summary = RdkkFile("MT I 2026", remove_missing=True).import_rows(s, read_csv(data, COLUMNS, KEY))
    assert (summary["unchanged"] + summary["updated"], summary["removed"]) == (1, 1)
    with db.reading() as s:
        suparmi = s.get(RdkkFarmer, farm["suparmi"])
        assert suparmi.listed is False  # her redemption still points at her
        assert s.scalar(select(RdkkAllocation.allocated_grams)
                        .where(RdkkAllocation.farmer_id == farm["suparmi"])) == 0
        with pytest.raises(NotListed):
            farmers.identify_farmer(s, SUPARMI, DAY)
        assert farmers.identify_farmer(s, DARMO, DAY) == (DARMO, "Darmo Santoso")
        with pytest.raises(NotListed):  # the new list gives him no Kartu Tani number
            farmers.identify_farmer(s, DARMO_CARD, DAY)
