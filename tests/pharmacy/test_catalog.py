"""The drug class and the most per sale in the catalog: the product page, import and export
(columns ``golongan_obat`` and ``maks_per_transaksi``)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from pos.inventory.catalog import maintenance, spreadsheets, transfer
from pos.inventory.catalog.models import DrugClass, Product
from pos.inventory.catalog.products import CatalogError
from pos.inventory.catalog.transfer import ImportErrors
from tests.factories import loaded, login, make_product, make_user


@pytest.fixture
def obat(db):
    with db.transaction() as s:
        manager = make_user(s, "manajer1", "manager", "9999").id
        product = make_product(s, sku="OBH-01", name="OBH Combi", price=15_000, cost=12_000,
                               business_unit="apotek", batch_tracked=True, on_hand=5)
    return dict(manager=manager, product=product.id)


def classes(db):
    with db.reading() as s:
        return [(p.sku, p.drug_class, p.max_per_sale)
                for p in s.scalars(select(Product).order_by(Product.sku))]


@pytest.mark.parametrize("typed, expected", [
    ("keras", DrugClass.KERAS), ("Bebas Terbatas", DrugClass.BEBAS_TERBATAS),
    ("obat bebas terbatas", DrugClass.BEBAS_TERBATAS), ("NARKOTIKA", DrugClass.NARKOTIKA),
    ("", None), (DrugClass.BEBAS, DrugClass.BEBAS)])
def test_the_drug_class_is_read_as_typed(typed, expected):
    assert maintenance.clean("drug_class", typed) is expected


@pytest.mark.parametrize("field, typed, message", [
    ("drug_class", "jamu", "Golongan obat 'jamu' tidak dikenal"),
    ("max_per_sale", "0", r"Maks. per transaksi harus antara 1 dan 10\.000\."),
    ("max_per_sale", "dua", "harus angka bulat")])
def test_bad_values_are_refused(field, typed, message):
    with pytest.raises(CatalogError, match=message):
        maintenance.clean(field, typed)


def test_the_product_page_shows_and_edits_the_class(client, db, obat):
    login(client, obat["manager"])
    page = client.get(f"/katalog/{obat['product']}").get_data(as_text=True)
    assert 'id="f-drug_class"' in page and "Obat bebas terbatas" in page and 'id="drug-class"' not in page
    form = {"drug_class": "bebas_terbatas", "max_per_sale": "2", "name": "OBH Combi"}
    assert client.post(f"/katalog/{obat['product']}",
                       data=loaded(client, obat['product']) | form).status_code == 303
    assert classes(db) == [("OBH-01", DrugClass.BEBAS_TERBATAS, 2)]
    page = client.get(f"/katalog/{obat['product']}").get_data(as_text=True)
    assert "Obat bebas terbatas, maks. 2 per transaksi" in page
    unset = loaded(client, obat["product"]) | {"drug_class": "", "max_per_sale": ""}
    assert client.post(f"/katalog/{obat['product']}", data=unset).status_code == 303
    assert classes(db) == [("OBH-01", None, None)]


def test_import_sets_and_export_shows_the_class(db, obat):
    rows = spreadsheets.read_csv(
        b"sku,name,business_unit,price,golongan_obat,maks_per_transaksi\n"
        b"OBH-01,,,,bebas terbatas,3\n"
        b"AMX-500,Amoxicillin 500 mg,apotek,9000,keras,\n")
    with db.transaction() as s:
        summary = transfer.import_rows(s, rows, obat["manager"])
    assert (summary["created"], summary["updated"]) == (1, 1)
    assert classes(db) == [("AMX-500", DrugClass.KERAS, None),
                           ("OBH-01", DrugClass.BEBAS_TERBATAS, 3)]
    with db.reading() as s:
        exported = {r["sku"]: r for r in transfer.export_rows(s)}
    assert (exported["OBH-01"]["golongan_obat"], exported["OBH-01"]["maks_per_transaksi"]) == \
        ("bebas_terbatas", 3)
    assert "golongan_obat,maks_per_transaksi" in spreadsheets.to_csv(list(exported.values()))
    # an empty cell takes the class away, like the HET or the shelf
    with db.transaction() as s:
        transfer.import_rows(s, spreadsheets.read_csv(
            b"sku,golongan_obat,maks_per_transaksi\nOBH-01,,\n"), obat["manager"])
    assert classes(db)[1] == ("OBH-01", None, None)


def test_a_bad_class_in_a_file_names_its_row_and_saves_nothing(db, obat):
    rows = spreadsheets.read_csv(b"sku,golongan_obat\nOBH-01,keras\nOBH-01X,racikan\n")
    with pytest.raises(ImportErrors) as caught, db.transaction() as s:
        transfer.import_rows(s, rows, obat["manager"])
    assert any(e.startswith("Baris 3: Golongan obat 'racikan' tidak dikenal")
               for e in caught.value.errors)
    assert classes(db) == [("OBH-01", None, None)]
