"""Stok awal: the goods a new outlet already owns, from a file (CSV or XLSX, read by the catalog's
``spreadsheets``, rows by ``rows``): every row checked first, then all saved or none (the caller's
transaction).

Each product named in the file gets, as its opening stock, what its rows say (per batch for
batch-tracked goods): ``OPENING`` movements through ``pos.inventory.stock`` (the only writer of
stock), each valued at its harga_pokok (``unit_cost``), marked ``opening:<business date>``.  The
product's cost (the moving average HPP reads) becomes the rows' average cost.  Opening stock is
before the first day: a product that already moved otherwise (a receipt, a sale, a count…) is
refused, and so is one whose opening stock came on another day.  Imported again the same day, a
product's earlier opening stock is reversed (movements are never deleted) and replaced; a row of
jumlah 0 removes it.  No journal line is made: nothing is owed to a supplier and nothing was
lost; the day's summary (``day_value``, key ``opening_stock``) gives its value at cost for the
hub's Saldo awal of Persediaan.  Used by ``pos inventory opening-stock`` and ``/stok-awal``.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date

from sqlalchemy import BigInteger, cast, func, select
from sqlalchemy.orm import Session

from pos.chart import chart
from pos.days.service import closed_message, ensure_open, is_closed
from pos.inventory import stock
from pos.inventory.catalog import lost_zeros
from pos.inventory.catalog.models import BusinessUnit, Product, ProductBarcode
from pos.inventory.catalog.spreadsheets import ImportErrors, Row, in_row_order
from pos.inventory.models import Batch, MovementKind, StockMovement
from pos.inventory.opening import rows as cells
from pos.inventory.receiving.costing import set_cost
from pos.money import round_half_up
from pos.units import BaseUnit

REASON = "Stok awal"
Progress = Callable[[int, int], None] | None


def ref_of(day: date) -> str:
    return f"opening:{day.isoformat()}"


def _chunks(values: list, size: int = 500):
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _products(session: Session, rows: list[Row]) -> dict[str, Product | str]:
    """Each code of the file (in capitals) -> its product, or why it names none (a pack's barcode)."""
    codes = list({(r.get(cells.KEY) or "").strip().upper() for r in rows if not cells.blank(r)} - {""})
    found: dict[str, Product | str] = {}
    for part in _chunks(codes):
        found.update((p.sku.upper(), p) for p in session.scalars(
            select(Product).where(func.upper(Product.sku).in_(part))))
    rest = [code for code in codes if code not in found]
    for part in _chunks(rest):
        for code, qty, product in session.execute(
                select(ProductBarcode.code, ProductBarcode.qty, Product)
                .join(Product, Product.id == ProductBarcode.product_id)
                .where(func.upper(ProductBarcode.code).in_(part))).all():
            found[code.upper()] = product if qty == 1 or product.price_per == qty else (
                f"kode {code} adalah kemasan isi {product.base_unit.with_unit(qty)} dari "
                f"{product.sku}; tulis SKU-nya ({product.sku}).")
    return found | _zeros_lost(session, [code for code in codes if code not in found])


def _zeros_lost(session: Session, codes: list[str]) -> dict[str, Product | str]:
    """A code of digits naming nothing as it stands (an XLSX cell kept 00101 as 101): the one
    product whose SKU or piece barcode it is with zeros in front, or why it cannot be told."""
    said: dict[str, Product | str] = {}
    skus = lost_zeros.padded(session, Product.sku, codes, Product)
    codes_ = lost_zeros.padded(session, ProductBarcode.code, codes, ProductBarcode.qty, Product,
                               on=ProductBarcode.product_id == Product.id)
    for code in set(skus) | set(codes_):
        named = {row[1].id: (row[0], row[1]) for row in skus.get(code, [])}
        for barcode, qty, product in codes_.get(code, []):
            if qty == 1 or product.price_per == qty:
                named.setdefault(product.id, (barcode, product))
        if len(named) == 1:
            said[code] = next(iter(named.values()))[1]
        elif named:
            said[code] = lost_zeros.ambiguous(code, "sku", sorted(shown for shown, _ in named.values()))
    return said


def _history(session: Session, ids: list[int], today: date) -> dict[int, str]:
    """Why a product may take no opening stock today (it moved otherwise, or opened another day)."""
    said: dict[int, str] = {}
    for part in _chunks(ids):
        for (pid,) in session.execute(select(StockMovement.product_id).distinct().where(
                StockMovement.product_id.in_(part), StockMovement.kind != MovementKind.OPENING)):
            said[pid] = ("sudah punya mutasi stok (penerimaan, penjualan, opname, …): stok awal hanya "
                         "sebelum hari pertama; koreksi lewat Stok opname atau Penyesuaian.")
        for pid, ref in session.execute(select(StockMovement.product_id, StockMovement.ref).distinct().where(
                StockMovement.product_id.in_(part), StockMovement.kind == MovementKind.OPENING,
                func.coalesce(StockMovement.ref, "") != ref_of(today))):
            when = f"pada {date.fromisoformat(ref[8:]):%d-%m-%Y}" if ref and ref.startswith("opening:") \
                else "sebelumnya"
            said.setdefault(pid, f"stok awalnya sudah diimpor {when}; koreksi lewat Stok opname atau "
                                 "Penyesuaian.")
    return said


def check(session: Session, rows: list[Row], today: date, progress: Progress = None, far_ok: bool = False
          ) -> tuple[list[str], dict[int, tuple[Product, list[cells.Line]]]]:
    """Every problem as "Baris N: ..." (an expiry years away one unless ``far_ok``, with the file's
    hint how to confirm it) and, when none, each product's checked lines; on a closed ``today``
    only that (``import_rows`` would refuse it: ``ensure_open``)."""
    if is_closed(session, today):
        return [closed_message(today)], {}
    products = _products(session, rows)
    ids = sorted({p.id for p in products.values() if isinstance(p, Product)})
    history = _history(session, ids, today)
    errors: list[str] = []
    lines: dict[int, tuple[Product, list[cells.Line]]] = {}
    seen: dict[tuple[int, str], cells.Line] = {}
    for done, row in enumerate(rows, start=1):
        if progress and (done % 250 == 0 or done == len(rows)):
            progress(done, len(rows))
        if cells.blank(row):
            continue
        code = (row.get(cells.KEY) or "").strip()
        product = products.get(code.upper())
        problems = []
        if not isinstance(product, Product):
            problems.append(product or (f"barang '{code[:40]}' tidak ditemukan (SKU atau barcode)."
                                        if code else "sku wajib diisi."))
        else:
            line, problems = cells.read(row, product.base_unit, product.batch_tracked, today, far_ok)
            if product.id in history:
                problems.append(f"{product.sku} {history[product.id]}")
            key = (product.id, stock.batch_key(line.batch_no) if line else "")
            if line and key in seen:
                problems.append(_twin(product, line, seen[key]))
            elif line:
                seen[key] = line
            if line and not problems:
                lines.setdefault(product.id, (product, []))[1].append(line)
        errors += [type(p)(f"Baris {row['_line']}: {p}") for p in problems]   # a Far stays one
    far = any(isinstance(problem, cells.Far) for problem in errors)
    return in_row_order(errors) + ([cells.FAR_HINT] if far else []), lines


def _twin(product: Product, line: cells.Line, first: cells.Line) -> str:
    """What is said of a row naming a product, or a batch of it, that an earlier row named: a batch
    written another way ("S88 001" after "S88-001") is the same strip (``stock.batch_key``)."""
    if not line.batch_no:
        return f"{product.sku} juga ada di baris {first.line}."
    said = f"batch {line.batch_no} dari {product.sku} juga ada di baris {first.line}" \
        if line.batch_no == first.batch_no else \
        f"batch {line.batch_no} sama dengan batch {first.batch_no} di baris {first.line}"
    if line.expiry != first.expiry:
        said += (f" (kedaluwarsa {_day(line.expiry)} di baris {line.line}, {_day(first.expiry)} di baris "
                 f"{first.line}): satu batch punya satu tanggal kedaluwarsa")
    return said + "; tulis satu batch di satu baris saja."


def _day(expiry: date | None) -> str:
    return f"{expiry:%d-%m-%Y}" if expiry else "kosong"


def validate(session: Session, rows: list[Row], progress: Progress = None, *, today: date,
             far_ok: bool = False) -> list[str]:
    return check(session, rows, today, progress, far_ok)[0]


def _held(session: Session, product_id: int, today: date) -> dict[tuple[int | None, int], int]:
    """The product's opening stock of ``today`` as it stands: (batch id, unit cost) -> quantity."""
    return {(batch_id, cost): int(qty) for batch_id, cost, qty in session.execute(
        select(StockMovement.batch_id, StockMovement.unit_cost, cast(func.sum(StockMovement.qty), BigInteger))
        .where(StockMovement.product_id == product_id, StockMovement.kind == MovementKind.OPENING,
               StockMovement.ref == ref_of(today))
        .group_by(StockMovement.batch_id, StockMovement.unit_cost)) if qty}


def _batch_ids(session: Session, product: Product, lines: list[cells.Line]) -> list[int | None]:
    """Each line's batch, made on first use; a batch of this product on file, as written or
    written another way (``stock.batch_key``: an earlier import of the day said "S88-001", this
    one "S88 001"), with another expiry (only opening stock ever moved it: ``_history``) takes
    the file's date."""
    if not product.batch_tracked:
        return [None] * len(lines)
    exact, alike = {}, {}
    for row in session.execute(select(Batch.id, Batch.batch_no, Batch.expiry).where(
            Batch.product_id == product.id).order_by(Batch.id)):
        exact[row.batch_no] = row
        alike.setdefault(stock.batch_key(row.batch_no), row)
    ids = []
    for line in lines:
        found = exact.get(line.batch_no) or alike.get(stock.batch_key(line.batch_no))
        if found is not None and found.expiry != line.expiry:
            stock.set_expiry(session, found.id, line.expiry)
        ids.append(found.id if found is not None else
                   stock.ensure_batch(session, product.id, line.batch_no, line.expiry))
    return ids


def _save(session: Session, product: Product, lines: list[cells.Line], today: date,
          user_id: int | None) -> str:
    """Replace the product's opening stock of today by ``lines``; what became of it."""
    held = _held(session, product.id, today)
    lines = [line for line in lines if line.qty]
    batches = _batch_ids(session, product, lines)
    wanted: dict[tuple[int | None, int], int] = defaultdict(int)
    for batch_id, line in zip(batches, lines, strict=True):
        wanted[(batch_id, line.unit_cost)] += line.qty
    if held == dict(wanted):
        return "unchanged"
    back = [stock.Move(product.id, -qty, False, product.name, batch_id, cost)
            for (batch_id, cost), qty in held.items()]
    new = [stock.Move(product.id, qty, False, product.name, batch_id, cost)
           for (batch_id, cost), qty in wanted.items()]
    for moves, why in ((back, f"{REASON} diganti"), (new, REASON)):
        stock.apply(session, moves, MovementKind.OPENING, user_id=user_id, reason=why, ref=ref_of(today))
    total = sum(wanted.values())
    if total:   # the cost HPP reads: the opening stock's average
        value = sum(qty * cost for (_, cost), qty in wanted.items())
        set_cost(session, product, round_half_up(value, total), user_id, REASON)
    return "updated" if held else "created"


def import_rows(session: Session, rows: list[Row], user_id: int | None = None,
                progress: Progress = None, *, today: date, far_ok: bool = False) -> dict[str, int]:
    """Save every product's opening stock on ``today``'s business day, or raise ``ImportErrors``
    (the caller then rolls back)."""
    ensure_open(session, today)
    errors, lines = check(session, rows, today, far_ok=far_ok)
    if errors:
        raise ImportErrors(errors)
    summary = {"total": len(rows), "created": 0, "updated": 0, "unchanged": 0,
               "skipped": sum(1 for row in rows if cells.blank(row))}   # left empty: skipped
    for done, (product, found) in enumerate(lines.values(), start=1):
        summary[_save(session, product, found, today, user_id)] += 1
        if progress and (done % 100 == 0 or done == len(lines)):
            progress(done, len(lines))
    session.flush()
    return summary


class OpeningStockFile:
    """The ``rules`` ``import_jobs`` runs for the page's upload and the command."""

    IMPORT_COLUMNS, KEY = cells.COLUMNS, cells.KEY

    def __init__(self, today: date, far_expiry_ok: bool = False):
        self.today, self.far_ok = today, far_expiry_ok   # ``rows.FAR_CONFIRM``: years away confirmed

    def validate(self, session: Session, rows: list[Row], progress: Progress = None) -> list[str]:
        return validate(session, rows, progress, today=self.today, far_ok=self.far_ok)

    def import_rows(self, session: Session, rows: list[Row], user_id: int | None = None,
                    progress: Progress = None) -> dict[str, int]:
        return import_rows(session, rows, user_id, progress, today=self.today, far_ok=self.far_ok)


def account_of(unit: str, accounts: dict | None) -> tuple[str, str]:
    """The unit's Persediaan account in the chart with ``accounts`` (POS_LEDGER_ACCOUNTS, role ->
    [code, name])."""
    return chart(accounts)(f"inventory:{unit}")


def _valued(session: Session, *where, accounts: dict | None = None) -> dict:
    """How many products hold opening stock (of the movements ``where`` picks) and its value at
    the cost the import set (the rows' average, ``_save``: what HPP and the stock value report
    take), per business unit with its Persediaan account.  As ``inventory.lists.stock_value``,
    quantity x cost is summed exactly per (unit, base unit) and rounded half up once per sum."""
    rows = session.execute(
        select(Product.business_unit, Product.base_unit, cast(func.sum(StockMovement.qty), BigInteger),
               cast(func.sum(StockMovement.qty * func.coalesce(StockMovement.unit_cost, 0)), BigInteger))
        .join(Product, Product.id == StockMovement.product_id)
        .where(StockMovement.kind == MovementKind.OPENING, *where)
        .group_by(StockMovement.product_id, Product.business_unit, Product.base_unit)).all()
    exact: dict[tuple[str, BaseUnit], int] = defaultdict(int)
    products: dict[str, int] = defaultdict(int)
    for business_unit, base_unit, qty, value in rows:
        if qty:
            unit = BusinessUnit(business_unit).value
            products[unit] += 1
            exact[(unit, BaseUnit(base_unit))] += int(qty) * round_half_up(int(value), int(qty))
    units = []
    for unit in sorted(products, key=lambda name: account_of(name, accounts)):
        code, name = account_of(unit, accounts)
        units.append({"unit": unit, "account": code, "name": name, "products": products[unit],
                      "value": sum(round_half_up(total, base.price_per) for (of, base), total in exact.items()
                                   if of == unit)})
    return {"products": sum(products.values()), "value": sum(u["value"] for u in units), "units": units}


def day_value(session: Session, day: date, accounts: dict | None = None) -> dict:
    """The opening stock imported on ``day`` (the day summary's ``opening_stock``)."""
    return _valued(session, StockMovement.ref == ref_of(day), accounts=accounts)


def totals(session: Session, accounts: dict | None = None) -> dict:
    """All opening stock imported so far (the page's figures)."""
    return _valued(session, StockMovement.ref.like("opening:%"), accounts=accounts)
