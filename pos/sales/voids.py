"""Voids before payment: a line taken off the cart, or the whole cart emptied, logged with who
and why (the till asks the reason: "Salah pindai", "Pembeli batal", "Harga tidak sesuai" or
typed text).

The log is the ``cart_void`` table of ``pos.returns``, written here through a plain table
description because ``pos.returns`` sits above ``pos.sales``.  Each removed line is one row
with its amount as the cart priced it at that moment; emptying the cart writes one row per
line, marked ``whole_cart``.  A request that sends no reason (an older page) is logged as
``Tanpa alasan``.

A line whose amount, or a cart whose total, is above ``approval_above`` (``POS_VOID_APPROVAL_ABOVE``;
None: never) needs a manager: ``authorize(kind="void")`` asks for the dialog before anything
is removed (a manager at the till approves alone), and logs the approval under Persetujuan.
"""
from __future__ import annotations

from dataclasses import replace

from sqlalchemy import column, table
from sqlalchemy.orm import Session

from pos.approvals.service import Actor, authorize
from pos.clock import utcnow
from pos.errors import typed
from pos.money import format_rupiah as rp
from pos.sales import buyers, cart, dropped, pricing
from pos.text import clean

CANCELLED = "Pembeli batal"
REASONS = ("Salah pindai", CANCELLED, "Harga tidak sesuai")
NO_REASON = "Tanpa alasan"
TAKEN_OVER = "Keranjang kasir lain dikosongkan"

_void = table("cart_void", *(column(name) for name in (
    "till_id", "cashier_id", "cart_id", "product_id", "name", "qty", "amount", "whole_cart",
    "reason", "created_at")))


def reason_of(form) -> str | None:
    """The reason a till form sent: a quick choice (``reason``) or typed text (``reason_text``)."""
    return (form.get("reason") or "").strip() or form.get("reason_text")


def reason_text(raw: str | None) -> str:
    """The reason as logged: trimmed, no control characters, at most 200 characters (more is
    refused)."""
    text = clean(typed(raw, 200, "Alasan")).strip()
    return text or NO_REASON


def _log(session: Session, till_id: int, cashier_id: int | None, cart_id: int, rows,
         reason: str, whole: bool) -> int:
    if not rows:
        return 0
    now = utcnow()
    session.connection().execute(_void.insert(), [
        {"till_id": till_id, "cashier_id": cashier_id, "cart_id": cart_id,
         "product_id": row.product_id, "name": row.name[:120], "qty": row.qty,
         "amount": row.amount, "whole_cart": whole, "reason": reason, "created_at": now}
        for row in rows])
    return len(rows)


def _approved(session: Session, actor: Actor | None, above: int | None, amount: int, *,
              what: str, before: str, reason: str, cart_id: int | None) -> None:
    """A manager's approval of a void of ``amount`` when it is above ``above`` (None: never);
    ``NeedsApproval`` (the dialog, its reason the void's) when none was given."""
    if actor is None or above is None or amount <= above:
        return
    authorize(session, replace(actor, reason=reason), kind="void", what=what, before=before,
              after=f"Dihapus: {reason}"[:100], cart_id=cart_id, suggested=reason)


def remove_line(session: Session, till_id: int, cashier_id: int | None, line_id: int,
                reason: str | None, tax: pricing.TaxSettings, actor: Actor | None = None,
                approval_above: int | None = None) -> list[str]:
    """Take one line off the till's cart (``NotFound`` when it is not on it), logged; a sale
    discount given as an amount goes with it (``dropped.drop_sale_amount``), and the last line
    takes any sale discount with it (``dropped.drop_sale_discount``) and the buyer of regulated
    goods, who bought for it (``buyers.forget``), and when the buyer cancelled ("Pembeli batal")
    the member too: the next customer finds none of them. A line above ``approval_above``
    needs ``actor``'s manager (module doc). Returns what was dropped."""
    view = cart.view(session, till_id, tax)
    rows = [row for row in view.rows if row.line_id == line_id]
    cart_id = cart.cart_id_for(session, till_id)
    logged = reason_text(reason)
    for row in rows:
        _approved(session, actor, approval_above, row.amount, what=f"Hapus {row.name}"[:200],
                  before=f"{row.base_unit.with_unit(row.qty)}, {rp(row.amount)}", reason=logged,
                  cart_id=cart_id)
    cart.remove(session, till_id, line_id)
    _log(session, till_id, cashier_id, cart_id, rows, logged, whole=False)
    if len(view.rows) == len(rows):   # that was the last line
        buyers.forget(session, cart_id, member=logged == CANCELLED)
        return [dropped.SALE_GONE] if dropped.drop_sale_discount(session, cart_id) else []
    return [dropped.SALE_DROPPED] if dropped.drop_sale_amount(session, cart_id) else []


def clear(session: Session, till_id: int, cashier_id: int | None, reason: str | None,
          tax: pricing.TaxSettings, actor: Actor | None = None, approval_above: int | None = None) -> int:
    """Empty the till's cart (member and buyer off too), one log row per line; a cart whose
    total is above ``approval_above`` needs ``actor``'s manager (module doc). Returns how many
    lines were voided."""
    view = cart.view(session, till_id, tax)
    cart_id = cart.cart_id_for(session, till_id)
    logged = reason_text(reason)
    if view.rows:
        _approved(session, actor, approval_above, view.totals.total, reason=logged, cart_id=cart_id,
                  what=f"Kosongkan keranjang ({len(view.rows)} baris)",
                  before=f"Total {rp(view.totals.total)}")
    cart.clear(session, till_id)
    return _log(session, till_id, cashier_id, cart_id, view.rows, logged, whole=True)
