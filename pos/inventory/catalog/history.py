"""The catalog's change log (``price_change``): who changed which field of a product, from what
to what, and when; shown on the product page as Riwayat perubahan and in the audit log.

A price or cost (and a ceiling, HET, logged by ``pos.het``) is kept as Rupiah in ``old`` and
``new``.  Every other field the product form or a catalog file changes (name, category, units,
tax class, flags, drug class, LPG 3 kg, subsidised fertiliser, reorder point, shelf, PLU,
stock rule, the barcodes) is kept in words as the product page shows it (``Isi ulang (tukar
tabung kosong)``, ``ya``, ``Obat keras``, ``8991234567895 (isi 12)``), so the log reads as what
the manager saw; so are a pack added or removed (``karung 50 kg = 50 kg``, on the product page or
while receiving) and the buyer-limit rule the product is put under or taken out of (its name;
``pos.limits``, on /batas).  A new product gets one row, ``created``.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.auth.models import User
from pos.inventory.catalog.models import BusinessUnit, PriceChange, StockPolicy
from pos.money import format_rupiah
from pos.units import BaseUnit, format_number

MONEY = ("price", "cost", "het")  # logged as Rupiah in old/new
LABELS = {"name": "Nama", "category": "Kategori", "business_unit": "Unit usaha",
          "base_unit": "Satuan dasar", "price": "Harga jual", "cost": "Harga pokok",
          "tax_class": "Kelas pajak", "weighed": "Barang timbang", "batch_tracked": "Per batch",
          "active": "Aktif", "stock_policy": "Aturan stok", "reorder_point": "Titik pesan ulang",
          "shelf": "Rak", "plu": "PLU", "reason": "Alasan"}
LABELS.update(drug_class="Golongan obat", max_per_sale="Maks. per transaksi", lpg="LPG 3 kg",
              subsidy="Pupuk bersubsidi", het="HET", barcode="Barcode", pack="Kemasan",
              limit_rule="Batas per pembeli", created="Barang baru")
UNIT_WORDS = {u: "UMKM" if u is BusinessUnit.UMKM else u.value.capitalize() for u in BusinessUnit}
POLICY_WORDS = {StockPolicy.ALLOW: "Boleh minus, dengan peringatan",
                StockPolicy.BLOCK: "Tolak penjualan"}
_TEXT_MAX = 200


QUANTITIES = ("reorder_point",)   # in the product's base unit; the page types it in kg or litres


def words(field: str, value: Any, unit: BaseUnit = BaseUnit.PCS) -> str | None:
    """``value`` of ``field`` as the product page shows it (a quantity of goods kept in grams
    as ``5 kg``, never 5.000); None for no value."""
    if value is None:
        return None
    if field in QUANTITIES and isinstance(value, int) and unit is not BaseUnit.PCS:
        return unit.with_unit(value)
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, BusinessUnit):
        return UNIT_WORDS[value]
    if isinstance(value, StockPolicy):
        return POLICY_WORDS[value]
    if isinstance(value, BaseUnit):
        return value.value
    if hasattr(value, "label"):  # tax class, drug class, LPG kind, fertiliser type
        return value.label
    if isinstance(value, int) and field != "plu":
        return format_number(value)
    return str(value)[:_TEXT_MAX]


def barcode_words(code: str, qty: int, unit: BaseUnit = BaseUnit.PCS) -> str:
    """``8991234567895``, ``8991234567895 (isi 12)`` for a code worth more than one piece, and
    ``8991234567895 (isi 0,5 kg)`` for goods kept in grams or ml (never a bare 500)."""
    if unit is not BaseUnit.PCS:
        return f"{code} (isi {BaseUnit(unit).format(qty)})"
    return code if qty == 1 else f"{code} (isi {format_number(qty)})"


def pack_words(name: str, qty: int, base_unit: BaseUnit) -> str:
    """``karton = 40 pcs``, ``karung 50 kg = 50 kg``: a pack as the product page lists it."""
    return f"{name} = {base_unit.with_unit(qty)}"


def row(product_id: int, field: str, old: Any, new: Any, user_id: int | None,
        reason: str | None = None, *, as_words: bool = True, unit: BaseUnit = BaseUnit.PCS) -> dict:
    """One log row's values (for ``record`` and for many at once); ``as_words=False``: ``old``
    and ``new`` are already in words (a barcode); ``unit``: the product's base unit."""
    values = {"product_id": product_id, "field": field, "changed_by": user_id, "reason": reason}
    if field in MONEY:
        return {**values, "old": old, "new": new}
    if as_words:
        old, new = words(field, old, unit), words(field, new, unit)
    return {**values, "old_text": old, "new_text": new}


def record(session: Session, product_id: int, field: str, old: Any, new: Any,
           user_id: int | None, reason: str | None = None, *, as_words: bool = True,
           unit: BaseUnit = BaseUnit.PCS) -> None:
    """Log one change of ``field`` (in the caller's transaction)."""
    session.add(PriceChange(**row(product_id, field, old, new, user_id, reason, as_words=as_words,
                                  unit=unit)))


def changes(session: Session, product_id: int, limit: int = 200) -> list[dict]:
    """The product's changes, newest first: the field's label, old and new as shown, who, why."""
    rows = session.execute(
        select(PriceChange.field, PriceChange.old, PriceChange.new, PriceChange.old_text,
               PriceChange.new_text, PriceChange.reason, PriceChange.changed_at,
               User.full_name.label("by"))
        .outerjoin(User, User.id == PriceChange.changed_by)
        .where(PriceChange.product_id == product_id)
        .order_by(PriceChange.changed_at.desc(), PriceChange.id.desc()).limit(limit))
    return [{"field": r.field, "label": LABELS.get(r.field, r.field), "money": r.field in MONEY,
             "old": _shown(r.field, r.old, r.old_text), "new": _shown(r.field, r.new, r.new_text),
             "reason": r.reason, "changed_at": r.changed_at, "by": r.by} for r in rows]


def _shown(field: str, amount: int | None, text: str | None) -> str:
    if field in MONEY:
        return "-" if amount is None else format_rupiah(amount)
    return text if text is not None else "-"
