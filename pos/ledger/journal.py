"""A business day as a balanced double-entry journal in integer Rupiah.

Built from the outlet's rows with SQL aggregates, never from loaded objects:

- sales: each tender debited (cash applied, QRIS clearing, bank, members' kasbon), revenue
  credited at list price per business unit split member / non-member (net of PPN: inside the
  prices, or added on top of them, ``Sale.tax_added``) with the
  discounts given (member, tier, manual) debited to the unit's *potongan penjualan*, net of PPN
  too (``net.discount_ppn``: a discount off a price with PPN inside carries its share of it;
  list price net of PPN less the net discount is the lines' net of PPN to the Rupiah), PPN
  keluaran, cash rounding; cost of goods sold debited against inventory per unit at the
  moving-average cost the sale recorded;
- returns booked that day (whatever day their sale was): revenue debited back at list price
  and the sale's discount (net of PPN) on the returned units credited back to *potongan penjualan* (member
  or not, as the sale booked them; ``returns.goods``: the refund's own split of the line), PPN
  debited back, the refund credited to its tender and its cash rounding debited; the goods' cost back
  into inventory, and the damaged
  ones written off to ``stock_loss``;
- members' documents: the tender debited, each saving and kasbon repayment credited, and the
  cash paid in whole coins to cash rounding (paid out: the other way); a manager's Koreksi kasbon
  against ``receivable_loss`` (``journal_members``);
- cash moved in or out of a drawer, against a suspense account the bookkeeper classifies;
- each shift's counted - expected per tender, to cash over / short; and each shift's float
  less its till's previous closing count (cash gone from or come into the drawer between two
  shifts, booked on the day the shift opened), to cash over / short against Kas; each
  shift's on its own lines (memo ``Selisih tutup shift #12``, ``Selisih kas awal shift #13``),
  so that no shortage is hidden by another shift's overage;
- stock changes (``stock_changes``): counts, adjustments, write-offs and the units a return put
  into an expired batch, each kind on lines of its own, at the cost each was approved at;
- goods received (receipts posted that day) into inventory at their cost, owed to the
  supplier (``payable``) until the treasurer pays; a correction posted that day takes its
  receipt's value back out.

Every group is a sum of integers; costs are summed exactly per price unit and divided,
rounded half up, once per group (``money.round_half_up``), the same rule the day report uses.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, not_, select
from sqlalchemy.orm import Session

from pos.chart import TENDER_ROLE, Chart
from pos.inventory.catalog.models import Product
from pos.inventory.receiving.costing import line_value
from pos.inventory.receiving.models import GoodsReceipt, GoodsReceiptLine, ReceiptStatus, Supplier
from pos.ledger import stock_changes
from pos.ledger.journal_members import kasbon_corrections, member_documents
from pos.ledger.stock_changes import day_bounds
from pos.money import round_half_up, tax_included
from pos.returns.goods import returned_goods
from pos.returns.models import ReturnRefund, SaleReturn
from pos.sales.models import Payment, Sale, SaleLine, SaleStatus
from pos.sales.net import TAX_INSIDE
from pos.shifts.models import CashDirection, CashMovement, Shift, ShiftTender
from pos.units import BaseUnit


@dataclass(frozen=True)
class Line:
    account: str
    name: str
    debit: int
    credit: int
    memo: str
    unit: str | None = None
    member: bool | None = None

    def as_dict(self) -> dict:
        return {"account": self.account, "name": self.name, "debit": self.debit,
                "credit": self.credit, "memo": self.memo, "unit": self.unit, "member": self.member}


class _Book:
    """Postings summed per (role, unit, member, memo, side)."""

    def __init__(self, chart: Chart):
        self.chart, self.sums = chart, defaultdict(int)

    def post(self, role: str, amount: int, memo: str, *, debit: bool, unit: str | None = None,
             member: bool | None = None) -> None:
        if amount < 0:   # a negative posting is the other side
            amount, debit = -amount, not debit
        if amount:
            self.sums[(role, unit, member, memo, debit)] += amount

    def lines(self) -> list[Line]:
        out = []
        for (role, unit, member, memo, debit), amount in self.sums.items():
            code, name = self.chart(role)
            out.append(Line(code, name, amount if debit else 0, 0 if debit else amount, memo,
                            unit, member))
        return sorted(out, key=lambda x: (x.debit == 0, x.account, x.memo, str(x.unit), str(x.member)))


def _v(member) -> str:
    return getattr(member, "value", member)


def _member_key(flag) -> str:
    return "member" if flag else "non_member"


def day_journal(session: Session, day: date, *, zone: str, chart: Chart) -> list[Line]:
    book = _Book(chart)
    _sales(session, day, book)
    _returns(session, day, book)
    member_documents(session, day, book)
    kasbon_corrections(session, day, book)
    _cash_movements(session, day, book)
    _shift_differences(session, day, book)
    _stock_changes(session, day, zone, book)
    _receipts(session, day, zone, book)
    return book.lines()


def _sales(session: Session, day: date, book: _Book) -> None:
    done = and_(Sale.business_date == day, Sale.status == SaleStatus.COMPLETED)
    for method, amount in session.execute(
            select(Payment.method, func.sum(Payment.amount)).join(Sale, Sale.id == Payment.sale_id)
            .where(done).group_by(Payment.method)):
        book.post(TENDER_ROLE[_v(method)], int(amount), "Penjualan", debit=True)
    rounding = session.scalar(select(func.coalesce(func.sum(Sale.rounding), 0)).where(done))
    book.post("rounding", int(rounding), "Pembulatan tunai", debit=False)
    cost: dict[str, int] = defaultdict(int)
    in_discount = _discount_ppn(session, done)
    for unit, member, per, amount, discount, tax, inside, cost_sum in session.execute(
            select(SaleLine.business_unit, Sale.member_sale, SaleLine.price_per,
                   func.sum(SaleLine.amount), func.sum(SaleLine.discount), func.sum(SaleLine.tax),
                   # the PPN inside the lines' amounts (none when it was added on top of them)
                   func.sum(TAX_INSIDE),
                   func.sum(SaleLine.unit_cost * SaleLine.qty))
            .join(Sale, Sale.id == SaleLine.sale_id).where(done)
            .group_by(SaleLine.business_unit, Sale.member_sale, SaleLine.price_per)):
        unit, member = _v(unit), bool(member)
        ppn = in_discount.get((unit, member, per), 0)   # the discounts' PPN share, out of both
        book.post(f"revenue:{unit}:{_member_key(member)}",
                  int(amount) + int(discount) - int(inside) - ppn,
                  "Penjualan", debit=False, unit=unit, member=member)
        book.post(f"discount:{unit}", int(discount) - ppn,   # one account, two lines: each says whose
                  f"Potongan penjualan {'anggota' if member else 'bukan anggota'}", debit=True,
                  unit=unit, member=member)
        book.post("ppn_out", int(tax), "PPN keluaran penjualan", debit=False)
        cost[unit] += round_half_up(int(cost_sum), per)
    for unit, value in cost.items():
        book.post(f"cogs:{unit}", value, "Harga pokok penjualan", debit=True, unit=unit)
        book.post(f"inventory:{unit}", value, "Harga pokok penjualan", debit=False, unit=unit)


def _discount_ppn(session: Session, done) -> dict[tuple[str, bool, int], int]:
    """The PPN share of the discounts on lines with PPN inside (``net.discount_ppn`` summed),
    per business unit, member or not and price unit: lines of one rate and list amount
    (``amount + discount``) together, the list's PPN rounded once per line as the line's own."""
    out: dict[tuple[str, bool, int], int] = defaultdict(int)
    listed = SaleLine.amount + SaleLine.discount
    for unit, member, per, rate, gross, lines, tax in session.execute(
            select(SaleLine.business_unit, Sale.member_sale, SaleLine.price_per,
                   SaleLine.tax_rate_bp, listed, func.count(), func.sum(SaleLine.tax))
            .join(Sale, Sale.id == SaleLine.sale_id)
            .where(done, not_(Sale.tax_added), SaleLine.discount != 0, SaleLine.tax_rate_bp > 0)
            .group_by(SaleLine.business_unit, Sale.member_sale, SaleLine.price_per,
                      SaleLine.tax_rate_bp, listed)):
        out[(_v(unit), bool(member), per)] += int(lines) * tax_included(int(gross), rate) - int(tax)
    return out


def _returns(session: Session, day: date, book: _Book) -> None:
    booked = SaleReturn.business_date == day
    for method, amount in session.execute(
            select(ReturnRefund.method, func.sum(ReturnRefund.amount))
            .join(SaleReturn, SaleReturn.id == ReturnRefund.return_id).where(booked)
            .group_by(ReturnRefund.method)):
        book.post(TENDER_ROLE[_v(method)], int(amount), "Pengembalian uang retur", debit=False)
    rounding = session.scalar(select(func.coalesce(func.sum(SaleReturn.rounding), 0)).where(booked))
    book.post("rounding", int(rounding), "Pembulatan tunai retur", debit=True)
    back: dict[str, int] = defaultdict(int)
    lost: dict[str, int] = defaultdict(int)
    for goods in returned_goods(session, day):   # the day report's margin counts the same rows
        unit, member = goods.unit, goods.member
        # at list price, as the sale credited it, with the sale's discount on them given back
        book.post(f"revenue:{unit}:{_member_key(member)}", goods.revenue + goods.discount,
                  "Retur penjualan", debit=True, unit=unit, member=member)
        book.post(f"discount:{unit}", goods.discount,
                  f"Retur potongan penjualan {'anggota' if member else 'bukan anggota'}",
                  debit=False, unit=unit, member=member)
        book.post("ppn_out", goods.tax, "PPN keluaran retur", debit=True)
        back[unit] += goods.cost
        if not goods.restock:
            lost[unit] += goods.cost
    for unit, value in back.items():   # every returned unit comes back into stock first
        book.post(f"inventory:{unit}", value, "Barang retur kembali ke persediaan", debit=True,
                  unit=unit)
        book.post(f"cogs:{unit}", value, "Barang retur kembali ke persediaan", debit=False,
                  unit=unit)
    for unit, value in lost.items():   # ... and the damaged ones are written off
        book.post("stock_loss", value, "Barang retur rusak dihapus", debit=True, unit=unit)
        book.post(f"inventory:{unit}", value, "Barang retur rusak dihapus", debit=False, unit=unit)


def _cash_movements(session: Session, day: date, book: _Book) -> None:
    for direction, amount in session.execute(
            select(CashMovement.direction, func.sum(CashMovement.amount))
            .where(CashMovement.business_date == day).group_by(CashMovement.direction)):
        into = direction is CashDirection.IN
        memo = "Kas masuk laci" if into else "Kas keluar laci"
        book.post("cash", int(amount), memo, debit=into)
        book.post("cash_suspense", int(amount), memo, debit=not into)


def _shift_differences(session: Session, day: date, book: _Book) -> None:
    """Each shift's differences on lines of their own, the memo naming the shift: one till's
    shortage and another's overage (or one shift's and the next's) both show in the books,
    never netted to nothing.  By shift id: the same day gives the same lines."""
    for shift_id, method, difference in session.execute(
            select(Shift.id, ShiftTender.method, ShiftTender.difference)
            .join(Shift, Shift.id == ShiftTender.shift_id)
            .where(Shift.business_date == day, ShiftTender.difference != 0)
            .order_by(Shift.id, ShiftTender.method)):
        _difference(book, TENDER_ROLE[method], int(difference), f"Selisih tutup shift #{shift_id}")
    for shift_id, opening in session.execute(   # the float against the last closing's count
            select(Shift.id, Shift.opening_difference)
            .where(Shift.business_date == day, Shift.previous_counted.is_not(None),
                   Shift.opening_float != Shift.previous_counted)
            .order_by(Shift.id)):
        _difference(book, "cash", int(opening), f"Selisih kas awal shift #{shift_id}")


def _difference(book: _Book, role: str, amount: int, memo: str) -> None:
    """Over (+): the tender debited, cash over credited; short (-): cash short debited, the
    tender credited."""
    book.post(role, amount, memo, debit=True)   # a negative posting is the other side
    book.post("cash_over" if amount > 0 else "cash_short", amount, memo, debit=False)


def _stock_changes(session: Session, day: date, zone: str, book: _Book) -> None:
    """Each kind of the day's stock changes (``stock_changes.KINDS``: Selisih stok opname,
    Penyesuaian stok, Pemusnahan barang, Pemusnahan barang kedaluwarsa (retur)) on lines of its
    own per business unit, the memo naming the kind: the documents' values summed (a count that
    found stock nets with one that lost it), against ``stock_loss``."""
    net: dict[tuple[str, str], int] = defaultdict(int)
    for change in stock_changes.changes(session, day, zone):
        for unit, value in change.units.items():
            net[(change.kind, unit)] += value
    for (kind, unit), amount in net.items():
        memo = stock_changes.KINDS[kind]
        book.post(f"inventory:{unit}", amount, memo, debit=True, unit=unit)
        book.post("stock_loss", amount, memo, debit=False, unit=unit)


def _receipts(session: Session, day: date, zone: str, book: _Book) -> None:
    """Goods received at their lines' value (``costing.line_value``: packs x cost per pack, or a
    line kept to the gram at its cost per kg), a correction's taken back out."""
    start, end = day_bounds(day, zone)
    values: dict[tuple[str, str], int] = {}
    for unit, supplier, correction, qty, cost, pack_qty, base in session.execute(
            select(Product.business_unit, Supplier.name, GoodsReceipt.reverses_id.is_not(None),
                   GoodsReceiptLine.qty_packs, GoodsReceiptLine.cost_per_pack,
                   GoodsReceiptLine.pack_qty, Product.base_unit)
            .join(GoodsReceipt, GoodsReceipt.id == GoodsReceiptLine.receipt_id)
            .join(Product, Product.id == GoodsReceiptLine.product_id)
            .join(Supplier, Supplier.id == GoodsReceipt.supplier_id)
            .where(GoodsReceipt.status != ReceiptStatus.DRAFT,
                   GoodsReceipt.posted_at >= start, GoodsReceipt.posted_at < end)):
        value = line_value(qty, cost, pack_qty, BaseUnit(base).price_per)
        key = (_v(unit), supplier)
        values[key] = values.get(key, 0) + (-value if correction else value)
    for (unit, supplier), value in sorted(values.items()):   # the same day, the same lines
        memo = f"Penerimaan barang dari {supplier}"
        book.post(f"inventory:{unit}", value, memo, debit=True, unit=unit)
        book.post("payable", value, memo, debit=False)
