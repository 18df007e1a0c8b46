"""Regulated goods at the till: what a cart's lines need before they may be sold.

Checked on every change of the cart (``check``, through ``cart.view(..., today=...)``) and
again inside the checkout transaction (``checked``: the same check, keeping the farmer it
read), where ``record`` also takes the buyer's allowance race-safely (a conditional UPDATE per
limit and allocation: two tills selling to one buyer at the same moment cannot together pass
it) and writes who bought and the prescriptions.

The rules live in their own packages and take plain values:

* ``pos.pharmacy.rules``: drug classes (narcotics never, *bebas terbatas* at most
  ``max_per_sale``, *obat keras* only with a prescription and a pharmacist's approval);
* ``pos.limits.service``: per-buyer limits per day or week (SPHP rice);
* ``pos.fertilizer.quota``: subsidised fertiliser to farmers on the e-RDKK list, within
  their season's allocation;
* ``pos.lpg.service``: LPG 3 kg with the buyer's NIK and category;
* ceiling prices (HET) are not here: ``pricing.decide`` never goes above the ceiling that
  ``cart_queries.LINES`` reads for the day.

A line is regulated when its row (``cart_queries.LINES``) has ``drug_class``, ``subsidy``,
``lpg`` or ``limit_rule_id``; most carts have none and cost nothing here.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from pos.fertilizer import quota
from pos.fertilizer.farmers import NotListed, Standing
from pos.limits import service as limits
from pos.lpg import service as lpg
from pos.members.buyers import CATEGORY, FARMER, Buyer, NeedsBuyer
from pos.pharmacy import rules as pharmacy
from pos.sales.cart_pricing import Terms
from pos.sales.models import CartLine, SaleBuyer, SaleLine, SaleLineRx, SaleQuota

# What the rules refuse outright (not what they ask: ``NeedsBuyer``, ``NeedsPrescription``): a
# farmer's quota or listing, a buyer's limit, a drug.  Bayar (F9) and Selesai answer these with
# the cart drawn again, so its buyer row says what the refusal says (another till may have
# taken the quota or the limit since the cart was drawn).
REFUSED = (quota.QuotaError, NotListed, limits.LimitExceeded, pharmacy.DrugRefused)


def regulated(rows) -> list:
    """The rows that any rule here looks at."""
    return [r for r in rows if r.drug_class is not None or r.subsidy is not None
            or r.lpg is not None or r.limit_rule_id is not None]


def asks(rows) -> frozenset[str]:
    """What the rows' goods ask of the buyer's dialog besides a NIK or member: the farmer for
    subsidised fertiliser, the category for LPG 3 kg (Alt+B opens the dialog they need)."""
    found = regulated(rows)
    return frozenset({*([FARMER] if any(r.subsidy is not None for r in found) else []),
                      *([CATEGORY] if any(r.lpg is not None for r in found) else [])})


@dataclass(frozen=True)
class Checked:
    """What ``checked`` found: the notes, and the farmer's standing it read for subsidised
    fertiliser (None without), which ``record`` hands to ``quota.redeem`` in the same
    transaction rather than reading the season, the farmer and the allocations again."""

    notes: list[str]
    farmer: Standing | None = None


def check(session: Session, rows, terms: Terms, today: date, *, strict: bool = True,
          at_checkout: bool = False) -> list[str]:
    """Refuse (raise) what may not be sold to this buyer; else the notes the cart shows
    ("Beras SPHP: boleh 1 pak lagi hari ini").  ``strict=False`` (a page read) never raises:
    a problem becomes a note, and the next change or the checkout refuses it."""
    return checked(session, rows, terms, today, strict=strict, at_checkout=at_checkout).notes


def checked(session: Session, rows, terms: Terms, today: date, *, strict: bool = True,
            at_checkout: bool = False) -> Checked:
    """``check``, keeping what it read for ``record`` (checkout calls this one, ``at_checkout``:
    in its write transaction, where the farmer's e-RDKK listing is share-locked as it is read,
    ``quota.checked(hold=True)``)."""
    found = regulated(rows)
    if not found:
        return Checked([])
    buyer = terms.buyer or Buyer()
    notes: list[str] = []
    try:
        notes += pharmacy.check(found, strict=strict, at_checkout=at_checkout)
    except pharmacy.NeedsPrescription:
        if terms.buyer is not None:   # a known buyer's limit refuses at the scan, before the PIN
            _limits_first(session, found, buyer, today)
        raise
    try:
        notes += limits.check(session, found, buyer, today, strict=strict)
    except NeedsBuyer as asked:   # one dialog for everything the cart asks of the buyer
        raise _and_lpg(asked, found, buyer) from None
    fertiliser, farmer = quota.checked(session, found, buyer, today, strict=strict,
                                       hold=at_checkout)
    notes += fertiliser
    notes += lpg.check(found, buyer, strict=strict)
    return Checked(notes, farmer)


def _limits_first(session: Session, found, buyer: Buyer, today: date) -> None:
    """Before the prescription dialog asks the apoteker: ``limits.LimitExceeded`` when the
    cart's buyer would pass a limit (what the apoteker's PIN only led to); a limit that still
    needs more of the buyer asks after the prescription, as before."""
    try:
        limits.check(session, found, buyer, today, strict=True)
    except NeedsBuyer:
        pass


def _and_lpg(asked: NeedsBuyer, found, buyer) -> NeedsBuyer:
    """A limit's question with what LPG 3 kg asks too: the NIK and the category at once (two
    dialogs in a row took the category keys 1-4 as the NIK's digits)."""
    try:
        lpg.check(found, buyer, strict=True)
    except NeedsBuyer as more:
        return NeedsBuyer(asked.message, asked.needs | more.needs, asked.product)
    return asked


def record(session: Session, *, sale_id: int, receipt_no: str, business_date: date, rows,
           terms: Terms, cart_id: int, cashier_id: int, checked: Checked | None = None) -> None:
    """Inside the checkout transaction, after the sale lines: take the buyer's allowances
    (refused past them: the sale rolls back), and write the buyer, the farmer's quota left
    after the sale and the prescriptions (a fertiliser sale's buyer named as the e-RDKK list
    names the farmer; its LPG category and a farmer's proxy only with LPG or fertiliser on the
    sale).  ``checked`` is what ``checked(...)`` returned for
    these rows and terms earlier in this transaction (its farmer: no second read)."""
    found = regulated(rows)
    if not found:
        return
    buyer = terms.buyer or Buyer()
    lines = dict(session.execute(select(SaleLine.line_no, SaleLine.id)
                                 .where(SaleLine.sale_id == sale_id)).all())
    # line_no of each cart row is its position in ``rows`` (checkout numbers them so)
    by_row = {id(r): lines[n] for n, r in enumerate(rows, start=1)}
    limits.take(session, found, buyer, business_date, sale_id=sale_id, receipt_no=receipt_no,
                line_ids=by_row)
    left = quota.redeem(session, found, buyer, business_date, sale_id=sale_id,
                        receipt_no=receipt_no, line_ids=by_row, cashier_id=cashier_id,
                        standing=checked.farmer if checked else None)
    if left is not None:  # what the farmer has left after this sale, for its receipt
        session.execute(insert(SaleQuota), [
            {"sale_id": sale_id, "fertilizer": q.fertilizer, "season": left.season.name,
             "remaining_grams": q.remaining} for q in left.quotas])
    lpg.record(session, found, buyer, business_date, sale_id=sale_id, receipt_no=receipt_no,
               line_ids=by_row)
    # the LPG category only with LPG on the sale, a farmer's proxy only with fertiliser (a line
    # voided took them off the sale, not off the cart's buyer: "Kategori LPG" with no LPG)
    category = buyer.category if any(r.lpg is not None for r in found) else None
    proxy = (buyer.proxy_name, buyer.proxy_nik, buyer.proxy_relation) \
        if any(r.subsidy is not None for r in found) else (None, None, None)
    if terms.buyer is not None and (buyer.nik or category or proxy[0]
                                    or any(r.subsidy or r.lpg or r.limit_rule_id for r in found)):
        # subsidised fertiliser: the farmer as the e-RDKK record the sale redeemed against names
        # them (the receipt's "Petani:"), never the dialog's optional name (none, or a proxy's)
        name = left.farmer.name if left is not None else buyer.name
        session.execute(insert(SaleBuyer).values(
            sale_id=sale_id, nik=buyer.key_nik, member_id=buyer.member_id, name=name,
            category=category, proxy_name=proxy[0], proxy_nik=proxy[1], proxy_relation=proxy[2]))
    _record_prescriptions(session, found, by_row)


def _record_prescriptions(session: Session, rows, line_ids: dict[int, int]) -> None:
    keras = [r for r in rows if r.pharmacist_id is not None]
    if not keras:
        return
    rx = {row.id: row for row in session.execute(
        select(CartLine.id, CartLine.rx_doctor, CartLine.rx_date, CartLine.rx_number,
               CartLine.pharmacist_id).where(CartLine.id.in_([r.line_id for r in keras])))}
    session.execute(insert(SaleLineRx), [
        {"sale_line_id": line_ids[id(r)], "doctor": rx[r.line_id].rx_doctor,
         "rx_date": rx[r.line_id].rx_date, "rx_number": rx[r.line_id].rx_number,
         "pharmacist_id": rx[r.line_id].pharmacist_id} for r in keras])
