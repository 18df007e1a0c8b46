"""Catalog import and export rows: check every row, then write all or nothing (files: ``spreadsheets``).

A file has one header row and one product per row; rows are numbered like a
spreadsheet (row 2 is the first product) and every problem is reported as
"Baris N: ...".  Rows whose SKU exists update that product through
``maintenance.update_product`` (so price changes are logged); others are created.
Empty cells: for HET, category, shelf and PLU they mean "none"; for every other
column they mean "keep" (or the default for a new product).  Barcodes are only
added, never removed (removing is done on the product page).  Importing never
changes stock.  A selling price under the cost is a warning the clerk confirms, as on the
product form (``file_prices``).  The caller's transaction makes an import all or nothing.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.errors import PosError
from pos.inventory.catalog import bulk, codes, file_prices, maintenance, products, regulated
from pos.inventory.catalog.models import Category, Product, ProductBarcode
from pos.inventory.catalog.products import CatalogError
from pos.inventory.catalog.spreadsheets import COLUMNS, FIELDS, ImportErrors, Row, plain
from pos.inventory.catalog.tax import TaxSettings
from pos.text import is_digits
from pos.units import BaseUnit

IMPORT_COLUMNS, KEY = COLUMNS, "sku"  # the file's columns and the one every file needs

REASON = "Impor katalog"  # the change log's reason for what a file changed
NULLABLE = {"category", "shelf", "plu", "drug_class", "max_per_sale", "lpg", "subsidy"}
# The file columns whose empty cell means "none" (the import page's help names them).
BLANK_IS_NONE = [c for c in COLUMNS if FIELDS.get(c, c) in NULLABLE]
Progress = Callable[[int, int], None] | None

def export_rows(session: Session) -> list[dict]:
    """Every product in import form, ordered by SKU (two queries)."""
    codes: dict[int, list[str]] = {}
    for code, qty, product_id in session.execute(
            select(ProductBarcode.code, ProductBarcode.qty, ProductBarcode.product_id)
            .order_by(ProductBarcode.code)):
        codes.setdefault(product_id, []).append(code if qty == 1 else f"{code}:{qty}")
    fields = [getattr(Product, FIELDS.get(c, c)).label(c) for c in COLUMNS
              if c not in ("category", "barcodes")]
    rows = session.execute(select(Product.id, Category.name.label("category"), *fields)
                           .outerjoin(Category, Category.id == Product.category_id)
                           .order_by(Product.sku))
    return [{c: plain(regulated.cell(c, row._mapping[c])) if c != "barcodes"
             else "|".join(codes.get(row.id, [])) for c in COLUMNS} for row in rows]


class _Seen:
    """What the file itself already used (value -> row) and the database holds (value -> SKU)."""

    def __init__(self, session: Session):
        self.products = {r.sku: r for r in session.execute(
            select(Product.sku, Product.id, Product.price, Product.cost, Product.tax_class,
                   Product.weighed, Product.base_unit, Product.lpg, Product.subsidy,
                   Product.batch_tracked, Product.stock_policy))}
        self.codes = dict(session.execute(select(ProductBarcode.code, Product.sku).join(
            Product, Product.id == ProductBarcode.product_id)).all())
        self.members = codes.MemberCodes(session)  # member cards and numbers
        self.skus = codes.SkuCapitals(session)  # SKUs in any letters
        self.plus = dict(session.execute(select(Product.plu, Product.sku)
                                         .where(Product.plu.is_not(None))).all())
        self.file_skus: dict[str, int] = {}
        self.file_codes: dict[str, int] = {}
        self.file_plus: dict[int, int] = {}


def check(session: Session, rows: list[Row], progress: Progress = None,
          tax: TaxSettings | None = None) -> tuple[list[str], list[str]]:
    """(every problem of every row, every price under its cost), each as "Baris N: ..."."""
    rows = as_fields(rows)
    seen, errors, below, total = _Seen(session), [], [], len(rows)
    for done, row in enumerate(rows, start=1):
        problems, warning = _problems(row, seen, tax)
        errors += [f"Baris {row['_line']}: {problem}" for problem in problems]
        below += [f"Baris {row['_line']}: {warning}"] if warning else []
        if progress and (done % 250 == 0 or done == total):
            progress(done, total)
    return errors, below


def validate(session: Session, rows: list[Row], progress: Progress = None, *,
             below_cost_ok: bool = False, tax: TaxSettings | None = None) -> list[str]:
    """Every problem of every row, as "Baris N: ..."; an empty list means the file is good.  A
    price under its cost is one unless ``below_cost_ok`` (the clerk confirmed the warning)."""
    return file_prices.said(*check(session, rows, progress, tax), below_cost_ok)


class CatalogFile:
    """The ``rules`` ``import_jobs`` runs for the catalogue upload, with the clerk's answer to
    the below-cost warning and the outlet's tax settings (as the product form prices)."""

    IMPORT_COLUMNS, KEY = IMPORT_COLUMNS, KEY

    def __init__(self, below_cost_ok: bool = False, tax: TaxSettings | None = None):
        self.below_cost_ok, self.tax = below_cost_ok, tax

    def validate(self, session: Session, rows: list[Row], progress: Progress = None) -> list[str]:
        return validate(session, rows, progress, below_cost_ok=self.below_cost_ok, tax=self.tax)

    def import_rows(self, session: Session, rows: list[Row], user_id: int | None = None,
                    progress: Progress = None) -> dict:
        return import_rows(session, rows, user_id, progress, below_cost_ok=self.below_cost_ok,
                           tax=self.tax)


def as_fields(rows: list[Row]) -> list[Row]:
    """Rows keyed by product field (``golongan_obat`` -> ``drug_class``)."""
    return [{FIELDS.get(k, k): v for k, v in row.items()} for row in rows]


def parse_codes(text: str) -> list[tuple[str, int]]:
    """``8991234567895|8991234567901:12`` -> [(code, 1), (code, 12)] (qty per scan)."""
    codes = []
    for part in filter(None, (p.strip() for p in (text or "").split("|"))):
        code, _, qty = part.partition(":")
        qty = qty.strip()
        if qty and (not is_digits(qty, 6) or not 0 < int(qty) <= 100_000):  # ASCII digits only
            raise CatalogError(f"Isi per pindaian barcode {code} harus angka bulat 1-100000.")
        codes.append((products.check_code(code), int(qty or 1)))
    return codes


def _values(row: Row, problems: list[str]) -> dict[str, Any]:
    """Typed values of the row's filled cells (empty nullable cells mean "none")."""
    values = {}
    for column, text in row.items():
        if column in ("sku", "barcodes", "_line", "_extra") or (not text and column not in NULLABLE):
            continue
        try:
            values[column] = maintenance.clean(column, text)
        except CatalogError as error:
            problems.append(error.message)
    return values


def _problems(row: Row, seen: _Seen, tax: TaxSettings | None) -> tuple[list[str], str | None]:
    """The row's problems, and the warning of its price under the cost (``file_prices``)."""
    problems = ["lebih banyak kolom daripada judul."] if row["_extra"] else []
    try:
        sku = maintenance.clean_sku(row.get("sku"))
    except CatalogError as error:
        return problems + [error.message], None
    if sku in seen.file_skus:
        problems.append(f"SKU {sku} sudah ada di baris {seen.file_skus[sku]}.")
    seen.file_skus.setdefault(sku, row["_line"])
    values, old = _values(row, problems), seen.products.get(sku)
    if old is None:
        _check_new_sku(sku, seen, problems)
        problems += [f"{maintenance.LABELS[f]} wajib diisi untuk barang baru."
                     for f in ("name", "price", "business_unit") if f not in row or not row[f]]
    _check_merged(values, old, problems)
    warning = file_prices.warning(values, old, tax)
    if values.get("plu") is not None:
        _check_unique(values["plu"], f"PLU {values['plu']}", sku, row["_line"],
                      seen.plus, seen.file_plus, problems)
    try:
        codes = parse_codes(row.get("barcodes", ""))
    except CatalogError as error:
        return problems + [error.message], warning
    for code, _ in codes:
        if seen.codes.get(code) != sku:  # a code the product already has stays
            _check_not_elsewhere(code, f"Barcode {code}", sku, seen, problems)
        _check_unique(code, f"Barcode {code}", sku, row["_line"], seen.codes, seen.file_codes,
                      problems)
    return problems, warning


def _check_new_sku(sku: str, seen: _Seen, problems: list[str]) -> None:
    """A new product's SKU is no product's barcode and no member's card or number (the till
    would find that one instead)."""
    if held := seen.members.holder(sku) or seen.skus.holder(sku):
        problems.append(f"SKU {sku} sudah dipakai sebagai {held}.")
    elif seen.codes.get(sku, sku) != sku:
        problems.append(f"SKU {sku} sudah dipakai sebagai barcode barang lain (SKU {seen.codes[sku]}).")
    elif sku in seen.file_codes:
        problems.append(f"SKU {sku} juga dipakai sebagai barcode di baris {seen.file_codes[sku]}.")
    seen.skus.add(sku, seen.file_skus[sku])


def _check_not_elsewhere(code: str, label: str, sku: str, seen: _Seen, problems: list[str]) -> None:
    """A barcode is no other product's SKU (in the database or the file) and no member's card
    or number."""
    if held := seen.members.holder(code):
        problems.append(f"{label} sudah dipakai sebagai {held}.")
    elif code != sku and code in seen.products:
        problems.append(f"{label} sudah dipakai sebagai SKU barang lain.")
    elif code != sku and code in seen.file_skus:
        problems.append(f"{label} juga dipakai sebagai SKU di baris {seen.file_skus[code]}.")


def _check_merged(values: dict[str, Any], old, problems: list[str]) -> None:
    """Rules across columns, with the product's present values for the columns not given."""
    weighed = values.get("weighed", old.weighed if old else False)
    base_unit = values.get("base_unit", old.base_unit if old else BaseUnit.PCS)
    if weighed and base_unit is BaseUnit.PCS:
        problems.append("barang timbang harus bersatuan gram atau ml, bukan pcs.")
    if {"base_unit", "lpg", "subsidy"} & set(values) and (problem := regulated.unit_problem(
            base_unit, values.get("lpg", old.lpg if old else None),
            values.get("subsidy", old.subsidy if old else None))):
        problems.append(problem)
    if problem := products.batch_minus_in_file(values, old):
        problems.append(problem)


def _check_unique(value, label: str, sku: str, line: int, owners: dict, in_file: dict,
                  problems: list[str]) -> None:
    if value in in_file:
        problems.append(f"{label} juga ada di baris {in_file[value]}.")
    elif owners.get(value, sku) != sku:
        problems.append(f"{label} sudah dipakai barang lain (SKU {owners[value]}).")
    in_file.setdefault(value, line)


def import_rows(session: Session, rows: list[Row], user_id: int | None, progress: Progress = None, *,
                below_cost_ok: bool = False, tax: TaxSettings | None = None) -> dict:
    """Create or update every row, or raise ``ImportErrors`` (the caller then rolls back); the
    summary's ``below_cost`` (when any) lists the prices under cost the clerk confirmed."""
    rows = as_fields(rows)
    errors, below = check(session, rows, tax=tax)
    if errors := file_prices.said(errors, below, below_cost_ok):
        raise ImportErrors(errors)
    ids = dict(session.execute(select(Product.sku, Product.id)).all())
    fresh = [row for row in rows if row["sku"].strip() not in ids]
    summary, total = {"total": len(rows), "created": 0, "updated": 0, "unchanged": 0}, len(rows)
    summary.update({"below_cost": below} if below else {})
    summary["created"] = _create_new(session, fresh, errors, user_id)
    if progress:
        progress(len(fresh), total)
    done = len(fresh)
    for row in rows:
        if row["sku"].strip() in ids:
            try:
                summary[_import_row(session, row, ids, user_id)] += 1
            except PosError as error:
                errors.append(f"Baris {row['_line']}: {error.message}")
            done += 1
            if progress and (done % 100 == 0 or done == total):
                progress(done, total)
    if errors:
        raise ImportErrors(sorted(errors, key=_line_of))
    return summary


def _line_of(message: str) -> int:
    head = message.split(":", 1)[0].removeprefix("Baris ")
    return int(head) if head.isdigit() else 0


def _create_new(session: Session, rows: list[Row], errors: list[str], user_id: int | None) -> int:
    """New products in bulk (a few statements, so tills are not kept waiting)."""
    specs, lines = [], []
    for row in rows:
        try:
            specs.append(_new_spec(row))
            lines.append(row["_line"])
        except PosError as error:
            errors.append(f"Baris {row['_line']}: {error.message}")
    errors += [f"Baris {lines[i]}: {message}" for i, message in bulk.problems(session, specs)]
    if errors or not specs:
        return 0
    bulk.create_products(session, specs, user_id, REASON)
    return len(specs)


def _new_spec(row: Row) -> dict:
    values = {c: t for c, t in row.items()
              if c not in ("sku", "barcodes", "_line", "_extra") and (t or c in NULLABLE)}
    typed = {f: maintenance.clean(f, v) for f, v in values.items()}
    for field in ("name", "price", "business_unit"):
        if field not in typed:
            raise CatalogError(f"{maintenance.LABELS[field]} wajib diisi untuk barang baru.")
    codes = [(products.check_code(c), q) for c, q in parse_codes(row.get("barcodes", ""))]
    return {"sku": maintenance.clean_sku(row["sku"]), **typed, "barcodes": codes}


def _import_row(session: Session, row: Row, ids: dict[str, int], user_id: int | None) -> str:
    sku = row["sku"].strip()
    values = {c: t for c, t in row.items()
              if c not in ("sku", "barcodes", "_line", "_extra") and (t or c in NULLABLE)}
    codes = parse_codes(row.get("barcodes", ""))
    # a price under the cost was refused or confirmed for the whole file (``check``)
    changed = maintenance.update_product(session, ids[sku], values, user_id, reason=REASON,
                                         below_cost_ok=True)
    present = {b.code: b for b in session.scalars(
        select(ProductBarcode).where(ProductBarcode.product_id == ids[sku]))} if codes else {}
    for code, qty in codes:
        if code not in present:
            products.add_barcode(session, ids[sku], code, qty, user_id=user_id, reason=REASON)
        elif present[code].qty != qty:
            products.set_barcode_qty(session, present[code], qty, user_id=user_id, reason=REASON)
        else:
            continue
        changed.append("barcodes")
    return "updated" if changed else "unchanged"
