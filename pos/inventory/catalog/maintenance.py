"""Catalog maintenance: create and edit products from typed or text values.

Every field arrives either as the text a manager typed (form, CSV or XLSX cell)
or as an already typed value; ``clean`` turns both into the one typed value or a
``CatalogError`` in Indonesian.  ``update_product`` logs every changed field, old and
new, who and why (``history``; ceiling prices, HET, are logged there too by ``pos.het``),
so a product's history is complete; a new product is logged once as created.  Stock never
changes here.  A price below cost is usually a slip, so changing price or
cost to that asks for a confirmation (``below_cost_ok``), as does a new product.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from pos.inventory.catalog import base_units, categories, history, products, regulated
from pos.inventory.catalog.history import LABELS
from pos.inventory.catalog.models import BusinessUnit, DrugClass, Product, StockPolicy, TaxClass
from pos.inventory.catalog.products import CatalogError
from pos.inventory.catalog.tax import NO_TAX, TaxSettings
from pos.inventory.models import Batch, StockLevel, StockMovement
from pos.money import MoneyError, format_rupiah, parse_rupiah
from pos.text import clean as clean_text
from pos.text import is_digits
from pos.units import BaseUnit, format_number

PRICE_FIELDS = ("price", "cost")
_TRUE, _FALSE = {"1", "ya", "y", "true", "benar", "on"}, {"0", "tidak", "t", "n", "false", "salah", "off"}
_SKU = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-_./]{0,31}$")
MAX_QTY = 1_000_000_000


class BelowCost(CatalogError):
    """The selling price is under the cost: saved only when the manager confirms it."""


def _text(limit: int, required: bool = False) -> Callable[[str, Any], str | None]:
    def parse(field: str, value: Any) -> str | None:
        # without control characters, as the database keeps it (a name with ESC in it was an
        # update, its change logged, at every import of the same file)
        text = " ".join(clean_text(str(value or "")).split())
        if not text and required:
            raise CatalogError(f"{LABELS[field]} wajib diisi.")
        if len(text) > limit:
            raise CatalogError(f"{LABELS[field]} terlalu panjang (maksimal {limit} huruf).")
        return text or None
    return parse


def _shelf(field: str, value: Any) -> str | None:
    """A shelf in capitals (``R-01``): a count of shelf R-01 takes ``r-01 `` too."""
    text = _text(20)(field, value)
    return text.upper() if text else None


def _choice(enum_cls) -> Callable[[str, Any], Any]:
    def parse(field: str, value: Any):
        try:
            return enum_cls(str(getattr(value, "value", value) or "").strip().lower())
        except ValueError:
            options = ", ".join(m.value for m in enum_cls)
            raise CatalogError(f"{LABELS[field]} '{value}' tidak dikenal (pilih: {options}).") from None
    return parse


def _flag(field: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().lower()
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise CatalogError(f"{LABELS[field]} harus 'ya' atau 'tidak', bukan '{value}'.")


def _whole(field: str, value: Any, low: int, high: int = MAX_QTY) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and is_digits(value.strip(), 12):  # ASCII only: not ８, ٣ or ²
        number = int(value.strip())
    else:
        raise CatalogError(f"{LABELS[field]} harus angka bulat, bukan '{value}'.")
    if not low <= number <= high:
        raise CatalogError(f"{LABELS[field]} harus antara {format_number(low)} dan {format_number(high)}.")
    return number


def _rupiah(field: str, value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 0:
            raise CatalogError(f"{LABELS[field]} tidak boleh negatif.")
        return value
    try:
        return parse_rupiah(str(value if value is not None else ""))
    except MoneyError as error:
        raise CatalogError(error.of_field(LABELS[field])) from None


def _price(field: str, value: Any) -> int:
    """A selling price: Rp0 is refused (it was sold at Rp0 at the till); a cost may be 0."""
    price = _rupiah(field, value)
    if price <= 0:
        raise CatalogError(products.ZERO_PRICE)
    return price


def _plu(field: str, value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return _whole(field, value, 1, 999_999)


def _drug_class(field: str, value: Any) -> DrugClass | None:
    """``keras``, ``bebas terbatas``, ``Obat bebas terbatas``...; empty: not a drug."""
    text = "_".join(str(getattr(value, "value", value) or "").lower().split()).removeprefix("obat_")
    return _choice(DrugClass)(field, text) if text and text != "-" else None


def _most(field: str, value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return _whole(field, value, 1, 10_000)


CLEANERS: dict[str, Callable[[str, Any], Any]] = {
    "name": _text(120, required=True), "category": _text(80), "shelf": _shelf,
    "business_unit": _choice(BusinessUnit), "base_unit": _choice(BaseUnit),
    "tax_class": _choice(TaxClass), "stock_policy": _choice(StockPolicy),
    "price": _price, "cost": _rupiah, "plu": _plu,
    "weighed": _flag, "batch_tracked": _flag, "active": _flag,
    "drug_class": _drug_class, "max_per_sale": _most,
    "lpg": regulated.clean_lpg, "subsidy": regulated.clean_subsidy,
    "reorder_point": lambda field, value: _in_base_unit(field, value),
}


def _in_base_unit(field: str, value: Any) -> int:
    """A file's Titik pesan ulang, in the base unit as the catalog keeps it (the page reads kg and
    litres itself): a decimal there is the kg typed into a file, said as such."""
    try:
        return _whole(field, value, 0)
    except CatalogError as problem:
        if "angka bulat" not in problem.message:
            raise
        raise CatalogError(f"{LABELS[field]} di berkas dalam satuan dasar, angka bulat: gram untuk "
                           f"barang per kg, ml per liter (50 kg = 50000), bukan '{value}'.") from None


def clean(field: str, value: Any) -> Any:
    """The typed value of one editable field, or ``CatalogError``."""
    if field not in CLEANERS:
        raise CatalogError(f"Kolom '{field}' tidak dapat diubah.")
    return CLEANERS[field](field, value)


def clean_sku(value: Any) -> str:
    sku = str(value or "").strip()
    if not _SKU.match(sku):
        raise CatalogError("SKU wajib diisi: 1-32 huruf, angka, - _ . atau /.")
    return sku


def current(product: Product, field: str) -> Any:
    """The product's present value of ``field``, in the form ``clean`` returns."""
    if field == "category":
        return product.category.name if product.category else None
    return getattr(product, field)


def update_product(session: Session, product_id: int, changes: dict[str, Any],
                   user_id: int | None, reason: str | None = None,
                   below_cost_ok: bool = False, *, logged: bool = True,
                   tax: TaxSettings | None = None) -> list[str]:
    """Apply the fields that differ; log each change; return the changed field names.

    ``below_cost_ok``: the manager confirmed a selling price under the cost (with ``tax``, a PKP
    outlet's, the cost with the PPN its inclusive price carries).  ``logged=False``: the product
    is being created (its first values are no change).
    """
    product = products.get_product(session, product_id)
    if "sku" in changes and str(changes["sku"]).strip() != product.sku:
        raise CatalogError("SKU tidak dapat diubah.")
    values = {f: clean(f, v) for f, v in changes.items() if f != "sku"}
    if values.get("category"):   # "minyak" for Minyak is no change
        values["category"] = categories.spelled(session, values["category"])
    new = products.squared_policy(product, values, {f: v for f, v in values.items()
                                                     if current(product, f) != v})
    if not new:
        return []
    check_rules(session, product, new, below_cost_ok, tax)
    reason = _text(200)("reason", reason) if reason else None
    for field, value in new.items():
        if logged:
            history.record(session, product.id, field, current(product, field), value, user_id, reason,
                           unit=BaseUnit(product.base_unit))
        if field == "category":
            product.category = categories.named(session, value) if value else None
        else:
            setattr(product, field, value)
    if "name" in new:
        products.index_words(session, product)
    session.flush()
    return list(new)


def check_rules(session: Session, product: Product, new: dict[str, Any],
                below_cost_ok: bool = False, tax: TaxSettings | None = None) -> None:
    """Rules that look at the whole product after the change, and at its stock."""
    merged = {f: new.get(f, current(product, f))
              for f in ("price", "cost", "weighed", "base_unit", "lpg", "subsidy", "tax_class")}
    cost_problem = price_problem(merged["price"], merged["cost"],
                                 below_cost_ok or not {"price", "cost", "tax_class"} & set(new),
                                 tax, merged["tax_class"])
    if cost_problem:
        raise cost_problem
    if merged["weighed"] and merged["base_unit"] is BaseUnit.PCS:
        raise CatalogError("Barang timbang harus bersatuan gram atau ml, bukan pcs.")
    if {"base_unit", "lpg", "subsidy"} & set(new) and (problem := regulated.unit_problem(
            merged["base_unit"], merged["lpg"], merged["subsidy"])):
        raise CatalogError(problem)
    if "base_unit" in new and session.scalar(
            select(exists().where(StockMovement.product_id == product.id))):
        raise CatalogError(f"Satuan dasar {product.name} tidak dapat diubah: sudah ada mutasi stok.")
    if "base_unit" in new and (problem := base_units.change_problem(session, product)):
        raise CatalogError(problem)
    if "batch_tracked" in new:
        _check_batch_switch(session, product, new["batch_tracked"])
    if new.get("plu") is not None and session.scalar(select(Product.id).where(
            Product.plu == new["plu"], Product.id != product.id)) is not None:
        raise CatalogError(f"PLU {new['plu']} sudah dipakai barang lain.")


def price_problem(price: int, cost: int, below_cost_ok: bool = False, tax: TaxSettings | None = None,
                  tax_class: TaxClass = TaxClass.PPN) -> CatalogError | None:
    """A price under the cost (``below_cost``) without a confirmation.  (Ceiling prices are a
    schedule of their own, ``pos.het``: the till never sells above one, and the HET page lists
    catalog prices above a ceiling in force or about to be.)"""
    if below_cost_ok or not (words := below_cost(price, cost, tax, tax_class)):
        return None
    return BelowCost(f"{words} Bila memang disengaja, centang konfirmasinya lalu simpan lagi.")


def below_cost(price: int, cost: int, tax: TaxSettings | None = None,
               tax_class: TaxClass = TaxClass.PPN) -> str | None:
    """"Harga jual … di bawah harga pokok …." when ``price`` is under the cost (with ``tax``, a PKP
    outlet's, the cost with the PPN an inclusive price carries), else None: the product form's
    words and the catalogue file's (``file_prices``)."""
    floor = (tax or NO_TAX).cost_floor(cost, tax_class)
    if price >= floor:
        return None
    taxed = f" (dengan PPN {format_rupiah(floor)})" if floor != cost else ""
    return f"Harga jual {format_rupiah(price)} di bawah harga pokok {format_rupiah(cost)}{taxed}."


def _check_batch_switch(session: Session, product: Product, tracked: bool) -> None:
    in_batches = int(session.scalar(select(func.coalesce(func.sum(Batch.on_hand), 0))   # PG: numeric
                                    .where(Batch.product_id == product.id)))
    on_hand = session.scalar(select(StockLevel.on_hand)
                             .where(StockLevel.product_id == product.id)) or 0
    if tracked and on_hand != in_batches:
        raise CatalogError(f"{product.name} masih punya stok {on_hand} yang tidak tercatat per batch. "
                           "Nolkan stok itu dulu (penyesuaian), lalu aktifkan pencatatan per batch.")
    if not tracked and in_batches:
        raise CatalogError(f"{product.name} masih punya stok per batch; habiskan atau sesuaikan "
                           "dulu sebelum mematikan pencatatan per batch.")


def new_product(session: Session, sku: Any, values: dict[str, Any], user_id: int | None,
                codes: list[tuple[str, int]] = (), below_cost_ok: bool = False,
                reason: str | None = None, tax: TaxSettings | None = None) -> Product:
    """Create a product from typed or text values; extra fields go through ``update_product``;
    logged once, as created."""
    core = ("name", "price", "business_unit", "base_unit", "cost", "tax_class",
            "category", "batch_tracked", "stock_policy")
    typed = {f: clean(f, v) for f, v in values.items()}
    for field in ("name", "price", "business_unit"):
        if field not in typed:
            raise CatalogError(f"{LABELS[field]} wajib diisi untuk barang baru.")
    problem = price_problem(typed["price"], typed.get("cost", 0), below_cost_ok, tax,
                            typed.get("tax_class", TaxClass.PPN))
    if problem:
        raise problem
    product = products.create_product(
        session, sku=clean_sku(sku), barcodes_=[(products.check_code(c), q) for c, q in codes],
        **{f: v for f, v in typed.items() if f in core})
    update_product(session, product.id, {f: v for f, v in typed.items() if f not in core}, user_id,
                   logged=False)
    history.record(session, product.id, "created", None, None, user_id, reason)
    return product
