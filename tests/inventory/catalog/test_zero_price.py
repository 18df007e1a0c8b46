"""A selling price of Rp0 is refused: on the product form (new and edit), in a catalog import
(new and existing rows) and by ``create_product`` itself, changing nothing.  Before, such a
product was saved and then sold at Rp0 at the till.  A cost of Rp0 (bonus goods) stays fine."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pos.inventory.catalog import maintenance, products, spreadsheets, transfer
from pos.inventory.catalog.models import PriceChange, Product
from pos.inventory.catalog.products import CatalogError
from pos.inventory.catalog.transfer import ImportErrors
from tests.factories import loaded, login, make_product, make_user

MESSAGE = "Harga jual harus lebih dari Rp0."


@pytest.fixture
def manager(db):
    with db.transaction() as s:
        return make_user(s, "manajer", "manager", "1234").id


@pytest.fixture
def oil(db):
    with db.transaction() as s:
        return make_product(s, sku="MNY-1", name="Minyak Goreng 1 L", price=18_000, cost=15_000,
                            on_hand=0).id


def catalog(db):
    with db.reading() as s:
        return (s.scalar(select(func.count()).select_from(Product)),
                s.scalar(select(func.count()).select_from(PriceChange)),
                s.scalar(select(Product.price).where(Product.sku == "MNY-1")))


@pytest.mark.parametrize("price", ["0", "Rp0", "0.000", 0])
def test_the_services_refuse_a_zero_price(db, manager, oil, price):
    before = catalog(db)
    with pytest.raises(CatalogError, match=MESSAGE), db.transaction() as s:
        maintenance.update_product(s, oil, {"price": price}, manager)
    with pytest.raises(CatalogError, match=MESSAGE), db.transaction() as s:
        maintenance.new_product(s, "GRATIS-1", {"name": "Gratis", "price": price,
                                                "business_unit": "sembako"}, manager)
    assert catalog(db) == before


def test_create_product_refuses_a_zero_price_and_keeps_a_zero_cost(db):
    with pytest.raises(CatalogError, match=MESSAGE), db.transaction() as s:
        products.create_product(s, sku="NOL-1", name="Nol", price=0, business_unit="sembako")
    with db.transaction() as s:
        assert products.create_product(s, sku="BONUS-1", name="Bonus", price=1_000, cost=0,
                                       business_unit="sembako").cost == 0


def test_the_product_forms_refuse_a_zero_price(client, db, manager, oil):
    login(client, manager)
    before = catalog(db)
    new = client.post("/katalog", data={"sku": "GRATIS-1", "name": "Gratis", "price": "0",
                                        "business_unit": "sembako", "base_unit": "pcs"})
    assert new.status_code == 422 and MESSAGE in new.get_data(as_text=True)
    # the catalogue stays beside the form (it said "Belum ada barang." after a refusal)
    assert "Belum ada barang" not in new.get_data(as_text=True) and "Minyak" in new.get_data(as_text=True)
    edit = client.post(f"/katalog/{oil}", data=loaded(client, oil) | {"price": "0", "cost": "15.000"})
    assert edit.status_code == 422 and MESSAGE in edit.get_data(as_text=True)
    assert catalog(db) == before


def test_an_import_names_a_zero_price_row_and_writes_nothing(db, oil):
    rows = spreadsheets.read_csv("\n".join([
        "sku,name,business_unit,price",
        "BARU-1,Barang baru,sembako,5000",
        "BARU-2,Barang gratis,sembako,0",      # row 3: a new product at Rp0
        "MNY-1,Minyak Goreng 1 L,sembako,0",   # row 4: an existing one set to Rp0
    ]).encode())
    before = catalog(db)
    with pytest.raises(ImportErrors) as caught, db.transaction() as s:
        transfer.import_rows(s, rows, None)
    errors = caught.value.errors
    assert any(e.startswith("Baris 3: ") and MESSAGE in e for e in errors), errors
    assert any(e.startswith("Baris 4: ") and MESSAGE in e for e in errors), errors
    assert not any(e.startswith("Baris 2:") for e in errors)
    assert catalog(db) == before
