"""A typed SKU stands for its product, one base pack of it (a piece, a kg or a litre), as a
pick by name does.  Before, a SKU was read as a code worth 1 base unit: on a receipt a loose
good's SKU (SBK-0160, Beras Medium Curah) was refused as "Kode ini berisi 1 gram ...", and at
the till it added 1 gram of a good that is weighed."""
from __future__ import annotations

import pytest

from pos.inventory.catalog import lookup
from pos.inventory.receiving import receipts, scanning
from pos.inventory.receiving.models import GoodsReceipt
from pos.sales import scanning as till_scanning
from tests.factories import login, make_product, make_till, make_user

HX = {"HX-Request": "true"}


@pytest.fixture
def goods(db):
    """(clerk id, receipt id, product ids by name): a draft and a loose, weighed rice, a
    litre of oil kept in ml and a piece good, each with its own SKU."""
    with db.transaction() as s:
        clerk = make_user(s, "gudang", "clerk", "2222").id
        supplier = receipts.create_supplier(s, "Bulog Sub Divre", "bulog")
        ids = dict(
            rice=make_product(s, sku="SBK-0160", name="Beras Medium Curah", base_unit="gram",
                              weighed=True, price=13_000, cost=11_000, on_hand=0).id,
            oil=make_product(s, sku="SBK-0162", name="Minyak Curah", base_unit="ml",
                             price=16_000, cost=14_000, on_hand=0).id,
            soap=make_product(s, sku="PPK-0001", name="Sabun", price=4_000, cost=3_000,
                              on_hand=0).id)
        receipt = receipts.create_draft(s, supplier, "DO-1", clerk)
    return clerk, receipt, ids


def test_a_sku_is_one_base_pack_of_its_product(db, goods):
    _clerk, _receipt, ids = goods
    with db.reading() as s:
        assert lookup.lookup_barcode(s, "SBK-0160").qty == 1_000     # 1 kg, not 1 gram
        assert lookup.lookup_barcode(s, "SBK-0162").qty == 1_000     # 1 litre
        assert lookup.lookup_barcode(s, "PPK-0001").qty == 1


def test_a_sku_typed_in_small_letters_is_found_as_search_finds_it(db, goods):
    """``apt-0001`` at the till or on a receipt was "Barang dengan kode apt-0001 tidak
    ditemukan." while F2's search and the kartu stok found it."""
    _clerk, _receipt, ids = goods
    with db.reading() as s:
        assert lookup.lookup_barcode(s, "ppk-0001").product_id == ids["soap"]
        assert lookup.lookup_barcode(s, "Sbk-0160").qty == 1_000
        with pytest.raises(lookup.UnknownBarcode, match="kode ppk-0009 tidak ditemukan"):
            lookup.lookup_barcode(s, "ppk-0009")


def test_a_typed_sku_adds_the_line_a_pick_by_name_adds(db, goods):
    _clerk, receipt, ids = goods
    with db.transaction() as s:
        for code in ("SBK-0160", "SBK-0162", "PPK-0001", "SBK-0160"):
            scanning.scan(s, receipt, code)
        scanning.add_product(s, receipt, ids["rice"])
    with db.reading() as s:
        lines = [(line.product_id, line.pack_name, line.pack_qty, line.qty_packs)
                 for line in s.get(GoodsReceipt, receipt).lines]
    assert lines == [(ids["rice"], "kg", 1_000, 3), (ids["oil"], "liter", 1_000, 1),
                     (ids["soap"], "pcs", 1, 1)]


def test_the_receiving_screen_takes_a_typed_sku(client, db, goods):
    clerk, receipt, _ids = goods
    login(client, clerk)
    added = client.post(f"/penerimaan/{receipt}/pindai", data={"code": "SBK-0160"}, headers=HX)
    html = added.get_data(as_text=True)
    assert added.status_code == 200 and "Beras Medium Curah" in html and "1 gram" not in html


def test_the_till_weighs_a_weighed_good_typed_by_sku(db, goods):
    _clerk, _receipt, ids = goods
    with db.transaction() as s:
        till = make_till(s)
        assert till_scanning.scan(s, till.id, "SBK-0160").weigh == ids["rice"]
        oil = till_scanning.scan(s, till.id, "SBK-0162")          # not weighed: one litre
        assert oil.weigh is None and oil.line_id is not None
