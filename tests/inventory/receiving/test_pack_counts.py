"""A receipt line's counts follow its pack as its cost does: 100 kg of loose rice moved to
*karung 50 kg* is 2 karung, 2 karung moved back to kg is 100 kg (received, ordered and damaged
alike).  A count that is no whole number of the new pack (2 kg is 0,04 karung) stays as it was
and the screen says at once what it now means (2 karung 50 kg = 100 kg).  Before, every count
silently stayed: a line of 2 kg became 2 karung, 100 kg."""
from __future__ import annotations

from datetime import date

import pytest

from pos.inventory.catalog.packs import add_pack
from pos.inventory.receiving import posting, receipts
from pos.inventory.receiving.models import GoodsReceiptLine
from pos.inventory.receiving.receipts import LineValues
from tests.factories import login, make_product, make_user

HX = {"HX-Request": "true"}


@pytest.fixture
def rice(db):
    """(clerk id, receipt id, line id): 100 kg of loose rice at Rp11.475 per kg on a draft, the
    rice having a karung 50 kg and a kantong 3 kg."""
    with db.transaction() as s:
        clerk = make_user(s, "gudang", "clerk", "2222").id
        supplier = receipts.create_supplier(s, "Bulog Sub Divre", "bulog")
        product = make_product(s, name="Beras Curah", base_unit="gram", price=13_000,
                               cost=11_000, on_hand=0).id
        add_pack(s, product, "karung 50 kg", 50_000)
        add_pack(s, product, "kantong 3 kg", 3_000)
        receipt = receipts.create_draft(s, supplier, "DO-BERAS-1", clerk)
        line = receipts.add_line(s, receipt, product, "kg", 100, 11_475, ordered_packs=150,
                                 damaged_packs=50, reason="sobek")
    return clerk, receipt, line


def change(db, rice, pack, qty, cost, ordered=150, damaged=50):
    _clerk, receipt, line = rice
    with db.transaction() as s:
        receipts.update_line(s, receipt, line, LineValues(pack, qty, cost, ordered, damaged, "sobek"))
    return stored(db, rice)


def stored(db, rice):
    with db.reading() as s:
        line = s.get(GoodsReceiptLine, rice[2])
        return (line.pack_name, line.qty_packs, line.ordered_packs, line.damaged_packs,
                line.cost_per_pack)


def test_counts_that_fit_the_new_pack_are_converted_both_ways(db, rice):
    assert change(db, rice, "karung 50 kg", 100, 11_475) == ("karung 50 kg", 2, 3, 1, 573_750)
    assert change(db, rice, "kg", 2, 573_750, 3, 1) == ("kg", 100, 150, 50, 11_475)


def test_counts_that_do_not_fit_stay_and_counts_typed_with_the_pack_are_kept(db, rice):
    # 100 kg is no whole number of kantong 3 kg: the numbers stay, all of them
    assert change(db, rice, "kantong 3 kg", 100, 11_475) == ("kantong 3 kg", 100, 150, 50, 34_425)
    # a count changed in the same edit is the clerk's, for the new pack
    assert change(db, rice, "karung 50 kg", 4, 34_425) == ("karung 50 kg", 4, 150, 50, 573_750)


def form(pack, qty, cost, ordered="", damaged="0"):
    return {"pack_name": pack, "qty_packs": str(qty), "ordered_packs": str(ordered),
            "damaged_packs": str(damaged), "cost_per_pack": str(cost), "reason": "sobek"}


def test_the_screen_sends_the_converted_counts_back_and_says_so(client, db, rice):
    clerk, receipt, line = rice
    login(client, clerk)
    saved = client.post(f"/penerimaan/{receipt}/baris/{line}",
                        data=form("karung 50 kg", 100, "11.475", 150, 50), headers=HX)
    html = saved.get_data(as_text=True)
    assert saved.status_code == 200
    assert f'id="l{line}-qty"' in html and 'value="2"' in html and 'value="3"' in html
    assert "2 karung 50 kg = 100 kg" in html and "sama seperti sebelumnya" in html


def test_the_screen_says_what_a_count_that_stays_now_means(client, db, rice):
    clerk, receipt, line = rice
    login(client, clerk)
    with db.transaction() as s:
        receipts.update_line(s, receipt, line, LineValues("kg", 2, 11_475))
    saved = client.post(f"/penerimaan/{receipt}/baris/{line}",
                        data=form("karung 50 kg", 2, "11.475"), headers=HX)
    html = saved.get_data(as_text=True)
    assert saved.status_code == 200 and stored(db, rice)[:2] == ("karung 50 kg", 2)
    assert "Jumlah diterima tetap 2" in html and "2 karung 50 kg = 100 kg" in html
    assert "sebelumnya 2 kg" in html and 'role="alert"' in html


@pytest.mark.parametrize("qty, said", [
    ("2001", "2.001 karung 50 kg = 100.050 kg, terlalu banyak untuk satu baris (paling banyak 100.000 kg)"),
    ("5000000", "5.000.000 karung 50 kg = 250.000.000 kg, terlalu banyak untuk satu baris"),
])
def test_too_many_packs_are_refused_with_what_the_line_may_take(db, client, rice, qty, said):
    """The form used to say 0 to 1.000.000 packs, and 2.001 karung was then refused as over
    100.000 kg: each refusal now says what the line holds and the most it may."""
    clerk, receipt, line = rice
    login(client, clerk)
    refused = client.post(f"/penerimaan/{receipt}/baris/{line}",
                          data=form("karung 50 kg", qty, "573.750"), headers=HX)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and said in html and "1.000.000" not in html
    assert stored(db, rice) == ("kg", 100, 150, 50, 11_475)


def test_counts_kept_with_a_cost_typed_for_the_new_pack_are_said_with_what_they_were(client, db, rice):
    """The karung's price typed while the line said kg, then the karung chosen: the price and the
    counts stay as typed (the count likely the karung's too), and the screen says that 100 is now
    100 karung = 5.000 kg where it was 100 kg, 2 karung. Two sacks scanned as 100 kg used to
    become 100 sacks without a word."""
    clerk, receipt, line = rice
    login(client, clerk)
    with db.transaction() as s:
        receipts.update_line(s, receipt, line, LineValues("kg", 100, 573_750, 150, 50, "sobek"))
    saved = client.post(f"/penerimaan/{receipt}/baris/{line}",
                        data=form("karung 50 kg", 100, "573.750", 150, 50), headers=HX)
    html = saved.get_data(as_text=True)
    assert saved.status_code == 200 and stored(db, rice) == ("karung 50 kg", 100, 150, 50, 573_750)
    assert ("Jumlah diterima tetap 100, seperti harga beli yang diketik untuk karung 50 kg: sekarang "
            "100 karung 50 kg = 5.000 kg (sebelumnya 100 kg, yaitu 2 karung 50 kg). Ubah jumlahnya "
            "bila salah.") in " ".join(html.split())
    assert 'role="alert"' in html and "sama seperti sebelumnya" not in html


def test_counts_in_the_screens_words_are_grouped_with_their_unit(client, db, rice):
    """"sama seperti sebelumnya (1250 kg)", and on the posted receipt 2000 beside 2.000 kg and a
    bare 100 for pieces."""
    clerk, receipt, line = rice
    login(client, clerk)
    client.post(f"/penerimaan/{receipt}/baris/{line}", data=form("kg", 1_250, "11.475", 1_500, 0),
                headers=HX)
    sacks = form("karung 50 kg", 1_250, "11.475", 1_500, 0)
    html = client.post(f"/penerimaan/{receipt}/baris/{line}", data=sacks, headers=HX).get_data(as_text=True)
    assert "25 karung 50 kg = 1.250 kg, sama seperti sebelumnya (1.250 kg)" in html
    with db.transaction() as s:
        posting.post(s, receipt, clerk, date(2026, 12, 5))
    page = client.get(f"/penerimaan/{receipt}").get_data(as_text=True)
    assert '<td class="num">25</td>' in page and '<td class="num">30</td>' in page   # received, ordered
    assert '<td class="num">1.250 kg</td>' in page                                   # jumlah dasar
