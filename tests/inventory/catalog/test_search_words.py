"""The word search behind every product search box: every typed word must start a word of the
name or SKU, in any order; the longest word is the indexed range, the others are checked on
each row, so a short second word ("minyak g") is as quick as one word and finds the same."""
from __future__ import annotations

import pytest

from pos.inventory.catalog import bulk, lookup, search_words
from tests.factories import make_product


@pytest.fixture
def goods(db):
    with db.transaction() as s:
        ids = {name: make_product(s, sku=sku, name=name).id for sku, name in (
            ("MG-BIMOLI", "Minyak Goreng Bimoli 1 L"), ("MG-SANIA", "Minyak Goreng Sania 2 L"),
            ("MKP-1", "Minyak Kayu Putih 60 ml"), ("GP-1", "Gula Pasir 1 kg"),
            ("ZX-900", "Sabun Cuci Piring"))}
        old = make_product(s, sku="MG-LAMA", name="Minyak Goreng Lama")
        old.active = False
    return ids


def found(db, text, limit=8):
    with db.reading() as s:
        return [row["name"] for row in lookup.search(s, text, limit)]


def test_every_typed_word_starts_a_word_of_the_name_or_sku(db, goods):
    assert found(db, "minyak g") == ["Minyak Goreng Bimoli 1 L", "Minyak Goreng Sania 2 L"]
    assert found(db, "g minyak") == found(db, "minyak g")          # any order
    assert found(db, "minyak goreng s") == ["Minyak Goreng Sania 2 L"]
    assert found(db, "minyak p") == ["Minyak Kayu Putih 60 ml"]
    assert found(db, "minyak zz") == []
    assert found(db, "sabun zx") == ["Sabun Cuci Piring"]            # a word of the SKU
    assert "Minyak Goreng Lama" not in found(db, "minyak goreng")   # inactive goods stay hidden
    assert found(db, "minyak", limit=2) == ["Minyak Goreng Bimoli 1 L", "Minyak Goreng Sania 2 L"]


OTHER_SCRIPTS = (("RU-1", "Беляш Русский 250 g"), ("TH-1", "ข้าวหอมมะลิ ตราฉัตร 5 kg"),
                 ("CN-1", "田中 大米 5kg"), ("MIX-1", "Budi Ташкент 田中 Kopi"))


@pytest.fixture
def foreign(db):
    with db.transaction() as s:
        make_product(s, sku="RU-1", name=OTHER_SCRIPTS[0][1])
        make_product(s, sku="TH-1", name=OTHER_SCRIPTS[1][1])
    with db.transaction() as s:          # the catalog file's way in (``bulk``) as well
        bulk.create_products(s, [{"sku": sku, "name": name, "price": 10_000, "business_unit": "sembako"}
                                 for sku, name in OTHER_SCRIPTS[2:]])


def test_names_in_other_scripts_are_found_by_their_words_in_any_case(db, foreign):
    assert found(db, "Беляш") == ["Беляш Русский 250 g"]
    assert found(db, "бел") == found(db, "БЕЛЯШ") == found(db, "русский беляш") == ["Беляш Русский 250 g"]
    assert found(db, "беляш kopi") == []
    assert found(db, "ข้าวหอม") == ["ข้าวหอมมะลิ ตราฉัตร 5 kg"]
    assert found(db, "ตราฉัตร 5") == ["ข้าวหอมมะลิ ตราฉัตร 5 kg"]
    assert found(db, "大米") == ["田中 大米 5kg"]
    assert found(db, "田中") == ["Budi Ташкент 田中 Kopi", "田中 大米 5kg"]
    assert found(db, "田") == found(db, "田中")                 # one character is a word of its own
    assert found(db, "ташкент") == found(db, "budi ТАШ 田中") == ["Budi Ташкент 田中 Kopi"]
    assert found(db, "kopi ташкент") == ["Budi Ташкент 田中 Kopi"]
    assert found(db, "б") == []                                 # one letter is still too short


def test_latin_names_keep_their_words_and_other_scripts_get_theirs():
    assert search_words.words("Café Straße 1ℓ, Minyak-Goreng") == {"caf", "e", "stra", "1", "minyak",
                                                                   "goreng"}
    assert search_words.words("ΟΔΟΣ Беляш ข้าวหอม 田中") == {"οδοσ", "беляш", "ข้าวหอม", "田中"}
    assert search_words.successor("бел") == "бем"
    assert search_words.successor("a\U0010ffff") == "b"
