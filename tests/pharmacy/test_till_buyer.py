"""An obat keras under a per-buyer limit on an empty cart: the buyer the dialog checked goes
with the prescription dialog's request and is put on the cart with its line, in one
transaction, whichever of the two dialogs asked first."""
from __future__ import annotations

import html
import json
import re

import pytest
from sqlalchemy import select

from pos.limits import rules
from pos.sales.models import Cart, CartLine
from tests.factories import login
from tests.limits.conftest import NIK_A
from tests.pharmacy.conftest import HX, KERAS, PHARMACIST
from tests.pharmacy.test_till import rx


@pytest.fixture
def till(client, db, shop):
    with db.transaction() as s:
        rule = rules.save_rule(s, None, name="Antibiotik", max_qty=5, period="day", buyer="any")
        rules.attach(s, rule.id, shop["keras"])
    login(client, shop["cashier"], shop["till"])
    return shop


def hidden(page: str, name: str) -> str | None:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    return html.unescape(found.group(1)) if found else None


def cart_state(db):
    with db.reading() as s:
        buyer = s.scalar(select(Cart.buyer_nik))
        return buyer, s.execute(select(CartLine.qty, CartLine.rx_number)).all()


def save_buyer(client, retry: str):
    saved = client.post("/kasir/pembeli", headers=HX, data={"buyer": NIK_A, "needs": "nik", "retry": retry})
    assert saved.status_code == 200, saved.get_data(as_text=True)
    return json.loads(saved.headers["HX-Trigger"])["buyer-set"]["retry"]


def test_the_buyer_asked_after_the_prescription_goes_on_with_the_approved_line(client, db, app, till):
    """The dialog's answer came with the prescription's request again, which dropped it: the
    buyer was asked again and again, and nothing went on the cart."""
    asked = client.post("/kasir/resep/pindai", headers=HX, data={"code": KERAS, **rx(app), **PHARMACIST})
    assert asked.status_code == 428 and asked.headers["HX-Retarget"] == "#buyer-dialog"
    page = asked.get_data(as_text=True)
    assert "approval_pin" not in page and PHARMACIST["approval_pin"] not in page   # no PIN in the page
    sent = save_buyer(client, hidden(page, "retry"))
    assert sent["url"] == "/kasir/resep/pindai" and sent["values"]["pembeli"]
    assert "approval_pin" not in sent["values"] and sent["values"]["approval_pass"]
    answer = client.post(sent["url"], headers=HX, data=sent["values"])
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert "NIK 6472********0001" in answer.get_data(as_text=True)
    assert cart_state(db) == (NIK_A, [(1, "R-0112")])


def test_the_buyer_asked_before_the_prescription_rides_in_its_dialog(client, db, app, till):
    """With the buyer asked first (the cashier's Alt+B answer carried with the scan), the
    prescription dialog that the scan then asks keeps it and puts it on with the line."""
    retry = json.dumps({"url": "/kasir/pindai", "target": "cart", "values": {"code": KERAS}})
    sent = save_buyer(client, retry)
    dialog = client.post(sent["url"], headers=HX, data=sent["values"])
    page = dialog.get_data(as_text=True)
    assert dialog.headers["HX-Retarget"] == "#approval-dialog" and 'id="rx-form"' in page
    carried = hidden(page, "pembeli")
    assert carried and json.loads(carried)["buyer"] == NIK_A
    answer = client.post("/kasir/resep/pindai", headers=HX,
                         data={"code": KERAS, "pembeli": carried, **rx(app), **PHARMACIST})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert cart_state(db) == (NIK_A, [(1, "R-0112")])


def test_a_prescription_refused_leaves_no_buyer_for_the_next_customer(client, db, app, till):
    retry = json.dumps({"url": "/kasir/pindai", "target": "cart", "values": {"code": KERAS}})
    sent = save_buyer(client, retry)
    carried = hidden(client.post(sent["url"], headers=HX, data=sent["values"]).get_data(as_text=True),
                     "pembeli")
    refused = client.post("/kasir/resep/pindai", headers=HX, data={
        "code": KERAS, "pembeli": carried, **rx(app), **PHARMACIST, "approval_pin": "0000"})
    assert refused.status_code == 403
    assert cart_state(db) in ((None, []),)


@pytest.mark.parametrize("spoil", ["forged", "other_path", "stale"])
def test_a_pass_forged_for_another_request_or_stale_is_refused_and_changes_nothing(
        client, db, app, till, spoil, monkeypatch):
    """The pass stands in for the apoteker's PIN only for the request it was made for, at this
    till, for five minutes."""
    from pos.approvals import passes

    asked = client.post("/kasir/resep/pindai", headers=HX, data={"code": KERAS, **rx(app), **PHARMACIST})
    sent = save_buyer(client, hidden(asked.get_data(as_text=True), "retry"))
    values, url = dict(sent["values"]), sent["url"]
    if spoil == "forged":
        values["approval_pass"] = values["approval_pass"][:-2] + "xx"
    elif spoil == "other_path":
        url = f"/kasir/resep/tambah/{till['keras']}"
    else:
        monkeypatch.setattr(passes, "MAX_AGE_S", -1)
    refused = client.post(url, headers=HX, data=values)
    assert refused.status_code == 403 and "minta nama pengguna dan PIN lagi" in refused.get_data(as_text=True)
    assert cart_state(db) == (None, [])
