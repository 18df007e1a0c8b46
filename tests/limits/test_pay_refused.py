"""A buyer's limit taken at another till while this till shows the cart: Bayar (F9) refuses to
open the payment panel, and Selesai refuses the sale, each with the buyer row drawn again as
the refusal says (it still read "boleh 0 lagi hari ini", as if the sale were fine)."""
from __future__ import annotations

import uuid

import pytest

from pos.clock import business_date, utcnow
from tests.factories import login, make_till
from tests.limits.conftest import NIK_A, SPHP, pay, scan, set_buyer

HX = {"HX-Request": "true", "HX-Target": "cart"}
REFUSED = ("Batas Beras SPHP: 2 per pembeli per hari; NIK 6472********0001 sudah membeli 2 hari "
           "ini, diminta 2.")
STALE = "Beras SPHP: boleh 0 lagi hari ini"


@pytest.fixture
def raced(db, client, shop):
    today = business_date(utcnow(), "Asia/Makassar")
    with db.transaction() as s:
        other = make_till(s, "KASIR-2").id
    set_buyer(db, shop["till"], NIK_A, day=today)
    assert any(STALE in note for note in scan(db, shop["till"], SPHP, times=2, day=today).notes)
    set_buyer(db, other, NIK_A, day=today)
    scan(db, other, SPHP, times=2, day=today)
    pay(db, shop, day=today, till=other)
    login(client, shop["user"], shop["till"])
    return shop


def _buyer_notes(page: str) -> str:
    assert 'id="buyer-panel" class="buyer-panel" hx-swap-oob="outerHTML"' in page, page
    return page.split('id="buyer-notes"', 1)[1].split("</ul>", 1)[0]


def test_f9_refuses_to_open_the_panel_past_the_limit(client, raced):
    answer = client.post("/kasir/bayar/periksa", headers={**HX, "HX-Target": "messages"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 409, page
    assert "pay-checked" not in answer.headers.get("HX-Trigger", "")
    assert REFUSED in page and STALE not in page
    assert REFUSED in _buyer_notes(page)


def test_selesai_refused_past_the_limit_redraws_the_buyer_row(client, raced):
    answer = client.post("/kasir/bayar", headers=HX, data={
        "tendered": "200000", "idempotency_key": str(uuid.uuid4()), "expected_total": "125000"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 409, page
    assert REFUSED in page and STALE not in page
    assert REFUSED in _buyer_notes(page)
