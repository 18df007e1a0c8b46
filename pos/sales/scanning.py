"""What a code typed or scanned at the till stands for, and adding it to the cart.

``3*code`` adds three; a quantity that is not a whole number from 1 up is refused as
a quantity, never as an unknown code, and one over the line limit (``MAX_QTY``, 10.000 pcs)
in F3's words: one limit for both.  A code may be a product, a label with a
weight or price inside, or a member card.  A weighed good's own code (not a
scale label) carries no weight: scanning it asks for one (the scale, or a weight
the cashier types where the manager allows it) and never adds a kilogram on its own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.config import DefaultConfig
from pos.errors import PosError
from pos.inventory import stock
from pos.inventory.catalog.lookup import ScanHit, UnknownBarcode, lookup_barcode
from pos.inventory.catalog.models import Product
from pos.inventory.catalog.products import get_product
from pos.members.cards import is_card_number
from pos.sales import cart, cart_members
from pos.sales.models import Cart, CartLine
from pos.sales.pack_qty import word as pack_word
from pos.tills import service as tills
from pos.units import BaseUnit

# A typed weight (or volume) over this, in base units (100 kg, 100 l), or over the recorded
# stock, is asked about before it goes on the cart: 1250 typed in the kg box meant 1.250 g.
TYPED_ASK = 100_000
# "3*code"; "3x code" too when the count is digits (a code may itself hold an x).
_STAR = re.compile(r"^\s*(\S*?)\s*\*\s*(\S+)\s*$")
_TIMES_X = re.compile(r"^\s*([0-9]{1,3})\s*[xX]\s*(\S+)\s*$")


class QuantityError(PosError):
    pass


class CheckWeight(PosError):
    """A typed weight to confirm (``TYPED_ASK``): the question, the amount a yes is for and the
    product it weighs."""

    def __init__(self, message: str, amount: int, product_id: int | None = None):
        super().__init__(message)
        self.amount, self.product_id = amount, product_id


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


def split_times(raw: str, most: int = cart.DEFAULT_LIMITS["pcs"]) -> tuple[int, str]:
    """(how many, code) of what was typed: ``3*899...`` -> (3, "899..."); plain codes count 1.
    A count over ``most`` (the pieces one line may hold) is refused as F3 refuses it."""
    text = raw or ""
    match = _STAR.match(text) or _TIMES_X.match(text)
    if match is None:
        return 1, text
    count, code = match.groups()
    if not (count.isascii() and count.isdigit()):
        raise QuantityError("Jumlah sebelum * harus angka bulat, misalnya 3*kode.")
    if len(count) > 12:
        raise QuantityError(f"Jumlah sebelum * terlalu besar (paling banyak {BaseUnit.PCS.with_unit(most)}).")
    try:   # 0 goes on to the cart, which says a quantity must be more than zero
        cart.check_qty(int(count) or 1, "pcs", {"pcs": most})
    except cart.CartError as too_many:
        raise QuantityError(too_many.message) from None
    if "*" in code:   # 3**code, 2*3*code: the code's own format message would send it elsewhere
        raise QuantityError("Tulis tanda * sekali, di antara jumlah dan kode: misalnya 3*kode.")
    return int(count), code


def scan(session: Session, till_id: int, raw: str, *, patterns=(),
         limits: dict[str, int] = cart.DEFAULT_LIMITS, today: date | None = None,
         cashier_id: int | None = None, card_prefix: str | None = None,
         limit_bp: int = DefaultConfig.CASHIER_MAX_DISCOUNT_BP) -> Scanned:
    """A code from the scan field: into the cart, onto the sale as its member, or to weigh.

    An unknown code under the member cards' prefix (``card_prefix``) is said to be a card no
    member holds, not goods (a card from another gerai, or one replaced)."""
    times, code = split_times(raw, limits.get("pcs", cart.DEFAULT_LIMITS["pcs"]))
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
        return Scanned(ask_member=cart_members.offer_member(session, till_id, member, limit_bp=limit_bp))
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
                cashier_id: int | None = None, today: date | None = None,
                yes: str | None = None) -> Scanned:
    """A weighing (from the scale, or typed where the till allows it: ``manual``) as its own
    line; with ``cashier_id`` and ``today``, in the cashier's open shift of that day
    (``cart.add``).  A typed weight over ``TYPED_ASK`` or the recorded stock raises
    ``CheckWeight`` unless ``yes`` is that same weight in base units (the question's button)."""
    product = get_product(session, product_id)
    if product.base_unit is BaseUnit.PCS or not product.weighed:
        raise cart.CartError(f"{product.name} bukan barang timbang.")
    if not product.active:
        raise cart.CartError(f"{product.name} tidak aktif dijual.")
    if manual and not tills.get_till(session, till_id).manual_weight:
        raise PosError("Berat yang diketik tidak diizinkan untuk kasir ini.", 403)
    if manual and yes != str(grams):
        _ask_if_unlikely(session, product, grams, limits)
    line_id = cart.add(session, till_id, ScanHit(product.id, grams, product.name, product.price,
                                                 True, product.base_unit.value, merge=False),
                       limits=limits, manual=manual, cashier_id=cashier_id, today=today)
    return Scanned(line_id=line_id, product_id=product.id)


def set_qty(session: Session, till_id: int, line_id: int, qty: int,
            limits: dict[str, int] = cart.DEFAULT_LIMITS, *, today: date | None = None,
            yes: str | None = None, unit_typed: bool = False) -> None:
    """F3: ``cart.set_qty``.  A weighed line's new weight is typed (where the till takes typed
    weights), so an unlikely one raises ``CheckWeight`` as a weight typed after a scan does,
    unless ``yes`` is that weight in base units (the question's button); so does less than one
    pack on a line of whole packs (``2`` on a 50 kg sack: 2 kg, or 2 karung meant?), unless the
    unit was typed (``unit_typed``: ``2 kg``)."""
    found = session.execute(select(Product, CartLine.qty).join(CartLine, CartLine.product_id == Product.id)
                            .join(Cart, Cart.id == CartLine.cart_id)
                            .where(CartLine.id == line_id, Cart.till_id == till_id,
                                   CartLine.fixed_amount.is_(None))).first()
    if found is not None and found[0].weighed and found[1] != qty and yes != str(qty) \
            and tills.get_till(session, till_id).manual_weight:
        _ask_if_unlikely(session, found[0], qty, limits, yes_words="ubah menjadi")
    if found is not None and found[1] != qty and yes != str(qty) and not unit_typed:
        _ask_if_under_a_pack(found[0], found[1], qty)
    cart.set_qty(session, till_id, line_id, qty, limits, today=today)


def _ask_if_unlikely(session: Session, product, amount: int, limits: dict[str, int],
                     yes_words: str = "tambahkan") -> None:
    """``CheckWeight`` for a typed weight more than the recorded stock or over ``TYPED_ASK``
    (one the cart would refuse anyway, over ``MAX_QTY``, is left to its message)."""
    unit, on_hand = product.base_unit, stock.on_hand(session, product.id)
    if amount > limits.get(unit.value, cart.DEFAULT_LIMITS[unit.value]):
        return
    why = [text for over, text in ((amount > on_hand, f"stok tercatat ({unit.format(on_hand)})"),
                                   (amount > TYPED_ASK, f"{unit.format(TYPED_ASK)} untuk satu pembeli"))
           if over]
    if not why:
        return
    typed, (small, said) = unit.format(amount), ("gram", "g") if unit is BaseUnit.GRAM else ("ml", "ml")
    meant = amount // 1000   # 1250 typed in the kg box: 1.250 kg, or 1250 gram meant?
    hint = f" Jika maksudnya {meant} {small}, tulis {meant} {said}." if amount % 1000 == 0 else ""
    raise CheckWeight(f"Berat {product.name} {typed} lebih dari {' dan '.join(why)}.{hint} Jika memang "
                      f"{typed}, pilih Ya, {yes_words} {typed}.", amount, product.id)


def _ask_if_under_a_pack(product, held: int, qty: int) -> None:
    """``CheckWeight`` for ``qty`` less than one of the product's packs on a line that held whole
    ones (the largest pack it held a whole number of): a sack count typed in the kg box."""
    pack = next((p for p in reversed(product.packs) if held >= p.qty and held % p.qty == 0), None)
    if pack is None or qty >= pack.qty:
        return
    unit, word = product.base_unit, pack_word(pack.name)
    typed, count = unit.with_unit(qty), qty // unit.price_per
    hint = f" Jika maksudnya {count} {word}, tulis {count} {word}." if qty % unit.price_per == 0 else ""
    raise CheckWeight(f"{typed}? 1 {word} = {unit.with_unit(pack.qty)}.{hint} Jika memang {typed}, pilih "
                      f"Ya, ubah menjadi {typed}.", qty, product.id)
