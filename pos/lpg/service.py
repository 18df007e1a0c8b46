"""LPG 3 kg at the till and the pangkalan's daily list.

Since 2024 every subsidised 3 kg cylinder is sold against the buyer's NIK and category
(Kepmen ESDM 37.K/MG.01/MEM.M/2023), entered in Pertamina's merchant app (MAP).  The till
asks for both (``check`` raises ``NeedsBuyer``), checkout writes one ``LpgSale`` per line
(``record``), and ``day_list`` gives the list to copy into the app: per NIK and category, the
refills (an empty cylinder handed in) and new cylinders, with the receipts.  A return is
booked on its own business day, as every return is ("retur dibukukan pada hari retur"): the
day it is made lists the cylinders given back per NIK and category, with the return numbers,
and the net; a past day's list, already copied into the app, never changes (``give_back``
raises the line's ``returned_qty``, so no more comes back than was sold).  A
per-NIK limit, should the rules tighten, is an ordinary limit rule (``pos.limits``, buyer
kind ``nik``) with the LPG products under it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Date, Integer, String, column, insert, select, table, update
from sqlalchemy.orm import Session

from pos.inventory.catalog.models import LpgKind
from pos.lpg.models import LpgSale
from pos.members.buyers import CATEGORIES, CATEGORY, NIK, Buyer, NeedsBuyer

# Returns through plain table descriptions (``pos.returns`` imports this module).
_return = table("sale_return", column("id", Integer), column("return_no", String),
                column("business_date", Date))
_return_line = table("sale_return_line", column("id", Integer), column("return_id", Integer),
                     column("sale_line_id", Integer), column("qty", Integer))


def _missing(buyer: Buyer) -> frozenset[str]:
    needs = set()
    if not buyer.key_nik:
        needs.add(NIK)
    if buyer.category not in CATEGORIES:
        needs.add(CATEGORY)
    return frozenset(needs)


def check(rows, buyer: Buyer, *, strict: bool = True) -> list[str]:
    """Ask for the buyer's NIK and category before LPG 3 kg goes on the sale."""
    found = [r for r in rows if r.lpg is not None]
    if not found:
        return []
    needs = _missing(buyer)
    if not needs:
        return [f"LPG 3 kg: {CATEGORIES[buyer.category]}, dicatat dengan NIK pembeli."]
    what = " dan ".join(x for x, n in (("NIK (KTP)", NIK), ("kategori", CATEGORY)) if n in needs)
    asked = NeedsBuyer(f"{found[0].name}: LPG 3 kg dijual dengan {what} pembeli.", needs,
                       product=found[0].name)
    if strict:
        raise asked
    return [asked.message]


def record(session: Session, rows, buyer: Buyer, day: date, *, sale_id: int, receipt_no: str,
           line_ids: dict[int, int]) -> None:
    """Write the LPG 3 kg lines with the buyer's NIK and category (inside checkout)."""
    found = [r for r in rows if r.lpg is not None]
    if not found:
        return
    check(found, buyer)  # never written without a NIK and a category
    session.execute(insert(LpgSale), [
        {"sale_id": sale_id, "sale_line_id": line_ids[id(r)], "receipt_no": receipt_no,
         "business_date": day, "nik": buyer.key_nik, "category": buyer.category,
         "kind": LpgKind(r.lpg), "qty": r.qty} for r in found])


def give_back(session: Session, sale_line_id: int, qty: int) -> int:
    """A return of ``qty`` cylinders of an LPG line, counted on the line (inside the return's
    transaction; never more than the line sold; the return's own day lists it, ``day_list``).
    The cylinders given back; 0 for another good."""
    if qty <= 0:
        return 0
    return session.execute(
        update(LpgSale).where(LpgSale.sale_line_id == sale_line_id,
                              LpgSale.returned_qty + qty <= LpgSale.qty)
        .values(returned_qty=LpgSale.returned_qty + qty)).rowcount and qty


@dataclass
class DayRow:
    """One NIK and category on one day: cylinders sold that day (refilled, new) with the
    receipts, and cylinders returned that day (of sales of any day) with the return numbers."""

    nik: str
    category: str
    refill: int = 0
    new: int = 0
    receipts: list[str] = field(default_factory=list)
    returned_refill: int = 0
    returned_new: int = 0
    returns: list[str] = field(default_factory=list)

    @property
    def qty(self) -> int:
        """Sold that day."""
        return self.refill + self.new

    @property
    def returned(self) -> int:
        return self.returned_refill + self.returned_new

    @property
    def net(self) -> int:
        """Sold less returned that day (negative on a day with only a return)."""
        return self.qty - self.returned

    @property
    def category_label(self) -> str:
        return CATEGORIES.get(self.category, self.category)

    def as_dict(self) -> dict:
        return {"nik": self.nik, "category": self.category, "refill": self.refill,
                "new": self.new, "qty": self.qty, "receipts": list(self.receipts),
                "returned_refill": self.returned_refill, "returned_new": self.returned_new,
                "returned": self.returned, "net": self.net, "returns": list(self.returns)}


def buyers(rows: list[DayRow]) -> int:
    """How many people a day's rows are: one NIK bought under two categories is one buyer."""
    return len({r.nik for r in rows})


def day_list(session: Session, day: date) -> list[DayRow]:
    """The day's LPG 3 kg per NIK and category: what was sold that day (by the sale's business
    date, whatever came back later), in the order of the first sale, then what was returned
    that day (by the return's business date, of sales of any day), in the order of the returns."""
    found: dict[tuple[str, str], DayRow] = {}
    for sale in session.execute(select(LpgSale).where(LpgSale.business_date == day)
                                .order_by(LpgSale.id)).scalars():
        row = found.setdefault((sale.nik, sale.category), DayRow(sale.nik, sale.category))
        if sale.kind is LpgKind.REFILL:
            row.refill += sale.qty
        else:
            row.new += sale.qty
        if sale.receipt_no not in row.receipts:
            row.receipts.append(sale.receipt_no)
    for nik, category, kind, return_no, qty in session.execute(
            select(LpgSale.nik, LpgSale.category, LpgSale.kind, _return.c.return_no, _return_line.c.qty)
            .join(_return_line, _return_line.c.sale_line_id == LpgSale.sale_line_id)
            .join(_return, _return.c.id == _return_line.c.return_id)
            .where(_return.c.business_date == day)
            .order_by(_return.c.id, _return_line.c.id)):
        row = found.setdefault((nik, category), DayRow(nik, category))
        if kind is LpgKind.REFILL:
            row.returned_refill += qty
        else:
            row.returned_new += qty
        if return_no not in row.returns:
            row.returns.append(return_no)
    return list(found.values())


COLUMNS = ["tanggal", "nik", "kategori", "isi_ulang", "tabung_baru", "jumlah", "struk",
           "dikembalikan", "bersih", "nota_retur"]


def export_rows(day: date, rows: list[DayRow]) -> list[dict]:
    """The list as spreadsheet rows (``COLUMNS``): the full NIK, to copy into MAP; sold that
    day, returned that day, the net and the return numbers."""
    return [{"tanggal": day.strftime("%d-%m-%Y"), "nik": r.nik, "kategori": r.category_label,
             "isi_ulang": r.refill, "tabung_baru": r.new, "jumlah": r.qty,
             "struk": " ".join(r.receipts), "dikembalikan": r.returned, "bersih": r.net,
             "nota_retur": " ".join(r.returns)} for r in rows]
