"""Kartu stok: one product's stock movements over a range of outlet-local dates, oldest first,
each with its document, batch, who and why, and the balance after it.

Every change of stock is one append-only ``stock_movement`` row (``pos.inventory.stock``), so
the card is those rows: the balance before the range is the sum of the earlier ones, and the
balance after the last row is the stock as it stands (``pos inventory verify`` proves it). A
page of the card starts from the balance of every row before it. The document is the one the
movement names: a sale's receipt number, a return's, a goods receipt's (its correction too), a
count's, an adjustment's request number."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pos.auth.models import User
from pos.clock import to_local
from pos.errors import PosError
from pos.inventory.catalog.models import Product, ProductBarcode
from pos.inventory.counts.models import CountLine, StockAdjustment
from pos.inventory.models import Batch, MovementKind, StockMovement
from pos.inventory.receiving.models import GoodsReceipt
from pos.ledger.stock_changes import adjustment_number, document_numbers
from pos.reports.audit import utc_bounds
from pos.reports.shape import Column, Report, Stack, page_bounds
from pos.returns.models import SaleReturn
from pos.sales.models import Sale
from pos.units import BaseUnit

KIND_WORDS = {MovementKind.OPENING: "Stok awal", MovementKind.RECEIPT: "Penerimaan",
              MovementKind.SALE: "Penjualan", MovementKind.RETURN: "Retur",
              MovementKind.ADJUSTMENT: "Penyesuaian", MovementKind.COUNT: "Stok opname",
              MovementKind.WRITEOFF: "Pemusnahan"}
COLUMNS = [Column("at", "Waktu", "time"), Column("kind", "Jenis"), Column("document", "Dokumen", "code"),
           Column("batch", "Batch", "code"), Column("qty_in", "Masuk", "qty", True),
           Column("qty_out", "Keluar", "qty", True), Column("balance", "Saldo", "qty"),
           Column("user", "Oleh"), Column("reason", "Keterangan")]
# On screen the nine columns are six (at 800 px Oleh and Keterangan were out of sight): the kind
# under the time, the batch under the document, the reason under who; the files keep every column.
def _screen(batched: bool) -> list[Stack]:
    document = (("Dokumen", "Batch"), "Dokumen; batch", (("document",), ("batch",))) if batched \
        else (("Dokumen",), "Dokumen", (("document",),))
    return [Stack(("Waktu", "Jenis"), "Waktu; jenis gerakan", (("at",), ("kind",))), Stack(*document),
            Stack(("Masuk",), "Masuk", (("qty_in",),)), Stack(("Keluar",), "Keluar", (("qty_out",),)),
            Stack(("Saldo",), "Saldo setelahnya", (("balance",),)),
            Stack(("Oleh", "Keterangan"), "Oleh (yang menyetujui); keterangan", (("user",), ("reason",)))]


class UnknownProduct(PosError):
    status = 422


def find_product(session: Session, code: str) -> Product:
    """The product whose SKU or one of whose barcodes is ``code`` (inactive ones too)."""
    code = (code or "").strip()
    if not code:
        raise UnknownProduct("Ketik SKU atau pindai barcode barangnya.")
    found = session.scalar(select(Product).where(Product.sku == code)) or \
        session.scalar(select(Product).where(Product.sku == code.upper())) or \
        session.scalar(select(Product).join(ProductBarcode, ProductBarcode.product_id == Product.id)
                       .where(ProductBarcode.code == code))
    if found is None:
        raise UnknownProduct(f"Barang dengan SKU atau barcode {code[:40]} tidak ditemukan.")
    return found


def stock_card(session: Session, product: Product, start: date, end: date, *, zone: str,
               page: int | None = 1, per_page: int = 50) -> Report:
    """The card of ``product`` from ``start`` to ``end`` (outlet-local dates); ``page`` None:
    every row (the downloads and the command)."""
    lo, hi = utc_bounds(start, end, zone)
    mine = StockMovement.product_id == product.id
    in_range = (mine, StockMovement.created_at >= lo, StockMovement.created_at < hi)
    opening = int(session.scalar(select(func.coalesce(func.sum(StockMovement.qty), 0))   # PostgreSQL's
                                 .where(mine, StockMovement.created_at < lo)))          # SUM is numeric
    count, qty_in, qty_out = _range_sums(session, in_range)
    order = (StockMovement.created_at, StockMovement.id)
    query = (select(StockMovement, Batch.batch_no, User.full_name)
             .outerjoin(Batch, Batch.id == StockMovement.batch_id)
             .outerjoin(User, User.id == StockMovement.user_id)
             .where(*in_range).order_by(*order))
    balance = opening
    if page is not None:
        limit, offset = page_bounds(page, per_page)
        earlier = select(StockMovement.qty).where(*in_range).order_by(*order).limit(offset).subquery()
        balance += int(session.scalar(select(func.coalesce(func.sum(earlier.c.qty), 0)))) if offset else 0
        query = query.limit(limit).offset(offset)
    found = session.execute(query).all()
    numbers = _document_numbers(session, [m for m, _, _ in found])
    doers = _doers(session, [(m, by) for m, _, by in found])
    unit = product.base_unit
    # the card's first line is the balance it starts from (on screen, in the files)
    rows = [{"kind": "Saldo awal", "balance": opening, "base_unit": unit}] if (page or 1) == 1 else []
    for movement, batch_no, by in found:
        balance += movement.qty
        doer, approver = doers.get(movement.id, (None, by))
        by = f"{doer} (disetujui {approver})" if doer and approver and doer != approver \
            else (doer or approver)
        rows.append(_row(movement, batch_no, by, numbers, balance, unit, zone))
    closing = opening + qty_in - qty_out
    columns = [_in_files(c, unit) for c in COLUMNS if product.batch_tracked or c.key != "batch"]
    return Report(
        "stock_card", f"Kartu stok: {product.name} ({product.sku})", columns, rows,
        {"at": "Total", "qty_in": qty_in, "qty_out": qty_out, "balance": closing,
         "base_unit": unit},
        count, page or 1, per_page, screen=_screen(product.batch_tracked),
        note=f"Saldo awal {start.strftime('%d-%m-%Y')}: {unit.with_unit(opening)} · saldo akhir "
             f"{end.strftime('%d-%m-%Y')}: {unit.with_unit(closing)}.",
        about={"sku": product.sku, "name": product.name, "unit": unit.value, "opening": opening,
               "closing": closing})


def _range_sums(session: Session, in_range) -> tuple[int, int, int]:
    """(rows, units in, units out) of the range, out as a positive number."""
    qty = StockMovement.qty
    count, qty_in, qty_out = session.execute(select(
        func.count(StockMovement.id),
        func.coalesce(func.sum(qty).filter(qty > 0), 0),
        func.coalesce(func.sum(qty).filter(qty < 0), 0)).where(*in_range)).one()
    return int(count), int(qty_in), -int(qty_out)


def _document_numbers(session: Session, movements: list[StockMovement]) -> dict[str, str]:
    """``{"receipt:12": "TRM-000012", "sale:40": "G001-0000040", ...}`` for the page's rows."""
    out = document_numbers(session, (m.ref for m in movements))
    sales = {m.sale_id for m in movements if m.sale_id is not None}
    if sales:
        out.update({f"sale:{i}": n for i, n in session.execute(
            select(Sale.id, Sale.receipt_no).where(Sale.id.in_(sales)))})
    return out


def _doers(session: Session, movements: list[tuple[StockMovement, str | None]]
           ) -> dict[int, tuple[str | None, str | None]]:
    """(who did it, who approved it) of what a manager approved, by movement id: the
    adjustment's or write-off's requester and the count line's counter, each approved by the
    movement's own user (``movements``: each with its user's name); a receipt correction's
    clerk, approved by the movement's user; a return's cashier (the movement's user) and its
    approving manager."""
    refs = [(m, by, *(m.ref or "").partition(":")[::2]) for m, by in movements]
    wanted = {kind: {int(i) for _, _, k, i in refs if k == kind and i.isdigit()}
              for kind in ("adjustment", "count", "return", "receipt")}
    requester = dict(session.execute(select(StockAdjustment.id, User.full_name).join(
        User, User.id == StockAdjustment.requested_by).where(
        StockAdjustment.id.in_(wanted["adjustment"]))).all()) if wanted["adjustment"] else {}
    counter = {(c, p, b): name for c, p, b, name in session.execute(
        select(CountLine.session_id, CountLine.product_id, CountLine.batch_id, User.full_name)
        .join(User, User.id == CountLine.counted_by)
        .where(CountLine.session_id.in_(wanted["count"])))} if wanted["count"] else {}
    corrector = dict(session.execute(select(GoodsReceipt.id, User.full_name).join(
        User, User.id == GoodsReceipt.created_by).where(   # a posted delivery's is its own poster
        GoodsReceipt.id.in_(wanted["receipt"]), GoodsReceipt.reverses_id.is_not(None))).all()) \
        if wanted["receipt"] else {}
    approver = dict(session.execute(select(SaleReturn.id, User.full_name).join(
        User, User.id == SaleReturn.approved_by).where(
        SaleReturn.id.in_(wanted["return"]))).all()) if wanted["return"] else {}
    out = {}
    for m, by, kind, ident in refs:
        if not ident.isdigit():
            continue
        if kind == "adjustment":
            out[m.id] = (requester.get(int(ident)), by)
        elif kind == "count":
            out[m.id] = (counter.get((int(ident), m.product_id, m.batch_id)), by)
        elif kind == "return":
            out[m.id] = (by, approver.get(int(ident)))
        elif kind == "receipt" and int(ident) in corrector:
            out[m.id] = (corrector[int(ident)], by)
    return out


def _row(movement: StockMovement, batch_no: str | None, by: str | None, numbers: dict[str, str],
         balance: int, unit: BaseUnit, zone: str) -> dict:
    kind = movement.kind
    ref_kind, _, ident = (movement.ref or "").partition(":")
    if kind is MovementKind.SALE:
        document = numbers.get(f"sale:{movement.sale_id}", "")
    elif ref_kind == "adjustment":   # the request's number, as the audit log names it
        document = adjustment_number(ident, kind is MovementKind.WRITEOFF)
    else:
        document = numbers.get(movement.ref or "", "")
    words = KIND_WORDS.get(kind, kind.value)
    if kind is MovementKind.RECEIPT and movement.qty < 0:
        words = "Koreksi penerimaan"
    return {"at": to_local(movement.created_at, zone).replace(tzinfo=None), "kind": words,
            "document": document, "batch": batch_no or "",
            "qty_in": movement.qty if movement.qty > 0 else None,
            "qty_out": -movement.qty if movement.qty < 0 else None, "balance": balance,
            "user": by or "", "reason": movement.reason or "", "base_unit": unit}


def _in_files(column: Column, unit: BaseUnit) -> Column:
    """A quantity column says its unit in the files, which hold base units (``Masuk (gram)``,
    ``Masuk (pcs)``: the card is of one product); the screen shows kg or litres in each cell."""
    return replace(column, file_label=f"{column.label} ({unit.value})") if column.kind == "qty" else column
