"""Prescriptions on cart lines: an obat keras line carries its prescription and the apoteker
who approved it (``pos.pharmacy``), from the dialog's scan to the sale (``regulation``).

The dialog scans the code again (``scanning``: a new line, or the product's line already in
the cart), then ``attach`` puts the prescription on that line for its quantity then
(``rx_qty``); scanning the same product later merges into that line, and the quantity grown
past the approved one asks for the dialog again (``pharmacy.rules``).
"""
from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pos.auth.models import User
from pos.inventory.catalog.models import DrugClass, Product
from pos.pharmacy import rules
from pos.pharmacy.prescriptions import Prescription, PrescriptionError, label
from pos.sales.models import CartLine


def product_of(session: Session, line_id: int) -> tuple[str, DrugClass | None, int]:
    """(name, drug class, quantity) of a cart line's product."""
    name, drug, qty = session.execute(select(Product.name, Product.drug_class, CartLine.qty).join(
        CartLine, CartLine.product_id == Product.id).where(CartLine.id == line_id)).one()
    return name, drug, qty


def attach(session: Session, line_id: int, rx: Prescription) -> None:
    """Put ``rx`` (approved: ``pharmacist_id`` set) on the line for its quantity now: the
    dialog asks only for a line without one, or one grown past what was approved."""
    name, drug, qty = product_of(session, line_id)
    if drug in rules.NEVER_SOLD:
        raise rules.DrugRefused(rules.never_sold(name, drug))
    if drug is not DrugClass.KERAS:
        raise PrescriptionError(f"{name} bukan obat keras: tidak perlu resep.")
    session.execute(update(CartLine).where(CartLine.id == line_id)
                    .values(**rx.columns(), rx_qty=qty))


def prescription_on(session: Session, cart_id: int, product_id: int) -> dict[str, str]:
    """The prescription already on the cart's line of ``product_id`` as the dialog's fields
    (``rx_doctor``, ``rx_date`` as dd-mm-yyyy, ``rx_number``); empty when it has none. A line
    grown past its approval asks again for the same prescription."""
    found = session.execute(
        select(CartLine.rx_doctor, CartLine.rx_date, CartLine.rx_number)
        .where(CartLine.cart_id == cart_id, CartLine.product_id == product_id,
               CartLine.rx_number.is_not(None)).order_by(CartLine.id).limit(1)).first()
    if found is None:
        return {}
    return {"rx_doctor": found.rx_doctor or "", "rx_number": found.rx_number,
            "rx_date": f"{found.rx_date:%d-%m-%Y}" if found.rx_date else ""}


def labels(session: Session, rows) -> dict[int, str]:
    """line id -> "Resep No. … · dr. … · disetujui apoteker …" for the cart's rows that have one."""
    ids = [r.line_id for r in rows if getattr(r, "pharmacist_id", None) is not None]
    if not ids:
        return {}
    found = session.execute(
        select(CartLine.id, CartLine.rx_number, CartLine.rx_doctor, User.full_name)
        .outerjoin(User, User.id == CartLine.pharmacist_id).where(CartLine.id.in_(ids)))
    return {row.id: label(row.rx_number or "-", row.rx_doctor, row.full_name) for row in found}
