"""Cek harga: the per-outlet token link, price, member price, tier prices and HET, large and in
Indonesian; an unknown code says so; nothing else is reachable.  SQLite and PostgreSQL."""
from __future__ import annotations

import pytest

from pos.display import tokens
from pos.members.models import Member
from pos.prices import setting
from pos.sales import cart
from pos.sales.pricing import TaxSettings
from tests.factories import login, make_product, make_till, make_user, open_shift

MIE, OIL, SUGAR = "8998866200301", "8991002101012", "8992753100019"


@pytest.fixture
def shelf(db, app):
    with db.transaction() as s:
        manager = make_user(s, "manajer1", "manager", "9999")
        mie = make_product(s, name="Indomie Goreng", price=3_500, cost=3_000, barcodes_=[MIE])
        oil = make_product(s, name="Minyak Goreng 2 L", price=38_000, cost=34_000, het=39_000,
                           barcodes_=[OIL], category="Minyak")
        make_product(s, name="Gula Pasir 1 kg", price=18_500, cost=16_000, barcodes_=[SUGAR])
        setting.set_member_price(s, mie.id, 3_300, manager.id)
        setting.add_tier(s, mie.id, 40, 3_200, manager.id)
        setting.set_member_discounts(s, {}, {oil.category_id: "5"}, manager.id)
    return "/cek-harga/" + tokens.price_check_token(app.config["SECRET_KEY"])


def look(app, url, code):
    response = app.test_client().get(f"{url}/cari", query_string={"kode": code},
                                     headers={"HX-Request": "true"})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_wrong_token_is_a_plain_404_and_shows_no_price(app, shelf):
    anonymous = app.test_client()
    for url in ("/cek-harga/salah", "/cek-harga/salah/cari?kode=" + MIE,
                "/cek-harga/" + tokens.screen_token(app.config["SECRET_KEY"], 1) + "/cari?kode=" + MIE):
        response = anonymous.get(url)
        assert response.status_code == 404, url
        assert "Indomie" not in response.get_data(as_text=True)


def test_the_page_is_one_scan_field_with_no_menu_under_the_csp(app, shelf):
    page = app.test_client().get(shelf).get_data(as_text=True)
    assert 'for="pc-code">Pindai barcode barang' in page and "js/price_check.js" in page
    assert "<a " not in page and "Menu" not in page and "Keluar" not in page
    assert "<script>" not in page and "style=" not in page


def test_price_member_price_and_tiers(app, shelf):
    shown = look(app, shelf, MIE)
    assert 'id="pc-name">Indomie Goreng<' in shown
    assert 'id="pc-price">Rp3.500<' in shown
    assert 'id="pc-member">Rp3.300<' in shown and "harga anggota" in shown
    assert "Beli 40 ke atas" in shown and "Rp3.200" in shown
    assert "pc-het" not in shown


def test_member_discount_and_het(app, shelf):
    shown = look(app, shelf, OIL)
    assert 'id="pc-price">Rp38.000<' in shown
    assert 'id="pc-member">Rp36.100<' in shown and "diskon anggota 5%" in shown
    assert 'id="pc-het">Rp39.000<' in shown and ">HET<" in shown


def test_a_plain_product_shows_only_its_price(app, shelf):
    shown = look(app, shelf, SUGAR)
    assert 'id="pc-price">Rp18.500<' in shown
    assert "pc-member" not in shown and "pc-tier" not in shown and "pc-het" not in shown


def test_an_unknown_code_says_so(app, shelf):
    shown = look(app, shelf, "8990000000006")
    assert 'id="pc-unknown"' in shown and "tidak ditemukan" in shown
    assert "pc-price" not in shown
    assert 'id="pc-unknown"' in look(app, shelf, "abc<script>")
    assert "pc-hint" in look(app, shelf, "")


RICE = "8997001234560"


def test_the_member_price_stops_at_cost_as_the_till_charges(app, db, shelf):
    """A 5% member discount on 10.000 would be 9.500, under the 9.800 cost: the till stops
    at cost, and the shelf shows exactly the till's price."""
    with db.transaction() as s:
        manager = make_user(s, "manajer2", "manager", "8888")
        rice = make_product(s, name="Beras Premium 5 kg", price=10_000, cost=9_800,
                            barcodes_=[RICE], category="Beras")
        setting.set_member_discounts(s, {}, {rice.category_id: "5"}, manager.id)
        till = make_till(s)
        cashier = make_user(s)
        open_shift(s, till.id, cashier.id)
        s.add(Member(number="AGT-0007", name="Daeng Baso", card_barcode="2900000000073"))
    shown = look(app, shelf, RICE)
    assert 'id="pc-price">Rp10.000<' in shown
    assert 'id="pc-member">Rp9.800<' in shown and "Rp9.500" not in shown
    assert "diskon anggota 5%" in shown
    client = app.test_client()
    login(client, cashier.id, till.id)
    for code in ("2900000000073", RICE):
        response = client.post("/kasir/pindai", data={"code": code}, headers={"HX-Request": "true"})
        assert response.status_code == 200, response.get_data(as_text=True)
    with db.reading() as s:
        [row] = cart.view(s, till.id, TaxSettings(pkp=False)).rows   # the app's outlet: not PKP
    assert row.amount == 9_800   # what the till charges the member: the shelf's figure


def test_on_a_pkp_outlet_the_shelf_stops_the_member_price_at_cost_with_its_ppn(app, db, shelf):
    """The till stops a PKP outlet's member discount at cost plus the PPN inside the price; the
    shelf showed Rp9.800 where the till charges Rp10.000."""
    from pos.settings import service as settings

    with db.transaction() as s:
        manager = make_user(s, "manajer2", "manager", "8888")
        rice = make_product(s, name="Beras Premium 5 kg", price=10_000, cost=9_800,
                            barcodes_=[RICE], category="Beras")
        setting.set_member_discounts(s, {}, {rice.category_id: "5"}, manager.id)
        settings.put_pkp(s, True, None)
    shown = look(app, shelf, RICE)
    assert 'id="pc-price">Rp10.000<' in shown and 'id="pc-member"' not in shown
