"""Drug classes at the till: what a cart's pharmacy lines need before they may be sold.

Pure: ``check`` takes the cart's regulated rows (``sales.cart_queries.LINES``: ``name``,
``qty``, product ``id``, ``drug_class``, ``max_per_sale``, ``rx_number``, ``pharmacist_id``,
``rx_qty``)
and raises or returns notes.

* narkotika and psikotropika are never sold by the gerai (refused at the scan and the checkout);
* a product with ``max_per_sale`` (obat bebas terbatas) may be in one sale that many times;
* obat keras needs a prescription and an apoteker's approval on its line: at the till the
  scan asks for both (``NeedsPrescription``, the prescription dialog of ``sales.rx_views``);
  at the checkout a line without them is refused. The approval covers the line's quantity
  then (``rx_qty``): a line grown past it asks again.
"""
from __future__ import annotations

from pos.approvals.service import NeedsApproval
from pos.errors import PosError
from pos.inventory.catalog.models import DrugClass
from pos.units import BaseUnit, format_number

NEVER_SOLD = {DrugClass.NARKOTIKA: "Narkotika", DrugClass.PSIKOTROPIKA: "Psikotropika"}


class DrugRefused(PosError):
    """A pharmacy line that may not be sold (a narcotic, more than allowed, no prescription)."""


class NeedsPrescription(NeedsApproval):
    """An obat keras scanned at the till: the dialog asks for the prescription (doctor, date,
    number) and an apoteker's approval, then scans the same code again with them."""

    def __init__(self, name: str, product_id: int, approved: int | None = None, asked: str = ""):
        super().__init__("prescription", f"Resep obat keras: {name}", "tanpa resep",
                         "dengan resep", right="dispense")
        now = f" (diminta {asked})" if asked else ""   # the line keeps its quantity meanwhile
        self.message = f"{name} obat keras: perlu resep dokter dan persetujuan apoteker." \
            if approved is None else (f"{name} obat keras: apoteker menyetujui "
                                      f"{format_number(approved)}; jumlah lebih{now} perlu "
                                      "persetujuan apoteker lagi.")
        # ``asked``: the quantity the apoteker's PIN is to cover, in words ("2 pcs")
        self.name, self.product_id, self.approved, self.asked = name, product_id, approved, asked


def _amount(row) -> str:
    """The line's quantity as the till shows it: 2 pcs, 0,5 kg."""
    return BaseUnit(getattr(row.base_unit, "value", row.base_unit)).with_unit(row.qty)


def _class(row) -> DrugClass | None:
    value = row.drug_class
    return None if value is None else DrugClass(getattr(value, "value", value))


def never_sold(name: str, drug_class: DrugClass) -> str:
    """The refusal of a narcotic or psychotropic, whatever the cart holds."""
    return f"{NEVER_SOLD[drug_class]} tidak dijual di gerai ini: {name}."


def check(rows, *, strict: bool = True, at_checkout: bool = False) -> list[str]:
    """Refuse pharmacy lines that may not be sold; the notes the cart shows.

    ``strict=False`` (a page read) never raises: each problem becomes a note.
    """
    notes: list[str] = []
    totals: dict[int, int] = {}
    for row in rows:
        if _class(row) is not None:
            totals[row.id] = totals.get(row.id, 0) + row.qty
    seen: set[int] = set()
    for row in rows:
        drug = _class(row)
        if drug is None:
            continue
        problem: PosError | None = None
        if drug in NEVER_SOLD:
            problem = DrugRefused(never_sold(row.name, drug))
        elif row.max_per_sale is not None and totals[row.id] > row.max_per_sale \
                and row.id not in seen:
            seen.add(row.id)
            # a change is refused before it is made: the quantity it asked, not the cart's
            held = "di keranjang" if not strict else "diminta"
            problem = DrugRefused(f"{row.name}: paling banyak {format_number(row.max_per_sale)} "
                                  f"per transaksi ({held} {format_number(totals[row.id])}).")
        elif drug is DrugClass.KERAS and (row.rx_number is None or row.pharmacist_id is None):
            problem = DrugRefused(f"{row.name} obat keras: perlu resep dokter dan persetujuan "
                                  "apoteker. Pindai barangnya lagi untuk mengisi resepnya.") if at_checkout \
                else NeedsPrescription(row.name, row.id, asked=_amount(row))
        elif drug is DrugClass.KERAS and row.rx_qty is not None and row.qty > row.rx_qty:
            asked = NeedsPrescription(row.name, row.id, approved=row.rx_qty, asked=_amount(row))
            problem = DrugRefused(asked.message + " Kurangi jumlahnya, atau pindai barangnya lagi "
                                  "agar apoteker menyetujui jumlah barunya.") if at_checkout else asked
        if problem is None:
            continue
        if strict:
            raise problem
        notes.append(problem.message)
    return notes
