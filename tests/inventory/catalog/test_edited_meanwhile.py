"""A product page left open while someone else changes the product (a goods receipt averaging
the cost, a clerk moving the shelf): saving it applies only what its user changed, never puts
back the values it was opened with, and refuses a field both changed (409, nothing saved)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from pos.inventory.catalog import maintenance
from pos.inventory.catalog.models import PriceChange, Product
from pos.inventory.receiving import costing
from tests.factories import login, make_product, make_user, page_form


@pytest.fixture
def shop(db, client):
    with db.transaction() as s:
        manager = make_user(s, "manajer", "manager", "1234").id
        clerk = make_user(s, "gudang", "manager", "5678").id
        kecap = make_product(s, name="Kecap sachet", price=1_000, cost=701, on_hand=0).id
    login(client, manager)
    return {"manager": manager, "clerk": clerk, "kecap": kecap}


def meanwhile(db, shop, cost: int = 733, shelf: str | None = "B2") -> None:
    """The clerk posts a receipt (the cost averages to ``cost``) and moves the shelf."""
    with db.transaction() as s:
        product = s.get(Product, shop["kecap"])
        costing.set_cost(s, product, cost, shop["clerk"], "Penerimaan PB-000001")
        if shelf:
            maintenance.update_product(s, product.id, {"shelf": shelf}, shop["clerk"])


def stored(db, product_id) -> tuple:
    with db.reading() as s:
        p = s.get(Product, product_id)
        return p.price, p.cost, p.shelf


def manager_log(db, shop) -> list[tuple]:
    with db.reading() as s:
        return s.execute(select(PriceChange.field, PriceChange.old, PriceChange.new)
                         .where(PriceChange.changed_by == shop["manager"])).all()


def test_a_page_opened_before_a_receipt_saves_only_the_price_and_keeps_the_new_cost(db, client, shop):
    form = page_form(client, shop["kecap"], price="1.200", reason="harga baru")
    meanwhile(db, shop)
    saved = client.post(f"/katalog/{shop['kecap']}", data=form)
    assert saved.status_code == 303
    assert stored(db, shop["kecap"]) == (1_200, 733, "B2")
    assert manager_log(db, shop) == [("price", 1_000, 1_200)]
    assert "Tersimpan: harga jual." in client.get(f"/katalog/{shop['kecap']}").get_data(as_text=True)


def test_a_field_both_changed_is_refused_by_name_and_nothing_is_saved(db, client, shop):
    form = page_form(client, shop["kecap"], price="1.200", cost="750")
    meanwhile(db, shop)
    refused = client.post(f"/katalog/{shop['kecap']}", data=form)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "Harga pokok (Rp701 → Rp733) sudah diubah sejak halaman ini dibuka" in page
    assert stored(db, shop["kecap"]) == (1_000, 733, "B2") and manager_log(db, shop) == []
    # the page keeps what the manager typed, over the values as they are now: saving it again
    # is a decision taken knowing the new cost
    assert 'name="cost" value="750"' in page and 'name="asal_cost" value="733"' in page
    assert 'name="shelf" value="B2"' in page
    again = client.post(f"/katalog/{shop['kecap']}", data=page_form(client, shop["kecap"],
                                                                     price="1.200", cost="750"))
    assert again.status_code == 303 and stored(db, shop["kecap"]) == (1_200, 750, "B2")


def test_a_form_without_the_values_it_was_loaded_with_saves_nothing(db, client, shop):
    """An old page (opened before this check) or a script posts no ``asal_`` values: what it
    did not mean to change cannot be told from what it did, so it is refused, not guessed."""
    old_page = {k: v for k, v in page_form(client, shop["kecap"], price="1.200").items()
                if not k.startswith("asal_")}
    meanwhile(db, shop)
    refused = client.post(f"/katalog/{shop['kecap']}", data=old_page)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409 and "tidak membawa nilai saat halaman dibuka" in page
    assert stored(db, shop["kecap"]) == (1_000, 733, "B2") and manager_log(db, shop) == []
    assert 'name="cost" value="733"' in page and 'name="price" value="1.000"' in page


def test_a_script_names_the_loaded_value_of_the_one_field_it_changes(db, client, shop):
    saved = client.post(f"/katalog/{shop['kecap']}", data={"price": "1.100", "asal_price": "1.000"})
    assert saved.status_code == 303 and stored(db, shop["kecap"])[0] == 1_100
    stale = client.post(f"/katalog/{shop['kecap']}", data={"price": "1.300", "asal_price": "1.000"})
    assert stale.status_code == 409
    assert "Harga jual (Rp1.000 → Rp1.100) sudah diubah" in stale.get_data(as_text=True)
    assert stored(db, shop["kecap"])[0] == 1_100
