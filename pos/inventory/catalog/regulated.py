"""The catalog side of LPG 3 kg and subsidised fertiliser: which LPG kind (refill or new
cylinder) or e-RDKK fertiliser type a product is, read from a form or a file cell, and the
base unit each needs (a cylinder is counted in pcs, a farmer's allocation in grams).  The
product page tags them, and the ceiling (HET) in force, which ``pos.het`` lends it
(``app.extensions["pos_het_ceiling"]``).

File cells are Indonesian (``isi_ulang``, ``tabung_baru``; ``urea``, ``npk_kakao``...); the
form's option values and the English names are read too.  An empty cell, ``-``, ``tidak``
or ``bukan`` means "not LPG" or "not subsidised".
"""
from __future__ import annotations

from typing import Any

from pos.inventory.catalog.models import FertilizerType, LpgKind
from pos.inventory.catalog.products import CatalogError
from pos.units import BaseUnit

LPG_WORDS = {LpgKind.REFILL: "isi_ulang", LpgKind.NEW: "tabung_baru"}  # as files write them
_LPG = {**{word: kind for kind, word in LPG_WORDS.items()}, **{k.value: k for k in LpgKind},
        "isi": LpgKind.REFILL, "baru": LpgKind.NEW}
_SUBSIDY = {t.value: t for t in FertilizerType}
_NONE = {"", "-", "tidak", "bukan"}


def _word(value: Any) -> str:
    """``Isi ulang`` -> ``isi_ulang``; an enum gives its value."""
    text = str(getattr(value, "value", value) or "").lower().replace("-", " ")
    return "_".join(text.split())


def clean_lpg(field: str, value: Any) -> LpgKind | None:
    word = _word(value)
    if word in _NONE:
        return None
    if word.startswith("isi_ulang"):  # the form's label: "Isi ulang (tukar tabung kosong)"
        word = "isi_ulang"
    if word not in _LPG:
        raise CatalogError(f"LPG 3 kg '{value}' tidak dikenal (pilih: isi_ulang, tabung_baru, "
                           "atau kosong bila bukan LPG 3 kg).")
    return _LPG[word]


def clean_subsidy(field: str, value: Any) -> FertilizerType | None:
    word = _word(value).removeprefix("pupuk_")
    if word in _NONE:
        return None
    if word not in _SUBSIDY:
        raise CatalogError(f"Pupuk bersubsidi '{value}' tidak dikenal (pilih: "
                           f"{', '.join(_SUBSIDY)}, atau kosong bila bukan pupuk bersubsidi).")
    return _SUBSIDY[word]


def cell(column: str, value: Any) -> Any:
    """The file cell of an ``lpg`` value (``isi_ulang``); other values unchanged."""
    return LPG_WORDS.get(value, value) if column == "lpg" else value


def unit_problem(base_unit: BaseUnit, lpg: LpgKind | None, subsidy: FertilizerType | None) -> str | None:
    """What is wrong with the product's LPG kind or fertiliser type for its base unit."""
    if lpg is not None and subsidy is not None:
        return "Barang tidak bisa sekaligus LPG 3 kg dan pupuk bersubsidi."
    if subsidy is not None and base_unit is not BaseUnit.GRAM:
        return (f"Pupuk bersubsidi harus bersatuan gram (kuota e-RDKK dihitung dalam gram), "
                f"bukan {base_unit.value}.")
    if lpg is not None and base_unit is not BaseUnit.PCS:
        return f"LPG 3 kg harus bersatuan pcs (per tabung), bukan {base_unit.value}."
    return None

