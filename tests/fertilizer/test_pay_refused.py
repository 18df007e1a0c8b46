"""Another till took the farmer's last sack while this till still shows it: Bayar (F9) asks the
rules again before the payment panel opens, and a refusal (there, or at Selesai) redraws the
buyer row as the refusal says, not as the cart was drawn before."""
from __future__ import annotations

import uuid

import pytest

from tests.factories import login
from tests.fertilizer.conftest import DARMO, UREA_CODE, pay, scan, set_buyer

HX = {"HX-Request": "true", "HX-Target": "cart"}
REFUSED = "Sisa kuota Urea petani ini 0 kg; diminta 50 kg."
STALE = "Urea untuk Darmo Santoso: sisa kuota 0 kg setelah transaksi ini"


@pytest.fixture
def raced(db, client, farm):
    """KASIR-1 shows Darmo's last 50 kg sack; KASIR-2 then sells him that sack."""
    set_buyer(db, farm["till"], DARMO, "Darmo Santoso")
    assert any(STALE in note for note in scan(db, farm["till"], UREA_CODE).notes)
    set_buyer(db, farm["tills"][1], DARMO, "Darmo Santoso")
    scan(db, farm["tills"][1], UREA_CODE)
    pay(db, farm, till_id=farm["tills"][1])
    login(client, farm["user"], farm["till"])
    return farm


def test_selesai_refused_redraws_the_buyer_row_as_the_refusal_says(client, raced):
    answer = client.post("/kasir/bayar", headers=HX, data={
        "tendered": "100000", "idempotency_key": str(uuid.uuid4()), "expected_total": "90000"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422, page
    assert answer.headers["HX-Retarget"] == "#messages"
    assert REFUSED in page
    # the buyer row comes along out of band, saying what the refusal says
    assert 'id="buyer-panel" class="buyer-panel" hx-swap-oob="outerHTML"' in page
    notes = page.split('id="buyer-notes"', 1)[1].split("</ul>", 1)[0]
    assert REFUSED in notes and STALE not in page
    assert "cart-changed" in answer.headers.get("HX-Trigger", "")   # the panel shuts


def test_f9_asks_the_rules_again_and_refuses_to_open_the_panel(client, raced):
    answer = client.post("/kasir/bayar/periksa", headers={**HX, "HX-Target": "messages"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422, page
    assert "pay-checked" not in answer.headers.get("HX-Trigger", "")
    assert answer.headers["HX-Retarget"] == "#messages"
    assert REFUSED in page
    notes = page.split('id="buyer-notes"', 1)[1].split("</ul>", 1)[0]
    assert REFUSED in notes and STALE not in page


def test_f9_opens_the_panel_when_the_rules_still_pass(db, client, farm):
    set_buyer(db, farm["till"], DARMO, "Darmo Santoso")
    scan(db, farm["till"], UREA_CODE)
    login(client, farm["user"], farm["till"])
    answer = client.post("/kasir/bayar/periksa", headers={**HX, "HX-Target": "messages"})
    assert answer.status_code == 204, answer.get_data(as_text=True)
    assert answer.headers["HX-Trigger"] == "pay-checked"


def test_f9_without_the_farmer_asks_for_them_and_carries_the_check(db, client, farm):
    scan(db, farm["till"], UREA_CODE, today=None)   # a buyer taken off meanwhile
    login(client, farm["user"], farm["till"])
    answer = client.post("/kasir/bayar/periksa", headers={**HX, "HX-Target": "messages"})
    assert answer.status_code == 428, answer.get_data(as_text=True)
    assert answer.headers["HX-Retarget"] == "#buyer-dialog"
    assert "/kasir/bayar/periksa" in answer.get_data(as_text=True)


def test_the_pay_panel_knows_where_bayar_asks_the_rules(db, client, farm):
    """static/js/pay.js asks there when the buyer row has notes (regulated goods on the cart)."""
    set_buyer(db, farm["till"], DARMO, "Darmo Santoso")
    scan(db, farm["till"], UREA_CODE)
    login(client, farm["user"], farm["till"])
    page = client.get("/kasir").get_data(as_text=True)
    assert 'data-check-url="/kasir/bayar/periksa"' in page
    assert 'id="buyer-notes"' in page
