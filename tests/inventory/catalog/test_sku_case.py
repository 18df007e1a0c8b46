"""One code finds one thing, in any letter case: UMK-9003 and umk-9003 were both accepted, and
the till's scan of umk-9003 added one while its F2 search added the other, the stock card showed
the capital one and ``pos doctor`` said "tidak ada kode ganda"."""
from __future__ import annotations

import pytest
from sqlalchemy import insert, select

from pos.health_checks.catalog import codes as codes_check
from pos.inventory import stock
from pos.inventory.catalog import lookup, products, spreadsheets, transfer
from pos.inventory.catalog.models import Product
from pos.inventory.catalog.products import CatalogError
from pos.inventory.catalog.transfer import ImportErrors
from pos.reports.stock_card import find_product
from tests.factories import make_product


def test_a_sku_differing_only_in_case_is_refused_naming_its_holder(db):
    with db.transaction() as s:
        make_product(s, sku="UMK-9003", name="Keripik Pisang", barcodes_=[], on_hand=0)
    with pytest.raises(CatalogError) as caught, db.transaction() as s:
        products.create_product(s, sku="umk-9003", name="Lain", price=1_000, business_unit="umkm")
    assert caught.value.message == "SKU umk-9003 sudah dipakai sebagai SKU UMK-9003 barang Keripik Pisang."
    rows = spreadsheets.read_csv(b"sku,name,business_unit,price\numk-9003,Lain,umkm,1000\n"
                                 b"BARU-1,Baru,umkm,1000\nbaru-1,Baru kecil,umkm,1000")
    with pytest.raises(ImportErrors) as caught, db.transaction() as s:
        transfer.import_rows(s, rows, None)
    assert caught.value.errors == [
        "Baris 2: SKU umk-9003 sudah dipakai sebagai SKU UMK-9003 barang Keripik Pisang.",
        "Baris 4: SKU baru-1 sudah dipakai sebagai SKU BARU-1 di baris 3."]
    with db.reading() as s:
        assert s.scalars(select(Product.sku).order_by(Product.sku)).all() == ["UMK-9003"]


def _two_made_before(db) -> tuple[int, int]:
    with db.transaction() as s:
        capital = make_product(s, sku="UMK-9003", name="Keripik Pisang", barcodes_=[]).id
        small = s.execute(insert(Product).values(
            sku="umk-9003", name="Keripik Singkong", price=9_000, cost=0, business_unit="umkm",
            base_unit="pcs", tax_class="ppn").returning(Product.id)).scalar_one()
        stock.open_levels(s, [small])
    return capital, small


def test_lookups_find_the_exact_sku_first_then_the_capitals(db):
    capital, small = _two_made_before(db)
    with db.reading() as s:
        for typed, wanted in (("umk-9003", small), ("UMK-9003", capital), ("Umk-9003", capital)):
            assert lookup.lookup_barcode(s, typed).product_id == wanted, typed
            assert lookup.search(s, typed)[0]["id"] == wanted, typed
            assert find_product(s, typed).id == wanted, typed


def test_doctor_lists_skus_differing_only_in_case(db):
    _two_made_before(db)
    with db.reading() as s:
        check = codes_check(s)
    assert check.summary == "1 kode ganda", check.summary
    assert "UMK-9003" in check.problem and "umk-9003" in check.problem
