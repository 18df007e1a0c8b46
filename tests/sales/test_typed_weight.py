"""A weight typed at a till without a scale: a unit after the number is read as that unit, and
an unlikely weight (over the recorded stock or 100 kg) is asked about before it is added."""
from __future__ import annotations

import pytest
from sqlalchemy import select, update

from pos.sales import scanning
from pos.sales.models import CartLine
from pos.tills.models import Till
from pos.units import BaseUnit
from tests.factories import login, make_product, make_till, make_user

HX = {"HX-Request": "true"}


@pytest.fixture
def shop(db, client):
    with db.transaction() as s:
        till, user = make_till(s), make_user(s)
        eggs = make_product(s, name="Telur curah", price=29_000, base_unit="gram", weighed=True,
                            tax_class="bebas", on_hand=316_000, barcodes_=[])
        oil = make_product(s, name="Minyak curah", price=18_000, base_unit="ml", weighed=True,
                           tax_class="bebas", on_hand=50_000, barcodes_=[])
        s.execute(update(Till).values(manual_weight=True))
    login(client, user.id, till.id)
    return dict(till=till.id, user=user.id, eggs=eggs.id, oil=oil.id)


def typed(client, product_id, weight, unit="kg", **extra):
    return client.post(f"/kasir/timbang/{product_id}/manual",
                       data={"weight": weight, "unit": unit, **extra}, headers=HX)


def lines(db):
    with db.reading() as s:
        return s.execute(select(CartLine.qty, CartLine.manual).order_by(CartLine.id)).all()


@pytest.mark.parametrize("weight, unit, grams", [
    ("750g", "kg", 750), ("750 G", "kg", 750), ("750gr", "kg", 750), ("750 Gram", "kg", 750),
    ("1,25kg", "g", 1_250), ("1.25 KG", "kg", 1_250), ("1,25", "kg", 1_250), ("1250", "g", 1_250),
    ("2 kg", "kg", 2_000),
])
def test_a_unit_typed_after_the_weight_is_read_in_that_unit(client, db, shop, weight, unit, grams):
    """750g was refused ("Jumlah harus dalam kg"); a unit typed wins over the list's."""
    answer = typed(client, shop["eggs"], weight, unit)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert lines(db) == [(grams, True)]


def test_1250_in_the_kg_box_is_asked_about_and_added_only_on_yes(client, db, shop):
    """1250 typed in the kg box went on the cart as 1250 kg (Rp36.250.000) with only a note."""
    asked = typed(client, shop["eggs"], "1250")
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and asked.headers["HX-Retarget"] == "#weigh-prompt"
    assert ("Berat Telur curah 1.250 kg lebih dari stok tercatat (316 kg) dan 100 kg untuk satu "
            "pembeli. Jika maksudnya 1250 gram, tulis 1250 g.") in page
    assert 'name="yakin" value="1250000"' in page and 'value="1250"' in page   # as typed
    assert lines(db) == []
    assert typed(client, shop["eggs"], "1250").headers["HX-Retarget"] == "#weigh-prompt"  # Enter again
    changed = typed(client, shop["eggs"], "1300", yakin="1250000")   # yes to another weight
    assert changed.headers["HX-Retarget"] == "#weigh-prompt" and lines(db) == []
    assert typed(client, shop["eggs"], "1250 g").status_code == 200
    assert typed(client, shop["eggs"], "1250", yakin="1250000").status_code == 200
    assert lines(db) == [(1_250, True), (1_250_000, True)]


@pytest.mark.parametrize("weight, why", [
    ("320", "lebih dari stok tercatat (316 kg) dan 100 kg untuk satu pembeli."),
    ("150", "lebih dari 100 kg untuk satu pembeli. Jika maksudnya 150 gram, tulis 150 g."),
    ("100,5", "lebih dari 100 kg untuk satu pembeli. Jika memang 100,5 kg"),
])
def test_a_typed_weight_over_stock_or_100_kg_is_asked_about(client, db, shop, weight, why):
    asked = typed(client, shop["eggs"], weight)
    assert asked.headers["HX-Retarget"] == "#weigh-prompt" and why in asked.get_data(as_text=True)
    assert lines(db) == []
    assert typed(client, shop["eggs"], "100").status_code == 200   # 100 kg, within both: added
    assert lines(db) == [(100_000, True)]


def test_over_stock_in_litres_is_asked_and_a_weight_from_the_scale_never_is(db, shop):
    with db.transaction() as s, pytest.raises(scanning.CheckWeight) as asked:
        scanning.add_weighed(s, shop["till"], shop["oil"], 60_000, manual=True)
    assert "60 l lebih dari stok tercatat (50 l)" in asked.value.message
    assert "Jika maksudnya 60 ml, tulis 60 ml." in asked.value.message and asked.value.amount == 60_000
    with db.transaction() as s:   # the scale's reading is measured, not typed: no question
        scanning.add_weighed(s, shop["till"], shop["eggs"], 400_000)
        scanning.add_weighed(s, shop["till"], shop["oil"], 60_000, manual=True, yes="60000")
    assert lines(db) == [(400_000, False), (60_000, True)]


@pytest.mark.parametrize("product, weight, unit, message", [
    ("eggs", "750 ons", "kg", "Satuan ons tidak dipakai di sini: tulis kg atau g"),
    ("eggs", "1,5 g", "kg", "Jumlah dalam gram harus angka bulat"),
    ("eggs", "1,5", "g", "Jumlah dalam gram harus angka bulat"),
    ("eggs", "-5 g", "kg", "lebih dari nol"),
    ("eggs", "6000", "kg", "Jumlah 6.000 kg terlalu besar (paling banyak 5.000 kg)"),
    ("oil", "2 kg", "l", "Satuan kg tidak dipakai di sini: tulis l atau ml"),
])
def test_a_weight_typed_wrong_says_why_and_adds_nothing(client, db, shop, product, weight, unit, message):
    refused = typed(client, shop[product], weight, unit)
    assert refused.status_code == 422 and message in refused.get_data(as_text=True)
    assert lines(db) == []


def test_litres_take_their_units_and_f3_reads_a_typed_unit_too(client, db, shop):
    assert typed(client, shop["oil"], "2 L", "ml").status_code == 200
    assert typed(client, shop["oil"], "500ml", "l").status_code == 200
    with db.reading() as s:
        line = s.scalar(select(CartLine.id).order_by(CartLine.id))
    assert client.post(f"/kasir/baris/{line}/jumlah", data={"qty": "750 ml"}, headers=HX).status_code == 200
    assert lines(db) == [(750, True), (500, True)]


def test_a_typed_weight_is_refused_by_the_service_where_the_till_takes_none(db, shop):
    with db.transaction() as s:
        s.execute(update(Till).values(manual_weight=False))
    with db.transaction() as s, pytest.raises(scanning.PosError, match="tidak diizinkan") as refused:
        scanning.add_weighed(s, shop["till"], shop["eggs"], 1_250, manual=True)
    assert refused.value.status == 403 and lines(db) == []


def f3(client, line_id, qty, **extra):
    return client.post(f"/kasir/baris/{line_id}/jumlah", data={"qty": qty, **extra}, headers=HX)


@pytest.mark.parametrize("qty, why", [
    ("1250", "Berat Telur curah 1.250 kg lebih dari stok tercatat (316 kg) dan 100 kg untuk satu "
             "pembeli. Jika maksudnya 1250 gram, tulis 1250 g. Jika memang 1.250 kg, pilih Ya, "
             "ubah menjadi 1.250 kg."),
    ("320", "lebih dari stok tercatat (316 kg) dan 100 kg untuk satu pembeli."),
    ("100,5", "lebih dari 100 kg untuk satu pembeli. Jika memang 100,5 kg"),
])
def test_f3_asks_about_an_unlikely_weight_as_the_typed_weight_does(client, db, shop, qty, why):
    """F3 on a weighed line took 1250 (meant as grams) as 1.250 kg without a word: the prompt
    asks the same question, and only its Ya changes the line."""
    assert typed(client, shop["eggs"], "2").status_code == 200
    with db.reading() as s:
        line = s.scalar(select(CartLine.id))
    asked = f3(client, line, qty)
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and asked.headers["HX-Retarget"] == "#weigh-prompt"
    assert why in page and f'hx-post="/kasir/baris/{line}/jumlah"' in page
    assert 'name="qty" inputmode="decimal"' in page and f'value="{qty}"' in page   # as typed
    amount = str(BaseUnit.GRAM.parse_measure(qty))
    assert f'name="yakin" value="{amount}"' in page and "Ya, ubah menjadi" in page
    assert lines(db) == [(2_000, True)]
    again = f3(client, line, qty, ditanya="1")                          # Enter (Ubah) asks again
    assert again.headers["HX-Retarget"] == "#weigh-prompt" and lines(db) == [(2_000, True)]
    done = f3(client, line, qty, ditanya="1", yakin=amount)              # Ya
    assert done.status_code == 200 and "HX-Retarget" not in done.headers
    assert '<div id="weigh-prompt" hx-swap-oob="innerHTML"></div>' in done.get_data(as_text=True)
    assert lines(db) == [(int(amount), True)]


def test_f3_asks_nothing_of_a_likely_weight_or_a_piece_and_refuses_as_before(client, db, shop):
    with db.transaction() as s:
        tin = make_product(s, name="Sarden", price=12_000, on_hand=5, barcodes_=[])
    assert typed(client, shop["eggs"], "2").status_code == 200
    assert client.post(f"/kasir/tambah/{tin.id}", headers=HX).status_code == 200
    with db.reading() as s:
        eggs, tins = s.scalars(select(CartLine.id).order_by(CartLine.id)).all()
    assert f3(client, eggs, "1250 g").status_code == 200 and f3(client, eggs, "100").status_code == 200
    assert f3(client, tins, "40").status_code == 200          # pieces over stock: a note, as before
    refused = f3(client, eggs, "6000")                        # over the line limit: refused, not asked
    assert refused.status_code == 422 and "paling banyak 5.000 kg" in refused.get_data(as_text=True)
    assert lines(db) == [(100_000, True), (40, False)]
