"""The catalog side of LPG 3 kg and subsidised fertiliser: which LPG kind (refill or new
cylinder) or e-RDKK fertiliser type a product is, read from a form or a file cell, and the
base unit each needs (a cylinder is counted in pcs, a farmer's allocation in grams); and the
ceiling (HET) in force, which the product page tags beside them.

File cells are Indonesian (``isi_ulang``, ``tabung_baru``; ``urea``, ``npk_kakao``...); the
form's option values and the English names are read too.  An empty cell, ``-``, ``tidak``
or ``bukan`` means "not LPG" or "not subsidised".
"""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Date, Integer, String, column, or_, select, table
from sqlalchemy.orm import Session

from pos.inventory.catalog.models import FertilizerType, LpgKind
from pos.inventory.catalog.products import CatalogError
from pos.units import BaseUnit

LPG_WORDS = {LpgKind.REFILL: "isi_ulang", LpgKind.NEW: "tabung_baru"}  # as files write them
_LPG = {**{word: kind for kind, word in LPG_WORDS.items()}, **{k.value: k for k in LpgKind},
        "isi": LpgKind.REFILL, "baru": LpgKind.NEW}
_SUBSIDY = {t.value: t for t in FertilizerType}
_NONE = {"", "-", "tidak", "bukan"}
# The ceiling schedule (pos.het sits above the catalog), named here without importing it.
_CEILING = table("ceiling_price", column("product_id", Integer), column("zone", String),
                 column("price", Integer), column("effective_from", Date))


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


def ceiling(session: Session, product_id: int, day: date, zone: str | None) -> int | None:
    """The ceiling (HET) in force on ``day`` in ``zone``, for the product page's tag: the rule of
    ``pos.het.service.ceiling`` (the latest date on or before ``day`` among the zone's rows and
    every zone's; on one date the zone's own wins); a test holds the two together."""
    c = _CEILING.c
    applies = or_(c.zone.is_(None), c.zone == zone) if zone else c.zone.is_(None)
    return session.scalar(select(c.price).where(c.product_id == product_id, c.effective_from <= day,
                                                applies)
                          .order_by(c.effective_from.desc(), c.zone.is_(None)).limit(1))
