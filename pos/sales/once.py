"""A payment posted again answers with its sale; its key sent for another cart is refused.

The pay panel (``static/js/pay.js``) makes the checkout's idempotency key when it opens with
none, and keeps it until a sale's answer arrives (``sale-done`` empties it): every retry of one
payment carries it (a double click; Bayar pressed again after "Server tidak menjawab", the sale
committed and its answer lost), and ``checkout`` answers that retry with the sale the key made.
The key belongs to the till's page, not to its cart, so the page can also send a used key for
other goods: after an answer was lost the cashier scans the next customer's goods and presses
Bayar, and the panel still holds the key; or a page the browser restores (back/forward), a
stale or a tampered form posts one.  Answering those with the old sale would show its change
and receipt as if the cart on the till were paid, and its goods could leave unpaid.

The rule, once ``numbering.hold`` has queued the key's posts and ``cart.for_checkout`` found the
sale the key made: the post is that sale's repeat, answered with it, only when

- the sale was made at this till;
- this till's cart has no line: the sale emptied it in its own transaction, so a line there was
  put in after the sale, for another payment, even the very same goods (the next customer
  buying the same sack of rice); and
- the total the till showed (``expected_total``, when sent) is the sale's, before cash
  rounding, as the first post's had to be.

The tenders are not compared: the goods were paid once, and the answer shows the payments and
the change as the sale recorded them.  Anything else is refused with 409 (``KeyReused``, naming
the sale's receipt): nothing is written, no number is used, the cart stays, and the answer
empties the till's key so that Bayar pressed again makes a new one and sells the cart.

Only a found key costs anything: one statement (a line of the cart) beside reading the sale;
a new key's checkout runs none of this.

A new key for a cart that is empty while the till showed it with goods (``emptied``): the page
is one of two open on the same till (a second tab), and the other paid the cart, or emptied or
parked it.  Refused as a changed cart (the till redraws it), saying which.  The page sends when
its cart was drawn (``shown_at``, stamped by the server: ``pay_views.cart_drawn_at``): paid,
naming the receipt, when a sale was made at the till since, whatever its total (the other tab
may have added goods, or taken one off, before paying), unless the cart was emptied (Kosongkan)
or parked there between the drawing and that sale; when lines were taken off there one by one
in between, the sale may be of other goods: the message names the receipt to check.  A page
without the stamp (an older one): paid when the till's last sale is the total it showed and
nothing was voided or parked since.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, column, exists, select, table
from sqlalchemy.orm import Session

from pos.errors import PosError
from pos.sales import cart_queries as q
from pos.sales.models import Cart, Sale

# ``voids``' log
_void = table("cart_void", column("till_id"), column("created_at"), column("whole_cart", Boolean))


class KeyReused(PosError):
    """The checkout key already made a sale, and this post is not that sale's repeat."""


def check_repeat(session: Session, *, receipt_no: str, sale_till: int, sale_total: int,
                 till_id: int, cart_id: int, expected_total: int | None) -> None:
    """Refuse (``KeyReused``) a post whose key made sale ``receipt_no`` when the post is not that
    sale sent again: another till, a cart with lines, or another total shown."""
    other_total = expected_total is not None and expected_total != sale_total
    if sale_till == till_id and not other_total and \
            q.HAS_LINES.first(session.connection(), {"cart": cart_id}) is None:
        return
    raise KeyReused(f"Formulir bayar ini sudah dipakai untuk struk {receipt_no}; keranjang di "
                    "layar belum dibayar dan tidak ada yang disimpan. Periksa keranjang lalu "
                    "tekan Bayar lagi.", 409)


def shown_at(raw: str | None) -> datetime | None:
    """The moment a page's cart was drawn, as the page sent it back; None when missing or not
    a timestamp (an older page, a tampered form: the rule without it applies)."""
    try:
        moment = datetime.fromisoformat((raw or "").strip()[:40])
    except ValueError:
        return None
    return None if moment.tzinfo else moment   # only the server's own naive UTC stamp


NOT_PAID = ("Keranjang ini sudah dikosongkan atau ditahan di layar lain; tidak ada yang dibayar. "
            "Periksa keranjang.")


def emptied(session: Session, cart_id: int, expected_total: int, shown: datetime | None = None) -> str:
    """Why the cart a till showed with ``expected_total`` (drawn at ``shown``) is empty at its
    payment: paid on another screen of the till, else emptied or parked there (module doc)."""
    till = select(Cart.till_id).where(Cart.id == cart_id).scalar_subquery()
    sales = select(Sale.receipt_no, (Sale.total - Sale.rounding).label("total_shown"), Sale.created_at) \
        .where(Sale.till_id == till)
    if shown is None:   # the till's last sale, of the total shown; nothing voided nor parked since
        sale = session.execute(sales.order_by(Sale.id.desc()).limit(1)).first()
        if sale is None or sale.total_shown != expected_total:
            return NOT_PAID
        since, until = sale.created_at, None
    else:               # the first sale since the cart was drawn, of any total
        sale = session.execute(sales.where(Sale.created_at > shown).order_by(Sale.id).limit(1)).first()
        if sale is None:
            return NOT_PAID
        since, until = shown, sale.created_at

    def within(moment):
        return [moment > since, *([moment <= until] if until is not None else [])]

    voided = (_void.c.till_id == till, *within(_void.c.created_at))
    # emptied (Kosongkan; with no stamp any line taken off) or parked there in between
    gone = exists().where(*voided, *([_void.c.whole_cart.is_(True)] if shown is not None else [])) \
        | exists().where(Cart.parked_from == till, *within(Cart.parked_at))
    gone, taken_off = session.execute(select(gone, exists().where(*voided))).one()
    if gone:
        return NOT_PAID
    if taken_off:   # lines taken off one by one there: the sale may be of other goods
        return (f"Struk {sale.receipt_no} dibayar di layar lain sesudah layar ini dibuka, tetapi "
                "barang juga dihapus di sana sebelum dibayar. Periksa struk itu sebelum menagih lagi.")
    return f"Keranjang ini sudah dibayar di layar lain (struk {sale.receipt_no})."
