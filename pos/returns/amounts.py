"""Pure arithmetic of a return: each line's refund pro rata, the refund split over tenders,
and its cash part in whole coins; and the bank reference each QRIS or transfer part carries.

A line's part is computed cumulatively (what units ``before .. before + qty`` of the line are
worth, rounded half up once at each end), so partial returns add up to exactly the line's
amount and tax once every unit is back: the last units take the remainder.  A sale priced
before tax (``Sale.tax_added``) is refunded each unit's share of the amount and its share of
the PPN added to it: never more than was paid for the units, all of it once all are back.

Cash is paid back in whole coins as a sale's cash is taken (``POS_CASH_ROUNDING``, to the
nearest coin, halves up); the return keeps the difference as its ``rounding``. The return
that takes a sale's last units back refunds what is left of what the customer paid (``left``),
so a sale returned in full, at once or in parts, gives back exactly what it took, its own
cash rounding included.
"""
from __future__ import annotations

from collections.abc import Mapping

from pos.errors import PosError
from pos.money import round_cash, round_half_up
from pos.payments.reference import check_reference
from pos.sales.models import PaymentMethod

# Original tenders are refunded kasbon first (it lowers what the member owes), then the bank
# (transfer/debit, QRIS), then cash; whatever they cannot take goes back in cash.
ORDER = (PaymentMethod.MEMBER_CREDIT, PaymentMethod.TRANSFER, PaymentMethod.QRIS,
         PaymentMethod.CASH)


def share(total: int, qty: int, before: int, taken: int) -> int:
    """The part of ``total`` (a line's amount or tax, for ``qty`` units) that units
    ``before + 1 .. before + taken`` carry."""
    return round_half_up(total * (before + taken), qty) - round_half_up(total * before, qty)


def refund_share(line, before: int, taken: int, tax_added: bool) -> int:
    """What units ``before + 1 .. before + taken`` of a sale line refund: their share of its
    amount, and of its PPN when that was added on top of it (``Sale.tax_added``)."""
    part = share(line.amount, line.qty, before, taken)
    return part + share(line.tax, line.qty, before, taken) if tax_added else part


def split(total: int, paid: dict[PaymentMethod, int], refunded: dict[PaymentMethod, int], *,
          cash_only: bool) -> list[tuple[PaymentMethod, int]]:
    """(method, amount) pairs giving ``total`` back: in cash, or in the sale's own tenders
    (each at most what it paid less what earlier returns gave back through it). Kasbon is
    always given back to kasbon first, in cash too: the member's debt for the goods goes with
    them, never paid out in money while the debt stays."""
    if total <= 0:
        return []
    out: dict[PaymentMethod, int] = {}
    left = total
    for method in (ORDER[:1] if cash_only else ORDER):
        room = paid.get(method, 0) - refunded.get(method, 0)
        take = min(left, max(room, 0))
        if take > 0:
            out[method] = take
            left -= take
    if left:
        out[PaymentMethod.CASH] = out.get(PaymentMethod.CASH, 0) + left
    return [(m, out[m]) for m in ORDER if out.get(m)]


def left_to_refund(sale_total: int, refunded: dict[PaymentMethod, int]) -> int:
    """What the customer paid (``sale_total``: lines + the sale's rounding) less every refund
    made so far: the refund of the return that takes the sale's last units back."""
    return max(sale_total - sum(refunded.values()), 0)


def in_coins(refunds: list[tuple[PaymentMethod, int]], coin: int,
             most: int | None = None) -> list[tuple[PaymentMethod, int]]:
    """``refunds`` with the cash part to the nearest ``coin`` (halves up; 0 or 1: as it is), or
    down to it where the nearest would pay back more than ``most`` (what is left of what the
    customer paid: a Rp6.460 QRIS sale refunded in cash gives Rp6.400, never Rp6.500); a cash
    part that rounds to nothing is dropped. Non-cash refunds are never rounded."""
    out = [(m, round_cash(a, coin) if m is PaymentMethod.CASH else a) for m, a in refunds]
    if most is not None and sum(a for _, a in out) > most:
        out = [(m, round_cash(a, coin, round_down=True) if m is PaymentMethod.CASH else a)
               for m, a in refunds]
    return [(m, a) for m, a in out if a > 0]


# Refunds through the bank carry its reference; cash and kasbon have none.
BANKED = (PaymentMethod.QRIS, PaymentMethod.TRANSFER)


def bank_references(refunds, reference: str | None, own: Mapping[PaymentMethod, str | None],
                    refuse: type[PosError] = PosError) -> dict[PaymentMethod, str]:
    """The bank reference of each QRIS or transfer refund (its ``own``, else ``reference``), by
    the till's rule (3 to 64 characters, refused, never cut); one missing is ``refuse``d, naming
    its method."""
    found = {}
    for method in dict.fromkeys(m for m, _ in refunds if m in BANKED):
        typed_in = (own.get(method) or reference or "").strip()
        if not typed_in:
            raise refuse(f"Pengembalian lewat {method.label}: isi referensi bank.", 422)
        found[method] = check_reference(typed_in, refuse)
    return found
