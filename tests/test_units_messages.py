"""What a quantity or a pack size typed wrong says: a number below zero is not "not a whole
number", and a pack's size is refused in the unit its field is typed in."""
from __future__ import annotations

import pytest

from pos.inventory.catalog.packs import typed_size
from pos.inventory.catalog.products import CatalogError
from pos.units import BaseUnit


@pytest.mark.parametrize(("unit", "text", "said"), [
    (BaseUnit.PCS, "-1", "Jumlah harus lebih dari nol, misalnya 3."),
    (BaseUnit.PCS, "-2", "Jumlah harus lebih dari nol, misalnya 3."),
    (BaseUnit.GRAM, "-1,5", "Jumlah harus lebih dari nol, misalnya 1,25."),
    (BaseUnit.PCS, "1,5", "Jumlah harus angka bulat, misalnya 3."),
    (BaseUnit.PCS, "-x", "Jumlah harus angka bulat, misalnya 3."),
])
def test_a_quantity_below_zero_says_more_than_zero(unit, text, said):
    with pytest.raises(ValueError) as refused:
        unit.parse_input(text)
    assert str(refused.value) == said


class _Product:
    def __init__(self, unit: str):
        self.base_unit = BaseUnit(unit)


PCS_SMALL = "Isi kemasan harus lebih dari 1 pcs, misalnya 40 untuk karton 40 pcs."
KG_SMALL = "Isi kemasan harus paling sedikit 0,002 kg, misalnya 50 untuk kemasan 50 kg."


@pytest.mark.parametrize(("unit", "text", "said"), [
    ("pcs", "-5", PCS_SMALL), ("pcs", "0", PCS_SMALL), ("pcs", "1", PCS_SMALL),
    ("pcs", "10001", "Isi kemasan paling banyak 10.000 pcs."),
    ("gram", "50000", "Isi kemasan paling banyak 1.000 kg."),
    ("gram", "-5", KG_SMALL), ("gram", "0", KG_SMALL), ("gram", "0,001", KG_SMALL),
    ("ml", "1000,5", "Isi kemasan paling banyak 1.000 liter."),
])
def test_a_pack_size_out_of_range_is_said_in_the_fields_unit(unit, text, said):
    with pytest.raises(CatalogError) as refused:
        typed_size(_Product(unit), text)
    assert refused.value.message == said


@pytest.mark.parametrize(("unit", "text", "qty"), [("pcs", "40", 40), ("gram", "50", 50_000),
                                                   ("gram", "0,002", 2), ("ml", "1000", 1_000_000)])
def test_a_pack_size_in_range_is_read(unit, text, qty):
    assert typed_size(_Product(unit), text) == qty


@pytest.mark.parametrize("typed", ["24 pcs", "24PCS", " 24 Pcs "])
def test_a_count_of_pieces_may_carry_its_unit_as_a_weight_its_kg(typed):
    """F3's box, a pack's size and a file's cell read the same pieces (packs and units share it)."""
    assert BaseUnit.PCS.parse_measure(typed) == 24
    with pytest.raises(ValueError):
        BaseUnit.PCS.parse_measure("24 kg")
