"""Buka laci at the till through HTTP: the key on the till, the form and its reasons, a
manager's PIN in the dialog (a wrong one refused and logged), the outlet's switch that lets a
cashier alone, refused without an open shift, for a role that does not sell and without the
CSRF token; the drawer kicked only after the record is committed, a printer that fails said
and the record kept; the shift's Tutup shift screen and its X report list the openings."""
from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, select

from pos.approvals.models import Override, RefusedApproval
from pos.sales.models import DrawerEvent
from pos.shifts.models import Shift
from tests.factories import login, make_till, make_user, sealed
from tests.shifts.conftest import HX, MANAGER

ASK = {**HX, "HX-Target": "messages"}


def events(db) -> list[DrawerEvent]:
    with db.reading() as s:
        return list(s.scalars(select(DrawerEvent).order_by(DrawerEvent.id)))


def count(db, model) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(model))


@pytest.fixture
def staff_app():
    """A till, a cashier and a manager in an app of the test's own settings."""
    def make(db) -> dict:
        with db.transaction() as s:
            till = make_till(s)
            cashier = make_user(s, "kasir1", "cashier", "1111")
            manager = make_user(s, "manajer1", "manager", "2222")
        return dict(till=till.id, cashier=cashier.id, manager=manager.id)
    return make


@pytest.fixture
def opened(client, db, staff):
    """Kasir1 at the till with a shift opened with Rp200.000."""
    login(client, staff["cashier"], staff["till"], shift=False)
    client.post("/shift/buka", data={"pecahan_k100000": "2"}, headers=HX)
    with db.reading() as s:
        return s.scalar(select(Shift.id))


def test_the_till_has_the_key_on_its_button_and_in_its_key_bar(client, opened):
    page = client.get("/kasir").get_data(as_text=True)
    assert re.search(r'id="no-sale-button"[^>]*>Buka laci <kbd>Alt\+L</kbd>', page)
    assert "<kbd>Alt+L</kbd> Buka laci" in page          # the key bar at the foot
    assert 'data-no-sale-url="/shift/laci"' in page


def test_the_form_offers_the_reasons_and_says_a_manager_approves(client, opened):
    form = client.get("/shift/laci", headers=HX).get_data(as_text=True)
    assert 'id="no-sale-form"' in form and f"shift #{opened}" in form
    for key, reason in enumerate(("Tukar uang pecahan", "Perbaiki kembalian", "Periksa isi laci"), 1):
        assert f'value="{reason}" data-choice="{key}"' in form
    assert 'name="reason_text"' in form and "Perlu PIN manajer" in form


def test_a_cashier_gets_the_managers_dialog_and_nothing_opens_until_approved(client, db, opened,
                                                                           staff, printer):
    asked = client.post("/shift/laci", data={"reason": "Tukar uang pecahan", "reason_text": ""},
                        headers=ASK)
    assert asked.headers["HX-Retarget"] == "#approval-dialog"
    body = asked.get_data(as_text=True)
    assert 'id="approval-form"' in body and "Buka laci tanpa penjualan: Tukar uang pecahan" in body
    assert events(db) == [] and printer.drawer_opens == 0

    wrong = client.post("/shift/laci", headers=HX, data=sealed(client, "/shift/laci", {
        "reason": "Tukar uang pecahan", "reason_text": "", **MANAGER, "approval_pin": "9999",
        "approval_kind": "no_sale"}))
    assert wrong.status_code == 403 and "PIN manajer salah" in wrong.get_data(as_text=True)
    assert events(db) == [] and printer.drawer_opens == 0
    with db.reading() as s:
        assert s.scalars(select(RefusedApproval)).one().kind == "no_sale"

    done = client.post("/shift/laci", headers=HX, data=sealed(client, "/shift/laci", {
        "reason": "Tukar uang pecahan", "reason_text": "pembeli bawa Rp100.000", **MANAGER}))
    assert done.status_code == 200
    said = done.get_data(as_text=True)
    assert f"Laci dibuka tanpa penjualan; tercatat di shift #{opened}" in said
    assert 'id="adjust-panel" hx-swap-oob="innerHTML"' in said   # the form and dialog close
    assert printer.drawer_opens == 1
    (event,) = events(db)
    assert (event.no_sale, event.shift_id, event.user_id, event.approved_by, event.opened, event.reason) == (
        True, opened, staff["cashier"], staff["manager"], True, "Tukar uang pecahan: pembeli bawa Rp100.000")
    with db.reading() as s:
        assert s.scalars(select(Override)).one().kind == "no_sale"


def test_the_outlet_may_let_cashiers_open_it_alone(app_factory, staff_app):
    app = app_factory(CASHIER_OPENS_DRAWER=True)
    db, client = app.extensions["pos_db"], app.test_client()
    ids = staff_app(db)
    login(client, ids["cashier"], ids["till"])
    assert "Perlu PIN manajer" not in client.get("/shift/laci", headers=HX).get_data(as_text=True)
    done = client.post("/shift/laci", data={"reason_text": "pembeli minta tukar"}, headers=ASK)
    assert done.status_code == 200 and "Laci dibuka tanpa penjualan" in done.get_data(as_text=True)
    (event,) = events(db)
    assert (event.no_sale, event.approved_by, event.reason) == (True, None, "pembeli minta tukar")
    assert count(db, Override) == 0


def test_a_manager_at_the_till_opens_it_with_no_dialog(client, db, staff, printer):
    login(client, staff["manager"], staff["till"])
    done = client.post("/shift/laci", data={"reason": "Periksa isi laci"}, headers=ASK)
    assert done.status_code == 200 and printer.drawer_opens == 1
    assert events(db)[0].approved_by == staff["manager"]


def test_without_an_open_shift_at_the_till_it_is_refused(client, db, staff, printer):
    login(client, staff["cashier"], staff["till"], shift=False)
    form = client.get("/shift/laci", headers=HX)
    assert form.status_code == 409 and "shift" in form.get_data(as_text=True).lower()
    refused = client.post("/shift/laci", headers=HX, data=sealed(client, "/shift/laci", {
        "reason": "Tukar uang pecahan", **MANAGER}))
    assert refused.status_code == 409 and "Buka shift" in refused.get_data(as_text=True)
    assert events(db) == [] and printer.drawer_opens == 0 and count(db, Override) == 0


@pytest.mark.parametrize("form, words", [
    ({"reason": "", "reason_text": " "}, "Tulis alasan membuka laci"),
    ({"reason": "Ambil uang", "reason_text": ""}, "Pilih alasan dari daftar"),
    ({"reason_text": "x" * 201}, "terlalu panjang"),
])
def test_a_missing_or_bad_reason_is_refused_and_nothing_opens(client, db, opened, printer, form, words):
    refused = client.post("/shift/laci", data=sealed(client, "/shift/laci", {**form, **MANAGER}), headers=HX)
    assert refused.status_code == 422 and words in refused.get_data(as_text=True)
    assert events(db) == [] and printer.drawer_opens == 0


def test_a_printer_that_fails_is_said_and_the_record_stays(app, client, db, opened):
    from pos.hardware import Hardware
    from pos.hardware.fakes import FailingPrinter

    english = "Device not found (Could not open socket)"
    app.extensions["pos_hardware"] = Hardware(printer=FailingPrinter("Laci tidak terbuka", english))
    done = client.post("/shift/laci", headers=HX, data=sealed(client, "/shift/laci", {
        "reason": "Perbaiki kembalian", **MANAGER}))
    assert done.status_code == 200
    said = done.get_data(as_text=True)
    assert (f"Buka laci tercatat di shift #{opened}, tetapi laci belum terbuka (Laci tidak terbuka); "
            "buka dengan kunci laci.") in said and "Device not found" not in said
    (event,) = events(db)
    assert event.no_sale and not event.opened and english in event.error


def test_a_role_that_does_not_sell_may_not(client, db, staff):
    with db.transaction() as s:
        clerk = make_user(s, "gudang1", "clerk", "4444")
    login(client, clerk.id, staff["till"], shift=False)
    assert client.get("/shift/laci", headers=HX).status_code == 403
    assert client.post("/shift/laci", data={"reason": "Periksa isi laci"}, headers=HX).status_code == 403
    assert events(db) == []


def test_signed_out_it_asks_to_sign_in(client, db):
    assert client.post("/shift/laci", data={"reason": "Periksa isi laci"}).status_code in (302, 303, 401)
    assert events(db) == []


def test_the_csrf_token_is_required(app_factory, staff_app, printer):
    app = app_factory(WTF_CSRF_ENABLED=True)
    db, client = app.extensions["pos_db"], app.test_client()
    ids = staff_app(db)
    login(client, ids["manager"], ids["till"])
    refused = client.post("/shift/laci", data={"reason": "Periksa isi laci"}, headers=HX)
    assert refused.status_code == 400 and events(db) == [] and printer.drawer_opens == 0
    page = client.get("/kasir").get_data(as_text=True)
    token = json.loads(re.search(r"<body[^>]*\bhx-headers='([^']*)'", page).group(1))["X-CSRFToken"]
    done = client.post("/shift/laci", data={"reason": "Periksa isi laci"},
                       headers={**HX, "X-CSRFToken": token})
    assert done.status_code == 200 and len(events(db)) == 1 and printer.drawer_opens == 1


def test_tutup_shift_and_the_x_report_show_the_openings(client, db, opened):
    client.post("/shift/laci", headers=HX, data=sealed(client, "/shift/laci", {
        "reason": "Tukar uang pecahan", "reason_text": "Rp50.000", **MANAGER}))
    close = client.get(f"/shift/{opened}/tutup").get_data(as_text=True)
    assert "Buka laci tanpa penjualan: 1 kali" in close and "Tukar uang pecahan: Rp50.000" in close
    report = client.get(f"/shift/{opened}").get_data(as_text=True)
    assert 'id="no-sales"' in report and "disetujui Manajer1" in report
    assert "BUKA LACI TANPA PENJUALAN: 1x" in report      # as printed


def test_without_a_printer_it_is_recorded_and_says_the_drawer_did_not_open(client, db, staff, printer):
    """dummy:// (a gerai whose printer is not set up): no drawer answers the kick, so the screen
    says so, as a sale's says its receipt did not print, instead of "Laci dibuka"."""
    printer.url = "dummy://"
    login(client, staff["manager"], staff["till"])
    said = client.post("/shift/laci", data={"reason": "Periksa isi laci"}, headers=ASK).get_data(as_text=True)
    assert "laci belum terbuka (printer belum diatur di Perangkat); buka dengan kunci laci" in said
    assert "Laci dibuka tanpa penjualan" not in said
    (event,) = events(db)
    assert (event.no_sale, event.opened, event.error) == (True, False, "printer belum diatur di Perangkat")
