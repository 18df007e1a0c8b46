"""A ceiling schedule as a file (CSV or XLSX, read by the catalog's ``spreadsheets``): every
row checked first, then all rows saved or none (the caller's transaction).

Columns: sku, zona (empty: every zone), het (Rupiah per the product's unit: per kg for goods
in grams, per litre in millilitres, per piece otherwise; ``62500``, ``62.500`` or
``Rp62.500``), berlaku_mulai (dd-mm-yyyy or YYYY-MM-DD), catatan (the source, optional).  A
row for a product, zone and date already set replaces that ceiling's price (logged).  A
ceiling that looks typed per pack or far too high (``service.unlikely``: Rp90.000 per kg, a
karung 50 kg's price) refuses the file, listed with the other problems and ``HINT`` under
them, unless the manager confirms it (``het_ok``: the upload's tick box, ``--het-ok``); the
summary's ``notices`` then list them.
Problems are reported as "Baris N: ...", numbered as in the spreadsheet.  Used by
``pos het import`` and by the HET page's upload (``import_jobs.start_upload(rules=HetFile(...))``).
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, selectinload

from pos.dates import parse_day_first
from pos.het import plausible, service
from pos.het.models import CeilingPrice
from pos.inventory.catalog.models import PriceChange, Product
from pos.inventory.catalog.spreadsheets import Hint, ImportErrors, Row, in_row_order
from pos.money import MoneyError, parse_rupiah
from pos.text import clean

COLUMNS = ["sku", "zona", "het", "berlaku_mulai", "catatan"]
IMPORT_COLUMNS, KEY = COLUMNS, "sku"
Progress = Callable[[int, int], None] | None
CHUNK = 500   # SKUs or product ids per IN list
HINT = Hint("HET yang tampak per kemasan atau jauh di atas harga jual biasanya salah satuan. Bila memang "
            f"benar, unggah lagi dengan centang “{plausible.LABEL}” (perintah: pos het import --het-ok).")


def _values(row: Row, products: dict[str, Product]) -> tuple[dict, list[str]]:
    """The row as ``set_ceiling``'s arguments, and its problems."""
    problems, values = [], {}
    if row.get("_extra"):
        problems.append("lebih banyak kolom daripada judul.")
    sku = (row.get("sku") or "").strip()
    if sku not in products:
        problems.append(f"SKU '{sku[:32]}' tidak ditemukan." if sku else "SKU wajib diisi.")
    else:
        values["product_id"] = products[sku].id
    try:
        values["zone"] = service.clean_zone(row.get("zona"))
    except service.CeilingError as error:
        problems.append(error.message)
    try:
        values["price"] = parse_rupiah(row.get("het") or "")
        if values["price"] <= 0:
            problems.append("het harus lebih dari nol.")
    except MoneyError as error:
        problems.append(error.of_field("het"))
    day = (row.get("berlaku_mulai") or "").strip()
    if len(day) == 19 and day.endswith(" 00:00:00"):  # a date cell of a spreadsheet
        day = day[:10]
    try:
        values["effective_from"] = parse_day_first(day)
    except ValueError as error:
        problems.append(f"berlaku_mulai {error}")
    note = clean(row.get("catatan") or "").strip()
    if len(note) > service.NOTE_MAX:
        problems.append(f"catatan paling panjang {service.NOTE_MAX} huruf.")
    values["note"] = note or None
    return values, problems


class _Known:
    """The file's products by SKU (with their packs) and every ceiling they have, read for the
    whole file in a few statements (``CHUNK`` values per IN list, far under SQLite's and
    PostgreSQL's parameter limits), not one product or ceiling per row."""

    def __init__(self, session: Session, rows: list[Row]):
        skus = sorted({(r.get("sku") or "").strip() for r in rows} - {""})
        self.products: dict[str, Product] = {}
        for start in range(0, len(skus), CHUNK):
            self.products.update((p.sku, p) for p in session.scalars(
                select(Product).where(Product.sku.in_(skus[start:start + CHUNK]))
                .options(selectinload(Product.packs))))
        ids = sorted(p.id for p in self.products.values())
        self.ceilings: dict[int, list[CeilingPrice]] = {}
        for start in range(0, len(ids), CHUNK):
            for row in session.scalars(select(CeilingPrice)
                                       .where(CeilingPrice.product_id.in_(ids[start:start + CHUNK]))):
                self.ceilings.setdefault(row.product_id, []).append(row)

    def unlikely(self, product: Product, values: dict) -> str | None:
        """``service.unlikely`` on the ceilings read: beside the catalog price and the ceiling
        before the row's date (as the database held them before the file)."""
        day, zone = values["effective_from"] - timedelta(days=1), values["zone"]
        before = service.in_force(self.ceilings.get(product.id, []), day, zone)
        return plausible.doubt(product, values["price"], before.price if before else None)

    def existing(self, values: dict) -> CeilingPrice | None:
        """The ceiling already set for the row's product, zone and date, or None."""
        return next((c for c in self.ceilings.get(values["product_id"], [])
                     if c.effective_from == values["effective_from"] and c.zone == values["zone"]), None)


def check(session: Session, rows: list[Row], progress: Progress = None,
          known: _Known | None = None) -> tuple[list[str], list[str]]:
    """Every problem of every row, and every unlikely ceiling, as "Baris N: ..."."""
    known = known or _Known(session, rows)
    errors, unlikely, seen = [], [], {}
    for done, row in enumerate(rows, start=1):
        values, problems = _values(row, known.products)
        if not problems:
            key = (values["product_id"], values["zone"], values["effective_from"])
            if key in seen:
                problems.append(f"SKU, zona dan tanggal yang sama juga ada di baris {seen[key]}.")
            seen.setdefault(key, row["_line"])
            words = known.unlikely(known.products[row["sku"].strip()], values)
            unlikely += [f"Baris {row['_line']}: {words}"] if words else []
        errors += [f"Baris {row['_line']}: {p}" for p in problems]
        if progress and (done % 250 == 0 or done == len(rows)):
            progress(done, len(rows))
    return errors, unlikely


def _said(errors: list[str], unlikely: list[str], het_ok: bool) -> list[str]:
    return errors if het_ok or not unlikely else [*in_row_order([*errors, *unlikely]), HINT]


def validate(session: Session, rows: list[Row], progress: Progress = None, *,
             het_ok: bool = False) -> list[str]:
    """Every problem of every row, as "Baris N: ..."; an empty list means the file is good.  An
    unlikely ceiling is one unless ``het_ok`` (the manager confirmed it)."""
    return _said(*check(session, rows, progress), het_ok)


def import_rows(session: Session, rows: list[Row], user_id: int | None = None,
                progress: Progress = None, *, het_ok: bool = False) -> dict:
    """Set every row's ceiling, or raise ``ImportErrors`` (the caller then rolls back)."""
    known = _Known(session, rows)
    errors, unlikely = check(session, rows, known=known)
    if errors := _said(errors, unlikely, het_ok):
        raise ImportErrors(errors)
    summary = {"total": len(rows), "created": 0, "updated": 0, "unchanged": 0,
               "notices": [f"{words} Disimpan karena dikonfirmasi." for words in unlikely]}
    added, logged = [], []
    for done, row in enumerate(rows, start=1):
        values, _ = _values(row, known.products)
        before = known.existing(values)   # one row per product, zone and date (``check``)
        if before is not None and before.price == values["price"]:
            summary["unchanged"] += 1
        else:   # an unlikely ceiling was refused or confirmed for the whole file (``check``)
            new, log = service.record(values.pop("product_id"), before, user_id=user_id, **values)
            added += [new] if new is not None else []
            logged.append(log)
            summary["created" if before is None else "updated"] += 1
        if progress and (done % 100 == 0 or done == len(rows)):
            progress(done, len(rows))
    session.flush()   # the changed ceilings; then the new ones and the price log, each in one go
    for model, values_list in ((CeilingPrice, added), (PriceChange, logged)):
        if values_list:   # the table's own insert: the ORM's splits rows whose empty cells differ
            session.execute(insert(model.__table__), values_list)
    return summary


class HetFile:
    """The ``rules`` ``import_jobs`` runs for the HET page's upload, with the manager's answer
    to an unlikely ceiling (``het_ok``)."""

    IMPORT_COLUMNS, KEY = IMPORT_COLUMNS, KEY

    def __init__(self, het_ok: bool = False):
        self.het_ok = het_ok

    def validate(self, session: Session, rows: list[Row], progress: Progress = None) -> list[str]:
        return validate(session, rows, progress, het_ok=self.het_ok)

    def import_rows(self, session: Session, rows: list[Row], user_id: int | None = None,
                    progress: Progress = None) -> dict:
        return import_rows(session, rows, user_id, progress, het_ok=self.het_ok)
