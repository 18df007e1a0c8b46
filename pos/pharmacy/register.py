"""The apoteker's register: obat keras sold, with the prescription, the apoteker who approved
it and the receipt, by business date.  It reads the sales through plain table descriptions,
never ``pos.sales`` (which sits above the pharmacy).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Date, DateTime, column, select, table
from sqlalchemy.orm import Session, aliased

from pos.auth.models import User
from pos.pharmacy.prescriptions import doctor_named
from pos.units import BaseUnit

_sale = table("sale", column("id"), column("receipt_no"), column("business_date", Date),
              column("created_at", DateTime), column("cashier_id"), column("status"))
_line = table("sale_line", column("id"), column("sale_id"), column("line_no"), column("sku"),
              column("name"), column("qty"), column("base_unit"), column("amount"),
              column("returned_qty"))
_rx = table("sale_line_rx", column("sale_line_id"), column("doctor"), column("rx_date", Date),
            column("rx_number"), column("pharmacist_id"))
COLUMNS = ["tanggal", "no_struk", "sku", "obat", "jumlah", "nilai", "dokter", "tanggal_resep",
           "no_resep", "apoteker", "sipa", "kasir", "dikembalikan"]


@dataclass(frozen=True)
class Dispensed:
    """One obat keras line sold."""

    business_date: date
    receipt_no: str
    sku: str
    name: str
    qty: int
    base_unit: str
    amount: int
    doctor: str
    rx_date: date
    rx_number: str
    pharmacist: str
    licence_no: str | None
    cashier: str
    status: str
    returned: int = 0  # of ``qty``, given back since (a return); the line stays as sold

    @property
    def quantity(self) -> str:
        return BaseUnit(self.base_unit).format(self.qty)

    @property
    def returned_text(self) -> str:
        return BaseUnit(self.base_unit).format(self.returned) if self.returned else ""

    def as_row(self) -> dict:
        """The CSV row (columns ``COLUMNS``)."""
        return {"tanggal": f"{self.business_date:%d-%m-%Y}", "no_struk": self.receipt_no,
                "sku": self.sku, "obat": self.name, "jumlah": self.quantity, "nilai": self.amount,
                "dokter": doctor_named(self.doctor), "tanggal_resep": f"{self.rx_date:%d-%m-%Y}",
                "no_resep": self.rx_number, "apoteker": self.pharmacist,
                "sipa": self.licence_no or "", "kasir": self.cashier,
                "dikembalikan": self.returned_text or "0"}


def dispensed(session: Session, first: date, last: date, limit: int = 5000) -> list[Dispensed]:
    """Obat keras sold from ``first`` to ``last`` (business dates, both included), oldest first."""
    pharmacist, cashier = aliased(User), aliased(User)
    rows = session.execute(
        select(_sale.c.business_date, _sale.c.receipt_no, _line.c.sku, _line.c.name, _line.c.qty,
               _line.c.base_unit, _line.c.amount, _rx.c.doctor, _rx.c.rx_date, _rx.c.rx_number,
               pharmacist.full_name, pharmacist.licence_no, cashier.full_name, _sale.c.status,
               _line.c.returned_qty)
        .select_from(_rx.join(_line, _line.c.id == _rx.c.sale_line_id)
                     .join(_sale, _sale.c.id == _line.c.sale_id))
        .join(pharmacist, pharmacist.id == _rx.c.pharmacist_id)
        .join(cashier, cashier.id == _sale.c.cashier_id)
        .where(_sale.c.business_date >= first, _sale.c.business_date <= last)
        .order_by(_sale.c.business_date, _sale.c.created_at, _line.c.line_no).limit(limit)).all()
    return [Dispensed(*row) for row in rows]
