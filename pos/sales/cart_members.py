"""The member on a till's sale: the first card goes on at once; a second one (scanned, or
picked with F7) waits for the cashier's "Ganti anggota" before it replaces the first."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos import money
from pos.config import DefaultConfig
from pos.errors import PosError
from pos.inventory.catalog.lookup import lookup_barcode
from pos.inventory.catalog.models import Product
from pos.members import service as members
from pos.sales import cart, discount_limit
from pos.sales.models import Cart, CartLine


def find_member(session: Session, text: str, *, by_number: bool = False):
    """The member whose card, number or phone is ``text`` (only the number with ``by_number``:
    a member picked from the F7 list or confirmed, whose number may be another's card); a
    nonaktif one too (the cart then shows plainly that they buy at the non-member price), but
    of two the active one, and of two nonaktif ones neither (``members.for_sale``)."""
    return members.for_sale(session, text, by_number=by_number)


def offer_member(session: Session, till_id: int, member, *, replace: bool = False,
                 limit_bp: int = DefaultConfig.CASHIER_MAX_DISCOUNT_BP) -> tuple[str, str] | None:
    """Attach ``member`` unless another member is already on the sale and ``replace`` is
    not given: then nothing changes and (number, name) is returned, to ask the cashier.
    Refused when the cashier's own discounts on the cart pass their limit (``limit_bp``:
    ``POS_CASHIER_MAX_DISCOUNT_BP``) at the member's prices (``discount_limit``)."""
    cart_id, current = cart.cart_of(session, till_id)
    if current is not None and current != member.id and not replace:
        return member.number, member.name
    if current != member.id:
        _approved_below_cost(session, cart_id)
    cart.put_member(session, till_id, member.id)
    if current != member.id and (over := discount_limit.over_at_prices(session, cart_id, limit_bp)):
        cart.put_member(session, till_id, current)   # priced with the member to ask: as it was
        raise cart.CartError(f"Anggota tidak dipasang: diskon {over} melebihi batas diskon kasir "
                             f"{money.format_rate(limit_bp)}% pada harga anggota. Hapus diskonnya (F5 atau "
                             "Shift+F5, 0) dulu, pasang anggota, lalu berikan lagi (di atas batas, "
                             "manajer menyetujui).")
    return None


def _approved_below_cost(session: Session, cart_id: int) -> None:
    """Refuse another member on a cart whose discount a manager let below cost: a member's
    price under it would take the line lower than approved (the approval was for those prices)."""
    name = session.scalar(
        select(Product.name).join(CartLine, CartLine.product_id == Product.id)
        .join(Cart, Cart.id == CartLine.cart_id)
        .where(CartLine.cart_id == cart_id, CartLine.below_cost_ok, CartLine.price_override.is_(None),
               (CartLine.discount_bp > 0) | (CartLine.discount_amount > 0)
               | (Cart.discount_bp > 0) | (Cart.discount_amount > 0))
        .order_by(CartLine.id).limit(1))
    if name is not None:
        raise cart.CartError(f"Anggota tidak dipasang: diskon {name} disetujui manajer di bawah harga "
                             "pokok untuk harga tanpa anggota. Hapus diskonnya (F5 atau Shift+F5, 0) "
                             "dulu, pasang anggota, lalu minta persetujuan lagi.")


def offer(session: Session, till_id: int, text: str, *, replace: bool = False,
          by_number: bool = False, limit_bp: int = DefaultConfig.CASHIER_MAX_DISCOUNT_BP
          ) -> tuple[str, str] | None:
    """``offer_member`` for the member typed (card, number or phone) or picked from the F7 list
    or confirmed (``by_number``); a name typed and sent before its list came takes the one
    member so named, and of several asks the cashier to pick; unknown text is refused; another
    member already on the sale is replaced only when the cashier confirmed (``replace``)."""
    member = find_member(session, text, by_number=by_number)
    if member is None and not by_number:
        member = _the_one_named(session, text)
    if member is None:
        goods = None if by_number else goods_named(session, text)
        if goods is not None:   # a product scanned while the cursor was in the F7 field
            raise cart.CartError(f"Kode {text.strip()} adalah barang ({goods}), bukan kartu "
                                 "anggota: pindai lagi di kolom Kode barang (Esc ke pindai).")
        raise cart.CartError(f"Anggota '{(text or '').strip()[:32]}' tidak ditemukan.")
    return offer_member(session, till_id, member, replace=replace, limit_bp=limit_bp)


def goods_named(session: Session, text: str) -> str | None:
    """The name of the product whose barcode ``text`` is, or None."""
    try:
        return lookup_barcode(session, text).name
    except PosError:   # not a code, or no product's
        return None


def _the_one_named(session: Session, text: str):
    """The one member whose name holds every word typed (``members.named``); None when none
    is; several are refused with their numbers, for the cashier to pick from the F7 list."""
    found = members.named(session, text, members.MAX_SHARERS + 1)
    if len(found) > 1:
        more = " dan lainnya" if len(found) > members.MAX_SHARERS else ""
        listed = ", ".join(f"{m.number} {m.name}" for m in found[:members.MAX_SHARERS])
        raise cart.CartError(f"Ada beberapa anggota bernama '{' '.join(text.split())[:32]}': "
                             f"{listed}{more}. Pilih anggotanya dari daftar (F7, panah bawah "
                             "lalu Enter) atau ketik nomor anggotanya.")
    return found[0] if found else None
