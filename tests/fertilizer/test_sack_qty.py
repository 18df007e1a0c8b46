"""F3 on a fertiliser line of whole sacks: ``2 karung`` (or ``2 sak``) is two sacks, and a plain
``2``, less than one sack, is asked about before the line becomes 2 kg."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from pos.inventory.catalog.packs import add_pack
from pos.sales.models import CartLine
from tests.factories import login
from tests.fertilizer.conftest import SUPARMI, UREA_CODE, scan, set_buyer

HX = {"HX-Request": "true"}
ASKED = "2 kg? 1 karung = 50 kg. Jika maksudnya 2 karung, tulis 2 karung."


@pytest.fixture
def one_sack(db, client, farm):
    """Suparmi (urea 200 kg) with one 50 kg sack of urea on the cart; urea has a karung 50 kg."""
    with db.transaction() as s:
        add_pack(s, farm["urea"], "karung 50 kg", 50_000)
    set_buyer(db, farm["till"], SUPARMI, "Suparmi")
    scan(db, farm["till"], UREA_CODE, today=None)
    login(client, farm["user"], farm["till"])
    with db.reading() as s:
        return s.scalar(select(CartLine.id))


def f3(client, line_id, qty, **extra):
    return client.post(f"/kasir/baris/{line_id}/jumlah", data={"qty": qty, **extra}, headers=HX)


def grams(db):
    with db.reading() as s:
        return s.scalars(select(CartLine.qty)).all()


def test_a_plain_number_under_one_sack_is_asked_about_and_changed_only_on_yes(client, db, one_sack):
    asked = f3(client, one_sack, "2")
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200, page
    assert asked.headers["HX-Retarget"] == "#weigh-prompt"
    assert ASKED in page and f'hx-post="/kasir/baris/{one_sack}/jumlah"' in page
    assert 'name="yakin" value="2000"' in page and "Ya, ubah menjadi 2 kg" in page
    assert grams(db) == [50_000]
    again = f3(client, one_sack, "2", ditanya="1")                    # Enter asks again
    assert again.headers["HX-Retarget"] == "#weigh-prompt" and grams(db) == [50_000]
    done = f3(client, one_sack, "2", ditanya="1", yakin="2000")       # Ya: 2 kg it is
    assert done.status_code == 200 and "HX-Retarget" not in done.headers
    assert grams(db) == [2_000]


@pytest.mark.parametrize("typed, expected", [("2 karung", 100_000), ("2 Sak", 100_000),
                                             ("3 karung 50 kg", 150_000), ("1karung", 50_000),
                                             ("75", 75_000), ("100 kg", 100_000)])
def test_sacks_typed_are_sacks_and_a_weight_of_a_sack_or_more_is_not_asked(client, db, one_sack,
                                                                             typed, expected):
    answer = f3(client, one_sack, typed)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert "HX-Retarget" not in answer.headers
    assert grams(db) == [expected]


def test_a_pack_word_the_product_has_not_is_refused_naming_its_packs(client, db, one_sack):
    refused = f3(client, one_sack, "2 dus")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Satuan dus tidak dipakai di sini" in page and "2 karung" in page
    assert grams(db) == [50_000]
    refused = f3(client, one_sack, "1,5 karung")
    assert refused.status_code == 422 and "bulat" in refused.get_data(as_text=True)
    assert grams(db) == [50_000]


def test_a_line_not_of_whole_sacks_is_not_asked(client, db, one_sack):
    assert f3(client, one_sack, "75").status_code == 200              # 1,5 sacks
    answer = f3(client, one_sack, "2")
    assert answer.status_code == 200 and "HX-Retarget" not in answer.headers
    assert grams(db) == [2_000]


@pytest.mark.parametrize("typed, expected", [("2 kg", 2_000), ("2000 g", 2_000), ("1,5 kg", 1_500)])
def test_a_weight_typed_with_its_unit_under_one_sack_is_what_was_meant_and_not_asked(
        client, db, one_sack, typed, expected):
    """The cashier who typed "2 kg" said kilograms: only a bare number is asked about."""
    answer = f3(client, one_sack, typed)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert "HX-Retarget" not in answer.headers
    assert grams(db) == [expected]
