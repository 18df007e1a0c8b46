"""Stock lists: low stock, near expiry (window boundaries), expired, stock value and its rounding."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from pos.clock import business_date, utcnow
from pos.inventory import lists, stock
from pos.inventory.catalog import maintenance, products
from pos.inventory.catalog.models import Product
from pos.inventory.models import MovementKind
from tests.factories import login, make_product, make_user

TODAY = date(2026, 3, 1)


def add_batch(session, product: Product, batch_no: str, expiry: date | None, qty: int) -> None:
    batch_id = stock.ensure_batch(session, product.id, batch_no, expiry)
    stock.move(session, product, qty, MovementKind.RECEIPT, reason="uji", batch_id=batch_id)


def test_low_stock_lists_active_goods_at_or_below_their_reorder_point(db):
    with db.transaction() as s:
        at = make_product(s, name="Tepat di titik", on_hand=10)
        below = make_product(s, name="Di bawah", on_hand=3, business_unit="apotek")
        above = make_product(s, name="Di atas", on_hand=11)
        no_point = make_product(s, name="Tanpa titik", on_hand=0)
        inactive = make_product(s, name="Nonaktif", on_hand=0)
        for product, point in ((at, 10), (below, 5), (above, 10), (inactive, 5)):
            maintenance.update_product(s, product.id, {"reorder_point": point}, None)
        maintenance.update_product(s, inactive.id, {"active": False}, None)
        assert no_point.reorder_point == 0
    with db.reading() as s:
        rows = lists.low_stock(s, TODAY)
    assert [(r["name"], r["on_hand"], r["reorder_point"]) for r in rows] == [
        ("Di bawah", 3, 5), ("Tepat di titik", 10, 10)]  # apotek sorts before sembako


def test_low_stock_counts_only_the_good_batches_of_batch_tracked_goods(db):
    """Expired strips are no stock to sell: 8 expired and none good is 0 (with 8 expired
    beside it), 20 expired and 5 good (reorder point 12) is low, 20 good and 5 expired is not."""
    with db.transaction() as s:
        gone = make_product(s, name="Amoxicillin", business_unit="apotek", batch_tracked=True,
                            on_hand=0)
        add_batch(s, gone, "AMX-OLD", TODAY, 8)                      # expires today: expired
        few = make_product(s, name="Betadine", business_unit="apotek", batch_tracked=True,
                           on_hand=0)
        add_batch(s, few, "BTD-OLD", TODAY - timedelta(days=30), 20)
        add_batch(s, few, "BTD-NEW", TODAY + timedelta(days=1), 5)
        plenty = make_product(s, name="Cetirizine", business_unit="apotek", batch_tracked=True,
                              on_hand=0)
        add_batch(s, plenty, "CTZ-OLD", TODAY - timedelta(days=1), 5)
        add_batch(s, plenty, "CTZ-NEW", TODAY + timedelta(days=400), 20)
        add_batch(s, plenty, "CTZ-NODATE", None, 1)
        for product, point in ((gone, 5), (few, 12), (plenty, 12)):
            maintenance.update_product(s, product.id, {"reorder_point": point}, None)
    with db.reading() as s:
        rows = lists.low_stock(s, TODAY)
        earlier = lists.low_stock(s, TODAY - timedelta(days=31))   # nothing expired yet
    assert [(r["name"], r["on_hand"], r["expired"], r["reorder_point"]) for r in rows] == [
        ("Amoxicillin", 0, 8, 5), ("Betadine", 5, 20, 12)]
    assert [r["name"] for r in earlier] == []


def test_the_stock_lists_page_shows_the_good_stock_and_the_expired_beside_it(db, client):
    with db.transaction() as s:
        clerk = make_user(s, "gudang", "clerk", "2222").id
        drug = make_product(s, name="Betadine", business_unit="apotek", batch_tracked=True,
                            on_hand=0)
        today = business_date(utcnow(), "Asia/Makassar")
        add_batch(s, drug, "BTD-OLD", today - timedelta(days=30), 20)
        add_batch(s, drug, "BTD-NEW", today + timedelta(days=100), 5)
        maintenance.update_product(s, drug.id, {"reorder_point": 12}, None)
    login(client, clerk)
    page = " ".join(client.get("/katalog/stok").get_data(as_text=True).split())
    low = page[page.index('id="low-stock"'):page.index('id="near-expiry"')]
    assert "Betadine" in low and ">5<br>" in low and "+ 20 kedaluwarsa" in low, low


@pytest.fixture
def batches(db):
    with db.transaction() as s:
        drug = make_product(s, name="Amoxicillin 500 mg", business_unit="apotek", batch_tracked=True,
                            on_hand=0)
        milk = make_product(s, name="Susu UHT", batch_tracked=True, on_hand=0)
        add_batch(s, drug, "EXP-TODAY", TODAY, 5)
        add_batch(s, drug, "EXP-YESTERDAY", TODAY - timedelta(days=1), 2)
        add_batch(s, drug, "D-PLUS-1", TODAY + timedelta(days=1), 3)
        add_batch(s, drug, "D-PLUS-60", TODAY + timedelta(days=60), 4)
        add_batch(s, drug, "D-PLUS-61", TODAY + timedelta(days=61), 6)
        add_batch(s, milk, "D-PLUS-30", TODAY + timedelta(days=30), 12)
        add_batch(s, milk, "NO-DATE", None, 1)
        add_batch(s, milk, "SOLD-OUT", TODAY + timedelta(days=2), 3)
        sold = stock.ensure_batch(s, milk.id, "SOLD-OUT", TODAY + timedelta(days=2))
        stock.move(s, milk, -3, MovementKind.SALE, batch_id=sold)


def test_near_expiry_window_includes_exactly_n_days_and_excludes_today(db, batches):
    with db.reading() as s:
        near = lists.near_expiry(s, TODAY, 60)
        shorter = lists.near_expiry(s, TODAY, 59)
    assert [(r["batch_no"], r["days_left"], r["on_hand"]) for r in near] == [
        ("D-PLUS-1", 1, 3), ("D-PLUS-30", 30, 12), ("D-PLUS-60", 60, 4)]
    assert [r["batch_no"] for r in shorter] == ["D-PLUS-1", "D-PLUS-30"]
    assert near[0]["name"] == "Amoxicillin 500 mg"


def test_expired_lists_batches_from_their_expiry_day_on(db, batches):
    with db.reading() as s:
        rows = lists.expired(s, TODAY)
    assert [(r["batch_no"], r["days_ago"], r["on_hand"]) for r in rows] == [
        ("EXP-YESTERDAY", 1, 2), ("EXP-TODAY", 0, 5)]


def test_stock_value_sums_exactly_then_rounds_once_per_unit(db):
    with db.transaction() as s:
        # 1 g at Rp1.500/kg is Rp1,5 each: rounding per product would give 2 + 2 = 4.
        make_product(s, name="Cabai", base_unit="gram", price=60_000, cost=1_500, on_hand=1)
        make_product(s, name="Bawang", base_unit="gram", price=40_000, cost=1_500, on_hand=1)
        make_product(s, name="Teh kotak", price=5_000, cost=4_000, on_hand=3)
        make_product(s, name="Urea", business_unit="pupuk", price=112_500, cost=100_000, on_hand=2)
        make_product(s, name="Tanpa pokok", business_unit="pupuk", price=1_000, cost=0, on_hand=5)
        minus = make_product(s, name="Minus", price=9_000, cost=7_000, on_hand=0)
        stock.move(s, minus, -2, MovementKind.ADJUSTMENT, reason="uji")
        make_product(s, name="Kosong", price=9_000, cost=7_000, on_hand=0)
    with db.reading() as s:
        value = lists.stock_value(s)
    assert value == [
        {"business_unit": "pupuk", "products": 2, "cost": 200_000, "retail": 230_000, "no_cost": 1},
        {"business_unit": "sembako", "products": 3, "cost": 3 + 12_000, "retail": 100 + 15_000,
         "no_cost": 0}]


def test_catalog_page_counts_everything_and_pages_by_sku(db):
    with db.transaction() as s:
        for n in range(7):
            make_product(s, sku=f"K-{n}", on_hand=0)
    with db.reading() as s:
        first, total = products.catalog_page(s, 1, 5)
        second, _ = products.catalog_page(s, 2, 5)
    assert total == 7 and [r["sku"] for r in first] == [f"K-{n}" for n in range(5)]
    assert [r["sku"] for r in second] == ["K-5", "K-6"]


def test_clerk_sees_stock_lists_with_the_configured_window(app_factory):
    app = app_factory(EXPIRY_WARNING_DAYS=10)
    from pos.db import get_db

    db = get_db(app)
    today = business_date(utcnow(), app.config["TIMEZONE"])
    with db.transaction() as s:
        clerk = make_user(s, "gudang", "clerk", "2222").id
        drug = make_product(s, name="Obat Batuk", business_unit="apotek", batch_tracked=True, on_hand=0)
        add_batch(s, drug, "B10", today + timedelta(days=10), 4)
        add_batch(s, drug, "B20", today + timedelta(days=20), 4)
        add_batch(s, drug, "OLD", today, 1)
        low = make_product(s, name="Gas Elpiji 3 kg", on_hand=2)
        maintenance.update_product(s, low.id, {"reorder_point": 5}, None)
    client = app.test_client()
    login(client, clerk)
    page = " ".join(client.get("/katalog/stok").get_data(as_text=True).split())
    assert "1 batch akan kedaluwarsa dalam 10 hari" in page and "B10" in page and "B20" not in page
    assert "1 batch sudah kedaluwarsa" in page and "OLD" in page
    assert "Gas Elpiji 3 kg" in page and "Nilai stok per unit usaha" in page
    wider = client.get("/katalog/stok?hari=30").get_data(as_text=True)
    assert "B20" in wider and "dalam 30 hari" in wider
    for bad in ("0", "366", "abc", "-1"):  # the page again: the field as typed, marked, the message by it
        response = client.get(f"/katalog/stok?hari={bad}")
        body = " ".join(response.get_data(as_text=True).split())
        assert response.status_code == 422 and "Jumlah hari harus angka bulat 1 sampai 365" in body
        assert f'name="hari" value="{bad}" inputmode="numeric" size="4" aria-invalid="true"' in body
        assert "B10" in body and "Gas Elpiji 3 kg" in body  # the lists of the default 10 days stay


def test_the_apoteker_sees_expiry_and_low_stock_but_not_the_stock_value(db, client):
    with db.transaction() as s:
        apoteker = make_user(s, "apt", "pharmacist", "7777").id
        drug = make_product(s, name="Obat Batuk", business_unit="apotek", batch_tracked=True,
                            on_hand=0)
        add_batch(s, drug, "LAMA1", date(2020, 1, 1), 3)
    login(client, apoteker)
    home = client.get("/").get_data(as_text=True)
    assert 'href="/katalog/stok">Daftar stok</a>' in home
    assert "Penerimaan barang" not in home and "Label barang" not in home
    page = " ".join(client.get("/katalog/stok").get_data(as_text=True).split())
    assert "1 batch sudah kedaluwarsa" in page and "LAMA1" in page and "Akan kedaluwarsa" in page
    assert "Nilai stok per unit usaha" not in page and "Nilai pokok" not in page


def test_cashier_cannot_open_stock_lists(db, client):
    with db.transaction() as s:
        login(client, make_user(s).id)
    assert client.get("/katalog/stok").status_code == 403
