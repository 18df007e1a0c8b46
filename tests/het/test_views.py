"""The HET page (/het, managers only): the outlet's zone, the schedule, the prices above a
ceiling, adding one (bad input changes nothing), the upload; and the home page's waiting list."""
from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from pos.clock import business_date, utcnow
from pos.het.models import CeilingPrice
from pos.inventory.catalog.models import PriceChange
from tests.factories import loaded, login, make_product, make_user, poll_until_finished, set_het


@pytest.fixture
def app(app_factory):
    return app_factory(HET_ZONE="2")


@pytest.fixture
def shop(db, client):
    today = business_date(utcnow(), "Asia/Makassar")
    with db.transaction() as s:
        manager = make_user(s, "manajer", "manager", "1234").id
        cashier = make_user(s, "kasir1", "cashier", "1111").id
        rice = make_product(s, sku="SPHP", name="Beras SPHP 5 kg", price=66_000, cost=52_500,
                            on_hand=0)
        set_het(s, rice, 65_500, from_=today - timedelta(days=30), zone="2")   # above now
        oil = make_product(s, sku="MK1", name="MinyaKita 1 liter", price=15_700, cost=13_200,
                           on_hand=0)
        set_het(s, oil, 15_700, from_=today - timedelta(days=30))
        set_het(s, oil, 15_000, from_=today + timedelta(days=10))              # above soon
        make_product(s, sku="TEH", name="Teh Celup Sari", price=5_000, cost=4_000, on_hand=0)
    login(client, manager)
    return {"manager": manager, "cashier": cashier, "today": today}


def count(db, model=CeilingPrice) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_page_shows_zone_schedule_and_what_is_above(client, shop):
    page = " ".join(client.get("/het").get_data(as_text=True).split())
    assert "Zona gerai ini: <b>2</b>" in page
    soon = (shop["today"] + timedelta(days=10)).strftime("%d-%m-%Y")
    assert f'Harga melebihi HET mulai <span class="date">{soon}</span>' in page
    assert 'id="het-above-now"' in page and "Beras SPHP 5 kg" in page
    assert "Rp66.000/pcs" in page and "Rp65.500/pcs" in page
    assert page.count("terjadwal") == 1 and page.count(">berlaku<") == 2


def test_search_fills_the_sku(client, shop):
    page = client.get("/het?q=Teh").get_data(as_text=True)
    assert "/het?sku=TEH#het-form" in page
    assert 'value="TEH"' in client.get("/het?sku=TEH").get_data(as_text=True)


def test_add_a_ceiling(db, client, shop):
    response = client.post("/het", data={"sku": "TEH", "zone": "", "price": "Rp4.800",
                                         "from": "01-01-2030", "note": "uji"})
    assert response.status_code == 303
    with db.reading() as s:
        row = s.scalar(select(CeilingPrice).where(CeilingPrice.note == "uji"))
        assert (row.price, row.zone, row.effective_from.isoformat(), row.created_by) == (
            4_800, None, "2030-01-01", shop["manager"])
        assert s.scalar(select(PriceChange.reason).where(PriceChange.field == "het")) == \
            "semua zona, mulai 01-01-2030: uji"
    assert "HET Teh Celup Sari mulai 01-01-2030 tersimpan." in client.get("/het").get_data(as_text=True)


@pytest.mark.parametrize("form, message", [
    ({"price": "-4800"}, "HET tidak valid. Tulis angka Rupiah"),
    ({"price": "0"}, "HET harus lebih dari nol"),
    ({"price": ""}, "HET tidak valid. Tulis angka Rupiah"),
    ({"sku": "TIDAK-ADA"}, "SKU &#39;TIDAK-ADA&#39; tidak ditemukan"),
    ({"from": "31-02-2030"}, "Berlaku mulai 31-02-2030 tidak ada"),
    ({"from": "besok"}, "Berlaku mulai tidak dikenali"),
    ({"zone": "zona 2"}, "tidak sah"),
    ({"zone": "3"}, "Zona gerai ini 2: HET zona 3 tidak berlaku di gerai ini dan tidak tampil di "
                    "jadwalnya. Isi 2, atau kosongkan untuk semua zona."),
    ({"zone": "abc"}, "HET zona abc tidak berlaku di gerai ini"),
])
def test_bad_input_is_shown_and_changes_nothing(db, client, shop, form, message):
    before = count(db), count(db, PriceChange)
    data = {"sku": "TEH", "zone": "2", "price": "4800", "from": "01-01-2030", "note": "", **form}
    response = client.post("/het", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and message in body and "Belum tersimpan" in body
    assert (count(db), count(db, PriceChange)) == before


def test_upload_imports_the_schedule(db, client, shop):
    data = b"sku,zona,het,berlaku_mulai,catatan\nTEH,,4800,01-01-2030,\nTEH,3,4900,01-01-2030,\n"
    response = client.post("/het/impor", data={"file": (io.BytesIO(data), "het.csv")},
                           content_type="multipart/form-data", headers={"HX-Request": "true"})
    done = poll_until_finished(client, response.get_data(as_text=True))
    assert "Impor selesai (2 baris): 2 HET baru" in done
    assert count(db) == 5


def test_only_managers(db, client, shop):
    login(client, shop["cashier"])
    assert client.get("/het").status_code == 403
    before = count(db)
    refused = client.post("/het", data={"sku": "TEH", "price": "1", "from": "01-01-2030"})
    assert refused.status_code in (303, 403) and "/het" not in refused.headers.get("Location", "")
    assert count(db) == before


def test_home_lists_prices_above_a_ceiling_for_the_manager(client, shop):
    page = " ".join(client.get("/").get_data(as_text=True).split())
    assert re.search(r'id="waiting-het" class="some" href="/het#het-above"> <b>2</b>', page), page
    assert 'href="/het">HET</a>' in page


def test_a_selling_price_saved_above_the_het_is_said_at_once(db, client, shop):
    """Rp70.000 for a rice whose HET is Rp65.500 was saved with only "Tersimpan: harga jual."."""
    from pos.inventory.catalog.models import Product
    with db.reading() as s:
        rice, tea = (s.scalar(select(Product.id).where(Product.sku == sku)) for sku in ("SPHP", "TEH"))
    page = client.post(f"/katalog/{rice}",
                       data=loaded(client, rice) | {"price": "70.000", "cost": "0"}, follow_redirects=True)
    text = " ".join(page.get_data(as_text=True).split())
    assert "Tersimpan: harga jual" in text and 'class="msg msg-warn"' in text
    assert "Harga jual Rp70.000 di atas HET Rp65.500: kasir menjual dengan HET Rp65.500" in text
    under = client.post(f"/katalog/{tea}",
                        data=loaded(client, tea) | {"price": "6.000", "cost": "0"}, follow_redirects=True)
    assert "di atas HET" not in under.get_data(as_text=True)    # no HET, nothing to say


def test_an_outlet_without_a_zone_refuses_a_zones_ceiling_it_would_never_apply(app, db, client, shop):
    """With POS_HET_ZONE empty a zone's ceiling was saved as "tersimpan" and never applied."""
    app.config["HET_ZONE"] = ""
    before = count(db)
    body = client.post("/het", data={"sku": "TEH", "zone": "3", "price": "4800", "from": "01-01-2030",
                                     "note": ""}).get_data(as_text=True)
    assert "Zona HET gerai ini belum diatur (POS_HET_ZONE): HET zona 3 tidak berlaku di gerai ini " \
           "dan tidak tampil di jadwalnya. Kosongkan untuk semua zona." in body
    assert count(db) == before
    done = client.post("/het", data={"sku": "TEH", "zone": "", "price": "4800", "from": "01-01-2030",
                                     "note": ""}, follow_redirects=True)
    assert "HET Teh Celup Sari mulai 01-01-2030 tersimpan." in done.get_data(as_text=True)
