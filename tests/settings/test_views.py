"""The Pengaturan screen: managers only, the static QRIS checked, logged and previewed."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pos.settings import service
from pos.settings.models import OutletSettingChange
from tests.factories import login, make_user
from tests.payments.vectors import BAZNAS, SAMPLE1, SAMPLE3


@pytest.fixture
def manager(app, db, client):
    with db.transaction() as s:
        boss = make_user(s, "bos", "manager", "9999").id
    login(client, boss)
    return boss


def stored(db) -> tuple[str | None, int]:
    with db.reading() as s:
        return (service.get(s, service.QRIS_STATIC),
                s.scalar(select(func.count()).select_from(OutletSettingChange)))


def test_the_page_before_any_qris_shows_the_outlet_settings(app_factory):
    app = app_factory(CASH_ROUNDING=100, PKP=False, OUTLET_ADDRESS="Jl. Poros Maros 12",
                      OUTLET_NPWP="01.234.567.8-901.000", HET_ZONE="2")
    client = app.test_client()
    from pos.db import get_db

    with get_db(app).transaction() as s:
        login(client, make_user(s, "bos", "manager").id)
    page = client.get("/pengaturan")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Belum ada QRIS statis" in html and "<svg" not in html
    assert "Gerai Uji" in html and "TST01" in html and "Asia/Makassar" in html and "Rp100" in html
    facts = html.split('id="outlet-facts"', 1)[1].split("</table>", 1)[0]
    for shown, key in (("Jl. Poros Maros 12", "OUTLET_ADDRESS"), ("01.234.567.8-901.000", "OUTLET_NPWP"),
                       ("2", "HET_ZONE"), ("32 karakter (kertas 58 mm)", "RECEIPT_COLUMNS"),
                       ("Terima kasih. Belanja di koperasi", "RECEIPT_FOOTER"), ("Rp100", "CASH_ROUNDING")):
        assert shown in facts and f"<code>{key}</code>" in facts
    assert f"{app.instance_path}/pos.cfg" in html
    assert 'name="csrf_token"' in html and "Belum ada perubahan." in html


def test_a_manager_saves_a_static_qris_and_sees_its_merchant_and_qr(client, db, manager):
    saved = client.post("/pengaturan/qris", data={"qris_static": f"{SAMPLE1}\n"})
    assert saved.status_code == 303 and saved.headers["Location"].endswith("/pengaturan")
    assert stored(db) == (SAMPLE1, 1)
    html = client.get("/pengaturan").get_data(as_text=True)
    assert "QRIS statis disimpan: Kantin Ibu Lilik." in html
    assert '<b id="qris-merchant">Kantin Ibu Lilik</b>, Jakarta Pusat' in html
    assert '<svg width="264" height="264" viewBox=' in html and "style=" not in html
    assert "dari Pengaturan" in html
    assert "Kantin Ibu Lilik (CRC 4C6B)" in html and "(kosong)" in html and "Bos" in html  # the log
    again = client.post("/pengaturan/qris", data={"qris_static": SAMPLE1})
    assert again.status_code == 303 and stored(db) == (SAMPLE1, 1)  # no change, no log row


def test_a_broken_qris_comes_back_with_the_reason_and_keeps_the_old_one(client, db, manager):
    client.post("/pengaturan/qris", data={"qris_static": BAZNAS})
    refused = client.post("/pengaturan/qris", data={"qris_static": SAMPLE3})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "CRC salah: seharusnya 4AD5, tertulis 5C1C." in html and "aria-invalid=true" in html
    assert SAMPLE3 in html  # the pasted text stays in the field to be corrected
    assert '<b id="qris-merchant">Baznas</b>' in html  # the one in force is still shown
    assert stored(db) == (BAZNAS, 1)


@pytest.mark.parametrize("form", [
    {}, {"qris_static": "x" * 5000}, {"qris_static": "000201010211\u00e9"},
    {"qris_static": "https://bayar.example/qr"}, {"key": "admin", "qris_static": SAMPLE3},
])
def test_a_tampered_form_changes_nothing(client, db, manager, form):
    client.post("/pengaturan/qris", data={"qris_static": BAZNAS})
    response = client.post("/pengaturan/qris", data=form)
    assert response.status_code in (400, 422) or response.headers["Location"]
    assert stored(db) == (BAZNAS, 1)


def test_emptying_the_field_removes_the_qris_and_the_environment_one_shows(app_factory):
    app = app_factory(QRIS_STATIC=SAMPLE1)
    client = app.test_client()
    from pos.db import get_db

    with get_db(app).transaction() as s:
        login(client, make_user(s, "bos", "manager").id)
    client.post("/pengaturan/qris", data={"qris_static": BAZNAS})
    assert '<b id="qris-merchant">Baznas</b>' in client.get("/pengaturan").get_data(as_text=True)
    assert client.post("/pengaturan/qris", data={"qris_static": ""}).status_code == 303
    html = client.get("/pengaturan").get_data(as_text=True)
    assert "QRIS statis dihapus dari Pengaturan." in html and "dari POS_QRIS_STATIC" in html
    assert '<b id="qris-merchant">Kantin Ibu Lilik</b>' in html


def test_a_broken_environment_qris_is_named_on_the_page(app_factory):
    app = app_factory(QRIS_STATIC=SAMPLE3)
    client = app.test_client()
    from pos.db import get_db

    with get_db(app).transaction() as s:
        login(client, make_user(s, "bos", "manager").id)
    html = client.get("/pengaturan").get_data(as_text=True)
    assert "QRIS di POS_QRIS_STATIC tidak sah: CRC salah" in html and "<svg" not in html


@pytest.mark.parametrize("role", ["cashier", "clerk"])
def test_only_managers_open_or_change_settings(client, db, role):
    with db.transaction() as s:
        login(client, make_user(s, "staf", role).id)
    assert client.get("/pengaturan").status_code == 403
    assert client.post("/pengaturan/qris", data={"qris_static": SAMPLE1}).status_code in (303, 403)
    assert stored(db) == (None, 0)


def test_the_home_menu_links_managers_to_settings(client, manager):
    assert 'href="/pengaturan"' in client.get("/").get_data(as_text=True)
