"""Loose goods received by weight: the line's boxes take what the till takes, ``12,5`` (kg),
``12,5 kg``, ``1,25kg``, ``12500 g``, ``750 g``. A line in kg held whole kg only ("Jumlah
diterima harus berupa angka bulat"), so 12,5 kg of rice off the scale could not be received and
grams typed as ``12500`` were 12.500 kg. A line whose amounts are no whole kg is kept to the
gram, its cost still per kg; pieces and other packs stay whole numbers."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from pos import chart as charts
from pos.inventory import stock
from pos.inventory.catalog.models import Product
from pos.inventory.catalog.packs import add_pack
from pos.inventory.receiving import posting, receipts, reversal
from pos.inventory.receiving.models import GoodsReceiptLine
from pos.ledger.journal import day_journal
from tests.factories import login, make_product, outlet_today
from tests.ledger.test_journal import by_account

TODAY = outlet_today()
HX = {"HX-Request": "true"}


@pytest.fixture
def goods(db, gr):
    """Loose rice (grams, 20 kg at Rp11.000 per kg, a karung 50 kg), cooking oil (ml) and
    noodles (pieces), and a draft with one line of each (the rice in kg)."""
    with db.transaction() as s:
        rice = make_product(s, name="Beras Curah", base_unit="gram", on_hand=20_000, cost=11_000,
                            price=13_000)
        add_pack(s, rice.id, "karung 50 kg", 50_000)
        oil = make_product(s, name="Minyak Curah", base_unit="ml", on_hand=0, cost=15_000,
                           price=18_000)
        mie = make_product(s, name="Mi Goreng", on_hand=0, cost=2_500, price=3_000)
        receipt = receipts.create_draft(s, gr["supplier"], "SJ-77", gr["clerk"])
        lines = {name: receipts.add_line(s, receipt, product.id, None, 1, cost)
                 for name, product, cost in (("rice", rice, 11_480), ("oil", oil, 15_000),
                                             ("mie", mie, 2_500))}
        return dict(receipt=receipt, rice_id=rice.id, **lines)


@pytest.fixture
def clerk(app, gr):
    client = app.test_client()
    login(client, gr["clerk"])
    return client


def send(clerk, goods, line, **form):
    data = {"pack_name": "", "qty_packs": "1", "ordered_packs": "", "damaged_packs": "",
            "cost_per_pack": "11480", "reason": "", **form}
    return clerk.post(f"/penerimaan/{goods['receipt']}/baris/{goods[line]}", data=data, headers=HX)


def stored(db, line_id):
    with db.reading() as s:
        line = s.get(GoodsReceiptLine, line_id)
        return line.pack_name, line.pack_qty, line.qty_packs, line.ordered_packs, line.damaged_packs


@pytest.mark.parametrize("typed", ["12,5", "12,5 kg", "12,5kg", "12.5 KG", "12500 g", "12500gr"])
def test_a_loose_line_takes_a_weight_as_the_till_does(clerk, db, goods, typed):
    saved = send(clerk, goods, "rice", qty_packs=typed)
    assert saved.status_code == 200, saved.get_data(as_text=True)
    html = saved.get_data(as_text=True)
    assert "= 12,5 kg · Rp143.500" in html                 # 12,5 kg at Rp11.480 per kg
    assert stored(db, goods["rice"]) == ("kg", 1, 12_500, None, 0)
    if typed != "12,5":   # the box is put back as the line reads it
        assert f'id="l{goods["rice"]}-qty" class="gr-num" name="qty_packs" value="12,5"' in html


def test_whole_kg_stay_whole_kg_and_grams_mean_grams(clerk, db, goods):
    assert send(clerk, goods, "rice", qty_packs="100").status_code == 200
    assert stored(db, goods["rice"]) == ("kg", 1000, 100, None, 0)   # as before
    assert send(clerk, goods, "rice", qty_packs="750 g", ordered_packs="1",
                damaged_packs="0,25 kg", reason="karung sobek").status_code == 200
    assert stored(db, goods["rice"]) == ("kg", 1, 750, 1_000, 250)
    page = clerk.get(f"/penerimaan/{goods['receipt']}").get_data(as_text=True)
    for key, shown in (("qty", "0,75"), ("ordered", "1"), ("damaged", "0,25")):
        assert f'id="l{goods["rice"]}-{key}" class="gr-num"' in page
        assert f'value="{shown}" inputmode="decimal"' in page
    assert send(clerk, goods, "oil", qty_packs="1,5 l", cost_per_pack="15000").status_code == 200
    assert stored(db, goods["oil"]) == ("liter", 1, 1_500, None, 0)


@pytest.mark.parametrize("line, form, message", [
    ("rice", {"qty_packs": "12,5 ons"}, "Satuan ons tidak dipakai di sini: tulis kg atau g"),
    ("rice", {"qty_packs": "12,3456"}, "Jumlah diterima 12,3456 kg lebih teliti dari 1 gram"),
    ("rice", {"qty_packs": "1,5 g"}, "harus angka bulat tanpa titik atau koma"),
    ("rice", {"damaged_packs": "-1"}, "Jumlah rusak harus 0 atau lebih"),
    ("rice", {"qty_packs": "dua"}, "Jumlah diterima harus dalam kg"),
    ("rice", {"qty_packs": "200000 kg"}, "terlalu banyak untuk satu baris"),   # 200 tonnes
    ("rice", {"pack_name": "karung 50 kg", "qty_packs": "12,5 kg", "cost_per_pack": "574000"},
     "Jumlah diterima Beras Curah 12,5 kg bukan kelipatan karung 50 kg (50 kg)"),
    ("mie", {"qty_packs": "2,5", "cost_per_pack": "2500"}, "Jumlah diterima harus angka bulat"),
    ("mie", {"qty_packs": "3 kg", "cost_per_pack": "2500"}, "Jumlah diterima harus angka bulat"),
])
def test_a_bad_amount_is_refused_in_indonesian_and_saves_nothing(clerk, db, goods, line, form, message):
    before = stored(db, goods[line])
    refused = send(clerk, goods, line, **form)
    assert refused.status_code == 422 and message in refused.get_data(as_text=True)
    assert stored(db, goods[line]) == before


def test_a_weight_on_a_karung_line_is_a_whole_number_of_karung(clerk, db, goods):
    assert send(clerk, goods, "rice", pack_name="karung 50 kg", qty_packs="1",
                cost_per_pack="574000").status_code == 200
    assert send(clerk, goods, "rice", pack_name="karung 50 kg", qty_packs="100 kg",
                cost_per_pack="574000").status_code == 200
    assert stored(db, goods["rice"]) == ("karung 50 kg", 50_000, 2, None, 0)


def test_a_line_kept_to_the_gram_changes_pack_only_when_it_fits(clerk, db, goods):
    assert send(clerk, goods, "rice", qty_packs="12,5").status_code == 200
    refused = send(clerk, goods, "rice", pack_name="karung 50 kg", qty_packs="12,5")
    assert refused.status_code == 422
    assert "12,5 kg bukan kelipatan karung 50 kg" in refused.get_data(as_text=True)
    assert stored(db, goods["rice"]) == ("kg", 1, 12_500, None, 0)
    assert send(clerk, goods, "rice", qty_packs="100 kg").status_code == 200
    moved = send(clerk, goods, "rice", pack_name="karung 50 kg", qty_packs="100")
    assert moved.status_code == 200 and stored(db, goods["rice"]) == ("karung 50 kg", 50_000, 2, None, 0)
    back = send(clerk, goods, "rice", qty_packs="2", cost_per_pack="574000")   # karung -> kg
    assert back.status_code == 200 and stored(db, goods["rice"]) == ("kg", 1000, 100, None, 0)


def test_a_fractional_kg_receipt_posts_costs_books_and_reverses_exactly(clerk, db, gr, goods):
    assert send(clerk, goods, "rice", qty_packs="12,5").status_code == 200
    with db.transaction() as s:
        receipts.remove_line(s, goods["receipt"], goods["oil"])
        receipts.remove_line(s, goods["receipt"], goods["mie"])
        # the rice's SKU scanned again adds one more kg, in grams
        from pos.inventory.receiving import scanning
        scanning.add_product(s, goods["receipt"], goods["rice_id"])
    assert stored(db, goods["rice"]) == ("kg", 1, 13_500, None, 0)
    with db.transaction() as s:
        posting.post(s, goods["receipt"], gr["clerk"], TODAY)
    with db.reading() as s:
        rice = s.get(Product, goods["rice_id"])
        # (20 kg x 11.000 + 13,5 kg x 11.480) / 33,5 kg = 11.193,4 -> 11.193 per kg
        assert (stock.on_hand(s, rice.id), rice.cost) == (33_500, 11_193)
        booked = by_account(day_journal(s, TODAY, zone="Asia/Makassar", chart=charts.chart()))
    assert 154_980 in booked.values()                        # 13,5 kg x Rp11.480
    page = clerk.get(f"/penerimaan/{goods['receipt']}").get_data(as_text=True)
    assert '<td class="num">13,5</td>' in page and "13,5 kg" in page and "Rp154.980" in page
    listed = clerk.get("/penerimaan").get_data(as_text=True)
    assert "Rp154.980" in listed
    with db.transaction() as s:
        fix = reversal.create_reversal(s, goods["receipt"], gr["clerk"], "salah timbang")
    with db.transaction() as s:
        reversal.post_reversal(s, fix, gr["manager"], False, day=TODAY)
    with db.reading() as s:
        assert (stock.on_hand(s, goods["rice_id"]), s.get(Product, goods["rice_id"]).cost) == \
            (20_000, 11_000)
        assert stock.discrepancies(s) == []
        assert s.scalars(select(GoodsReceiptLine.pack_qty)
                         .where(GoodsReceiptLine.receipt_id == fix)).all() == [1]
