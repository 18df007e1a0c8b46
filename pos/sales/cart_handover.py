"""A cart another cashier left on a till (they went home signed in, or the shift changed): who
left it and how many lines (the till page asks), and going on with it or emptying it first
(logged as a till event; the emptied lines are logged as voided by ``voids``)."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pos.clock import utcnow
from pos.errors import PosError
from pos.money import format_rupiah as rp
from pos.sales import cart, pricing, voids
from pos.sales import cart_queries as q
from pos.sales.cart import cart_row
from pos.sales.models import CartLine
from pos.tills import service as tills
from pos.tills.models import TillEventKind


def _line_count(session: Session, cart_id: int) -> int:
    return session.scalar(select(func.count()).select_from(CartLine)
                          .where(CartLine.cart_id == cart_id)) or 0


def left_by(session: Session, till_id: int, cashier_id: int) -> tuple[int, int] | None:
    """(cashier id, lines) of a cart another cashier left on this till, if there is one. Only
    reads: a page's read session that wrote would fail on SQLite while another till writes."""
    row = q.CART_OF_TILL.first(session.connection(), {"till": till_id})
    if row is None or row.cashier_id in (None, cashier_id):
        return None
    count = _line_count(session, row.id)
    return (row.cashier_id, count) if count else None


def needs_approval_to_empty(total: int, approval_above: int | None) -> bool:
    """Whether emptying a cart of ``total`` is a void a manager approves (``POS_VOID_APPROVAL_ABOVE``):
    the page then offers only to go on with it, and F10 asks for the manager."""
    return approval_above is not None and total > approval_above


def take_over(session: Session, till_id: int, cashier_id: int, *, empty: bool,
              tax: pricing.TaxSettings, approval_above: int | None = None) -> int:
    """Go on with a cart another cashier left (or empty it first, its lines logged as voided:
    ``voids``, priced with ``tax``; refused above ``approval_above``, a void a manager approves:
    go on with it and empty it with F10); returns its former owner."""
    cart_id, _, owner = cart_row(session, till_id)
    lines = _line_count(session, cart_id)
    if empty and needs_approval_to_empty(total := cart.view(session, till_id, tax).totals.total,
                                         approval_above):
        raise PosError(f"Keranjang ini {rp(total)}: mengosongkannya perlu persetujuan manajer. Pilih "
                       "Lanjutkan, lalu kosongkan dengan F10.", 409)
    if empty:
        voids.clear(session, till_id, cashier_id, voids.TAKEN_OVER, tax)
    q.ADOPT.run(session.connection(), {"cart": cart_id, "cashier": cashier_id, "now": utcnow()})
    kind = TillEventKind.EMPTY_CART if empty else TillEventKind.CONTINUE_CART
    tills.log(session, till_id, cashier_id, kind, f"{lines} baris dari staf #{owner}")
    return owner
