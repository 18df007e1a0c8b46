"""A catalogue file's selling price under the cost: a warning the clerk confirms, as the product
form asks (``maintenance.price_problem``).

The product form refuses such a price until the manager ticks that it is meant; a file is
checked the same way, row by row, with the form's words (``maintenance.below_cost``: with the
outlet's tax settings, the cost with the PPN an inclusive price carries).  A file with such rows
is refused, the rows listed in row order with the other problems and ``HINT`` under them, until
it is uploaded again with ``CONFIRM`` ticked (``pos inventory import --below-cost-ok``); the
import's summary then lists them.  As on the form, a row is asked only when it sets the price,
the cost or the tax class: a product already under its cost, left so, is not asked again at every
import of the same file.
"""
from __future__ import annotations

from typing import Any

from pos.inventory.catalog.maintenance import below_cost
from pos.inventory.catalog.models import TaxClass
from pos.inventory.catalog.spreadsheets import Hint, in_row_order
from pos.inventory.catalog.tax import TaxSettings

CONFIRM = "below_cost_ok"   # the upload's tick box, named as the product form's
LABEL = "Harga jual di bawah harga pokok memang disengaja"
HINT = Hint("Harga jual di bawah harga pokok biasanya salah ketik. Bila memang disengaja, unggah lagi "
            f"dengan centang “{LABEL}” (perintah: pos inventory import --below-cost-ok).")
PRICING = ("price", "cost", "tax_class")


def warning(values: dict[str, Any], old, tax: TaxSettings | None) -> str | None:
    """The row's price under its cost in the form's words, or None.  ``values``: the row's typed
    cells; ``old``: the stored product (its price, cost and tax class), None for a new one."""
    if old is None:
        if "price" not in values:
            return None   # refused already: a new product needs its price
        return below_cost(values["price"], values.get("cost") or 0, tax,
                          values.get("tax_class") or TaxClass.PPN)
    stored = {field: getattr(old, field) for field in PRICING}
    if all(field not in values or values[field] == stored[field] for field in PRICING):
        return None
    merged = {**stored, **{field: values[field] for field in PRICING if field in values}}
    return below_cost(merged["price"], merged["cost"], tax, merged["tax_class"])


def said(errors: list[str], warnings: list[str], confirmed: bool) -> list[str]:
    """What refuses the file: its problems, and its prices under cost unless confirmed, in row
    order, the hint last."""
    return errors if confirmed or not warnings else [*in_row_order([*errors, *warnings]), HINT]
