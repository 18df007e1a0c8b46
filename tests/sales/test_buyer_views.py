"""The buyer dialog at the till through HTTP: asked on a limited or LPG scan, saved in one
transaction (a refusal changes nothing), cleared with the cart, kept by a parked sale."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import delete, func, select

from pos.inventory.catalog.models import LpgKind
from pos.limits import rules
from pos.sales import buyers, parking
from pos.sales.models import Cart, CartLine
from tests.factories import login, make_product, make_till, make_user
from tests.limits.conftest import NIK_A, SPHP
from tests.members.accounts.conftest import make_member

HX = {"HX-Request": "true", "HX-Target": "cart"}
LPG = "8990000030003"


@pytest.fixture
def shop(db, client):
    with db.transaction() as s:
        till = make_till(s)
        cashier = make_user(s)
        sphp = make_product(s, name="Beras SPHP Bulog 5 kg", price=62_500, barcodes_=[SPHP])
        rule = rules.save_rule(s, None, name="Beras SPHP", max_qty=2, period="day", buyer="any")
        rules.attach(s, rule.id, sphp.id)
        lpg = make_product(s, name="LPG 3 kg isi ulang", price=18_000, barcodes_=[LPG])
        lpg.lpg = LpgKind.REFILL
        member = make_member(s, name="Ibu Wati")
    login(client, cashier.id, till.id)
    return dict(till=till.id, cashier=cashier.id, member=member.id, member_no=member.number)


def cart_row(db, till_id):
    with db.reading() as s:
        return s.execute(select(Cart).where(Cart.till_id == till_id)).scalar_one_or_none()


def lines(db):
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(CartLine))


def test_a_limited_scan_without_a_buyer_answers_with_the_dialog_carrying_the_scan(db, client, shop):
    answer = client.post("/kasir/pindai", headers=HX, data={"code": SPHP, "tare": "0"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 428
    assert answer.headers["HX-Retarget"] == "#buyer-dialog"
    assert 'id="buyer-form"' in page and 'name="buyer"' in page and 'id="buyer-input"' in page
    assert "Beras SPHP Bulog 5 kg dibatasi per pembeli" in page
    assert "Simpan pembeli" in page
    retry = json.loads(_hidden(page, "retry"))
    assert retry == {"url": "/kasir/pindai", "target": "cart", "values": {"code": SPHP, "tare": "0"}}
    assert lines(db) == 0


def _hidden(page: str, name: str) -> str:
    import html
    import re
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    return html.unescape(found.group(1))


def test_saving_the_buyer_answers_with_the_cart_and_the_retry(db, client, shop):
    retry = {"url": "/kasir/pindai", "target": "cart", "values": {"code": SPHP}}
    answer = client.post("/kasir/pembeli", headers=HX, data={
        "buyer": "6472 0101 0190 0001", "needs": "nik", "retry": json.dumps(retry)})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    # the cart has no lines: the buyer is checked, not saved alone, and goes with the retried scan
    sent = json.loads(answer.headers["HX-Trigger"])["buyer-set"]["retry"]
    assert sent["values"]["code"] == SPHP and json.loads(sent["values"]["pembeli"]) == {
        "buyer": "6472 0101 0190 0001", "needs": "nik"}
    assert cart_row(db, shop["till"]) is None
    # the retried scan now goes on, with its buyer and what is left shown in the panel
    page = client.post("/kasir/pindai", headers=HX, data=sent["values"]).get_data(as_text=True)
    assert "Beras SPHP: boleh 1 lagi hari ini (batas 2 per pembeli per hari)." in page
    assert 'id="buyer-panel"' in page and "NIK 6472********0001" in page
    assert cart_row(db, shop["till"]).buyer_nik == NIK_A


def _retried(client, code, buyer, needs="nik", **more):
    """The dialog saved for a scan of ``code`` on an empty cart, then its retry sent: the answer."""
    retry = {"url": "/kasir/pindai", "target": "cart", "values": {"code": code}}
    saved = client.post("/kasir/pembeli", headers=HX, data={
        "buyer": buyer, "needs": needs, "retry": json.dumps(retry), **more})
    assert saved.status_code == 200, saved.get_data(as_text=True)
    sent = json.loads(saved.headers["HX-Trigger"])["buyer-set"]["retry"]
    return client.post(sent["url"], headers=HX, data=sent["values"])


def test_a_buyer_asked_for_a_refused_line_is_not_left_for_the_next_customer(db, client, shop):
    refused = _retried(client, f"3*{SPHP}", NIK_A)        # past the limit of 2: refused
    assert refused.status_code == 409 and lines(db) == 0
    row = cart_row(db, shop["till"])
    assert row is None or (row.buyer_nik, row.member_id) == (None, None)
    # the next customer's SPHP asks for its own buyer, never charged to the one refused
    asked = client.post("/kasir/pindai", headers=HX, data={"code": SPHP})
    assert asked.status_code == 428 and lines(db) == 0
    # a member typed in the dialog for a refused line does not stay on the sale either
    assert _retried(client, f"3*{SPHP}", shop["member_no"]).status_code == 409
    row = cart_row(db, shop["till"])
    assert row is None or (row.buyer_nik, row.member_id) == (None, None)


def _remove_last(client, db, reason):
    with db.reading() as s:
        line_id = s.scalar(select(CartLine.id))
    answer = client.post(f"/kasir/baris/{line_id}/hapus", headers=HX, data={"reason": reason})
    assert answer.status_code == 200 and lines(db) == 0
    return answer.get_data(as_text=True)


def test_the_last_line_removed_takes_its_buyer_and_a_cancel_the_member_too(db, client, shop):
    assert _retried(client, LPG, NIK_A, "category,nik", category="rumah_tangga").status_code == 200
    page = _remove_last(client, db, "Pembeli batal")
    row = cart_row(db, shop["till"])
    assert (row.buyer_nik, row.buyer_category, row.member_id) == (None, None, None)
    assert "Rumah tangga" not in page and "6472********0001" not in page
    assert client.post("/kasir/pindai", headers=HX, data={"code": LPG}).status_code == 428
    # a member picked on purpose stays while lines are scanned and a wrong one taken off;
    # the NIK of the line's buyer goes with the line
    assert client.post("/kasir/anggota", headers=HX, data={"member": shop["member_no"]}).status_code == 200
    assert _retried(client, LPG, NIK_A, "category,nik", category="rumah_tangga").status_code == 200
    _remove_last(client, db, "Salah pindai")
    row = cart_row(db, shop["till"])
    assert (row.buyer_nik, row.buyer_category, row.member_id) == (None, None, shop["member"])
    client.post("/kasir/pindai", headers=HX, data={"code": SPHP})
    _remove_last(client, db, "Pembeli batal")                  # the customer went: nobody left
    assert cart_row(db, shop["till"]).member_id is None


def test_a_bad_nik_is_refused_in_the_dialog_and_nothing_changes(db, client, shop):
    client.post("/kasir/pembeli", headers=HX, data={"buyer": NIK_A, "needs": "nik"})
    retry = {"url": "/kasir/pindai", "target": "cart", "values": {"code": SPHP}}
    answer = client.post("/kasir/pembeli", headers=HX, data={
        "buyer": "6472013201900001", "needs": "nik", "retry": json.dumps(retry)})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert answer.headers["HX-Retarget"] == "#buyer-dialog"
    assert 'id="buyer-error"' in page and "tanggal lahir" in page
    assert json.loads(_hidden(page, "retry")) == retry
    assert cart_row(db, shop["till"]).buyer_nik == NIK_A  # the earlier buyer stands
    answer = client.post("/kasir/pembeli", headers=HX, data={"buyer": "AGT-9999", "needs": "nik"})
    assert answer.status_code == 422 and "bukan anggota yang terdaftar" in answer.get_data(as_text=True)


def test_a_member_number_puts_the_member_on_the_sale_as_the_buyer(db, client, shop):
    answer = client.post("/kasir/pembeli", headers=HX, data={"buyer": shop["member_no"], "needs": "nik"})
    assert answer.status_code == 200
    row = cart_row(db, shop["till"])
    assert (row.member_id, row.buyer_nik) == (shop["member"], None)
    assert f"Anggota {shop['member_no']}" in answer.get_data(as_text=True)
    # a buyer is there: the button changes it ("Isi pembeli" read as if none were)
    assert "Ganti pembeli <kbd>Alt+B</kbd>" in answer.get_data(as_text=True)
    assert client.post("/kasir/pindai", headers=HX, data={"code": SPHP}).status_code == 200


def test_lpg_needs_the_category_and_the_dialog_says_so(db, client, shop):
    answer = client.post("/kasir/pindai", headers=HX, data={"code": LPG})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 428 and 'id="buyer-category"' in page and "required" in page
    assert _hidden(page, "needs") == "category,nik"
    answer = client.post("/kasir/pembeli", headers=HX, data={"buyer": NIK_A, "needs": "category,nik"})
    assert answer.status_code == 422 and "Pilih kategori" in answer.get_data(as_text=True)
    row = cart_row(db, shop["till"])
    assert row is None or row.buyer_nik is None
    answer = client.post("/kasir/pembeli", headers=HX, data={
        "buyer": NIK_A, "category": "rumah_tangga", "needs": "category,nik"})
    assert answer.status_code == 200
    assert "Rumah tangga" in answer.get_data(as_text=True)
    assert client.post("/kasir/pindai", headers=HX, data={"code": LPG}).status_code == 200


def test_the_buyer_goes_with_the_cleared_cart_and_can_be_cleared_alone(db, client, shop):
    client.post("/kasir/pembeli", headers=HX, data={"buyer": NIK_A, "category": "petani"})
    client.post("/kasir/pindai", headers=HX, data={"code": SPHP})
    client.post("/kasir/kosongkan", headers=HX)
    row = cart_row(db, shop["till"])
    assert (row.buyer_nik, row.buyer_category) == (None, None)
    client.post("/kasir/pembeli", headers=HX, data={"buyer": NIK_A})
    client.post("/kasir/pindai", headers=HX, data={"code": SPHP})
    refused = client.post("/kasir/pembeli/hapus", headers=HX)
    assert refused.status_code == 422 and "hapus barangnya dulu" in refused.get_data(as_text=True)
    assert cart_row(db, shop["till"]).buyer_nik == NIK_A
    with db.transaction() as s:
        s.execute(delete(CartLine))
    page = client.post("/kasir/pembeli/hapus", headers=HX).get_data(as_text=True)
    assert cart_row(db, shop["till"]).buyer_nik is None and "NIK 6472" not in page


def test_a_parked_sale_keeps_its_buyer(db, client, shop):
    client.post("/kasir/pembeli", headers=HX, data={"buyer": NIK_A, "category": "petani"})
    client.post("/kasir/pindai", headers=HX, data={"code": SPHP})
    with db.transaction() as s:
        parked = parking.park(s, shop["till"], shop["cashier"], "ambil dompet")
    assert cart_row(db, shop["till"]).buyer_nik is None
    with db.transaction() as s:
        parking.resume(s, shop["till"], shop["cashier"], parked)
    row = cart_row(db, shop["till"])
    assert (row.buyer_nik, row.buyer_category) == (NIK_A, "petani")


def test_the_dialog_opens_on_request_and_a_plain_request_gets_a_message(db, client, shop):
    page = client.get("/kasir/pembeli", headers=HX).get_data(as_text=True)
    assert 'id="buyer-form"' in page and "NIK / Nomor anggota" in page
    answer = client.post("/kasir/pindai", data={"code": SPHP})
    assert answer.status_code == 303 and lines(db) == 0


def test_a_farmer_proxy_is_all_or_nothing_and_checked(db, client, shop, monkeypatch):
    asked = []

    def listed(session, text, day):  # the e-RDKK look-up is the fertiliser part's (stubbed here)
        asked.append(text)
        return NIK_A, "Pak Tani"

    monkeypatch.setattr(buyers, "identify_farmer", listed)
    form = {"buyer": NIK_A, "needs": "farmer", "proxy_name": "Pak Budi"}
    answer = client.post("/kasir/pembeli", headers=HX, data=form)
    assert answer.status_code == 422 and "Wakil petani" in answer.get_data(as_text=True)
    form.update(proxy_nik="6472010101900002", proxy_relation="tetangga")
    assert "Hubungan wakil" in client.post("/kasir/pembeli", headers=HX, data=form).get_data(as_text=True)
    form.update(proxy_relation="keluarga")
    answer = client.post("/kasir/pembeli", headers=HX, data=form)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    row = cart_row(db, shop["till"])
    assert (row.proxy_name, row.proxy_nik, row.proxy_relation) == (
        "Pak Budi", "6472010101900002", "keluarga")
    assert (row.buyer_nik, row.buyer_name, asked) == (NIK_A, "Pak Tani", [NIK_A])


def test_a_product_scanned_into_the_buyer_field_is_named_as_a_product(db, client, shop):
    """'8990000030003' bukan NIK (16 angka) dan bukan anggota: it was the LPG's own code."""
    answer = client.post("/kasir/pembeli", headers=HX, data={"buyer": LPG, "needs": "nik"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert f"Kode {LPG} adalah kode barang (LPG 3 kg isi ulang)" in page
    assert "bukan NIK (16 angka)" not in page
    assert cart_row(db, shop["till"]) is None or cart_row(db, shop["till"]).buyer_nik is None
