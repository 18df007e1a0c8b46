"""A receipt line's cost follows its pack: switching loose rice from kg to karung 50 kg turns
Rp11.475 per kg into Rp573.750 per karung (the cost per base unit kept), unless the clerk typed
a cost in the same edit. Before, the cost stayed Rp11.475 and was read per karung."""
from __future__ import annotations

import pytest

from pos.errors import PosError
from pos.inventory.catalog.models import Product
from pos.inventory.catalog.packs import add_pack
from pos.inventory.receiving import posting, receipts
from pos.inventory.receiving.costing import pack_cost
from pos.inventory.receiving.models import GoodsReceiptLine
from pos.inventory.receiving.receipts import LineValues
from tests.factories import login, make_product, make_user, outlet_today

HX = {"HX-Request": "true"}


@pytest.fixture
def rice(db):
    """(clerk id, receipt id, line id, product id): a draft with 500 kg of loose rice at
    Rp11.475 per kg, the rice having a karung 50 kg, a kantong 2,5 kg and a sak 3 kg."""
    with db.transaction() as s:
        clerk = make_user(s, "gudang", "clerk", "2222").id
        supplier = receipts.create_supplier(s, "Bulog Sub Divre", "bulog")
        product = make_product(s, name="Beras Curah", base_unit="gram", price=13_000,
                               cost=11_000, on_hand=0).id
        for name, qty in (("karung 50 kg", 50_000), ("kantong 2,5 kg", 2_500), ("sak 3 kg", 3_000)):
            add_pack(s, product, name, qty)
        receipt = receipts.create_draft(s, supplier, "DO-BERAS-1", clerk)
        line = receipts.add_line(s, receipt, product, "kg", 500, 11_475)
    return clerk, receipt, line, product


def change(db, rice, pack, qty, cost):
    _clerk, receipt, line, _product = rice
    with db.transaction() as s:
        receipts.update_line(s, receipt, line, LineValues(pack, qty, cost))
    return stored(db, rice)


def stored(db, rice):
    with db.reading() as s:
        line = s.get(GoodsReceiptLine, rice[2])
        return line.pack_name, line.pack_qty, line.qty_packs, line.cost_per_pack


@pytest.mark.parametrize("cost, from_qty, to_qty, converted", [
    (11_475, 1_000, 50_000, 573_750),    # kg -> karung 50 kg
    (573_750, 50_000, 1_000, 11_475),    # and back
    (11_475, 1_000, 2_500, 28_688),      # 28.687,5 rounds half up
    (50_000, 24, 1, 2_083),              # karton 24 -> pcs: 2.083,33 rounds down
    (1_001, 2, 1, 501),                  # half rounds up
])
def test_pack_cost_keeps_the_cost_per_base_unit(cost, from_qty, to_qty, converted):
    assert pack_cost(cost, from_qty, to_qty) == converted


def test_a_new_pack_converts_the_cost_both_ways(db, rice):
    assert change(db, rice, "karung 50 kg", 10, 11_475) == ("karung 50 kg", 50_000, 10, 573_750)
    assert change(db, rice, "kg", 500, 573_750) == ("kg", 1_000, 500, 11_475)


def test_a_pack_that_does_not_divide_evenly_rounds_half_up_once(db, rice):
    assert change(db, rice, "kantong 2,5 kg", 200, 11_475) == ("kantong 2,5 kg", 2_500, 200, 28_688)
    # kantong 2,5 kg -> sak 3 kg: 28.688 x 3000 / 2500 = 34.425,6, from the stored cost
    assert change(db, rice, "sak 3 kg", 100, 28_688) == ("sak 3 kg", 3_000, 100, 34_426)
    assert change(db, rice, "kg", 300, 34_426) == ("kg", 1_000, 300, 11_475)   # 11.475,33


def test_a_cost_typed_with_the_pack_change_wins(db, rice):
    assert change(db, rice, "karung 50 kg", 10, 560_000) == ("karung 50 kg", 50_000, 10, 560_000)
    # the same pack again: the cost is the clerk's, nothing to convert
    assert change(db, rice, "KARUNG 50 KG", 12, 555_000) == ("karung 50 kg", 50_000, 12, 555_000)
    # back to kg with the cost left alone: the typed karung price converted (Rp11.100 per kg)
    assert change(db, rice, "kg", 600, 555_000) == ("kg", 1_000, 600, 11_100)


def test_the_posted_cost_is_the_converted_one_and_the_posted_line_stays(db, rice):
    clerk, receipt, line, product = rice
    change(db, rice, "karung 50 kg", 10, 11_475)
    with db.transaction() as s:
        posting.post(s, receipt, clerk, outlet_today())
        assert s.get(Product, product).cost == 11_475          # per kg, as it was
    with pytest.raises(PosError, match="sudah diposting"), db.transaction() as s:
        receipts.update_line(s, receipt, line, LineValues("kg", 10, 573_750))
    assert stored(db, rice) == ("karung 50 kg", 50_000, 10, 573_750)


def test_a_converted_cost_too_large_is_refused_and_changes_nothing(db, rice):
    _clerk, receipt, line, product = rice
    with db.transaction() as s:
        add_pack(s, product, "bal 1 ton", 1_000_000)          # the largest pack there is
    change(db, rice, "kg", 500, 1_147_500)                    # Rp1.147.500.000 per bal
    with pytest.raises(PosError, match="lebih dari Rp1.000.000.000"), db.transaction() as s:
        receipts.update_line(s, receipt, line, LineValues("bal 1 ton", 1, 1_147_500))
    assert stored(db, rice) == ("kg", 1_000, 500, 1_147_500)


def test_the_screen_sends_the_converted_cost_back(client, db, rice):
    clerk, receipt, line, _product = rice
    login(client, clerk)
    form = {"pack_name": "karung 50 kg", "qty_packs": "10", "ordered_packs": "",
            "damaged_packs": "0", "cost_per_pack": "11.475", "reason": ""}
    saved = client.post(f"/penerimaan/{receipt}/baris/{line}", data=form, headers=HX)
    html = saved.get_data(as_text=True)
    assert saved.status_code == 200
    assert f'id="l{line}-cost"' in html and 'value="573.750"' in html and 'hx-swap-oob="true"' in html
    assert "Rp5.737.500" in html                                    # 10 karung, the line's total
    assert "dihitung dari harga per kemasan sebelumnya" in html
    # the next edit (the quantity) sends the converted cost: nothing converted, no field sent
    form.update(qty_packs="12", cost_per_pack="573750")
    again = client.post(f"/penerimaan/{receipt}/baris/{line}", data=form, headers=HX)
    assert f'id="l{line}-cost"' not in again.get_data(as_text=True)
    assert stored(db, rice) == ("karung 50 kg", 50_000, 12, 573_750)
