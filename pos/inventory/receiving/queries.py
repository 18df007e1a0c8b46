"""What the receiving screens show: the list of receipts and one receipt with its lines."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace

from sqlalchemy import and_, case, func, select, true
from sqlalchemy.orm import Session, selectinload

from pos.auth.models import User
from pos.errors import NotFound
from pos.inventory.catalog.models import Product
from pos.inventory.catalog.packs import Pack, packs_for
from pos.inventory.receiving import amounts, batches, expiry, versions
from pos.inventory.receiving.costing import cost_doubt, line_value, sold_at_loss
from pos.inventory.receiving.models import (
    GoodsReceipt,
    GoodsReceiptLine,
    ReceiptStatus,
    Supplier,
    SupplierKind,
)
from pos.inventory.receiving.receipts import cost_token
from pos.units import BaseUnit

STATUS_LABELS = {"draft": "Draf", "posted": "Diposting", "reversed": "Dikoreksi"}


@dataclass(frozen=True)
class LineRow:
    line: GoodsReceiptLine
    product: Product
    packs: list[Pack]
    batch_note: str | None = None   # its batch has another date on file or on another line (``batches``)

    @property
    def base_qty(self) -> int:
        return self.line.qty_packs * self.line.pack_qty

    @property
    def amount(self) -> int:
        line = self.line
        return line_value(line.qty_packs, line.cost_per_pack, line.pack_qty, self.product.price_per)

    @property
    def loose(self) -> bool:
        """Loose goods on their base pack: amounts typed and shown in kg or litres (``amounts``)."""
        return amounts.loose(self.product, self.line.pack_name)

    def text(self, count: int | None) -> str:
        """One of the line's counts as its box shows it (``12,5`` kg, ``2`` karung)."""
        return amounts.shown(self.product, self.line.pack_name, self.line.pack_qty, count)

    def words(self, count: int) -> str:
        """One of the line's counts as a message says it (``1.250`` karung, ``12,5`` kg)."""
        return amounts.words(self.product, self.line.pack_name, self.line.pack_qty, count)

    def before(self, repacked) -> str:
        """The received count before a change of pack, with that pack (``2 karung 50 kg``)."""
        old = repacked.old
        return f"{amounts.words(self.product, old.name, old.qty, repacked.old_qty_packs)} {old.name}"

    @property
    def doubt(self) -> str | None:
        """Why the cost looks like another pack's (``costing.cost_doubt``), or None."""
        return cost_doubt(self.product, self.line.cost_per_pack, self.line.pack_qty)

    @property
    def above_price(self) -> bool:
        """Sold at a loss at this cost (``costing.sold_at_loss``)."""
        return sold_at_loss(self.product, self.line.cost_per_pack, self.line.pack_qty)

    @property
    def token(self) -> str:
        return cost_token(self.line)

    @property
    def expiry_token(self) -> str:
        return expiry.token(self.line)

    @property
    def version(self) -> str:
        """The line as drawn: its save carries it (``versions``)."""
        return versions.line_version(self.line)


def _expiry_token(row: LineRow) -> str:
    return row.expiry_token


@dataclass
class ReceiptDetail:
    receipt: GoodsReceipt
    supplier: Supplier
    rows: list[LineRow]
    names: dict[int, str]
    reverses: GoodsReceipt | None = None
    reversals: list[GoodsReceipt] = field(default_factory=list)
    same_note: list[GoodsReceipt] = field(default_factory=list)  # same supplier, same DO number
    today: date | None = None         # with ``warn_days``: the batches expiring soon are named
    warn_days: int | None = None
    far_text = expiry.FAR   # what the draft says above the far expiries' boxes

    @property
    def total(self) -> int:
        return sum(row.amount for row in self.rows)

    @property
    def doubtful(self) -> list[LineRow]:
        """Lines whose cost looks like another pack's: posting asks to confirm each."""
        return [row for row in self.rows if row.line.qty_packs > 0 and row.doubt]

    @property
    def short_expiry(self) -> list[tuple[LineRow, str]]:
        """Batches expiring within ``warn_days``, each with the first line that carries it and
        what to say of it: posting asks to confirm each batch and date once, for all its lines
        (``expiry.boxes``), but none whose batch has another date (``batch_note``: refused
        whatever is confirmed)."""
        if self.today is None or self.receipt.status is not ReceiptStatus.DRAFT:
            return []
        return expiry.boxes([(row, expiry.what(row.product.name, row.line, self.today)) for row in self.rows
                             if expiry.soon(row.line, self.today, self.warn_days) and not row.batch_note],
                            _expiry_token)

    @property
    def far_expiry(self) -> list[tuple[LineRow, str]]:
        """Batches expiring more than ``expiry.FAR_YEARS`` years away (a year typed wrong), with
        what to say of each: posting asks to confirm each once, as ``short_expiry``."""
        if self.today is None or self.receipt.status is not ReceiptStatus.DRAFT:
            return []
        return expiry.boxes([(row, expiry.far_what(row.product.name, row.line)) for row in self.rows
                             if expiry.far(row.line, self.today, self.warn_days) and not row.batch_note],
                            _expiry_token)

    @property
    def version(self) -> str:
        """The receipt as drawn: posting carries it (``versions``)."""
        return versions.receipt_version(self.receipt)

    @property
    def products(self) -> list[Product]:
        """Each product on the receipt once, for the Tambah kemasan form."""
        return list({row.product.id: row.product for row in self.rows}.values())

    @property
    def rejected_whole(self) -> bool:
        """A posted delivery refused whole: nothing of it went into stock, and there is nothing
        to correct (``GoodsReceipt.rejected_whole``)."""
        return self.receipt.status is ReceiptStatus.POSTED and self.receipt.reverses_id is None \
            and self.receipt.rejected_whole

    @property
    def cancellable(self) -> bool:
        """Rejected whole and not cancelled yet: a manager may cancel it (``cancel``)."""
        return self.rejected_whole and self.receipt.cancelled_at is None

    @property
    def pending(self) -> GoodsReceipt | None:
        """A correction of this receipt waiting for a manager."""
        return next((r for r in self.reversals if r.status is ReceiptStatus.DRAFT), None)

    def row(self, line_id: int) -> LineRow:
        return next(row for row in self.rows if row.line.id == line_id)


def suppliers(session: Session) -> list[Supplier]:
    return list(session.scalars(select(Supplier).where(Supplier.active).order_by(Supplier.name)))


def supplier_kinds() -> list[SupplierKind]:
    return list(SupplierKind)


def recent_receipts(session: Session, limit: int = 50, waiting_only: bool = False) -> list:
    """The newest receipts with supplier, line count and value received (``line_value``, a line
    kept to the gram too), and ``rejected``: a posted delivery refused whole, nothing of it in
    stock (``GoodsReceipt.rejected_whole``) (or only the corrections waiting for a manager's
    approval)."""
    value = (select(GoodsReceiptLine.receipt_id,
                    func.count().label("lines"),
                    func.sum(GoodsReceiptLine.qty_packs).label("received"))
             .group_by(GoodsReceiptLine.receipt_id).subquery())
    rejected = case((and_(GoodsReceipt.status == ReceiptStatus.POSTED, GoodsReceipt.reverses_id.is_(None),
                          value.c.lines > 0, value.c.received == 0), 1), else_=0)
    rows = session.execute(
        select(GoodsReceipt.id, GoodsReceipt.number, GoodsReceipt.delivery_note,
               GoodsReceipt.status, GoodsReceipt.created_at, GoodsReceipt.reverses_id,
               GoodsReceipt.cancelled_at, Supplier.name.label("supplier"),
               func.coalesce(value.c.lines, 0).label("lines"), rejected.label("rejected"))
        .join(Supplier, Supplier.id == GoodsReceipt.supplier_id)
        .outerjoin(value, value.c.receipt_id == GoodsReceipt.id)
        .where(waiting_correction() if waiting_only else true())
        .order_by(GoodsReceipt.id.desc()).limit(limit)).all()
    totals = receipt_values(session, [row.id for row in rows])
    return [SimpleNamespace(**row._asdict(), total=totals.get(row.id, 0)) for row in rows]


def receipt_values(session: Session, receipt_ids: list[int]) -> dict[int, int]:
    """Each receipt's value: the sum of its lines' ``line_value``."""
    totals: dict[int, int] = {}
    for receipt_id, qty, cost, pack_qty, unit in session.execute(
            select(GoodsReceiptLine.receipt_id, GoodsReceiptLine.qty_packs,
                   GoodsReceiptLine.cost_per_pack, GoodsReceiptLine.pack_qty, Product.base_unit)
            .join(Product, Product.id == GoodsReceiptLine.product_id)
            .where(GoodsReceiptLine.receipt_id.in_(receipt_ids))):
        totals[receipt_id] = totals.get(receipt_id, 0) + line_value(qty, cost, pack_qty,
                                                                    BaseUnit(unit).price_per)
    return totals


def waiting_correction():
    """SQL: a correction (reversing receipt) still waiting for a manager's approval."""
    return GoodsReceipt.reverses_id.is_not(None) & (GoodsReceipt.status == ReceiptStatus.DRAFT)


def receipt_detail(session: Session, receipt_id: int, *, today: date | None = None,
                   warn_days: int | None = None) -> ReceiptDetail:
    """One receipt with its lines, products and their packs, and who did what; with ``today``
    and ``warn_days`` its batches expiring soon; a draft's batches with another date
    (``batches.notes``)."""
    receipt = session.get(GoodsReceipt, receipt_id)
    if receipt is None:
        raise NotFound("Penerimaan tidak ditemukan.")
    ids = {line.product_id for line in receipt.lines}
    products = {p.id: p for p in session.scalars(
        select(Product).where(Product.id.in_(ids)).options(selectinload(Product.packs)))}
    draft = receipt.status is ReceiptStatus.DRAFT and receipt.reverses_id is None
    notes = batches.notes(session, receipt.lines, products) if draft else {}
    rows = [LineRow(line, products[line.product_id], packs_for(products[line.product_id]),
                    notes.get(line.id)) for line in receipt.lines]
    people = {receipt.created_by, receipt.posted_by, receipt.approved_by, receipt.cancelled_by} - {None}
    names = dict(session.execute(select(User.id, User.full_name).where(User.id.in_(people))).all())
    reversals = list(session.scalars(select(GoodsReceipt).where(
        GoodsReceipt.reverses_id == receipt.id).order_by(GoodsReceipt.id)))
    reverses = session.get(GoodsReceipt, receipt.reverses_id) if receipt.reverses_id else None
    same = same_delivery_note(session, receipt) if receipt.reverses_id is None else []
    return ReceiptDetail(receipt, session.get(Supplier, receipt.supplier_id), rows, names,
                         reverses, reversals, same, today, warn_days)


def same_delivery_note(session: Session, receipt: GoodsReceipt) -> list[GoodsReceipt]:
    """Other receipts of this supplier with the same delivery note number (case and spaces
    ignored): drafts and posted ones; a cancelled receipt (reversed, or rejected whole and
    cancelled: ``cancel``) and the corrections themselves do not count, since the right
    receipt is then entered again."""
    note = " ".join(receipt.delivery_note.split()).lower()
    return list(session.scalars(select(GoodsReceipt).where(
        GoodsReceipt.supplier_id == receipt.supplier_id, GoodsReceipt.id != receipt.id,
        func.lower(GoodsReceipt.delivery_note) == note, GoodsReceipt.reverses_id.is_(None),
        GoodsReceipt.status != ReceiptStatus.REVERSED, GoodsReceipt.cancelled_at.is_(None))
        .order_by(GoodsReceipt.id)))
