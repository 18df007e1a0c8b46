"""Catalog maintenance: editing products, the price log, barcodes, packs, and the manager screens."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from pos.errors import NotFound
from pos.inventory import stock
from pos.inventory.catalog import history, lookup, maintenance, packs, products
from pos.inventory.catalog.models import PackUnit, PriceChange, Product, ProductBarcode, StockPolicy, TaxClass
from pos.inventory.catalog.products import CatalogError
from pos.inventory.models import MovementKind
from pos.units import BaseUnit
from tests.factories import ean13, loaded, login, make_product, make_user

HX = {"HX-Request": "true"}


@pytest.fixture
def manager(db):
    with db.transaction() as s:
        return make_user(s, "manajer", "manager", "1234").id


@pytest.fixture
def product_id(db):
    with db.transaction() as s:
        return make_product(s, name="Minyak Goreng 1 L", price=18_000, cost=15_000, het=19_000,
                            on_hand=0).id


def product(db, product_id) -> Product:
    with db.reading() as s:
        found = s.get(Product, product_id)
        assert found.barcodes is not None and found.packs is not None  # loaded before closing
        return found


def price_log(db, product_id):
    with db.reading() as s:
        return s.execute(select(PriceChange.field, PriceChange.old, PriceChange.new,
                                PriceChange.changed_by, PriceChange.reason)
                         .where(PriceChange.product_id == product_id).order_by(PriceChange.id)).all()


def update(db, product_id, changes, user_id=None, reason=None):
    with db.transaction() as s:
        return maintenance.update_product(s, product_id, changes, user_id, reason)


def test_price_edit_logs_old_new_and_who(db, manager, product_id):
    changed = update(db, product_id, {"price": "18.500", "cost": "Rp15.500"},
                     manager, "harga distributor naik")
    assert sorted(changed) == ["cost", "price"]
    assert product(db, product_id).price == 18_500
    assert price_log(db, product_id) == [
        ("price", 18_000, 18_500, manager, "harga distributor naik"),
        ("cost", 15_000, 15_500, manager, "harga distributor naik")]
    with db.reading() as s:
        rows = history.changes(s, product_id)
    assert {row["by"] for row in rows} == {"Manajer"} \
        and rows[0]["label"] in ("Harga jual", "Harga pokok")


def test_same_values_change_nothing_and_log_nothing(db, manager, product_id):
    assert update(db, product_id, {"price": "18000", "name": " Minyak  Goreng 1 L ",
                                   "tax_class": "ppn", "active": "1"}, manager) == []
    assert price_log(db, product_id) == []


def test_het_is_no_catalog_field_any_more(db, manager, product_id):
    """Ceilings are a schedule of their own (pos.het); the catalog neither sets nor checks them:
    a price above the HET sells capped and the HET page lists it."""
    with pytest.raises(CatalogError, match="tidak dapat diubah"):
        update(db, product_id, {"het": "19000"}, manager)
    assert update(db, product_id, {"price": "20.000"}, manager) == ["price"]
    assert price_log(db, product_id) == [("price", 18_000, 20_000, manager, None)]


@pytest.mark.parametrize("changes, message", [
    ({"price": "12.5"}, "tidak valid"),
    ({"price": "-5"}, "tidak valid"),
    ({"reorder_point": "-1"}, "angka bulat"),
    ({"reorder_point": "1.5"}, "angka bulat"),
    ({"tax_class": "ppnbm"}, "tidak dikenal"),
    ({"business_unit": "toko"}, "tidak dikenal"),
    ({"stock_policy": "maybe"}, "tidak dikenal"),
    ({"active": "mungkin"}, "'ya' atau 'tidak'"),
    ({"name": "   "}, "wajib diisi"),
    ({"name": "x" * 121}, "terlalu panjang"),
    ({"shelf": "R" * 21}, "terlalu panjang"),
    ({"plu": "0"}, "antara 1"),
    ({"sku": "LAIN-1"}, "SKU tidak dapat diubah"),
    ({"stock": "100"}, "tidak dapat diubah"),
    ({"weighed": "1"}, "bukan pcs"),
])
def test_invalid_edits_are_refused_and_change_nothing(db, manager, product_id, changes, message):
    before = product(db, product_id)
    with pytest.raises(CatalogError, match=message):
        update(db, product_id, {"cost": "1", **changes}, manager)
    after = product(db, product_id)
    assert (after.price, after.cost, after.name) == (before.price, before.cost, before.name)
    assert price_log(db, product_id) == []


def test_flags_policy_reorder_shelf_plu_and_tax_class(db, manager, product_id):
    update(db, product_id, {"tax_class": "bebas", "stock_policy": "block", "reorder_point": "24",
                            "shelf": "A3", "plu": "123", "active": "tidak", "category": "Minyak"})
    p = product(db, product_id)
    assert (p.tax_class, p.stock_policy, p.reorder_point, p.shelf, p.plu, p.active) == (
        TaxClass.BEBAS, StockPolicy.BLOCK, 24, "A3", 123, False)
    with db.reading() as s:
        assert s.get(Product, product_id).category.name == "Minyak"


def test_plu_is_unique(db, product_id):
    with db.transaction() as s:
        other = make_product(s, base_unit="gram", weighed=True).id
    update(db, other, {"plu": "7"})
    with pytest.raises(CatalogError, match="PLU 7 sudah dipakai"):
        update(db, product_id, {"plu": 7})


def test_rename_reindexes_search_words(db, product_id):
    update(db, product_id, {"name": "Minyak Sawit Bimoli 1 L"})
    with db.reading() as s:
        assert [r["id"] for r in lookup.search(s, "bimoli")] == [product_id]
        assert lookup.search(s, "goreng") == []


def test_base_unit_changes_only_without_movements(db):
    with db.transaction() as s:
        product_id = make_product(s, on_hand=0).id
        moved = make_product(s, on_hand=3).id
    update(db, product_id, {"base_unit": "ml", "weighed": "0"})
    assert product(db, product_id).base_unit is BaseUnit.ML
    with pytest.raises(CatalogError, match="sudah ada mutasi stok"):
        update(db, moved, {"base_unit": "gram"})
    assert product(db, moved).base_unit is BaseUnit.PCS


def test_batch_tracking_cannot_start_over_untracked_stock(db):
    with db.transaction() as s:
        stocked = make_product(s, on_hand=5).id
        empty = make_product(s, on_hand=0).id
    with pytest.raises(CatalogError, match="tidak tercatat per batch"):
        update(db, stocked, {"batch_tracked": True})
    assert product(db, stocked).batch_tracked is False
    update(db, empty, {"batch_tracked": "ya"})
    assert product(db, empty).batch_tracked is True


def test_batch_tracking_cannot_stop_while_batches_hold_stock(db):
    with db.transaction() as s:
        tracked = make_product(s, batch_tracked=True, on_hand=4, expiry=date(2031, 1, 1))
        tracked_id = tracked.id
    with pytest.raises(CatalogError, match="stok per batch"):
        update(db, tracked_id, {"batch_tracked": "0"})
    with db.transaction() as s:
        p = s.get(Product, tracked_id)
        batch = stock.batches_of(s, tracked_id)[0].batch_id
        stock.move(s, p, -4, MovementKind.WRITEOFF, reason="rusak", batch_id=batch)
    update(db, tracked_id, {"batch_tracked": "0"})
    assert product(db, tracked_id).batch_tracked is False


def test_new_product_with_all_fields(db, manager):
    code = ean13()
    with db.transaction() as s:
        made = maintenance.new_product(
            s, "BRS-5", {"name": "Beras SPHP 5 kg", "price": "62.500", "business_unit": "sembako",
                         "tax_class": "bebas", "reorder_point": "10", "shelf": "B1",
                         "category": "Beras"}, manager, [(code, 1)])
        made_id = made.id
    p = product(db, made_id)
    assert (p.sku, p.price, p.reorder_point, p.shelf) == ("BRS-5", 62_500, 10, "B1")
    assert [b.code for b in p.barcodes] == [code]
    with db.transaction() as s, pytest.raises(CatalogError, match="wajib diisi untuk barang baru"):
        maintenance.new_product(s, "X-1", {"name": "Tanpa harga", "business_unit": "umkm"}, manager)
    with db.transaction() as s, pytest.raises(CatalogError, match="SKU"):
        maintenance.new_product(s, "bad sku!", {"name": "A", "price": 1, "business_unit": "umkm"}, None)


def test_barcodes_add_and_remove_with_checks(db, product_id):
    with db.transaction() as s:
        other_code = ean13()
        make_product(s, barcodes_=[other_code])
    code, carton = ean13(), ean13()
    with db.transaction() as s:
        products.add_barcode(s, product_id, code)
        products.add_barcode(s, product_id, carton, "12")
    for raw, qty, message in [(code, 1, "dipakai barang ini"), (other_code, 1, "dipakai barang lain"),
                              ("8991234567890", 1, "angka periksa"), ("<script>", 1, "tidak dikenali"),
                              (ean13(), "0", "lebih dari 0"), (ean13(), "abc", "angka bulat"),
                              ("", 1, "kosong")]:
        with db.transaction() as s, pytest.raises(CatalogError, match=message):
            products.add_barcode(s, product_id, raw, qty)
    assert {(b.code, b.qty) for b in product(db, product_id).barcodes} >= {(code, 1),
                                                                           (carton, 12)}
    with db.transaction() as s:
        products.remove_barcode(s, product_id, code)
    with db.transaction() as s, pytest.raises(NotFound):
        products.remove_barcode(s, product_id, other_code)
    with db.reading() as s:
        assert s.get(ProductBarcode, code) is None and s.get(ProductBarcode, other_code) is not None


def test_packs_add_and_remove_with_checks(db, product_id):
    with db.transaction() as s:
        pack_id = packs.add_pack(s, product_id, " Karton ", "12").id
    for name, qty, message in [("karton", "24", "sudah ada"), ("bal", "1", "lebih dari 1"),
                               ("", "5", "wajib diisi"), ("x" * 21, "5", "maksimal 20"),
                               ("dus", "-3", "angka bulat")]:
        with db.transaction() as s, pytest.raises(CatalogError, match=message):
            packs.add_pack(s, product_id, name, qty)
    assert [(p.name, p.qty) for p in product(db, product_id).packs] == [("karton", 12)]
    with db.transaction() as s:
        other = make_product(s).id
    with db.transaction() as s, pytest.raises(NotFound):
        packs.remove_pack(s, other, pack_id)
    with db.transaction() as s:
        packs.remove_pack(s, product_id, pack_id)
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(PackUnit)) == 0


# ---- screens -------------------------------------------------------------------------------

@pytest.fixture
def as_manager(client, manager):
    login(client, manager)
    return client


def test_a_reorder_point_of_loose_goods_is_typed_and_shown_in_kg(db, as_manager):
    """Titik pesan ulang read 38800 (grams) beside fields in kg."""
    with db.transaction() as s:
        rice = make_product(s, name="Beras Curah", base_unit="gram", weighed=True, on_hand=0)
        rice.reorder_point = 38_800
        rice_id = rice.id
    page = as_manager.get(f"/katalog/{rice_id}").get_data(as_text=True)
    assert 'name="reorder_point" value="38,8"' in page and "dalam kg; 0 = tidak dipantau" in page
    form = {"name": "Beras Curah", "price": "10.000", "cost": "8.000", "tax_class": "ppn",
            "business_unit": "sembako", "base_unit": "gram", "stock_policy": "allow",
            "reorder_point": "40", "shelf": "", "plu": "", "category": "", "weighed": ["0", "1"],
            "batch_tracked": "0", "active": ["0", "1"], "reason": ""}
    assert as_manager.post(f"/katalog/{rice_id}", data=loaded(as_manager, rice_id) | form).status_code == 303
    assert product(db, rice_id).reorder_point == 40_000
    bad = as_manager.post(f"/katalog/{rice_id}",
                          data=loaded(as_manager, rice_id) | {**form, "reorder_point": "empat"})
    assert bad.status_code == 422 and "Titik pesan ulang" in bad.get_data(as_text=True)
    assert 'value="empat"' in bad.get_data(as_text=True) and product(db, rice_id).reorder_point == 40_000


def test_manager_edits_prices_over_http(db, as_manager, manager, product_id):
    page = as_manager.get(f"/katalog/{product_id}").get_data(as_text=True)
    assert 'value="18.000"' in page and "Riwayat perubahan" in page and 'for="f-het"' not in page
    form = {"name": "Minyak Goreng 1 L", "price": "18.500", "cost": "15.000",
            "tax_class": "ppn", "business_unit": "sembako", "base_unit": "pcs",
            "stock_policy": "block", "reorder_point": "6", "shelf": "", "plu": "", "category": "",
            "weighed": "0", "batch_tracked": "0", "active": ["0", "1"], "reason": "promo selesai"}
    response = as_manager.post(f"/katalog/{product_id}", data=loaded(as_manager, product_id) | form)
    assert response.status_code == 303
    assert price_log(db, product_id) == [("price", 18_000, 18_500, manager, "promo selesai"),
                                         ("reorder_point", None, None, manager, "promo selesai")]
    page = as_manager.get(f"/katalog/{product_id}").get_data(as_text=True)
    assert "Tersimpan" in page and "Rp18.500" in page and "promo selesai" in page
    assert product(db, product_id).reorder_point == 6


@pytest.mark.parametrize("field, value, message", [
    ("price", "abc", "tidak valid"),
    ("tax_class", "<x>", "tidak dikenal"), ("reorder_point", "1e9", "angka bulat")])
def test_bad_form_re_renders_with_422_and_changes_nothing(db, as_manager, product_id, field, value,
                                                          message):
    response = as_manager.post(f"/katalog/{product_id}",
                               data=loaded(as_manager, product_id) | {field: value, "cost": "1"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and message in body and "Belum tersimpan" in body
    assert product(db, product_id).cost == 15_000


def test_unknown_product_is_404(as_manager):
    assert as_manager.get("/katalog/999999").status_code == 404
    response = as_manager.post("/katalog/999999", data={"price": "1"})
    assert response.status_code == 404 and "Barang tidak ditemukan" in response.get_data(as_text=True)


def test_create_product_over_http(db, as_manager):
    code = ean13()
    response = as_manager.post("/katalog", data={
        "sku": "GULA-1", "name": "Gula Pasir 1 kg", "business_unit": "sembako", "base_unit": "pcs",
        "price": "17.500", "cost": "", "tax_class": "bebas", "barcodes": code,
        "weighed": "0", "batch_tracked": "0"})
    assert response.status_code == 303
    with db.reading() as s:
        made = s.scalar(select(Product).where(Product.sku == "GULA-1"))
        assert (made.price, made.cost) == (17_500, 0)
    again = as_manager.post("/katalog", data={"sku": "GULA-1", "name": "Lagi", "price": "1",
                                              "business_unit": "sembako"})
    assert again.status_code == 422 and "sudah dipakai" in again.get_data(as_text=True)
    assert 'value="Lagi"' in again.get_data(as_text=True)


def test_list_search_and_pages(db, as_manager):
    with db.transaction() as s:
        for n in range(55):
            make_product(s, sku=f"P-{n:03d}", name=f"Produk {n:03d}", on_hand=0)
        make_product(s, name="Kopi Kapal Api", on_hand=0)
    first = as_manager.get("/katalog").get_data(as_text=True)
    assert "P-000" in first and "P-049" in first and "P-050" not in first and "Halaman 1 dari 2" in first
    assert "P-050" in as_manager.get("/katalog?hal=2").get_data(as_text=True)
    found = as_manager.get("/katalog?q=kopi", headers=HX)
    assert "Kopi Kapal Api" in found.get_data(as_text=True) and "Produk" not in found.get_data(as_text=True)
    assert "HX-Request" in found.headers["Vary"]
    assert as_manager.get("/katalog?hal=x").status_code == 400


def test_barcode_and_pack_sections_over_htmx(db, as_manager, product_id):
    code = ean13()
    added = as_manager.post(f"/katalog/{product_id}/barcode", data={"code": code, "qty": "1"}, headers=HX)
    assert added.status_code == 200 and code in added.get_data(as_text=True)
    wrong_digit = code[:-1] + str((int(code[-1]) + 1) % 10)
    bad = as_manager.post(f"/katalog/{product_id}/barcode", data={"code": wrong_digit}, headers=HX)
    assert bad.status_code == 422 and bad.headers["HX-Retarget"] == "#messages"
    gone = as_manager.post(f"/katalog/{product_id}/barcode/hapus", data={"code": code}, headers=HX)
    # the list no longer holds it; Riwayat perubahan, out of band, has the removal's line on top
    listed, logged = gone.get_data(as_text=True).split('id="product-history" hx-swap-oob="true"')
    assert code not in listed and code in logged.split("</tr>")[1]
    pack = as_manager.post(f"/katalog/{product_id}/kemasan", data={"name": "karton", "qty": "12"},
                           headers=HX)
    listed, logged = pack.get_data(as_text=True).split('id="product-history" hx-swap-oob="true"')
    assert "karton" in listed and "karton = 12" in logged.split("</tr>")[1]
    pack_id = product(db, product_id).packs[0].id
    assert as_manager.post(f"/katalog/{product_id}/kemasan", data={"name": "bal", "qty": "1"},
                           headers=HX).status_code == 422
    as_manager.post(f"/katalog/{product_id}/kemasan/{pack_id}/hapus", headers=HX)
    assert product(db, product_id).packs == []


@pytest.mark.parametrize("typed", ["24 pcs", "24PCS", " 24 Pcs "])
def test_a_pack_size_in_pieces_may_be_typed_with_its_unit(db, as_manager, product_id, typed):
    """"24 pcs" was refused as "Isi kemasan harus angka bulat" where "50 kg" is taken for a sack."""
    added = as_manager.post(f"/katalog/{product_id}/kemasan", data={"name": "dus", "qty": typed},
                            headers=HX)
    assert added.status_code == 200, added.get_data(as_text=True)
    assert [(p.name, p.qty) for p in product(db, product_id).packs] == [("dus", 24)]
    with db.transaction() as s:
        assert packs.add_pack(s, product_id, "bal", typed.replace("24", "40")).qty == 40
    refused = as_manager.post(f"/katalog/{product_id}/kemasan", data={"name": "pak", "qty": "24 kg"},
                              headers=HX)
    assert refused.status_code == 422 and len(product(db, product_id).packs) == 2


def test_clerk_gets_403_on_catalog_but_sees_stock_lists(db, client):
    with db.transaction() as s:
        clerk = make_user(s, "gudang", "clerk", "2222").id
    login(client, clerk)
    assert client.get("/katalog").status_code == 403
    assert client.post("/katalog/1", data={"price": "1"}, headers=HX).status_code == 403
    assert client.get("/katalog/stok").status_code == 200


def test_the_edit_page_of_a_product_with_a_ceiling_shows_its_het_changes(client, db, manager,
                                                                        product_id):
    """A HET set on /het is in the product's price history; its page answered 500."""
    from pos.het.service import set_ceiling

    with db.transaction() as s:
        set_ceiling(s, product_id, price=17_500, effective_from=date(2026, 12, 1), user_id=manager)
    login(client, manager)
    page = client.get(f"/katalog/{product_id}")
    assert page.status_code == 200 and "HET" in page.get_data(as_text=True)
    with db.reading() as s:
        assert [r["label"] for r in history.changes(s, product_id)] == ["HET"]
