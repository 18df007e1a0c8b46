"""Every product search box finds a scanned or typed barcode or SKU (exact code first, then the
word search), on SQLite and PostgreSQL: the service and each screen's search endpoint."""
from __future__ import annotations

import pytest

from pos.inventory.catalog import lookup
from pos.inventory.catalog.products import add_barcode
from pos.inventory.counts import counting
from pos.inventory.receiving import receipts
from tests.factories import ean13, login, make_product, make_user

HX = {"HX-Request": "true"}


@pytest.fixture
def goods(db):
    with db.transaction() as s:
        code, carton, other = ean13(), ean13(), ean13()
        minyak = make_product(s, sku="MNY-BIMOLI-1L", name="Minyak Goreng Bimoli 1 L", barcodes_=[code])
        add_barcode(s, minyak.id, carton, 12)
        # another product whose name contains the same digits as a word: the code still wins
        make_product(s, sku="T-LAIN", name=f"Paket {code} hadiah", barcodes_=[other])
        gone = make_product(s, sku="OLD-1", name="Minyak lama", barcodes_=[ean13()])
        gone.active = False
        return {"minyak": minyak.id, "code": code, "carton": carton, "gone": gone.id,
                "gone_code": gone.barcodes[0].code,
                "manager": make_user(s, "manajer1", "manager").id}


def found(db, text):
    with db.reading() as s:
        return [row["id"] for row in lookup.search(s, text)]


def test_a_barcode_or_sku_finds_its_product_first(db, goods):
    assert found(db, goods["code"])[0] == goods["minyak"]
    assert len(found(db, goods["code"])) == 2               # then the word match
    assert found(db, f"  {goods['carton']} ") == [goods["minyak"]]   # a carton's code
    assert found(db, "MNY-BIMOLI-1L") == [goods["minyak"]]
    assert found(db, "mny-bimoli-1l") == [goods["minyak"]]  # typed in small letters
    assert found(db, goods["gone_code"]) == []              # inactive goods stay hidden
    assert found(db, "bimoli") == [goods["minyak"]]         # words work as before
    assert found(db, "8990000000000") == []


def test_every_search_box_finds_a_scanned_code(app, db, goods):
    with db.transaction() as s:
        supplier = receipts.create_supplier(s, "Toko Grosir", "lainnya")
        receipt_id = receipts.create_draft(s, supplier, "SJ-1", goods["manager"])
        count_id = counting.open_count(s, "all", goods["manager"])
    client = app.test_client()
    login(client, goods["manager"])
    code = goods["carton"]
    for url in (f"/katalog?q={code}", f"/barang/cari?q={code}", f"/penerimaan/{receipt_id}/cari?q={code}",
                f"/opname/{count_id}/cari?q={code}", f"/penyesuaian/cari?q={code}"):
        response = client.get(url, headers=HX)
        assert response.status_code == 200, url
        assert "Minyak Goreng Bimoli 1 L" in response.get_data(as_text=True), url


def test_the_catalog_finds_a_name_in_cyrillic_thai_and_chinese(app, db, goods):
    with db.transaction() as s:
        for sku, name in (("RU-1", "Беляш Русский 250 g"), ("TH-1", "ข้าวหอมมะลิ 5 kg"),
                          ("CN-1", "田中 大米 5kg")):
            make_product(s, sku=sku, name=name)
    client = app.test_client()
    login(client, goods["manager"])
    for typed, name in (("Беляш", "Беляш Русский 250 g"), ("ข้าวหอม", "ข้าวหอมมะลิ 5 kg"),
                        ("大米", "田中 大米 5kg")):
        page = client.get("/katalog", query_string={"q": typed}).get_data(as_text=True)
        assert name in page and "Tidak ada barang aktif yang cocok" not in page, typed


def test_the_search_counts_a_batch_tracked_goods_expired_batches_beside_its_stock_not_in_it(db):
    """Captopril whose only batch expires today has 0 to sell and 40 expired; Bodrex 139 good
    and 5 expired; a good without batches keeps its whole stock; without a date, all of it."""
    from datetime import date

    from pos.inventory import stock
    from pos.inventory.models import MovementKind
    today = date(2026, 12, 7)
    with db.transaction() as s:
        make_product(s, name="Captopril 25 mg", business_unit="apotek", batch_tracked=True,
                     on_hand=40, expiry=today)
        bodrex = make_product(s, name="Bodrex tablet", business_unit="apotek", batch_tracked=True,
                              on_hand=139, expiry=date(2028, 1, 1))
        old = stock.ensure_batch(s, bodrex.id, "BDX-OLD", date(2026, 11, 30))
        stock.move(s, bodrex, 5, MovementKind.RECEIPT, reason="uji", batch_id=old)
        make_product(s, name="Captopril kotak kosong", on_hand=7)
    with db.reading() as s:
        shown = {r["name"]: (r["on_hand"], r["expired"]) for r in lookup.search(s, "captopril", today=today)}
        bodrex_row = lookup.search(s, "bodrex", today=today)[0]
        undated = lookup.search(s, "bodrex")[0]
    assert shown == {"Captopril 25 mg": (0, 40), "Captopril kotak kosong": (7, 0)}
    assert (bodrex_row["on_hand"], bodrex_row["expired"]) == (139, 5)
    assert (undated["on_hand"], undated["expired"]) == (144, 0)


def test_the_till_and_receiving_searches_show_the_stock_to_sell_and_the_expired_beside_it(app, db, goods):
    from datetime import timedelta

    from pos.clock import business_date, utcnow
    today = business_date(utcnow(), "Asia/Makassar")
    with db.transaction() as s:
        make_product(s, name="Captopril 25 mg", business_unit="apotek", batch_tracked=True,
                     on_hand=40, expiry=today)
        make_product(s, name="Captopril baru", business_unit="apotek", batch_tracked=True,
                     on_hand=12, expiry=today + timedelta(days=1))
        supplier = receipts.create_supplier(s, "PBF Sehat", "lainnya")
        receipt_id = receipts.create_draft(s, supplier, "SJ-2", goods["manager"])
    client = app.test_client()
    login(client, goods["manager"])
    for url in ("/kasir/cari?q=captopril", f"/penerimaan/{receipt_id}/cari?q=captopril"):
        page = " ".join(client.get(url, headers=HX).get_data(as_text=True).split())
        assert "stok 0 + 40 kedaluwarsa" in page and "stok 40" not in page, (url, page)
        assert "stok 12<" in page, (url, page)
