"""The day's stock changes, document by document: each count (stok opname ``SO-000012``), stock
adjustment and write-off approved that business day, and the units a return put into a batch
already expired (written off at once, ``returns.restock.EXPIRED``; a return's "rusak" write-off
is booked with the return, ``returns.goods``).

One query for every reader: the day's journal books each kind on lines of its own
(``journal._stock_changes``) and the day summary's ``stock_changes`` (Laporan harian, Tutup hari,
its files, ``pos report day``) lists the documents with the same values, so the section's total
is what the journal's 690100 lines hold.  A document's value is its movements' ``unit_cost``
(the cost when approved; the product's cost for a movement without one) x qty, summed exactly
per business unit and price unit and rounded half up once there (``money.round_half_up``):
signed, below zero for stock lost.  Movements are the business day's by their time, the
outlet-local day (``day_bounds``), as the journal has always read them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, not_, select
from sqlalchemy.orm import Session

from pos.inventory.catalog.models import Product
from pos.inventory.counts.models import CountSession
from pos.inventory.models import MovementKind, StockMovement
from pos.inventory.receiving.models import GoodsReceipt
from pos.money import round_half_up
from pos.returns.models import SaleReturn
from pos.returns.restock import EXPIRED

# The kinds in the order the section and the journal list them, each with its name (the
# journal's memo too).
KINDS = {"count": "Selisih stok opname", "adjustment": "Penyesuaian stok",
         "writeoff": "Pemusnahan barang", "expired_return": "Pemusnahan barang kedaluwarsa (retur)"}
_KIND_OF = {MovementKind.COUNT: "count", MovementKind.ADJUSTMENT: "adjustment",
            MovementKind.WRITEOFF: "writeoff"}


def day_bounds(day: date, zone: str) -> tuple[datetime, datetime]:
    """The outlet-local day as naive UTC [start, end), the form timestamps are stored in."""
    local = ZoneInfo(zone)
    start = datetime.combine(day, time(0), local).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)
    return start, start + timedelta(days=1)


@dataclass
class Change:
    """One document's stock change: its kind (a ``KINDS`` key), ``ref`` ("count:12"; None for a
    movement with no document), the number it is known by, its movements and value, and the
    value per business unit (the journal's lines)."""
    kind: str
    ref: str | None
    number: str = "-"
    lines: int = 0
    units: dict[str, int] = field(default_factory=dict)

    @property
    def value(self) -> int:
        return sum(self.units.values())

    def as_dict(self) -> dict:
        return {"kind": self.kind, "label": KINDS[self.kind], "number": self.number,
                "lines": self.lines, "value": self.value}


def changes(session: Session, day: date, zone: str) -> list[Change]:
    """The documents of ``day``'s stock changes, by kind then document id."""
    start, end = day_bounds(day, zone)
    found: dict[tuple[str, str | None], Change] = {}
    for kind, ref, unit, base_unit, lines, value in session.execute(
            select(StockMovement.kind, StockMovement.ref, Product.business_unit, Product.base_unit,
                   func.count(StockMovement.id),
                   func.sum(StockMovement.qty * func.coalesce(StockMovement.unit_cost, Product.cost)))
            .join(Product, Product.id == StockMovement.product_id)
            .where(StockMovement.kind.in_(list(_KIND_OF)),
                   StockMovement.created_at >= start, StockMovement.created_at < end,
                   # a return's "rusak" write-off is booked with the return (``returns.goods``);
                   # units returned into an expired batch here, as any write-off
                   not_(func.coalesce(StockMovement.ref, "").like("return:%"))
                   | func.coalesce(StockMovement.reason, "").like(f"%{EXPIRED}"))
            .group_by(StockMovement.kind, StockMovement.ref, Product.business_unit, Product.base_unit)):
        name = "expired_return" if (ref or "").startswith("return:") else _KIND_OF[MovementKind(kind)]
        change = found.setdefault((name, ref), Change(name, ref))
        unit = getattr(unit, "value", unit)
        change.lines += int(lines)
        change.units[unit] = change.units.get(unit, 0) + round_half_up(int(value), base_unit.price_per)
    _number(session, found.values())
    order = list(KINDS)
    return sorted(found.values(), key=lambda c: (order.index(c.kind), _ident(c.ref) is None,
                                                 _ident(c.ref) or 0, c.ref or ""))


def _ident(ref: str | None) -> int | None:
    text = (ref or "").partition(":")[2]
    return int(text) if text.isdigit() else None


# The document tables a stock movement's ``ref`` ("kind:id") names, and the number each shows:
# the day's stock changes and the stock card (``reports.stock_card``) name them so.
DOCUMENTS = {"receipt": (GoodsReceipt, GoodsReceipt.number), "count": (CountSession, CountSession.number),
             "return": (SaleReturn, SaleReturn.return_no)}


def document_numbers(session: Session, refs) -> dict[str, str]:
    """``{"receipt:12": "TRM-000012", "count:3": "SO-000003", ...}`` for ``refs``, one query per
    kind of document."""
    wanted: dict[str, set[int]] = {}
    for ref in refs:
        kind, _, ident = (ref or "").partition(":")
        if kind in DOCUMENTS and ident.isdigit():
            wanted.setdefault(kind, set()).add(int(ident))
    out: dict[str, str] = {}
    for kind, ids in wanted.items():
        model, number = DOCUMENTS[kind]
        out.update({f"{kind}:{i}": n for i, n in session.execute(
            select(model.id, number).where(model.id.in_(ids)))})
    return out


def adjustment_number(ident: int | str, writeoff: bool) -> str:
    """An adjustment request's number, as the audit log names it: Penyesuaian #7, Pemusnahan #8."""
    return f"{'Pemusnahan' if writeoff else 'Penyesuaian'} #{ident}"


def _number(session: Session, found) -> None:
    """Each document's number as the stock card names it; a movement with no document keeps
    "-"."""
    numbers = document_numbers(session, (change.ref for change in found))
    for change in found:
        if (change.ref or "").startswith("adjustment:") and _ident(change.ref) is not None:
            change.number = adjustment_number(_ident(change.ref), change.kind == "writeoff")
        else:
            change.number = numbers.get(change.ref or "", change.ref or "-")


def of_day(session: Session, day: date, zone: str) -> dict:
    """The day summary's ``stock_changes``: the documents (kind, label, number, lines, value),
    their lines and value in all; no documents: an empty list and zeros."""
    documents = [change.as_dict() for change in changes(session, day, zone)]
    return {"documents": documents, "lines": sum(d["lines"] for d in documents),
            "value": sum(d["value"] for d in documents)}
