"""What a change of the cart drops of its manual discounts and prices (``adjust``): a line's
own when its quantity changes, a sale discount given as an amount when the sale gets smaller,
any sale discount when the cart empties.  The till says what went."""
from __future__ import annotations

from sqlalchemy import case, select, update
from sqlalchemy.orm import Session

from pos.sales.models import Cart, CartLine

LINE_DROPPED = ("Diskon dan harga khusus baris ini dihapus karena jumlahnya berubah; "
                "berikan lagi bila perlu.")
SALE_DROPPED = "Diskon nota (nominal) dihapus karena belanja berkurang; berikan lagi bila perlu."
SALE_GONE = "Diskon nota dihapus karena keranjang kosong: pembeli berikutnya mulai tanpa diskon."


def on_qty_change(session: Session, till_id: int, line_id: int, qty: int) -> list[str]:
    """Before a line's quantity becomes ``qty``: its discount and price override held for the
    quantity they were given at (the cashier's limit and a manager's approval were checked on
    those amounts), so another quantity drops them; a lower one also drops a sale discount
    given as an amount, which would be more of a smaller sale. Returns what was dropped."""
    row = session.execute(
        select(CartLine.qty, CartLine.cart_id, CartLine.price_override, CartLine.discount_bp,
               CartLine.discount_amount, CartLine.below_cost_ok)
        .join(Cart, Cart.id == CartLine.cart_id)
        .where(CartLine.id == line_id, Cart.till_id == till_id)).first()
    if row is None or row.qty == qty:
        return []
    dropped = []
    if row.price_override is not None or row.discount_bp or row.discount_amount \
            or row.below_cost_ok:
        session.execute(update(CartLine).where(CartLine.id == line_id).values(
            price_override=None, discount_bp=0, discount_amount=0, below_cost_ok=False,
            discount_approved=False, discount_approved_off=0, adjust_reason=None))
        dropped.append(LINE_DROPPED)
    if qty < row.qty and drop_sale_amount(session, row.cart_id):
        dropped.append(SALE_DROPPED)
    return dropped


def drop_sale_amount(session: Session, cart_id: int) -> bool:
    """A line removed or lowered: a sale discount given as an amount goes (a rate scales with
    the sale); True when there was one."""
    done = session.execute(
        update(Cart).where(Cart.id == cart_id, Cart.discount_amount > 0)
        .values(discount_amount=0, discount_reason=case((Cart.discount_bp > 0, Cart.discount_reason),
                                                        else_=None))
        .execution_options(synchronize_session=False))
    return bool(done.rowcount)


def drop_sale_discount(session: Session, cart_id: int) -> bool:
    """The cart emptied line by line: its sale discount goes, a rate too (it was given, and
    approved, for those lines, not for the next customer's); True when there was one."""
    done = session.execute(
        update(Cart).where(Cart.id == cart_id, (Cart.discount_amount > 0) | (Cart.discount_bp > 0))
        .values(discount_amount=0, discount_bp=0, discount_reason=None, discount_approved=False,
                discount_approved_off=0)
        .execution_options(synchronize_session=False))
    return bool(done.rowcount)
