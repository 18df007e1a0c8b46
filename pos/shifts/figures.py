"""What a shift's drawer should hold: the expected money per tender, from its own rows.

    expected cash = opening float + cash received - change given + cash in - cash out
                    + member payments (savings, kasbon repayments) taken in cash
                    - savings withdrawn in cash - cash refunds
    (cash rounding is in each: a sale's, a refund's and a member document's cash in whole coins)

For a PKP outlet the report states the PPN inside the shift's sales and the PPN its returns
took back (``tax``, ``returns_tax``; ``pkp``: a sale was made while the outlet was PKP).

Non-cash tenders are expected per method: QRIS, transfer and kasbon sold, plus member
payments by that method, minus refunds to it (savings paid out by transfer are the
cooperative's bank's, no shift's: only cash paid out carries a shift).  Every figure is a sum
over rows that carry the shift's id, so a second shift at the same till on the same day sums only its own
(the OSPOS #3253 failure) and nothing taken outside the shift leaks in.

``pos.sales``, ``pos.returns`` and ``pos.members.accounts`` ask ``pos.shifts.gate`` for the
shift, so this module reads their tables through plain table descriptions.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Boolean, Integer, String, case, column, func, select, table
from sqlalchemy.orm import Session

from pos.shifts.models import CashDirection, CashMovement, Shift

_sale = table("sale", column("id", Integer), column("shift_id", Integer),
              column("status", String), column("change", Integer), column("rounding", Integer),
              column("total", Integer), column("tax", Integer), column("pkp", Boolean))
_payment = table("payment", column("sale_id", Integer), column("method", String),
                 column("amount", Integer), column("tendered", Integer))
_doc = table("member_document", column("shift_id", Integer), column("tender", String),
             column("total", Integer), column("rounding", Integer), column("withdrawal", Boolean))
_return = table("sale_return", column("id", Integer), column("shift_id", Integer),
                column("tax_total", Integer))
_refund = table("return_refund", column("return_id", Integer), column("method", String),
                column("amount", Integer))

METHODS = ("cash", "qris", "transfer", "member_credit")
LABELS = {"cash": "Tunai", "qris": "QRIS", "transfer": "Transfer/Debit",
          "member_credit": "Kasbon anggota"}
# Counted at Tutup shift as their settlement says (the QRIS app's, the bank's); kasbon is the
# members' own record, with nothing to count: it closes as expected.
SETTLED = ("qris", "transfer")


@dataclass
class Figures:
    """The parts of a shift's expected money, each a plain integer of Rupiah."""

    opening_float: int = 0
    sales_count: int = 0
    sales_total: int = 0
    cash_received: int = 0       # cash handed over by customers
    change_given: int = 0
    rounding: int = 0            # cash rounding inside the sales (+ or -)
    cash_in: int = 0
    cash_out: int = 0
    member_cash: int = 0         # savings and kasbon repayments taken in cash (in whole coins)
    member_cash_out: int = 0     # savings withdrawn, or a document cancelled, paid in cash
    refunds: dict[str, int] = field(default_factory=dict)     # per method
    sold: dict[str, int] = field(default_factory=dict)        # sales applied per method
    member_other: dict[str, int] = field(default_factory=dict)  # member payments, non-cash
    pkp: bool = False            # a sale of the shift was made while the outlet was PKP
    tax: int = 0                 # the PPN inside (or added to) the sales
    returns_tax: int = 0         # the PPN the shift's returns took back

    @property
    def cash_sales(self) -> int:
        return self.cash_received - self.change_given

    def moved(self, method: str) -> bool:
        """Money went through ``method`` in the shift (sold, members' payments or refunds), even
        when it adds up to Rp0: its settlement has something to say."""
        return bool(self.sold.get(method) or self.member_other.get(method) or self.refunds.get(method))

    @property
    def expected(self) -> dict[str, int]:
        """Expected per tender; cash by the formula above."""
        cash = (self.opening_float + self.cash_received - self.change_given + self.cash_in
                - self.cash_out + self.member_cash - self.member_cash_out - self.refunds.get("cash", 0))
        out = {"cash": cash}
        for method in METHODS[1:]:
            out[method] = (self.sold.get(method, 0) + self.member_other.get(method, 0)
                           - self.refunds.get(method, 0))
        return out


def figures(session: Session, shift: Shift) -> Figures:
    """Sum the shift's sales, payments, member documents, refunds and cash movements."""
    f = Figures(opening_float=shift.opening_float)
    done = (_sale.c.shift_id == shift.id) & (_sale.c.status == "completed")
    head = session.execute(select(func.count(), func.coalesce(func.sum(_sale.c.total), 0),
                                  func.coalesce(func.sum(_sale.c.change), 0),
                                  func.coalesce(func.sum(_sale.c.rounding), 0),
                                  func.coalesce(func.sum(_sale.c.tax), 0),
                                  func.coalesce(func.sum(case((_sale.c.pkp.is_(True), 1), else_=0)), 0))
                           .where(done)).one()
    f.sales_count, f.sales_total, f.change_given, f.rounding, f.tax, taxed = (int(x) for x in head)
    f.pkp = taxed > 0
    for method, amount, tendered in session.execute(
            select(_payment.c.method, func.sum(_payment.c.amount), func.sum(_payment.c.tendered))
            .join(_sale, _sale.c.id == _payment.c.sale_id).where(done)
            .group_by(_payment.c.method)):
        f.sold[method] = int(amount)
        if method == "cash":
            f.cash_received = int(tendered)
    for tender, out, amount in session.execute(
            select(_doc.c.tender, _doc.c.withdrawal, func.sum(_doc.c.total + _doc.c.rounding))
            .where(_doc.c.shift_id == shift.id)
            .group_by(_doc.c.tender, _doc.c.withdrawal)):
        if tender != "cash":
            f.member_other[tender] = int(amount)    # (money out carries a shift in cash only)
        elif out:
            f.member_cash_out = int(amount)
        else:
            f.member_cash = int(amount)
    f.refunds = {method: int(amount) for method, amount in session.execute(
        select(_refund.c.method, func.sum(_refund.c.amount))
        .join(_return, _return.c.id == _refund.c.return_id)
        .where(_return.c.shift_id == shift.id).group_by(_refund.c.method))}
    f.returns_tax = int(session.scalar(select(func.coalesce(func.sum(_return.c.tax_total), 0))
                                       .where(_return.c.shift_id == shift.id)))
    for direction, amount in session.execute(
            select(CashMovement.direction, func.sum(CashMovement.amount))
            .where(CashMovement.shift_id == shift.id).group_by(CashMovement.direction)):
        if direction is CashDirection.IN:
            f.cash_in = int(amount)
        else:
            f.cash_out = int(amount)
    return f
