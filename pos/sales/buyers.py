"""The buyer of regulated goods on a till's cart, from what the cashier typed in the one field
"NIK / Nomor anggota": 16 digits are a NIK (typed, or scanned from the KTP), anything else a
member's card, number or phone (the member then goes on the sale).  With it the LPG 3 kg
category, a name, and for subsidised fertiliser the farmer (``fertilizer.farmers``) and the
proxy who collects for them.  The cart view that follows re-checks the regulated lines for
the new buyer (``regulation.check``), so a change that would pass a limit rolls back."""
from __future__ import annotations

import json
from datetime import date

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from pos.config import DefaultConfig
from pos.errors import PosError, typed
from pos.fertilizer.farmers import identify_farmer
from pos.inventory.catalog.lookup import ScanHit
from pos.inventory.catalog.models import Product
from pos.members.buyers import CATEGORIES, CATEGORY, FARMER, MEMBER, NIK, NeedsBuyer
from pos.members.nik import check_nik
from pos.sales import cart, cart_members
from pos.sales.models import Cart, CartLine
from pos.text import clean

RELATIONS = ("keluarga", "ketua kelompok tani", "anggota kelompok tani")
_SEPARATORS = str.maketrans("", "", " .-")


class BuyerError(PosError):
    pass


def _text(value: str | None, limit: int) -> str | None:
    return clean(typed(" ".join((value or "").split()), limit, "Nama", BuyerError)) or None


def _proxy(name: str | None, nik: str | None, relation: str | None) -> dict:
    """A farmer's proxy: name, NIK and relation all given, or none of them."""
    name, nik, relation = _text(name, 100), (nik or "").strip(), (relation or "").strip()
    if not (name or nik or relation):
        return {"proxy_name": None, "proxy_nik": None, "proxy_relation": None}
    if not (name and nik and relation):
        raise BuyerError("Wakil petani: isi nama, NIK dan hubungannya, atau kosongkan ketiganya.")
    if relation not in RELATIONS:
        raise BuyerError("Hubungan wakil: keluarga, ketua kelompok tani, atau anggota kelompok tani.")
    try:
        nik = check_nik(nik)
    except PosError as error:
        raise BuyerError(f"NIK wakil: {error.message}") from None
    return {"proxy_name": name, "proxy_nik": nik, "proxy_relation": relation}


def _identify(session: Session, till_id: int, text: str, needs: frozenset[str],
              day: date, limit_bp: int) -> dict | None:
    """The cart's new buyer columns for ``text``; None keeps the buyer already on it."""
    if not text:
        return None
    if FARMER in needs:
        nik, name = identify_farmer(session, text, day)
        return {"buyer_nik": nik, "buyer_name": name}
    digits = text.translate(_SEPARATORS)
    if digits.isascii() and digits.isdigit() and len(digits) == 16:
        if MEMBER in needs:
            raise BuyerError("Batas barang ini hanya untuk anggota: ketik nomor anggota atau "
                             "pindai kartunya, bukan NIK.")
        return {"buyer_nik": check_nik(digits, day)}
    member = cart_members.find_member(session, text)
    if member is None:
        goods = cart_members.goods_named(session, text)
        if goods is not None:   # a product scanned while the cursor was in the dialog's field
            raise BuyerError(f"Kode {text.strip()[:32]} adalah kode barang ({goods}), bukan NIK atau "
                             "kartu anggota: isi NIK atau nomor anggota pembeli di sini, lalu pindai "
                             "barangnya lagi di kolom Kode barang.")
        if digits.isascii() and digits.isdigit() and len(digits) >= 14:
            check_nik(digits, day)  # a NIK with a digit too many or too few: say so
        raise BuyerError(f"'{text[:32]}' bukan NIK (16 angka) dan bukan anggota yang terdaftar.")
    cart_members.offer_member(session, till_id, member, replace=True, limit_bp=limit_bp)
    return {"buyer_nik": None}


def set_buyer(session: Session, till_id: int, text: str, *, day: date, category: str = "",
              name: str = "", needs: frozenset[str] = frozenset(), proxy_name: str = "",
              proxy_nik: str = "", proxy_relation: str = "", cashier_id: int | None = None,
              limit_bp: int = DefaultConfig.CASHIER_MAX_DISCOUNT_BP) -> None:
    """Put the buyer on the till's cart; bad input is refused (``PosError``) before any write.
    A member as the buyer goes on the sale as F7 puts one (``limit_bp``: the cashier's own
    discounts checked again at the member's prices)."""
    cart_id = cart.claim(session, till_id, cashier_id) if cashier_id is not None \
        else cart.cart_id_for(session, till_id)
    text = (text or "").strip()[:64]
    category = (category or "").strip()
    if category and category not in CATEGORIES:
        raise BuyerError("Kategori pembeli LPG tidak dikenal.")
    if CATEGORY in needs and not category:
        raise BuyerError("Pilih kategori pembeli LPG 3 kg (tombol 1-4).")
    values = _proxy(proxy_name, proxy_nik, proxy_relation) if FARMER in needs else {}
    current = session.get(Cart, cart_id)
    if not text and current.buyer_nik is None and current.member_id is None \
            and needs & {NIK, MEMBER, FARMER}:
        raise BuyerError("Isi NIK atau nomor anggota pembeli.")
    who = _identify(session, till_id, text, needs, day, limit_bp)
    if who is not None:
        if FARMER not in needs:   # another buyer: their own proxy, or none (never the last one's)
            values = _proxy(proxy_name, proxy_nik, proxy_relation)
        values |= who
        values["buyer_name"] = _text(name, 100) or who.get("buyer_name")
    elif name:
        values["buyer_name"] = _text(name, 100)
    if category:
        values["buyer_category"] = category
    farmer_nik = values["buyer_nik"] if "buyer_nik" in values else current.buyer_nik
    if values.get("proxy_nik") and values["proxy_nik"] == farmer_nik:
        raise BuyerError("NIK wakil sama dengan NIK petani: wakil adalah orang lain yang mengambil "
                         "untuk petani. Kosongkan data wakil bila petani mengambil sendiri.")
    if values:
        session.execute(update(Cart).where(Cart.id == cart_id).values(**values))


def clear_buyer(session: Session, till_id: int) -> None:
    """Take the buyer (NIK, name, category, proxy) off the cart; the member stays on the sale.
    Refused while the cart holds goods sold only to a known buyer."""
    cart_id = cart.cart_id_for(session, till_id)
    held = session.scalar(select(Product.name).join(CartLine, CartLine.product_id == Product.id)
                          .where(CartLine.cart_id == cart_id, _to_known_buyer()).limit(1))
    if held is not None:
        raise BuyerError(f"{held} di keranjang dijual hanya kepada pembeli yang tercatat: hapus "
                         "barangnya dulu, atau ganti pembelinya (Alt+B).")
    forget(session, cart_id)


def forget(session: Session, cart_id: int, *, member: bool = False) -> None:
    """Take the buyer off the cart with no question (its last line went), and with ``member``
    the member too (the customer went: "Pembeli batal")."""
    values = dict(buyer_nik=None, buyer_name=None, buyer_category=None, proxy_name=None,
                  proxy_nik=None, proxy_relation=None)
    session.execute(update(Cart).where(Cart.id == cart_id).values(
        **values, **({"member_id": None} if member else {})))


_FIELDS = ("buyer", "category", "name", "proxy_name", "proxy_nik", "proxy_relation")
_KNOWN = (NIK, MEMBER, FARMER, CATEGORY)


def carry(form: dict, needs: frozenset[str]) -> str:
    """The dialog's answer as one value of the request it asked for: on a cart with no lines the
    buyer is not saved alone but with that request's line (``carried``), so a line refused there
    leaves no buyer behind for the next customer."""
    return json.dumps({**{k: form[k] for k in _FIELDS if form.get(k)}, "needs": ",".join(sorted(needs))})


def carried(session: Session, till_id: int, raw: str, *, day: date, cashier_id: int,
            limit_bp: int = DefaultConfig.CASHIER_MAX_DISCOUNT_BP) -> None:
    """``set_buyer`` with what ``carry`` wrote, in the transaction of the change it came with."""
    try:
        form = json.loads(raw)
    except ValueError:
        form = None
    if not isinstance(form, dict):
        raise BuyerError("Data pembeli tidak terbaca: isi pembelinya lagi (Alt+B).")
    text = {k: str(form.get(k) or "") for k in _FIELDS}
    needs = frozenset(n for n in str(form.get("needs") or "").split(",") if n in _KNOWN)
    set_buyer(session, till_id, text["buyer"], day=day, category=text["category"], name=text["name"],
              needs=needs, proxy_name=text["proxy_name"], proxy_nik=text["proxy_nik"],
              proxy_relation=text["proxy_relation"], cashier_id=cashier_id, limit_bp=limit_bp)


def may_ask(session: Session, product_id: int) -> bool:
    """Whether a line of the product may ask who buys (a limit, subsidised fertiliser, LPG)."""
    return session.scalar(select(Product.id).where(Product.id == product_id,
                                                   _to_known_buyer())) is not None


def _to_known_buyer():
    """SQL: a product sold only to a buyer on record (a per-buyer limit, LPG 3 kg, subsidised
    fertiliser)."""
    return or_(Product.limit_rule_id.is_not(None), Product.lpg.is_not(None),
               Product.subsidy.is_not(None))


def before_weighing(session: Session, till_id: int, product_id: int, raw: str, *, day: date,
                    cashier_id: int, tax) -> None:
    """``NeedsBuyer`` when a line of the weighed good would ask who buys, before it is weighed:
    the dialog comes first, then the scale is read or the weight typed, once, and the line goes
    on with the buyer the dialog checked (``raw``: ``carry``'s value, which the typed weight's
    prompt sends on).  Run it in a rehearsal: nothing stays.  Any other refusal (a limit used
    up, no shift) is left to the weighing, which says it with the weight."""
    try:
        if raw:
            carried(session, till_id, raw, day=day, cashier_id=cashier_id)
        product = session.get(Product, product_id)
        cart.add(session, till_id, ScanHit(product.id, 1, product.name, product.price, True,
                                           product.base_unit.value, merge=False),
                 cashier_id=cashier_id, today=day)
        cart.view(session, till_id, tax, today=day)
    except NeedsBuyer:
        raise
    except PosError:
        return
