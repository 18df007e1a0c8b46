"""What a code typed or scanned at the till stands for, and adding it to the cart.

``3*code`` adds three; a quantity that is not a whole number from 1 up is refused as
a quantity, never as an unknown code.  A code may be a product, a label with a
weight or price inside, or a member card.  A weighed good's own code (not a
scale label) carries no weight: scanning it asks for one (the scale, or a weight
the cashier types where the manager allows it) and never adds a kilogram on its own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from pos.errors import PosError
from pos.inventory.catalog.lookup import ScanHit, UnknownBarcode, lookup_barcode
from pos.inventory.catalog.products import get_product
from pos.members.cards import is_card_number
from pos.sales import cart, cart_members
from pos.text import is_digits
from pos.units import BaseUnit, format_number

MAX_TIMES = 999  # more of one thing at a counter is a typo (a price, a code)
# "3*code"; "3x code" too when the count is digits (a code may itself hold an x).
_STAR = re.compile(r"^\s*(\S*?)\s*\*\s*(\S+)\s*$")
_TIMES_X = re.compile(r"^\s*([0-9]{1,3})\s*[xX]\s*(\S+)\s*$")


class QuantityError(PosError):
    pass


@dataclass(frozen=True)
class Scanned:
    """What a scan did: the line it went on, or the weighed product still needing a weight.

    All None: a member card was attached, or (``ask_member``: number, name) it waits for the
    cashier to confirm replacing the member already on the sale.
    """

    line_id: int | None = None
    product_id: int | None = None
    weigh: int | None = None
    ask_member: tuple[str, str] | None = None


def split_times(raw: str) -> tuple[int, str]:
    """(how many, code) of what was typed: ``3*899...`` -> (3, "899..."); plain codes count 1."""
    text = raw or ""
    match = _STAR.match(text) or _TIMES_X.match(text)
    if match is None:
        return 1, text
    count, code = match.groups()
    # 0 goes on to the cart, which says a quantity must be more than zero
    if not is_digits(count, 6) or int(count) > MAX_TIMES:
        raise QuantityError(f"Jumlah sebelum * harus angka bulat 1 sampai "
                            f"{format_number(MAX_TIMES)}, misalnya 3*kode.")
    if "*" in code:   # 3**code, 2*3*code: the code's own format message would send it elsewhere
        raise QuantityError("Tulis tanda * sekali, di antara jumlah dan kode: misalnya 3*kode.")
    return int(count), code


def scan(session: Session, till_id: int, raw: str, *, patterns=(),
         limits: dict[str, int] = cart.DEFAULT_LIMITS, today: date | None = None,
         cashier_id: int | None = None, card_prefix: str | None = None) -> Scanned:
    """A code from the scan field: into the cart, onto the sale as its member, or to weigh.

    An unknown code under the member cards' prefix (``card_prefix``) is said to be a card no
    member holds, not goods (a card from another gerai, or one replaced)."""
    times, code = split_times(raw)
    try:
        hit = lookup_barcode(session, code, patterns)
    except UnknownBarcode:
        member = cart_members.find_member(session, code) if times == 1 else None
        if member is None and card_prefix and is_card_number(code, card_prefix):
            raise UnknownBarcode(f"Kartu anggota {code} tidak terdaftar pada anggota mana pun. Cari "
                                 "anggotanya dengan F7 (nomor, nama atau telepon).", status=422) from None
        if member is None:
            raise
        # the first card goes on the sale; a second one asks before replacing it
        return Scanned(ask_member=cart_members.offer_member(session, till_id, member))
    if times != 1 and hit.fixed_amount is not None:  # its printed price is for one pack
        raise QuantityError(f"{hit.name}: label berharga tetap dipindai satu per satu, tanpa "
                            "jumlah di depannya.")
    if hit.weighed and hit.merge and hit.qty == BaseUnit(hit.base_unit).price_per:
        # the good's own per-kg code carries no weight (a pre-packed bag's code does)
        if times != 1:
            raise QuantityError(f"{hit.name} ditimbang: pindai sekali lalu timbang.")
        return Scanned(product_id=hit.product_id, weigh=hit.product_id)
    line_id = cart.add(session, till_id, hit, times=times, limits=limits, today=today,
                       cashier_id=cashier_id)
    return Scanned(line_id=line_id, product_id=hit.product_id)


def add_product(session: Session, till_id: int, product_id: int,
                limits: dict[str, int] = cart.DEFAULT_LIMITS, today: date | None = None,
                cashier_id: int | None = None) -> Scanned:
    """A product picked from the name search: one piece, or to weigh when it is weighed."""
    product = get_product(session, product_id)
    if not product.active:
        raise cart.CartError(f"{product.name} tidak aktif dijual.")
    if product.weighed:
        return Scanned(product_id=product.id, weigh=product.id)
    qty = 1 if product.base_unit is BaseUnit.PCS else 1000
    line_id = cart.add(session, till_id, ScanHit(
        product.id, qty, product.name, product.price, True, product.base_unit.value,
        batch_tracked=product.batch_tracked), limits=limits, today=today, cashier_id=cashier_id)
    return Scanned(line_id=line_id, product_id=product.id)


def add_weighed(session: Session, till_id: int, product_id: int, grams: int,
                limits: dict[str, int] = cart.DEFAULT_LIMITS, *, manual: bool = False,
                cashier_id: int | None = None, today: date | None = None) -> Scanned:
    """A weighing (from the scale, or typed where allowed: ``manual``) as its own line; with
    ``cashier_id`` and ``today``, in the cashier's open shift of that day (``cart.add``)."""
    product = get_product(session, product_id)
    if product.base_unit is BaseUnit.PCS or not product.weighed:
        raise cart.CartError(f"{product.name} bukan barang timbang.")
    if not product.active:
        raise cart.CartError(f"{product.name} tidak aktif dijual.")
    line_id = cart.add(session, till_id, ScanHit(product.id, grams, product.name, product.price,
                                                 True, product.base_unit.value, merge=False),
                       limits=limits, manual=manual, cashier_id=cashier_id, today=today)
    return Scanned(line_id=line_id, product_id=product.id)
