"""The word search behind every product search box: every typed word must start a word of the
name or SKU, in any order; the longest word is the indexed range, the others are checked on
each row, so a short second word ("minyak g") is as quick as one word and finds the same."""
from __future__ import annotations

import pytest

from pos.inventory.catalog import lookup
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
