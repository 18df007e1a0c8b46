"""Layar pelanggan: the token link, the lines and totals, the QRIS the till asked for, and
Terima kasih with the change after a sale.  SQLite and PostgreSQL."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import update

from pos.clock import utcnow
from pos.display import tokens
from pos.members.models import Member
from pos.prices import setting
from pos.sales.models import Sale
from tests.factories import login, make_product, make_till, make_user
from tests.payments.vectors import SAMPLE1

HX = {"HX-Request": "true"}
MIE, OIL = "8998866200301", "8991002101012"


@pytest.fixture
def app(app_factory):
    return app_factory(QRIS_STATIC=SAMPLE1)


@pytest.fixture
def shop(db, client, app):
    with db.transaction() as s:
        till = make_till(s)
        other = make_till(s, "KASIR-2")
        cashier = make_user(s)
        manager = make_user(s, "manajer1", "manager", "9999")
        mie = make_product(s, name="Indomie Goreng", price=3_500, cost=3_000, barcodes_=[MIE])
        make_product(s, name="Minyak Goreng 2 L", price=38_000, cost=34_000, barcodes_=[OIL])
        setting.set_member_price(s, mie.id, 3_300, manager.id)
        s.add(Member(number="AGT-0007", name="Daeng Baso", card_barcode="2900000000073"))
    login(client, cashier.id, till.id)
    secret = app.config["SECRET_KEY"]
    return dict(till=till.id, other=other.id, url=f"/layar/{till.id}/{tokens.screen_token(secret, till.id)}",
                other_url=f"/layar/{other.id}/{tokens.screen_token(secret, other.id)}")


def scan(client, code):
    response = client.post("/kasir/pindai", data={"code": code}, headers=HX)
    assert response.status_code == 200, response.get_data(as_text=True)


def pay(client, tendered):
    response = client.post("/kasir/bayar", data={"tendered": tendered,
                                                 "idempotency_key": str(uuid.uuid4())}, headers=HX)
    assert response.status_code == 200, response.get_data(as_text=True)


def screen(app, url):
    """What a browser without any staff session sees."""
    response = app.test_client().get(url + "/isi", headers=HX)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def test_a_wrong_or_missing_token_is_a_plain_404(app, shop):
    anonymous = app.test_client()
    for url in (f"/layar/{shop['till']}/salah", f"/layar/{shop['till']}/salah/isi",
                shop["other_url"].replace(str(shop["other"]), str(shop["till"]), 1),
                f"/layar/{shop['till']}/" + "0" * 32 + "/isi"):
        response = anonymous.get(url)
        assert response.status_code == 404, url
        text = response.get_data(as_text=True)
        assert "Indomie" not in text and "Total" not in text and "Kasir-1" not in text
    assert anonymous.get(shop["url"]).status_code == 200


def test_the_page_polls_its_partial_under_the_csp(app, shop):
    response = app.test_client().get(shop["url"])
    page = response.get_data(as_text=True)
    assert 'hx-trigger="load, every 1s"' in page and f'{shop["url"]}/isi' in page
    assert "<script>" not in page and "style=" not in page and "Keluar" not in page
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_the_partial_shows_the_lines_the_member_saving_and_the_total(app, client, shop):
    assert "Selamat datang" in screen(app, shop["url"])
    scan(client, "2*" + MIE)
    scan(client, OIL)
    shown = screen(app, shop["url"])
    assert "Indomie Goreng" in shown and "Minyak Goreng 2 L" in shown
    assert 'id="cs-total">Rp45.000<' in shown
    assert client.post("/kasir/anggota", data={"member": "AGT-0007"}, headers=HX).status_code == 200
    shown = screen(app, shop["url"])
    assert "Daeng Baso" in shown
    assert 'id="cs-saving">Rp400<' in shown and 'id="cs-total">Rp44.600<' in shown
    # another till's screen shows none of it
    assert "Indomie" not in screen(app, shop["other_url"])


def test_the_qris_shows_once_the_till_asks_for_it_and_only_for_the_cart_total(app, client, shop):
    scan(client, OIL)
    assert "cs-qris" not in screen(app, shop["url"])
    assert client.get("/kasir/qris?jumlah=38000", headers=HX).status_code == 200
    shown = screen(app, shop["url"])
    assert 'id="cs-qris"' in shown and "<svg" in shown and "Rp38.000" in shown
    scan(client, MIE)                       # the total changed: that code is no longer right
    assert "cs-qris" not in screen(app, shop["url"])


def test_the_qris_goes_from_the_screen_when_the_pay_panel_stops_offering_it(app, client, shop):
    scan(client, OIL)
    client.get("/kasir/qris?jumlah=38000", headers=HX)
    assert 'id="cs-qris"' in screen(app, shop["url"])
    closed = client.post("/kasir/qris/tutup", headers=HX)
    assert closed.status_code == 204
    assert "cs-qris" not in screen(app, shop["url"])     # the cart and its total are unchanged
    assert "Rp38.000" in screen(app, shop["url"])


def test_terima_kasih_with_the_change_after_a_sale_then_welcome(app, db, client, shop):
    scan(client, OIL)
    pay(client, "50000")
    shown = screen(app, shop["url"])
    assert "Terima kasih" in shown and 'id="cs-change">Rp12.000<' in shown
    assert "Minyak" not in shown
    with db.transaction() as s:             # a minute later the screen greets the next buyer
        s.execute(update(Sale).values(created_at=utcnow() - timedelta(seconds=61)))
    shown = screen(app, shop["url"])
    assert "Terima kasih" not in shown and "Selamat datang" in shown


def test_the_devices_page_links_each_tills_screen(app, db, client, shop):
    with db.transaction() as s:
        boss = make_user(s, "admin1", "admin", "8888")
    manager = app.test_client()
    login(manager, boss.id, None, shift=False)
    page = manager.get("/perangkat").get_data(as_text=True)
    assert shop["url"] in page and shop["other_url"] in page
    assert "/cek-harga/" + tokens.price_check_token(app.config["SECRET_KEY"]) in page


def test_the_screen_of_a_till_without_a_cart_writes_nothing(app, db, shop):
    from sqlalchemy import func, select

    from pos.sales.models import Cart

    assert "Selamat datang" in screen(app, shop["other_url"])
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Cart).where(Cart.till_id == shop["other"])) == 0
