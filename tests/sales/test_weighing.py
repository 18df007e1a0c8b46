"""Weighed goods at the till: the serial scale (simulated on a pty) and scale labels."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select, update

from pos.hardware import Hardware
from pos.hardware.scale import SerialScale
from pos.hardware.scale_sim import ScaleSimulator
from pos.inventory.catalog.scancodes import Pattern, encode
from pos.sales.models import CartLine
from tests.factories import login, make_product, make_till, make_user

HX = {"HX-Request": "true"}
WEIGHT = Pattern.parse("21PPPPPWWWWWC")
PRICE = Pattern.parse("23PPPPPRRRRRC")


@pytest.fixture
def scale():
    with ScaleSimulator("toledo8217") as simulator:
        yield simulator


@pytest.fixture
def till(app, db, client, printer, scale):
    app.extensions["pos_hardware"] = Hardware(
        printer=printer, scale=SerialScale.from_url(f"serial://{scale.port}?protocol=toledo8217"))
    with db.transaction() as s:
        till, user = make_till(s), make_user(s)
        rice = make_product(s, name="Beras curah", price=14_000, base_unit="gram", weighed=True,
                            tax_class="bebas", on_hand=100_000, barcodes_=[])
        rice.plu = 7
        tin = make_product(s, name="Sarden kaleng", price=12_000, barcodes_=[])
        tin.plu = 8
    login(client, user.id, till.id)
    yield dict(rice=rice.id, tin=tin.id)
    app.extensions["pos_hardware"].scale.close()


def lines(db):
    with db.reading() as s:
        return s.execute(select(CartLine.product_id, CartLine.qty, CartLine.fixed_amount)
                         .order_by(CartLine.id)).all()


def weigh(client, product_id, tare="0"):
    return client.post(f"/kasir/timbang/{product_id}", data={"tare": tare}, headers=HX)


def test_a_stable_weight_becomes_its_own_line(client, db, till, scale):
    scale.set(1_250)
    response = weigh(client, till["rice"])
    assert response.status_code == 200 and 'data-total="17500"' in response.get_data(as_text=True)
    scale.set(500)
    weigh(client, till["rice"], tare="20")
    assert lines(db) == [(till["rice"], 1_250, None), (till["rice"], 480, None)]


@pytest.mark.parametrize("state, message", [
    (dict(grams=800, stable=False), "belum stabil"),
    (dict(grams=0), "nol"),
    (dict(grams=-5), "negatif"),
    (dict(grams=0, overload=True), "kapasitas"),
])
def test_scale_conditions_add_nothing(client, db, till, scale, state, message):
    scale.set(**state)
    response = weigh(client, till["rice"])
    assert response.status_code == 422 and message in response.get_data(as_text=True).lower()
    assert lines(db) == []


def test_silent_scale_and_bad_tare(client, db, till, scale):
    scale.silent = True
    response = weigh(client, till["rice"])
    assert response.status_code == 422 and "tidak menjawab" in response.get_data(as_text=True)
    scale.silent = False
    scale.set(100)
    for tare in ("-1", "abc", "99999"):
        assert weigh(client, till["rice"], tare=tare).status_code == 422
    above = weigh(client, till["rice"], tare="150")   # tare above the weight: the tara's fault
    assert above.status_code == 422
    assert ("Tara (150 g) tidak lebih kecil dari berat di timbangan (100 g). Periksa isian Tara."
            in above.get_data(as_text=True))
    assert weigh(client, till["tin"]).status_code == 422               # not a weighed product
    assert lines(db) == []


def test_weight_label_and_price_label(client, db, till):
    code = encode(WEIGHT, "7", 2_000)
    assert client.post("/kasir/pindai", data={"code": code}, headers=HX).status_code == 200
    priced = encode(PRICE, "7", 17_500)
    body = client.post("/kasir/pindai", data={"code": priced}, headers=HX).get_data(as_text=True)
    assert 'data-total="45500"' in body  # 28.000 + 17.500 as printed
    assert lines(db) == [(till["rice"], 2_000, None), (till["rice"], 1_250, 17_500)]
    line_id = None
    with db.reading() as s:
        line_id = s.scalars(select(CartLine.id).order_by(CartLine.id.desc())).first()
    edit = client.post(f"/kasir/baris/{line_id}/jumlah", data={"qty": "2000"}, headers=HX)
    assert edit.status_code == 422 and "label" in edit.get_data(as_text=True)


def test_a_price_label_line_shows_no_crossed_out_list_price_nor_prints_a_discount(client, db, till, printer):
    """Gula Pasir Curah at Rp17.000/kg on a Rp5.000 label: the line showed ~~Rp17.000~~ beside
    Rp17.007/kg, a discount that was none (and a higher price). The label's own price per kg is
    its list price: nothing crossed out, no discount on the receipt."""
    from pos.sales.models import SaleLine

    body = client.post("/kasir/pindai", data={"code": encode(PRICE, "7", 5_000)},
                       headers=HX).get_data(as_text=True)
    assert lines(db) == [(till["rice"], 357, 5_000)]       # 5.000 / 14.000 per kg
    assert "list-price" not in body and "Rp14.006" in body  # 5.000 / 0,357 kg
    paid = client.post("/kasir/bayar", data={"tendered": "5000", "idempotency_key": str(uuid.uuid4())},
                       headers=HX)
    assert paid.status_code == 200, paid.get_data(as_text=True)
    with db.reading() as s:
        sold = s.execute(select(SaleLine.amount, SaleLine.unit_price, SaleLine.list_price,
                                SaleLine.discount)).one()
    assert tuple(sold) == (5_000, 14_006, 14_006, 0)
    text = printer.receipts[-1].text
    assert "0,357 kg x Rp14.006" in text and "Rp14.000" not in text and "-Rp" not in text


def test_a_weighed_line_is_retyped_only_where_typed_weights_are_allowed(client, db, till):
    """F3 on a weighed good re-weighed it by hand, unmarked, at a till without typed weights."""
    from pos.tills.models import Till

    assert client.post("/kasir/pindai", data={"code": encode(WEIGHT, "7", 50_000)},
                       headers=HX).status_code == 200
    with db.reading() as s:
        line_id = s.scalar(select(CartLine.id))
    refused = client.post(f"/kasir/baris/{line_id}/jumlah", data={"qty": "1,5"}, headers=HX)
    assert refused.status_code == 403 and "timbang ulang" in refused.get_data(as_text=True)
    with db.reading() as s:
        assert s.execute(select(CartLine.qty, CartLine.manual)).one() == (50_000, False)
    with db.transaction() as s:
        s.execute(update(Till).values(manual_weight=True))
    typed = client.post(f"/kasir/baris/{line_id}/jumlah", data={"qty": "1,5"}, headers=HX)
    assert typed.status_code == 200 and "berat manual" in typed.get_data(as_text=True)
    with db.reading() as s:
        assert s.execute(select(CartLine.qty, CartLine.manual)).one() == (1_500, True)
    # over the line's limit, in the kg the box is typed in (it said 6.000.000 gram)
    too_much = client.post(f"/kasir/baris/{line_id}/jumlah", data={"qty": "6000"}, headers=HX)
    assert too_much.status_code == 422
    assert "Jumlah 6.000 kg terlalu besar (paling banyak 5.000 kg)" in too_much.get_data(as_text=True)


@pytest.mark.parametrize("make_code, message", [
    (lambda: encode(WEIGHT, "9", 500), "PLU 00009"),          # unknown PLU
    (lambda: encode(WEIGHT, "8", 500), "bukan barang timbang"),  # weight on a piece good
    (lambda: encode(WEIGHT, "7", 0), "nol"),
])
def test_bad_labels_add_nothing(client, db, till, make_code, message):
    response = client.post("/kasir/pindai", data={"code": make_code()}, headers=HX)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert lines(db) == []


@pytest.mark.parametrize("times", ["3*", "999*", "2x"])
def test_a_price_label_is_never_multiplied(client, db, till, times):
    """3* on a price label sold three times the weight for the one printed price."""
    code = encode(PRICE, "7", 20_000)
    refused = client.post("/kasir/pindai", data={"code": times + code}, headers=HX)
    assert refused.status_code == 422 and "satu per satu" in refused.get_data(as_text=True)
    assert lines(db) == []


def test_price_label_on_a_piece_good_sells_one_at_the_printed_price(client, db, till):
    client.post("/kasir/pindai", data={"code": encode(PRICE, "8", 10_000)}, headers=HX)
    assert lines(db) == [(till["tin"], 1, 10_000)]


def test_a_wrong_scale_setting_is_said_at_the_till_not_taken_for_no_scale(app, db, client, printer):
    """POS_SCALE=…protocol=mettler: the till said "Timbangan belum terpasang" and the typed-weight
    prompt "(diketik; tidak ada timbangan)", where README says every use names the setting."""
    from pos.hardware import build_hardware
    from pos.tills.models import Till

    hardware = build_hardware({"PRINTER": "dummy://", "RECEIPT_COLUMNS": 32, "DISPLAY": "",
                               "SCALE": "serial:///dev/ttyUSB1?protocol=mettler"})
    app.extensions["pos_hardware"] = Hardware(printer=printer, scale=hardware.scale)
    with db.transaction() as s:
        till, user = make_till(s), make_user(s)
        rice = make_product(s, name="Beras curah", price=14_000, base_unit="gram", weighed=True,
                            tax_class="bebas", on_hand=100_000, barcodes_=[])
    login(client, user.id, till.id)
    refused = weigh(client, rice.id).get_data(as_text=True)
    assert "Setelan POS_SCALE salah: Protokol timbangan tidak dikenal: mettler. Manajer dapat " in refused
    assert "belum terpasang" not in refused
    with db.transaction() as s:
        s.execute(update(Till).values(manual_weight=True))
    prompt = weigh(client, rice.id).get_data(as_text=True)
    assert "(diketik; setelan timbangan salah)" in prompt and "tidak ada timbangan" not in prompt
    assert "Setelan POS_SCALE salah: Protokol timbangan tidak dikenal: mettler" in prompt
    assert lines(db) == []
