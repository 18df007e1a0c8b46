"""The product page's form (Data barang): the values it shows, reading them back, and which of
them its user changed.

The page carries every field as loaded in a hidden ``asal_<field>``.  Saving applies only the
fields the user changed from those (``users_changes``): a page left open while a goods receipt
averaged the cost, or someone moved the shelf, puts back none of the values it was opened with.
A field the user changed that was also changed meanwhile is refused by name, as is a form without
the loaded values (a page from before this check, a script): what it did not mean to change cannot
be told from what it did (``EditedMeanwhile``; nothing saved).
"""
from __future__ import annotations

from typing import Any

from pos.inventory.catalog import history, maintenance
from pos.inventory.catalog.models import Product
from pos.inventory.catalog.products import CatalogError
from pos.money import format_rupiah
from pos.units import BaseUnit, QuantityError, format_number

FIELDS = tuple(maintenance.CLEANERS)  # every editable field
LOADED = "asal_"   # the hidden field of each value as the page was loaded
NOT_LOADED = ("Formulir ini tidak membawa nilai saat halaman dibuka (halaman lama atau skrip), jadi "
              "tidak ada yang disimpan agar perubahan orang lain tidak tertimpa. Data terbaru ada di "
              "bawah: ubah lagi lalu simpan.")


class EditedMeanwhile(CatalogError):
    """Refused: a field the user changed was changed since the page was loaded, or the form has no
    loaded values.  ``changed``: the fields the user changed (the page shown again keeps them)."""

    def __init__(self, message: str, changed: list[str] = ()):
        super().__init__(message)
        self.changed = list(changed)


def form_of(product: Product) -> dict[str, Any]:
    """The product's values as the edit form shows them (a reorder point in kg or litres for
    goods kept in grams or ml, as every stock field)."""
    form = {f: maintenance.current(product, f) for f in FIELDS}
    for field in maintenance.PRICE_FIELDS:
        form[field] = "" if form[field] is None else format_number(form[field])
    form["reorder_point"] = BaseUnit(product.base_unit).input_text(form["reorder_point"] or 0)
    return {f: getattr(v, "value", v) for f, v in form.items()}


def as_posted(form: dict[str, Any]) -> dict[str, str]:
    """``form``'s values as text fields post them (a ticked flag ``1``, none ``""``): the page's
    hidden loaded values."""
    def text(value: Any) -> str:
        if isinstance(value, bool):
            return "1" if value else "0"
        return "" if value is None else str(value)
    return {f: text(v) for f, v in form.items()}


def in_base_units(form: dict, product: Product) -> dict:
    """The form with its Titik pesan ulang in base units, read as the page shows it (``38,8``
    kg of rice is 38.800 g): the catalog and its files keep base units."""
    raw = form.get("reorder_point")
    if raw is None:
        return form
    try:
        qty = BaseUnit(product.base_unit).read(raw, "Titik pesan ulang")
    except QuantityError as problem:
        raise CatalogError(problem.message) from None
    return {**form, "reorder_point": "" if qty is None else str(qty)}


def users_changes(product: Product, form: dict[str, str], loaded: dict[str, str]) -> dict[str, Any]:
    """The fields of ``form`` (as posted) whose value differs from ``loaded`` (the values the page
    was loaded with), in base units, for ``maintenance.update_product``.

    ``EditedMeanwhile`` when a posted field has no loaded value, or when one the user changed no
    longer has its loaded value (someone changed it meanwhile); ``CatalogError`` for a bad value.
    """
    if any(field not in loaded for field in form):
        raise EditedMeanwhile(NOT_LOADED)
    typed, loaded = in_base_units(form, product), in_base_units(loaded, product)
    was = {f: maintenance.clean(f, loaded[f]) for f in typed}
    changed = {f: v for f, v in typed.items() if maintenance.clean(f, v) != was[f]}
    moved = [f for f in changed if maintenance.current(product, f) != was[f]]
    if moved:
        unit = BaseUnit(product.base_unit)
        what = ", ".join(f"{history.LABELS[f]} ({_shown(f, was[f], unit)} → "
                         f"{_shown(f, maintenance.current(product, f), unit)})" for f in moved)
        raise EditedMeanwhile(f"{what} sudah diubah sejak halaman ini dibuka. Tidak ada yang "
                              "disimpan: periksa nilai terbaru di bawah, lalu simpan lagi bila tetap "
                              "ingin mengubahnya.", list(changed))
    return changed


def _shown(field: str, value: Any, unit: BaseUnit) -> str:
    if field in history.MONEY:
        return format_rupiah(value)
    return history.words(field, value, unit) or "-"
