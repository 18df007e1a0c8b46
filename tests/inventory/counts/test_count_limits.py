"""A count line may hold what one product really holds: Urea counted as 201 karung of 50 kg, or
15.000 kg loose, was refused ("Jumlah dihitung harus 0 sampai 10.000 kg.") while receiving takes
100 t a line and the store may hold more than 10 t. A count far above what the system holds is
asked about (a count typed in grams, a barcode in the box) and saved once the clerk confirms it."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from pos.inventory import stock
from pos.inventory.catalog.models import PackUnit
from pos.inventory.counts import counting
from pos.inventory.counts.models import CountLine, StockAdjustment
from pos.units import BaseUnit
from tests.factories import login, make_product, make_user

HX = {"HX-Request": "true"}


@pytest.fixture
def shop(db):
    """Urea on record at 12 t (karung 50 kg), ZA with nothing on record yet."""
    with db.transaction() as s:
        clerk = make_user(s, "gudang1", "clerk").id
        urea = make_product(s, name="Pupuk Urea", base_unit="gram", cost=2_300, on_hand=12_000_000)
        za = make_product(s, name="Pupuk ZA", base_unit="gram", cost=1_700, on_hand=0)
        sack = PackUnit(product_id=urea.id, name="karung", qty=50_000)
        s.add(sack)
        s.flush()
        return {"clerk": clerk, "urea": urea.id, "za": za.id, "sack": sack.id}


@pytest.fixture
def clerk(app, shop):
    client = app.test_client()
    login(client, shop["clerk"])
    return client


@pytest.fixture
def count_url(clerk):
    count_id = int(clerk.post("/opname", data={"scope": "all"}).headers["Location"].rsplit("/", 1)[1])
    return f"/opname/{count_id}/hitung"


def counted(db, product_id):
    with db.reading() as s:
        return s.scalar(select(CountLine.counted).where(CountLine.product_id == product_id))


def test_a_count_holds_what_a_product_really_holds(clerk, db, shop, count_url):
    sacks = clerk.post(count_url, headers=HX, data={"product_id": shop["urea"], "pack_id": shop["sack"],
                                                    "packs": "201", "counted": "0"})
    assert sacks.status_code == 200, sacks.get_data(as_text=True)
    assert counted(db, shop["urea"]) == 10_050_000                  # 201 karung: 10.050 kg
    loose = clerk.post(count_url, headers=HX, data={"product_id": shop["urea"], "counted": "15000"})
    assert loose.status_code == 200 and counted(db, shop["urea"]) == 15_000_000
    over = clerk.post(count_url, headers=HX, data={"product_id": shop["urea"], "counted": "1000001"})
    assert over.status_code == 422
    assert "Jumlah dihitung harus 0 sampai 1.000.000 kg." in over.get_data(as_text=True)
    assert counted(db, shop["urea"]) == 15_000_000


def test_the_count_limit_is_above_what_one_receipt_line_or_adjustment_moves():
    for unit in BaseUnit:
        assert counting.MAX_COUNTED[unit] >= stock.MAX_MOVE[unit]


def test_a_count_far_above_the_stock_on_record_is_asked_about_and_saved_once_confirmed(
        clerk, db, shop, count_url):
    data = {"product_id": shop["za"], "counted": "15000"}
    asked = clerk.post(count_url, headers=HX, data=data)
    text = asked.get_data(as_text=True)
    assert asked.status_code == 422 and counted(db, shop["za"]) is None
    assert "Jumlah dihitung 15.000 kg jauh di atas stok tercatat 0 kg" in text
    assert 'name="yakin" value="15000000"' in text and "Ya, 15.000 kg memang benar" in text
    changed = clerk.post(count_url, headers=HX, data={**data, "counted": "16000", "yakin": "15000000"})
    assert changed.status_code == 422 and counted(db, shop["za"]) is None   # another amount: asked again
    sure = clerk.post(count_url, headers=HX, data={**data, "yakin": "15000000"})
    assert sure.status_code == 200 and counted(db, shop["za"]) == 15_000_000
    small = clerk.post(count_url, headers=HX, data={"product_id": shop["za"], "counted": "900"})
    assert small.status_code == 200 and counted(db, shop["za"]) == 900_000  # under 1 t: no question


def test_the_count_form_has_the_place_for_the_question(clerk, shop, count_url):
    form = clerk.get(count_url.replace("/hitung", f"/pilih?product_id={shop['za']}"), headers=HX)
    assert '<span id="count-sure" class="count-sure"></span>' in form.get_data(as_text=True)


def test_adjustments_and_write_offs_move_up_to_a_receipt_lines_most(clerk, db, shop):
    for kind, typed in (("adjustment", "+15000"), ("writeoff", "11000")):
        sent = clerk.post("/penyesuaian", headers=HX, data={
            "kind": kind, "product_id": shop["urea"], "qty": typed, "reason": "Selisih gudang"})
        assert sent.status_code == 200, sent.get_data(as_text=True)
    over = clerk.post("/penyesuaian", headers=HX, data={
        "kind": "adjustment", "product_id": shop["urea"], "qty": "100001", "reason": "Selisih gudang"})
    assert over.status_code == 422 and "paling banyak 100.000 kg" in over.get_data(as_text=True)
    with db.reading() as s:
        assert s.scalars(select(StockAdjustment.qty).order_by(StockAdjustment.id)).all() == [
            15_000_000, -11_000_000]
