"""LPG 3 kg at the till and the pangkalan's daily list.

Since 2024 every subsidised 3 kg cylinder is sold against the buyer's NIK and category
(Kepmen ESDM 37.K/MG.01/MEM.M/2023), entered in Pertamina's merchant app (MAP).  The till
asks for both (``check`` raises ``NeedsBuyer``), checkout writes one ``LpgSale`` per line
(``record``), and ``day_list`` gives the list to copy into the app: per NIK and category, the
refills (an empty cylinder handed in) and new cylinders, with the receipts.  A return takes
its cylinders off the sale's day (``give_back``): the list shows what the buyers kept.  A
per-NIK limit, should the rules tighten, is an ordinary limit rule (``pos.limits``, buyer
kind ``nik``) with the LPG products under it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from pos.inventory.catalog.models import LpgKind
from pos.lpg.models import LpgSale
from pos.members.buyers import CATEGORIES, CATEGORY, NIK, Buyer, NeedsBuyer


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
    """A return of ``qty`` cylinders of an LPG line: off its buyer's list (inside the return's
    transaction; never more than the line sold).  The cylinders taken off; 0 for another good."""
    if qty <= 0:
        return 0
    return session.execute(
        update(LpgSale).where(LpgSale.sale_line_id == sale_line_id,
                              LpgSale.returned_qty + qty <= LpgSale.qty)
        .values(returned_qty=LpgSale.returned_qty + qty)).rowcount and qty


@dataclass
class DayRow:
    """One NIK and category on one day: cylinders refilled, new, and the receipts."""

    nik: str
    category: str
    refill: int = 0
    new: int = 0
    receipts: list[str] = field(default_factory=list)

    @property
    def qty(self) -> int:
        return self.refill + self.new

    @property
    def category_label(self) -> str:
        return CATEGORIES.get(self.category, self.category)

    def as_dict(self) -> dict:
        return {"nik": self.nik, "category": self.category, "refill": self.refill,
                "new": self.new, "qty": self.qty, "receipts": list(self.receipts)}


def buyers(rows: list[DayRow]) -> int:
    """How many people a day's rows are: one NIK bought under two categories is one buyer."""
    return len({r.nik for r in rows})


def day_list(session: Session, day: date) -> list[DayRow]:
    """The day's LPG 3 kg sales per NIK and category, in the order of the first sale, less
    what was returned (a line returned whole is not listed)."""
    found: dict[tuple[str, str], DayRow] = {}
    for sale in session.execute(select(LpgSale).where(LpgSale.business_date == day,
                                                      LpgSale.returned_qty < LpgSale.qty)
                                .order_by(LpgSale.id)).scalars():
        row = found.setdefault((sale.nik, sale.category), DayRow(sale.nik, sale.category))
        kept = sale.qty - sale.returned_qty
        if sale.kind is LpgKind.REFILL:
            row.refill += kept
        else:
            row.new += kept
        if sale.receipt_no not in row.receipts:
            row.receipts.append(sale.receipt_no)
    return list(found.values())


COLUMNS = ["tanggal", "nik", "kategori", "isi_ulang", "tabung_baru", "jumlah", "struk"]


def export_rows(day: date, rows: list[DayRow]) -> list[dict]:
    """The list as spreadsheet rows (``COLUMNS``): the full NIK, to copy into MAP."""
    return [{"tanggal": day.strftime("%d-%m-%Y"), "nik": r.nik, "kategori": r.category_label,
             "isi_ulang": r.refill, "tabung_baru": r.new, "jumlah": r.qty,
             "struk": " ".join(r.receipts)} for r in rows]
