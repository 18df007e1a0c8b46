"""Catalog prices against cost, on SQLite and PostgreSQL: a price below cost is saved only once
the manager confirms it.  (Ceiling prices are a schedule of their own: tests/het.)"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from pos.inventory.catalog import maintenance
from pos.inventory.catalog.models import PriceChange, Product
from pos.inventory.catalog.products import CatalogError
from tests.factories import loaded, login, make_product, make_user


@pytest.fixture
def shop(db):
    with db.transaction() as s:
        return {"manager": make_user(s, "manajer", "manager", "1234").id,
                "gula": make_product(s, name="Gula pasir 1 kg", price=16_000, cost=15_000,
                                     on_hand=0).id}


def update(db, product_id, changes, **kw):
    with db.transaction() as s:
        return maintenance.update_product(s, product_id, changes, None, **kw)


def prices(db, product_id):
    with db.reading() as s:
        p = s.get(Product, product_id)
        return p.price, p.cost


def test_a_price_below_cost_asks_for_a_confirmation(db, shop):
    with pytest.raises(maintenance.BelowCost, match=r"Harga jual Rp14\.000 di bawah harga pokok Rp15\.000"):
        update(db, shop["gula"], {"price": "14.000"})
    with pytest.raises(maintenance.BelowCost, match=r"di bawah harga pokok Rp16\.500"):
        update(db, shop["gula"], {"cost": "16.500"})                 # a cost raised over the price
    assert prices(db, shop["gula"]) == (16_000, 15_000)
    assert update(db, shop["gula"], {"price": "14.000"}, below_cost_ok=True) == ["price"]
    assert prices(db, shop["gula"]) == (14_000, 15_000)
    with db.reading() as s:
        assert s.scalar(select(PriceChange.new).where(PriceChange.field == "price")) == 14_000
    assert update(db, shop["gula"], {"name": "Gula pasir kristal 1 kg"}) == ["name"]  # no price change


def test_a_new_product_below_cost_asks_too(db, shop):
    values = {"name": "Teh celup", "price": "4000", "cost": "4500", "business_unit": "sembako"}
    with db.transaction() as s, pytest.raises(maintenance.BelowCost):
        maintenance.new_product(s, "TEH-1", values, None)
    with db.transaction() as s:
        assert maintenance.new_product(s, "TEH-1", values, None, below_cost_ok=True).price == 4_000


def test_het_is_not_a_catalog_field(db, shop):
    with pytest.raises(CatalogError, match="tidak dapat diubah"):
        update(db, shop["gula"], {"het": "15.700"}, below_cost_ok=True)
    assert prices(db, shop["gula"]) == (16_000, 15_000)


def test_the_manager_confirms_on_the_edit_form_and_it_saves(app, db, shop):
    client = app.test_client()
    login(client, shop["manager"])
    form = {"price": "14.000", "cost": "15.000", "reason": "cuci gudang"}
    asked = client.post(f"/katalog/{shop['gula']}", data=loaded(client, shop['gula']) | form)
    page = asked.get_data(as_text=True)
    assert asked.status_code == 422 and "di bawah harga pokok Rp15.000" in page
    assert 'name="below_cost_ok"' in page and 'value="cuci gudang"' in page
    assert prices(db, shop["gula"]) == (16_000, 15_000)
    saved = client.post(f"/katalog/{shop['gula']}",
                        data=loaded(client, shop['gula']) | {**form, "below_cost_ok": "1"})
    assert saved.status_code == 303 and prices(db, shop["gula"]) == (14_000, 15_000)


def test_the_new_product_form_asks_and_saves(app, db, shop):
    client = app.test_client()
    login(client, shop["manager"])
    form = {"sku": "KOPI-1", "name": "Kopi bubuk", "price": "3000", "cost": "3500",
            "business_unit": "sembako", "base_unit": "pcs", "tax_class": "ppn"}
    asked = client.post("/katalog", data=form)
    assert asked.status_code == 422 and 'name="below_cost_ok"' in asked.get_data(as_text=True)
    assert client.post("/katalog", data={**form, "below_cost_ok": "1"}).status_code == 303
    with db.reading() as s:
        assert s.scalar(select(Product.price).where(Product.sku == "KOPI-1")) == 3_000


def test_on_a_pkp_outlet_a_selling_price_must_cover_the_cost_with_its_ppn(app, db, shop):
    """Rp16.000 inclusive of 11% PPN is Rp14.414 net against Rp15.000 of cost: a loss on every
    sale, and the catalogue had asked nothing (the member prices and the till already stop there)."""
    from pos.inventory.catalog.models import TaxClass
    from pos.inventory.catalog.tax import TaxSettings
    from pos.settings import service as outlet_settings

    pkp = TaxSettings(pkp=True, rate_bp=1100, inclusive=True)
    words = r"Harga jual Rp16\.500 di bawah harga pokok Rp15\.000 \(dengan PPN Rp16\.650\)"
    with pytest.raises(maintenance.BelowCost, match=words):
        update(db, shop["gula"], {"price": "16.500"}, tax=pkp)
    with pytest.raises(maintenance.BelowCost, match=r"\(dengan PPN Rp4\.995\)"):
        with db.transaction() as s:
            maintenance.new_product(s, "TEH-2", {"name": "Teh", "price": "4900", "cost": "4500",
                                                 "business_unit": "sembako"}, None, tax=pkp)
    assert update(db, shop["gula"], {"price": "16.650"}, tax=pkp) == ["price"]   # covers it
    assert update(db, shop["gula"], {"price": "16.500"}, tax=TaxSettings(pkp=False)) == ["price"]
    assert update(db, shop["gula"], {"tax_class": "bebas"}, tax=pkp) == ["tax_class"]   # exempt: cost
    with pytest.raises(maintenance.BelowCost):   # taxed again, under its cost with the PPN: asked
        update(db, shop["gula"], {"tax_class": TaxClass.PPN.value}, tax=pkp)
    update(db, shop["gula"], {"tax_class": TaxClass.PPN.value}, tax=pkp, below_cost_ok=True)
    with db.transaction() as s:   # the screens read the outlet's own PKP setting
        outlet_settings.put_pkp(s, True, shop["manager"])
    client = app.test_client()
    login(client, shop["manager"])
    asked = client.post(f"/katalog/{shop['gula']}",
                        data=loaded(client, shop['gula']) | {"price": "16.400", "reason": "promo"})
    assert asked.status_code == 422 and "(dengan PPN Rp16.650)" in asked.get_data(as_text=True)
    assert prices(db, shop["gula"]) == (16_500, 15_000)
