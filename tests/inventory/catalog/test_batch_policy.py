"""A batch-tracked product is never sold below zero (a batch never goes under nought), so "Boleh
minus" for it is refused, wherever it is set: it was saved and "Tersimpan: aturan stok." said,
while the till went on refusing the sale."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from pos.inventory.catalog import maintenance, products
from pos.inventory.catalog.models import PriceChange, Product, StockPolicy
from pos.inventory.catalog.products import CatalogError
from tests.factories import loaded, login, make_product, make_user
from tests.inventory.catalog.test_transfer import csv_rows, errors_of

REFUSED = "Barang ber-batch tidak bisa dijual minus"


@pytest.fixture
def manager(db):
    with db.transaction() as s:
        return make_user(s, "manajer", "manager", "1234").id


def made(db, **values) -> int:
    with db.transaction() as s:
        return make_product(s, on_hand=0, **values).id


def policy_and_log(db, product_id):
    with db.reading() as s:
        p = s.get(Product, product_id)
        return p.batch_tracked, p.stock_policy, s.scalars(
            select(PriceChange.field).where(PriceChange.product_id == product_id,
                                            PriceChange.field != "created")).all()


def test_allow_on_a_batch_product_is_refused_and_changes_nothing(db, manager):
    medicine = made(db, batch_tracked=True)
    with db.transaction() as s, pytest.raises(CatalogError, match=REFUSED):
        maintenance.update_product(s, medicine, {"stock_policy": "allow"}, manager)
    assert policy_and_log(db, medicine) == (True, StockPolicy.BLOCK, [])


def test_batches_switched_on_with_allow_at_once_are_refused(db, manager):
    soap = made(db, stock_policy="allow")
    with db.transaction() as s, pytest.raises(CatalogError, match=REFUSED):
        maintenance.update_product(s, soap, {"batch_tracked": "1", "stock_policy": "allow"}, manager)
    assert policy_and_log(db, soap) == (False, StockPolicy.ALLOW, [])


def test_batches_switched_on_alone_refuse_the_sale_below_zero_from_then_on(db, manager):
    soap = made(db, stock_policy="allow")
    with db.transaction() as s:
        changed = maintenance.update_product(s, soap, {"batch_tracked": "1"}, manager)
    assert sorted(changed) == ["batch_tracked", "stock_policy"]
    assert policy_and_log(db, soap) == (True, StockPolicy.BLOCK, ["batch_tracked", "stock_policy"])


def test_a_new_batch_product_with_allow_is_refused(db, manager):
    with db.transaction() as s, pytest.raises(CatalogError, match=REFUSED):
        products.create_product(s, sku="OBT-1", name="Obat", price=5_000, business_unit="apotek",
                                batch_tracked=True, stock_policy="allow")
    with db.transaction() as s, pytest.raises(CatalogError, match=REFUSED):
        maintenance.new_product(s, "OBT-2", {"name": "Obat", "price": "5000", "business_unit": "apotek",
                                             "batch_tracked": "ya", "stock_policy": "allow"}, manager)
    with db.reading() as s:
        assert s.scalar(select(Product.id).where(Product.sku.in_(["OBT-1", "OBT-2"]))) is None


def test_a_catalogue_file_setting_allow_on_batches_is_refused_by_row(db):
    made(db, sku="OBT-9", batch_tracked=True)
    made(db, sku="SBN-9", stock_policy="allow")
    header = "sku,name,business_unit,price,batch_tracked,stock_policy"
    errors = errors_of(db, csv_rows("OBT-9,,,,,allow", "SBN-9,,,,ya,allow",
                                    "OBT-NEW,Obat baru,apotek,5000,ya,allow",
                                    "SBN-OK,Sabun,sembako,5000,tidak,allow", header=header))
    for line in (2, 3, 4):
        assert any(e.startswith(f"Baris {line}: ") and REFUSED in e for e in errors), (line, errors)
    assert not any(e.startswith("Baris 5:") for e in errors), errors
    with db.reading() as s:
        assert s.scalar(select(Product.stock_policy).where(Product.sku == "OBT-9")) is StockPolicy.BLOCK
        assert s.scalar(select(Product.id).where(Product.sku == "OBT-NEW")) is None


def test_the_product_form_refuses_it_with_the_reason_and_saves_nothing(db, client, manager):
    medicine = made(db, name="Amoxicillin 500", batch_tracked=True, business_unit="apotek")
    login(client, manager)
    page = client.get(f"/katalog/{medicine}").get_data(as_text=True)
    assert "Boleh minus" not in page.split('name="stock_policy"')[1].split("</select>")[0]
    form = {"name": "Amoxicillin 500", "price": "10.000", "cost": "8.000", "tax_class": "ppn",
            "business_unit": "apotek", "base_unit": "pcs", "stock_policy": "allow",
            "reorder_point": "0", "shelf": "", "plu": "", "category": "", "weighed": "0",
            "batch_tracked": ["0", "1"], "active": ["0", "1"], "reason": ""}
    answer = client.post(f"/katalog/{medicine}", data=loaded(client, medicine) | form)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422 and REFUSED in html and "Tersimpan" not in html
    assert policy_and_log(db, medicine) == (True, StockPolicy.BLOCK, [])
