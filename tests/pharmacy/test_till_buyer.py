"""An obat keras under a per-buyer limit on an empty cart: the buyer the dialog checked goes
with the prescription dialog's request and is put on the cart with its line, in one
transaction, whichever of the two dialogs asked first."""
from __future__ import annotations

import html
import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from pos.limits import rules
from pos.sales.models import Cart, CartLine
from tests.factories import login
from tests.limits.conftest import NIK_A
from tests.pharmacy.conftest import HX, KERAS, PHARMACIST, sealed_rx
from tests.pharmacy.test_till import rx, today

RESEP = "/kasir/resep/pindai"


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


def asking(app) -> dict:
    """The prescription dialog's answer for one Amoxicillin, with the apoteker's PIN."""
    return sealed_rx(app, RESEP, {"code": KERAS, **rx(app), **PHARMACIST})


def save_buyer(client, retry: str):
    saved = client.post("/kasir/pembeli", headers=HX, data={"buyer": NIK_A, "needs": "nik", "retry": retry})
    assert saved.status_code == 200, saved.get_data(as_text=True)
    return json.loads(saved.headers["HX-Trigger"])["buyer-set"]["retry"]


def test_the_buyer_asked_after_the_prescription_goes_on_with_the_approved_line(client, db, app, till):
    """The dialog's answer came with the prescription's request again, which dropped it: the
    buyer was asked again and again, and nothing went on the cart."""
    asked = client.post(RESEP, headers=HX, data=asking(app))
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
    answer = client.post("/kasir/resep/pindai", headers=HX, data=sealed_rx(
        app, RESEP, {"code": KERAS, "pembeli": carried, **rx(app), **PHARMACIST}))
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert cart_state(db) == (NIK_A, [(1, "R-0112")])


def test_a_prescription_refused_leaves_no_buyer_for_the_next_customer(client, db, app, till):
    retry = json.dumps({"url": "/kasir/pindai", "target": "cart", "values": {"code": KERAS}})
    sent = save_buyer(client, retry)
    carried = hidden(client.post(sent["url"], headers=HX, data=sent["values"]).get_data(as_text=True),
                     "pembeli")
    refused = client.post("/kasir/resep/pindai", headers=HX, data=sealed_rx(app, RESEP, {
        "code": KERAS, "pembeli": carried, **rx(app), **PHARMACIST, "approval_pin": "0000"}))
    assert refused.status_code == 403
    assert cart_state(db) in ((None, []),)


@pytest.mark.parametrize("spoil", ["forged", "other_path", "stale"])
def test_a_pass_forged_for_another_request_or_stale_is_refused_and_changes_nothing(
        client, db, app, till, spoil, monkeypatch):
    """The pass stands in for the apoteker's PIN only for the request it was made for, at this
    till, for five minutes."""
    from pos.approvals import passes

    asked = client.post(RESEP, headers=HX, data=asking(app))
    sent = save_buyer(client, hidden(asked.get_data(as_text=True), "retry"))
    values, url = dict(sent["values"]), sent["url"]
    if spoil == "forged":
        values["approval_pass"] = values["approval_pass"][:-2] + "xx"
    elif spoil == "other_path":
        url = f"/kasir/resep/tambah/{till['keras']}"
        values = sealed_rx(app, url, values)   # the other path's own dialog: the pass is refused
    else:
        monkeypatch.setattr(passes, "MAX_AGE_S", -1)
    refused = client.post(url, headers=HX, data=values)
    assert refused.status_code == 403 and "minta nama pengguna dan PIN lagi" in refused.get_data(as_text=True)
    assert cart_state(db) == (None, [])


METFORMIN = "8990000100058"


@pytest.fixture
def other_keras(db, till):
    """A second obat keras, under no limit (so its scan asks for no buyer)."""
    from pos.inventory.catalog.models import DrugClass
    from tests.factories import make_product

    with db.transaction() as s:
        product = make_product(s, name="Metformin 500 mg", price=3_000, cost=2_000,
                               business_unit="apotek", batch_tracked=True, on_hand=50,
                               barcodes_=[METFORMIN])
        product.drug_class = DrugClass.KERAS
    return product.id


def a_pass(client, app) -> dict:
    """The retry the buyer dialog drew after the apoteker's PIN, with its pass."""
    asked = client.post(RESEP, headers=HX, data=asking(app))
    assert asked.status_code == 428, asked.get_data(as_text=True)
    return json.loads(hidden(asked.get_data(as_text=True), "retry"))


def overrides(db):
    from pos.approvals.models import Override

    with db.reading() as s:
        return s.scalars(select(Override.description)).all()


def test_a_pass_approves_only_the_request_the_apoteker_saw(client, db, app, till, other_keras):
    """A pass taken from the buyer dialog (dialog cancelled) approved any obat keras, any quantity
    and any prescription without the PIN, again and again for five minutes."""
    retry = a_pass(client, app)
    forged = {"code": f"20*{METFORMIN}", **rx(app, rx_doctor="Palsu", rx_number="FAKE-9"),
              "approval_user": "x", "approval_pass": retry["values"]["approval_pass"]}
    refused = client.post(RESEP, headers=HX, data=sealed_rx(app, RESEP, forged))  # its own dialog's
    assert refused.status_code == 403 and "minta nama pengguna dan PIN lagi" in refused.get_data(as_text=True)
    older = f"{today(app) - timedelta(days=3):%d-%m-%Y}"   # a date the apoteker never saw
    for changed in ({"code": f"3*{KERAS}"}, {"rx_number": "FAKE-9"}, {"rx_doctor": "Palsu"},
                    {"rx_date": older}):
        values = sealed_rx(app, RESEP, {**retry["values"], **changed})
        assert client.post(retry["url"], headers=HX, data=values).status_code == 403
    assert cart_state(db) == (None, []) and overrides(db) == []


def test_a_pass_is_redeemed_once(client, db, app, till):
    """The pass came back with every use: the same request sent again added the drug again."""
    sent = save_buyer(client, json.dumps(a_pass(client, app)))
    assert client.post(sent["url"], headers=HX, data=sent["values"]).status_code == 200
    again = client.post(sent["url"], headers=HX, data=sent["values"])
    assert again.status_code == 403 and "minta nama pengguna dan PIN lagi" in again.get_data(as_text=True)
    assert cart_state(db) == (NIK_A, [(1, "R-0112")]) and len(overrides(db)) == 1


def test_a_pass_sent_without_the_buyer_is_spent_and_the_next_dialog_carries_a_new_one(
        client, db, app, till):
    """The request sent again still without a buyer asks for the buyer again: that dialog carries
    a fresh pass for the same request, and the one spent is refused."""
    retry = a_pass(client, app)
    first = retry["values"]["approval_pass"]
    asked = client.post(retry["url"], headers=HX, data=retry["values"])
    assert asked.status_code == 428, asked.get_data(as_text=True)
    renewed = json.loads(hidden(asked.get_data(as_text=True), "retry"))
    assert renewed["values"]["approval_pass"] != first
    assert client.post(retry["url"], headers=HX, data=retry["values"]).status_code == 403
    sent = save_buyer(client, json.dumps(renewed))
    assert client.post(sent["url"], headers=HX, data=sent["values"]).status_code == 200
    assert cart_state(db) == (NIK_A, [(1, "R-0112")])


def test_a_buyer_past_the_limit_is_refused_at_the_scan_before_the_apoteker_is_asked(
        client, db, app, shop):
    """1 strip approved for NIK …0001 under a 3-per-day limit, then 3 more scanned: the scan
    opened the prescription dialog, and only the apoteker's PIN brought the limit's refusal."""
    with db.transaction() as s:
        rule = rules.save_rule(s, None, name="Antibiotik Amoxicillin", max_qty=3, period="day",
                               buyer="any")
        rules.attach(s, rule.id, shop["keras"])
    login(client, shop["cashier"], shop["till"])
    sent = save_buyer(client, hidden(client.post(RESEP, headers=HX, data=asking(app))
                                     .get_data(as_text=True), "retry"))
    assert client.post(sent["url"], headers=HX, data=sent["values"]).status_code == 200
    assert cart_state(db) == (NIK_A, [(1, "R-0112")])
    answer = client.post("/kasir/pindai", headers=HX, data={"code": f"3*{KERAS}"})
    said = answer.get_data(as_text=True)
    assert answer.status_code == 409 and "Batas Antibiotik Amoxicillin" in said, said
    assert "diminta 4" in said and 'id="rx-form"' not in said
    assert cart_state(db) == (NIK_A, [(1, "R-0112")])
