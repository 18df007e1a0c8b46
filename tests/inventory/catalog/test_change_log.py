"""The catalog's change log: every field the product form, its barcode and pack lists, the
receiving screen's Tambah kemasan and a catalog file change is logged with who, when and why,
old and new in words, and shown on the product page (Riwayat perubahan) and in the audit log; a
refused change logs nothing."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from pos.clock import utcnow
from pos.inventory.catalog import history, maintenance, spreadsheets, transfer
from pos.inventory.catalog.models import LpgKind, PackUnit, PriceChange, Product
from pos.inventory.receiving import receipts
from pos.inventory.receiving.models import GoodsReceipt
from pos.reports.audit import audit_log
from tests.factories import ean13, loaded, login, make_product, make_user


@pytest.fixture
def goods(db):
    with db.transaction() as s:
        manager = make_user(s, "manajer", "manager", "1234").id
        lpg = make_product(s, sku="LPG-3", name="LPG 3 kg", price=18_000, cost=16_000, on_hand=0)
        urea = make_product(s, sku="UREA-50", name="Urea bersubsidi", price=2_250, cost=2_000,
                            base_unit="gram", business_unit="pupuk", on_hand=0)
        return {"manager": manager, "lpg": lpg.id, "urea": urea.id}


def log(db, product_id) -> list[tuple]:
    """(field, old, new) in words, who and why, oldest first."""
    with db.reading() as s:
        return [(r["field"], r["old"], r["new"], r["by"], r["reason"])
                for r in reversed(history.changes(s, product_id))]


FORM = {"name": "LPG 3 kg", "category": "", "business_unit": "sembako", "base_unit": "pcs",
        "price": "18.000", "cost": "16.000", "tax_class": "ppn", "stock_policy": "allow",
        "reorder_point": "0", "shelf": "", "plu": "", "drug_class": "", "max_per_sale": "",
        "lpg": "", "subsidy": "", "weighed": "0", "batch_tracked": "0", "active": ["0", "1"]}


def test_the_form_logs_every_field_in_words_and_the_page_shows_it(db, client, goods):
    login(client, goods["manager"])
    response = client.post(f"/katalog/{goods['lpg']}", data=loaded(client, goods['lpg']) | {
        **FORM, "lpg": "new", "stock_policy": "block", "reorder_point": "1500", "shelf": "A1",
        "plu": "1234", "category": "Gas", "business_unit": "lainnya", "active": "0",
        "reason": "tabung baru dari agen"})
    assert response.status_code == 303
    why = "tabung baru dari agen"
    assert sorted(log(db, goods["lpg"])) == sorted([
        ("lpg", "-", "Tabung baru", "Manajer", why),
        ("stock_policy", "Boleh minus, dengan peringatan", "Tolak penjualan", "Manajer", why),
        ("reorder_point", "0", "1.500", "Manajer", why), ("shelf", "-", "A1", "Manajer", why),
        ("plu", "-", "1234", "Manajer", why), ("category", "-", "Gas", "Manajer", why),
        ("business_unit", "Sembako", "Lainnya", "Manajer", why),
        ("active", "ya", "tidak", "Manajer", why)])
    page = client.get(f"/katalog/{goods['lpg']}").get_data(as_text=True)
    table = page[page.index('id="price-history"'):]
    for shown in ("LPG 3 kg", "Tabung baru", "Aturan stok", "Tolak penjualan", "Aktif", "Unit usaha",
                  "Manajer", why):
        assert shown in table


def test_regulated_fields_and_flags_are_logged(db, goods):
    with db.transaction() as s:
        maintenance.update_product(s, goods["urea"], {"subsidy": "urea", "tax_class": "tidak_dipungut",
                                                      "weighed": "ya"}, goods["manager"])
        maintenance.update_product(s, goods["lpg"], {"drug_class": "keras", "max_per_sale": "2",
                                                     "batch_tracked": "1"}, goods["manager"])
        maintenance.update_product(s, goods["lpg"], {"drug_class": "", "price": "19.000"}, None, "naik")
    assert sorted(log(db, goods["urea"])) == [
        ("subsidy", "-", "Urea", "Manajer", None),
        ("tax_class", "PPN", "PPN tidak dipungut", "Manajer", None),
        ("weighed", "tidak", "ya", "Manajer", None)]
    assert sorted(log(db, goods["lpg"])) == [
        ("batch_tracked", "tidak", "ya", "Manajer", None),
        ("drug_class", "-", "Obat keras", "Manajer", None),
        ("drug_class", "Obat keras", "-", None, "naik"),
        ("max_per_sale", "-", "2", "Manajer", None),
        ("price", "Rp18.000", "Rp19.000", None, "naik"),
        # batches switched on with no policy given: never sold below zero, and logged so
        ("stock_policy", "Boleh minus, dengan peringatan", "Tolak penjualan", "Manajer", None)]

def test_a_refused_change_logs_nothing(db, client, goods):
    login(client, goods["manager"])
    # fertiliser is kept in grams: the whole save is refused, the good fields too
    response = client.post(f"/katalog/{goods['lpg']}",
                           data=loaded(client, goods['lpg']) | {**FORM, "subsidy": "urea", "shelf": "B2"})
    assert response.status_code == 422 and "harus bersatuan gram" in response.get_data(as_text=True)
    assert log(db, goods["lpg"]) == []


def test_barcodes_added_and_removed_on_the_page_are_logged(db, client, goods):
    login(client, goods["manager"])
    code = ean13()
    assert client.post(f"/katalog/{goods['lpg']}/barcode", data={"code": code, "qty": "2"}).status_code == 303
    assert client.post(f"/katalog/{goods['lpg']}/barcode/hapus", data={"code": code}).status_code == 303
    assert log(db, goods["lpg"]) == [("barcode", "-", f"{code} (isi 2)", "Manajer", None),
                                     ("barcode", f"{code} (isi 2)", "-", "Manajer", None)]


def test_packs_added_and_removed_on_the_page_or_while_receiving_are_logged(db, client, goods):
    login(client, goods["manager"])
    lpg = goods["lpg"]
    assert client.post(f"/katalog/{lpg}/kemasan", data={"name": "Karton", "qty": "12"}).status_code == 303
    with db.reading() as s:
        pack = s.scalar(select(PackUnit.id).where(PackUnit.product_id == lpg))
    assert client.post(f"/katalog/{lpg}/kemasan/{pack}/hapus").status_code == 303
    refused = client.post(f"/katalog/{lpg}/kemasan", data={"name": "pcs", "qty": "12"},
                          headers={"HX-Request": "true"})
    assert refused.status_code == 422   # the base pack's name: refused, and nothing logged
    assert log(db, lpg) == [("pack", "-", "karton = 12 pcs", "Manajer", None),
                            ("pack", "karton = 12 pcs", "-", "Manajer", None)]
    table = client.get(f"/katalog/{lpg}").get_data(as_text=True).split('id="price-history"')[1]
    assert "Kemasan" in table and "karton = 12 pcs" in table
    with db.transaction() as s:
        supplier = receipts.create_supplier(s, "Distributor Pupuk", "pupuk")
        receipt = receipts.create_draft(s, supplier, "SJ-PACK-1", goods["manager"])
        receipts.add_line(s, receipt, goods["urea"], None, 1, 2_000)
        number = s.get(GoodsReceipt, receipt).number
    response = client.post(f"/penerimaan/{receipt}/kemasan", data={
        "product_id": goods["urea"], "name": "karung 50 kg", "qty": "50"})   # kg
    assert response.status_code in (200, 303)
    assert log(db, goods["urea"]) == [("pack", "-", "karung 50 kg = 50 kg", "Manajer",
                                       f"Penerimaan {number}")]


def test_an_import_logs_what_it_changed_and_what_it_created(db, goods):
    code = ean13()
    rows = spreadsheets.read_csv((
        "sku,name,business_unit,base_unit,price,lpg,subsidi,golongan_obat,active,barcodes\n"
        f"LPG-3,,,,,isi_ulang,,,tidak,{code}\n"
        "UREA-50,,,,,,npk,,,\n"
        "NPK-BARU,NPK baru,pupuk,gram,2300,,npk,,,\n").encode())
    with db.transaction() as s:
        assert transfer.import_rows(s, rows, goods["manager"])["created"] == 1
        new_id = s.scalar(select(Product.id).where(Product.sku == "NPK-BARU"))
    why = "Impor katalog"
    assert sorted(log(db, goods["lpg"])) == [
        ("active", "ya", "tidak", "Manajer", why), ("barcode", "-", code, "Manajer", why),
        ("lpg", "-", "Isi ulang (tukar tabung kosong)", "Manajer", why)]
    assert log(db, goods["urea"]) == [("subsidy", "-", "NPK", "Manajer", why)]
    assert log(db, new_id) == [("created", "-", "-", "Manajer", why)]


def test_a_product_made_on_the_form_is_logged_once_as_created(db, client, goods):
    login(client, goods["manager"])
    response = client.post("/katalog", data={"sku": "LPG-BARU", "name": "LPG 3 kg tabung baru",
                                             "business_unit": "lainnya", "base_unit": "pcs",
                                             "price": "160.000", "lpg": "new"})
    assert response.status_code == 303
    with db.reading() as s:
        new_id = s.scalar(select(Product.id).where(Product.sku == "LPG-BARU"))
    assert log(db, new_id) == [("created", "-", "-", "Manajer", None)]
    assert "Barang baru" in client.get(f"/katalog/{new_id}").get_data(as_text=True)


def test_the_audit_log_shows_product_changes_in_words(db, goods):
    with db.transaction() as s:
        s.add_all([PriceChange(**history.row(goods["lpg"], "lpg", None, LpgKind.NEW, goods["manager"])),
                   PriceChange(**history.row(goods["urea"], "pack", None, "karung = 50 kg",
                                             goods["manager"], as_words=False)),
                   PriceChange(**history.row(goods["urea"], "limit_rule", "Urea 2 karung", None,
                                             goods["manager"])),
                   PriceChange(**history.row(goods["lpg"], "price", 18_000, 19_000, goods["manager"]))])
    today = utcnow().date()
    with db.reading() as s:
        everything = audit_log(s, date.fromordinal(today.toordinal() - 1),
                               date.fromordinal(today.toordinal() + 1), zone="UTC")
        product = audit_log(s, date.fromordinal(today.toordinal() - 1),
                            date.fromordinal(today.toordinal() + 1), zone="UTC", kind="product")
    details = {row["detail"]: row["kind"] for row in everything.rows if row["kind"] != "Akun staf"}
    assert details == {"LPG-3 LPG 3 kg: LPG 3 kg - -> Tabung baru": "Ubah data barang",
                       "UREA-50 Urea bersubsidi: Kemasan - -> karung = 50 kg": "Ubah data barang",
                       "UREA-50 Urea bersubsidi: Batas per pembeli Urea 2 karung -> -": "Ubah data barang",
                       "LPG-3 LPG 3 kg: Harga jual Rp18.000 -> Rp19.000": "Ubah harga/pokok"}
    assert [row["kind"] for row in product.rows] == ["Ubah data barang"] * 3


def test_a_reorder_point_of_goods_kept_in_grams_is_logged_in_kg(db, client, goods):
    """The product page types it in kg (2,5); the log said 0 -> 2.500, in grams."""
    login(client, goods["manager"])
    response = client.post(f"/katalog/{goods['urea']}", data=loaded(client, goods['urea']) | {
        **FORM, "name": "Urea bersubsidi", "base_unit": "gram", "business_unit": "pupuk",
        "price": "2.250", "cost": "2.000", "reorder_point": "2,5"})
    assert response.status_code == 303
    assert ("reorder_point", "0 kg", "2,5 kg", "Manajer", None) in log(db, goods["urea"])
