"""A shift's report: the Z report of a closed shift, the X report (Laporan X) of an open one.

``build`` reads the shift, its figures (``figures``), its cash movements and the tenders
counted at the close into one plain ``ZReport``; the screen, the CLI, the receipt printer
(``zreport_text``), CSV/XLSX and PDF all show the same object, so they cannot disagree.
An open shift's report closes nothing and counts nothing: its tenders carry no counted.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from pos.auth.models import User
from pos.clock import utc_iso
from pos.shifts import denominations
from pos.shifts.drawer import NoSale, no_sales
from pos.shifts.figures import LABELS, METHODS, Figures, figures
from pos.shifts.models import CashDirection, CashMovement, Shift
from pos.shifts.service import get, tenders_of
from pos.tills.models import Till


@dataclass(frozen=True)
class Movement:
    at: datetime
    direction: CashDirection
    amount: int
    reason: str
    by: str
    approver: str | None


@dataclass(frozen=True)
class TenderLine:
    method: str
    expected: int
    counted: int | None          # None while the shift is open

    @property
    def label(self) -> str:
        return LABELS.get(self.method, self.method)

    @property
    def difference(self) -> int | None:
        return None if self.counted is None else self.counted - self.expected


# A refund by the tender it was paid back in: cash from the drawer, kasbon credited to the member
RETURN_LABELS = {"cash": "Retur dibayar tunai", "member_credit": "Retur ke kasbon anggota (dikreditkan)",
                 "qris": "Retur lewat QRIS", "transfer": "Retur lewat Transfer/Debit"}


@dataclass(frozen=True)
class TenderSales:
    """One tender's sales and the returns paid back in it: sold - refunded is what the shift's
    sales left in that tender, so every tender's line reconciles with Total penjualan."""

    method: str
    sold: int
    refunded: int

    @property
    def label(self) -> str:
        return LABELS.get(self.method, self.method)

    @property
    def return_label(self) -> str:
        return RETURN_LABELS.get(self.method, f"Retur lewat {self.label}")

    @property
    def net(self) -> int:
        return self.sold - self.refunded


@dataclass
class ZReport:
    id: int
    till: str
    cashier: str
    business_date: date
    opened_at: datetime
    closed_at: datetime | None
    opening_float: int
    opening_counts: dict | None
    previous_counted: int | None
    opening_note: str | None
    figures: Figures
    tenders: list[TenderLine]
    movements: list[Movement] = field(default_factory=list)
    closing_counts: dict | None = None
    difference: int | None = None
    reason: str | None = None
    closed_by: str | None = None
    approved_by: str | None = None
    # float - the till's previous closing count (None: the till's first shift), who approved it
    opening_difference: int | None = None
    opening_approved_by: str | None = None
    # the drawer opened without a sale (Buka laci): when, why, who, approved by whom
    no_sales: list[NoSale] = field(default_factory=list)

    @property
    def closed(self) -> bool:
        return self.closed_at is not None

    @property
    def title(self) -> str:
        return f"Laporan Z shift #{self.id}" if self.closed else \
            f"Laporan X shift #{self.id} – belum ditutup"

    @property
    def expected_cash(self) -> int:
        return self.figures.expected["cash"]

    def opening_rows(self):
        return denominations.rows(self.opening_counts)

    def closing_rows(self):
        return denominations.rows(self.closing_counts)

    def sales_by_tender(self) -> list[TenderSales]:
        """Every tender the shift sold in or refunded to, in the tenders' order."""
        f = self.figures
        methods = [*METHODS, *sorted((set(f.sold) | set(f.refunds)) - set(METHODS))]
        return [TenderSales(m, f.sold.get(m, 0), f.refunds.get(m, 0)) for m in methods
                if f.sold.get(m) or f.refunds.get(m)]

    @property
    def taxed(self) -> bool:
        """The shift sold as a PKP outlet (or its returns took PPN back): its report states the PPN."""
        return self.figures.pkp or bool(self.figures.returns_tax)

    @property
    def refunds_total(self) -> int:
        return sum(self.figures.refunds.values())

    @property
    def sales_after_returns(self) -> int:
        return self.figures.sales_total - self.refunds_total

    def cash_formula(self) -> list[tuple[str, str, int]]:
        """The expected cash line by line: (sign, label, amount) with the sign the line's own
        ("+" in, "−" out, whatever the amount: "− Kas keluar Rp0"; "=" the result, last) and the
        amount as it adds up (negative for money out)."""
        f = self.figures
        return [("+", "Kas awal", f.opening_float), ("+", "Uang tunai diterima", f.cash_received),
                ("−", "Kembalian diberikan", -f.change_given), ("+", "Kas masuk", f.cash_in),
                ("−", "Kas keluar", -f.cash_out), ("+", "Setoran anggota tunai", f.member_cash),
                ("−", "Simpanan keluar tunai", -f.member_cash_out),
                ("−", "Retur dibayar tunai", -f.refunds.get("cash", 0)),
                ("=", "Kas seharusnya di laci", self.expected_cash)]

    def as_json(self) -> dict:
        """The keys the CLI promises: id, till, cashier, business_date, opened_at, closed_at,
        opening_float, expected and counted per tender, difference, reason (and more); the
        opening difference: previous_counted, opening_difference (float - previous_counted,
        null for a till's first shift), opening_note, opening_approved_by."""
        f = self.figures
        return {"id": self.id, "till": self.till, "cashier": self.cashier,
                "business_date": self.business_date.isoformat(),
                "opened_at": utc_iso(self.opened_at), "closed_at": utc_iso(self.closed_at),
                "opening_float": self.opening_float, "opening_counts": self.opening_counts,
                "expected": {t.method: t.expected for t in self.tenders},
                "counted": {t.method: t.counted for t in self.tenders} if self.closed else None,
                "difference": self.difference, "reason": self.reason,
                "closed_by": self.closed_by, "approved_by": self.approved_by,
                "sales_count": f.sales_count, "sales_total": f.sales_total,
                "pkp": self.taxed, "tax": f.tax, "returns_tax": f.returns_tax,
                "cash_received": f.cash_received, "change_given": f.change_given,
                "cash_sales": f.cash_sales, "rounding": f.rounding, "cash_in": f.cash_in,
                "cash_out": f.cash_out, "member_cash": f.member_cash,
                "member_cash_out": f.member_cash_out,
                "cash_refunds": f.refunds.get("cash", 0),
                "sold": {t.method: t.sold for t in self.sales_by_tender()},
                "refunds": {t.method: t.refunded for t in self.sales_by_tender()},
                "refunds_total": self.refunds_total, "sales_after_returns": self.sales_after_returns,
                "movements": [{"at": utc_iso(m.at), "direction": m.direction.value,
                               "amount": m.amount, "reason": m.reason, "by": m.by,
                               "approved_by": m.approver} for m in self.movements],
                "previous_counted": self.previous_counted,
                "opening_difference": self.opening_difference, "opening_note": self.opening_note,
                "opening_approved_by": self.opening_approved_by,
                "no_sales": [{"at": utc_iso(n.at), "reason": n.reason, "by": n.by,
                              "approved_by": n.approver, "opened": n.opened,
                              "from_devices": n.from_devices} for n in self.no_sales]}


def _names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return dict(session.execute(select(User.id, User.full_name).where(User.id.in_(wanted))).all())


_BY, _APPROVER = aliased(User), aliased(User)  # made once: a new alias per call cost ~0.7 ms


def movements(session: Session, shift_id: int) -> list[Movement]:
    rows = session.execute(
        select(CashMovement, _BY.full_name, _APPROVER.full_name)
        .join(_BY, _BY.id == CashMovement.user_id)
        .outerjoin(_APPROVER, _APPROVER.id == CashMovement.approved_by)
        .where(CashMovement.shift_id == shift_id).order_by(CashMovement.id))
    return [Movement(m.created_at, m.direction, m.amount, m.reason, name, approved)
            for m, name, approved in rows]


def build(session: Session, shift_id: int) -> ZReport:
    """The report of ``shift_id``: a Z report once closed, else the X report (``NotFound``)."""
    shift: Shift = get(session, shift_id)
    f = figures(session, shift)
    names = _names(session, {shift.cashier_id, shift.closed_by, shift.approved_by,
                             shift.opening_approved_by})
    till = session.scalar(select(Till.name).where(Till.id == shift.till_id)) or "-"
    if shift.closed_at is not None:
        kept = {t.method: t for t in tenders_of(session, shift.id)}
        tenders = [TenderLine(m, kept[m].expected, kept[m].counted) for m in METHODS if m in kept]
    else:
        expected = f.expected
        tenders = [TenderLine(m, expected[m], None) for m in METHODS   # as ``close_shift`` keeps
                   if expected[m] or m == "cash" or f.moved(m)]
    return ZReport(id=shift.id, till=till, cashier=names.get(shift.cashier_id, "-"),
                   business_date=shift.business_date, opened_at=shift.opened_at,
                   closed_at=shift.closed_at, opening_float=shift.opening_float,
                   opening_counts=shift.opening_counts, previous_counted=shift.previous_counted,
                   opening_note=shift.opening_note, figures=f, tenders=tenders,
                   movements=movements(session, shift.id), closing_counts=shift.closing_counts,
                   difference=shift.difference, reason=shift.close_reason,
                   closed_by=names.get(shift.closed_by), approved_by=names.get(shift.approved_by),
                   opening_difference=shift.opening_difference,
                   opening_approved_by=names.get(shift.opening_approved_by),
                   no_sales=no_sales(session, shift.id))


@dataclass(frozen=True)
class Listed:
    id: int
    till: str
    cashier: str
    business_date: date
    opened_at: datetime
    closed_at: datetime | None
    expected_cash: int | None
    counted_cash: int | None
    difference: int | None  # over every tender, as the Z report's "Selisih total"
    # the float, the till's previous closing count and why they differ, as ``ZReport``'s
    opening_float: int = 0
    previous_counted: int | None = None
    opening_note: str | None = None
    opening_approved_by: str | None = None

    @property
    def opening_difference(self) -> int | None:
        """The float less the till's previous closing count (None: the till's first shift)."""
        return None if self.previous_counted is None else self.opening_float - self.previous_counted

    @property
    def cash_difference(self) -> int | None:
        """Cash counted less cash expected: the drawer's own difference."""
        if self.counted_cash is None or self.expected_cash is None:
            return None
        return self.counted_cash - self.expected_cash


def listed(session: Session, *, day: date | None = None, open_only: bool = False) -> list[Listed]:
    """Shifts of a business day (or every open one), by till and opening time."""
    query = (select(Shift.id, Till.name, User.full_name, Shift.business_date, Shift.opened_at,
                    Shift.closed_at, Shift.expected_cash, Shift.counted_cash, Shift.difference,
                    Shift.opening_float, Shift.previous_counted, Shift.opening_note,
                    _APPROVER.full_name)
             .join(Till, Till.id == Shift.till_id).join(User, User.id == Shift.cashier_id)
             .outerjoin(_APPROVER, _APPROVER.id == Shift.opening_approved_by)
             .order_by(Till.name, Shift.opened_at, Shift.id))
    if day is not None:
        query = query.where(Shift.business_date == day)
    if open_only:
        query = query.where(Shift.closed_at.is_(None))
    return [Listed(*row) for row in session.execute(query)]
