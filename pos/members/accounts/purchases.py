"""The SHU basis for a year: each member's purchases (jasa anggota), the member vs
non-member split of sales per business unit, and savings per member (jasa modal).

Only completed sales count, net of their returns (counted in the year the return is
booked).  Each member's purchases are money as paid (a sale's total, a refund with its cash
rounding: a sale given back in full nets to zero), as the day documents carry them; the unit
split is the goods' line amounts as paid (with their PPN, inside the prices or, for a sale
priced before tax, ``sale.tax_added``, added to them), so the two differ by the members' cash
rounding, which ``total.member_paid`` and the text name.  A sale is a member sale when
``member_sale`` is true (an active member bought at member prices); the split sums line
amounts as paid per business unit, so the units add up to the sales' line totals (with any PPN
added to them) less the returns.  Member documents are
not sales and never appear here except as savings: each member's savings held at the year's
end (31 December: the saldo awal imported by then and every saving paid in up to then, less
withdrawals and cancellations, ``savings.held_on``), the jasa modal basis as the hub sums it from
the day documents and as the savings list shows it that day; a member holding nothing is left out.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, column, func, select, table
from sqlalchemy.orm import Session

from pos.members.accounts import savings
from pos.members.models import Member

# The sales tables, named without importing pos.sales (which sits above members).
_sale = table("sale", column("id"), column("member_id"), column("member_sale"), column("status"),
              column("business_date"), column("total"), column("tax_added"))
_line = table("sale_line", column("id"), column("sale_id"), column("amount"), column("tax"),
              column("business_unit"))
# Returns (pos.returns), booked on their own day: the basis is net of what came back.
_return = table("sale_return", column("id"), column("sale_id"), column("business_date"),
                column("refund_total"), column("rounding"))
_return_line = table("sale_return_line", column("return_id"), column("sale_line_id"),
                     column("amount"), column("tax"))


def _as_paid(rows):
    """Goods as paid: the lines' ``amount`` with the PPN in it, as a price holding it has it,
    and as a sale priced before tax (``sale.tax_added``) was paid it: its ``tax`` added back."""
    return rows.c.amount + case((_sale.c.tax_added, rows.c.tax), else_=0)


@dataclass(frozen=True)
class YearBasis:
    year: int
    members: list[dict]                        # [{number, name, purchases}]: money as paid
    units: dict[str, dict[str, int]]           # unit -> {member, non_member}
    # {member, non_member}: the units' goods; ``member_paid``: the members' purchases summed,
    # money as paid (the cash rounding in), so the list adds up to a figure of its own
    total: dict[str, int]
    savings: dict[str, dict[str, int]]         # number -> {pokok, wajib, sukarela} held on 31-12

    def as_dict(self) -> dict:
        return {"year": self.year, "members": self.members, "units": self.units, "total": self.total,
                "savings": self.savings}


def _in_year(year: int):
    return (_sale.c.status == "completed", _sale.c.business_date >= date(year, 1, 1),
            _sale.c.business_date <= date(year, 12, 31))


def _returned_in_year(year: int):
    return (_sale.c.status == "completed", _return.c.business_date >= date(year, 1, 1),
            _return.c.business_date <= date(year, 12, 31))


def year_basis(session: Session, year: int) -> YearBasis:
    purchases = dict(session.execute(
        select(_sale.c.member_id, func.sum(_sale.c.total))
        .where(*_in_year(year), _sale.c.member_sale.is_(True), _sale.c.member_id.is_not(None))
        .group_by(_sale.c.member_id)).all())
    for member_id, returned in session.execute(
            select(_sale.c.member_id, func.sum(_return.c.refund_total + _return.c.rounding))
            .join(_sale, _sale.c.id == _return.c.sale_id)
            .where(*_returned_in_year(year), _sale.c.member_sale.is_(True),
                   _sale.c.member_id.is_not(None)).group_by(_sale.c.member_id)):
        purchases[member_id] = purchases.get(member_id, 0) - returned
    saved = {member_id: kinds for member_id, kinds in savings.held_on(session, date(year, 12, 31)).items()
             if any(kinds.values())}
    people = session.execute(select(Member.id, Member.number, Member.name)
                             .where(Member.id.in_(set(purchases) | set(saved)))
                             .order_by(Member.number)).all()
    members = [{"number": p.number, "name": p.name, "purchases": int(purchases[p.id])}
               for p in people if p.id in purchases]
    units: dict[str, dict[str, int]] = {}
    for unit, member_sale, amount in session.execute(
            select(_line.c.business_unit, _sale.c.member_sale, func.sum(_as_paid(_line)))
            .join(_sale, _sale.c.id == _line.c.sale_id).where(*_in_year(year))
            .group_by(_line.c.business_unit, _sale.c.member_sale)):
        key = "member" if member_sale else "non_member"
        units.setdefault(unit, {"member": 0, "non_member": 0})[key] += int(amount)
    for unit, member_sale, amount in session.execute(
            select(_line.c.business_unit, _sale.c.member_sale, func.sum(_as_paid(_return_line)))
            .join(_line, _line.c.id == _return_line.c.sale_line_id)
            .join(_return, _return.c.id == _return_line.c.return_id)
            .join(_sale, _sale.c.id == _line.c.sale_id).where(*_returned_in_year(year))
            .group_by(_line.c.business_unit, _sale.c.member_sale)):
        key = "member" if member_sale else "non_member"
        units.setdefault(unit, {"member": 0, "non_member": 0})[key] -= int(amount)
    total = {k: sum(u[k] for u in units.values()) for k in ("member", "non_member")}
    total["member_paid"] = sum(row["purchases"] for row in members)
    return YearBasis(year, members, dict(sorted(units.items())), total,
                     {p.number: saved[p.id] for p in people if p.id in saved})
