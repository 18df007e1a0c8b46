"""A weighed good sold only to a known buyer (loose rice under a per-buyer limit), scanned or
picked on an empty cart: who buys is asked once, before the weighing, and the weight (the
scale's, or typed, asked about when unlikely) goes on with that buyer in one request."""
from __future__ import annotations

import html
import json
import re

import pytest
from sqlalchemy import select, update

from pos.hardware import Hardware
from pos.hardware.scale import SerialScale
from pos.hardware.scale_sim import ScaleSimulator
from pos.limits import rules
from pos.sales.models import Cart, CartLine
from pos.tills.models import Till
from tests.factories import login, make_product, make_till, make_user
from tests.limits.conftest import NIK_A

HX = {"HX-Request": "true", "HX-Target": "cart"}
RICE = "2000000000015"


@pytest.fixture
def shop(db, client):
    with db.transaction() as s:
        till, user = make_till(s), make_user(s)
        rice = make_product(s, name="Beras curah SPHP", price=12_500, base_unit="gram", weighed=True,
                            tax_class="bebas", on_hand=120_000, barcodes_=[(RICE, 1000)])
        rule = rules.save_rule(s, None, name="Beras curah", max_qty=200_000, period="day", buyer="any")
        rules.attach(s, rule.id, rice.id)
        s.execute(update(Till).values(manual_weight=True))
    login(client, user.id, till.id)
    return dict(till=till.id, rice=rice.id)


def hidden(page: str, name: str) -> str | None:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    return html.unescape(found.group(1)) if found else None


def cart_state(db):
    with db.reading() as s:
        return s.scalar(select(Cart.buyer_nik)), s.execute(select(CartLine.qty, CartLine.manual)).all()


def answer_dialog(client, asked):
    """The cashier types the NIK in the dialog that ``asked`` opened: the request sent again."""
    assert asked.status_code == 428 and asked.headers["HX-Retarget"] == "#buyer-dialog"
    saved = client.post("/kasir/pembeli", headers=HX, data={
        "buyer": NIK_A, "needs": "nik", "retry": hidden(asked.get_data(as_text=True), "retry")})
    assert saved.status_code == 200, saved.get_data(as_text=True)
    return json.loads(saved.headers["HX-Trigger"])["buyer-set"]["retry"]


def prompt_fields(answer) -> dict:
    page = answer.get_data(as_text=True)
    assert answer.headers["HX-Retarget"] == "#weigh-prompt" and 'id="weigh-form"' in page
    return {"pembeli": hidden(page, "pembeli") or "", "unit": "kg"}


@pytest.mark.parametrize("how", ["scan", "pick"])
def test_without_a_scale_the_buyer_is_asked_once_then_the_weight(client, db, shop, how):
    """The typed weight came first, then the dialog; its answer sent the weight again, and a
    weight asked about then (its Ya button) went without the buyer: asked a second time."""
    first = client.post("/kasir/pindai", headers=HX, data={"code": RICE}) if how == "scan" \
        else client.post(f"/kasir/timbang/{shop['rice']}", headers=HX, data={"tare": "0"})
    sent = answer_dialog(client, first)                        # asked before any weight
    assert cart_state(db) == (None, [])
    prompt = client.post(sent["url"], headers=HX, data=sent["values"])
    fields = prompt_fields(prompt)
    assert json.loads(fields["pembeli"])["buyer"] == NIK_A    # the buyer rides in the prompt
    # an unlikely weight is asked about, keeping the buyer; Ya adds it with the buyer: no dialog
    question = client.post(f"/kasir/timbang/{shop['rice']}/manual", headers=HX,
                           data={**fields, "weight": "150"})
    assert hidden(question.get_data(as_text=True), "pembeli") == fields["pembeli"]
    added = client.post(f"/kasir/timbang/{shop['rice']}/manual", headers=HX,
                        data={**fields, "weight": "150", "yakin": "150000"})
    assert added.status_code == 200, added.get_data(as_text=True)
    assert "NIK 6472********0001" in added.get_data(as_text=True)
    assert cart_state(db) == (NIK_A, [(150_000, True)])


def test_with_a_scale_the_buyer_is_asked_before_the_scale_is_read_and_the_weight_once(
        app, client, db, shop, printer):
    """The scale was read, the weight thrown away for the dialog and read again after it: a bag
    lifted or swinging by then lost the buyer typed, and the next scan asked again."""
    with ScaleSimulator("toledo8217") as scale:
        app.extensions["pos_hardware"] = Hardware(
            printer=printer, scale=SerialScale.from_url(f"serial://{scale.port}?protocol=toledo8217"))
        try:
            scale.set(0, stable=False)                 # nothing settled on the scale yet
            sent = answer_dialog(client, client.post("/kasir/pindai", headers=HX,
                                                     data={"code": RICE, "tare": "0"}))
            scale.set(2_500)
            added = client.post(sent["url"], headers=HX, data=sent["values"])
            assert added.status_code == 200, added.get_data(as_text=True)
        finally:
            app.extensions["pos_hardware"].scale.close()
    assert cart_state(db) == (NIK_A, [(2_500, False)])


def test_a_buyer_on_the_cart_already_is_not_asked_again(client, db, shop):
    assert client.post("/kasir/pembeli", headers=HX, data={"buyer": NIK_A, "needs": "nik"}).status_code == 200
    prompt = client.post("/kasir/pindai", headers=HX, data={"code": RICE})
    assert prompt.headers["HX-Retarget"] == "#weigh-prompt"
    added = client.post(f"/kasir/timbang/{shop['rice']}/manual", headers=HX,
                        data={"weight": "2", "unit": "kg"})
    assert added.status_code == 200 and cart_state(db) == (NIK_A, [(2_000, True)])
