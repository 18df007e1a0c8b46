"""What a scan changed on the cart the till already shows: one row, added or updated (or,
after a removal, one row gone: ``removed_only``).

A scan answers with the whole cart only when it must; in a cart of 60 lines, drawing and
swapping every row is most of the cashier's wait.  The till sends with each scan what it
shows (``shown``: its line count and last line id, ``"3:57"``), and the answer carries only
the scanned row, inserted after the last one or replacing its own, when that is all that
changed on the lines: the line went on the cart the till shows (same count, same last line)
and no sale discount spreads the scan's amount over the other lines.  Everything else (a
member card, a first line, a till out of step, a sale discount) gets the whole cart.
"""
from __future__ import annotations

from dataclasses import dataclass

from pos.sales.cart import CartRow, CartView
from pos.text import is_digits


@dataclass(frozen=True)
class Delta:
    row: CartRow
    new: bool  # a line after the last one shown; else the shown line ``row.line_id`` changed


def shown_of(view: CartView) -> str:
    """What the till shows of ``view``, as it sends it back with the next scan."""
    return f"{len(view.rows)}:{view.rows[-1].line_id if view.rows else ''}"


def delta(view: CartView, line_id: int | None, shown: str | None) -> Delta | None:
    """The one row to draw after a scan onto ``line_id``, or None for the whole cart."""
    count, last = _parse(shown)
    rows = view.rows
    if line_id is None or count is None or not count or not rows or view.ask_member:
        return None
    if view.terms.discount_bp or view.terms.discount_amount:
        return None  # the sale discount is spread over every line: each amount moves
    row = rows[-1]
    if row.line_id == line_id and line_id != last:  # a new line, after the ones shown
        if len(rows) == count + 1 and rows[-2].line_id == last:
            return Delta(row, True)
        return None
    if len(rows) != count or row.line_id != last:
        return None
    found = next((r for r in reversed(rows) if r.line_id == line_id), None)
    return None if found is None else Delta(found, False)


def removed_only(view: CartView, line_id: int, shown: str | None) -> bool:
    """After ``line_id`` was removed: did the till show the cart as it was, so that taking its
    row away is all it must do? Not for the last line (the empty cart is drawn), a sale
    discount (spread over every line) or a cart asking about the member."""
    count, last = _parse(shown)
    rows = view.rows
    if count is None or count != len(rows) + 1 or not rows or view.ask_member:
        return False
    if view.terms.discount_bp or view.terms.discount_amount:
        return False
    return line_id == last or rows[-1].line_id == last


def _parse(shown: str | None) -> tuple[int | None, int | None]:
    count, _, last = (shown or "").partition(":")
    if not is_digits(count, 6) or (last and not is_digits(last, 18)):
        return None, None
    return int(count), int(last) if last else None
