"""A sale line's goods net of PPN, the one rule the receipt's DPP, the day report's tax base
and margins, the sales reports' margin and the ledger's revenue share.

A PKP outlet's prices hold the PPN (``POS_TAX_INCLUSIVE=true``: a line's ``amount`` has its
``tax`` inside it) or have it added on top of them (``Sale.tax_added``: the line's ``amount`` is
already without it, and the customer pays ``amount + tax``).  ``net_of_ppn`` is the goods'
worth without PPN either way, ``with_ppn`` its worth as paid; ``tax_inside`` the PPN to take
out of ``amount`` to get the first.  A sale that is not PKP has no tax, so every rule gives its
amount.  The SQL form, ``TAX_INSIDE``,
reads a sale line joined to its sale (the amount net of PPN is ``amount - TAX_INSIDE``).
"""
from __future__ import annotations

from sqlalchemy import case

from pos.money import tax_included
from pos.sales.models import Sale, SaleLine


def tax_inside(tax: int, tax_added: bool) -> int:
    """The PPN inside a line's amount: its tax, or none when the tax was added on top of it."""
    return 0 if tax_added else tax


def net_of_ppn(amount: int, tax: int, tax_added: bool) -> int:
    """What a line's (or lines') ``amount`` is worth without the PPN ``tax``."""
    return amount - tax_inside(tax, tax_added)


def with_ppn(amount: int, tax: int, tax_added: bool) -> int:
    """What a line's (or lines') ``amount`` is worth as paid, its PPN ``tax`` with it."""
    return net_of_ppn(amount, tax, tax_added) + tax


def discount_ppn(amount: int, discount: int, tax: int, rate_bp: int, tax_added: bool) -> int:
    """The PPN share of a line's ``discount``: the PPN its list price (``amount + discount``)
    would hold, rounded once as the line's own (``money.tax_included``), less the line's
    ``tax``; none when the PPN was added on top (the discount is off a price without it) or the
    line holds none (not PKP, bebas).  The discount net of PPN is ``discount - discount_ppn``,
    and the list price net of PPN less it is the line net of PPN to the Rupiah."""
    if tax_added or not discount or not rate_bp:
        return 0
    return tax_included(amount + discount, rate_bp) - tax


# SaleLine joined to its Sale: the PPN inside the line's amount.
TAX_INSIDE = case((Sale.tax_added, 0), else_=SaleLine.tax)
