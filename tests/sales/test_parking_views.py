"""Tahan through HTTP: park with a note, list, resume; a busy till is told so."""
from __future__ import annotations

from sqlalchemy import func, select

from pos.sales import cart
from pos.sales.models import Cart, CartLine
from tests.approvals.conftest import shop  # noqa: F401  (fixture)
from tests.factories import login
from tests.sales.test_adjust import hit

HX = {"HX-Request": "true", "HX-Target": "cart"}


def counts(db, till_id):
    with db.reading() as s:
        own = s.scalar(select(func.count()).select_from(CartLine).join(Cart)
                       .where(Cart.till_id == till_id))
        parked = s.scalar(select(func.count()).select_from(Cart).where(Cart.till_id.is_(None)))
    return own, parked


def test_park_list_and_resume_at_another_till(client, db, shop):  # noqa: F811
    with db.transaction() as s:
        cart.add(s, shop["till"], hit(shop["product"]), times=3, cashier_id=shop["cashier"])
    login(client, shop["cashier"], shop["till"])
    assert 'id="hold-note"' in client.get("/kasir/tahan/baru", headers=HX).get_data(as_text=True)
    answer = client.post("/kasir/tahan", headers=HX, data={"note": "Pak Budi <b>"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "Transaksi ditahan" in page and 'id="cart"' in page
    assert counts(db, shop["till"]) == (0, 1)

    listing = client.get("/kasir/tahan", headers=HX).get_data(as_text=True)
    assert "Pak Budi &lt;b&gt;" in listing and "3 baris" not in listing and "1 baris" in listing
    assert "1 baris · Rp30.000" in listing   # the total the cashier saw
    parked_id = int(listing.split('id="hold-')[1].split('"')[0])

    login(client, shop["cashier"], shop["other_till"])
    answer = client.post(f"/kasir/tahan/{parked_id}/lanjut", headers=HX)
    assert answer.status_code == 200 and "dilanjutkan" in answer.get_data(as_text=True)
    assert counts(db, shop["other_till"]) == (1, 0)
    login(client, shop["cashier"], shop["till"])     # an empty cart: only the sale is gone
    again = client.post(f"/kasir/tahan/{parked_id}/lanjut", headers=HX)
    # 410, gone: the one answer for which the till's list drops it (static/js/till_extra.js)
    assert again.status_code == 410 and "sudah dilanjutkan" in again.get_data(as_text=True)
    assert "Tidak ada transaksi yang ditahan" in client.get("/kasir/tahan", headers=HX).get_data(as_text=True)


def test_a_busy_till_cannot_resume_and_an_empty_one_cannot_park(client, db, shop):  # noqa: F811
    login(client, shop["cashier"], shop["till"])
    answer = client.post("/kasir/tahan", headers=HX, data={"note": ""})
    assert answer.status_code == 422 and "kosong" in answer.get_data(as_text=True)
    with db.transaction() as s:
        cart.add(s, shop["till"], hit(shop["product"]), cashier_id=shop["cashier"])
    client.post("/kasir/tahan", headers=HX, data={"note": "satu"})
    with db.transaction() as s:
        cart.add(s, shop["till"], hit(shop["product"]), times=2, cashier_id=shop["cashier"])
    listing = client.get("/kasir/tahan", headers=HX).get_data(as_text=True)
    parked_id = int(listing.split('id="hold-')[1].split('"')[0])
    answer = client.post(f"/kasir/tahan/{parked_id}/lanjut", headers=HX)
    # 422: the till's list keeps the parked sale (only a 410, taken at another till, drops it)
    assert answer.status_code == 422 and "masih berisi" in answer.get_data(as_text=True)
    assert counts(db, shop["till"]) == (1, 1)
    assert f'id="hold-{parked_id}"' in client.get("/kasir/tahan", headers=HX).get_data(as_text=True)
