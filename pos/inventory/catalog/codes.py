"""Who already holds a code the till could scan: a product's barcode, a product's SKU, a
member's card or a member's number.

The till looks a scan up as a barcode, then as a SKU, and products before member cards and
numbers (a number as typed in capitals), so one code on two of them finds the wrong one.
``pos.members`` refuses a new card or number that is a product's code (``products_holding``);
here the catalog refuses a new barcode or SKU that is already another product's code or a
member's card or number (in any case: ``agt-0001`` typed at the till finds the product before
member AGT-0001).  ``collisions`` finds the ones made before those checks (or by hand in the
database), each with what to do, for ``pos doctor`` and the product page.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import column, exists, func, literal, or_, select, table, union_all
from sqlalchemy.orm import Session, aliased

from pos.inventory.catalog.models import Product, ProductBarcode

# The member register, named without importing pos.members (which sits above the catalog).
member = table("member", column("id"), column("number"), column("name"), column("card_barcode"))
_CHUNK = 500  # codes per IN list, far below SQLite's bound-parameter limit


def member_holds(kind: str, number: str, name: str) -> str:
    """A member's code in words: ``kartu anggota AGT-0001 (Siti)`` (``kind`` ``kartu``, or
    ``card_barcode``) or ``nomor anggota AGT-0002 (Budi)``; the catalog's and the register's
    refusals name the holder alike."""
    return f"{'kartu' if kind in ('kartu', 'card_barcode') else 'nomor'} anggota {number} ({name})"


def owner(session: Session, code: str, product_id: int | None = None, *,
          barcode: bool = True, sku: bool = True) -> str | None:
    """What other than product ``product_id`` holds ``code`` ("kartu anggota 0012 (Siti)",
    "nomor anggota 0012 (Siti)", "SKU barang Gula 1 kg", "barcode barang Gula 1 kg"), or None
    when nothing does."""
    for kind, holds in (("kartu", member.c.card_barcode == code),
                        ("nomor", member.c.number.in_({code, code.upper()}))):
        held = session.execute(select(member.c.number, member.c.name).where(holds).limit(1)).first()
        if held is not None:
            return member_holds(kind, held.number, held.name)
    others = Product.id != (product_id or 0)
    if sku and (held := _other_sku(session, code, product_id)) is not None:   # in any letters
        return f"SKU barang {held.name}"
    if barcode and (name := session.scalar(
            select(Product.name).join(ProductBarcode, ProductBarcode.product_id == Product.id)
            .where(ProductBarcode.code == code, others))):
        return f"barcode barang {name}"
    return None


def sku_holder(session: Session, sku: str, product_id: int | None = None) -> str | None:
    """The other product whose SKU is ``sku`` in other letters ("SKU UMK-9003 barang Keripik"):
    a SKU typed in small letters stands for its product, so two SKUs may not differ only in
    case.  None when no other product's SKU is it in capitals."""
    held = _other_sku(session, sku, product_id)
    return None if held is None else f"SKU {held.sku} barang {held.name}"


def _other_sku(session: Session, sku: str, product_id: int | None):
    """(sku, name) of the first other product whose SKU is ``sku`` in any letters, or None."""
    return session.execute(
        select(Product.sku, Product.name).where(func.upper(Product.sku) == sku.upper(),
                                                Product.id != (product_id or 0))
        .order_by(Product.id).limit(1)).first()


class SkuCapitals:
    """Every product's SKU by its capitals, read once, and those a file adds (an import)."""

    def __init__(self, session: Session):
        self.held = {sku.upper(): (sku, f"SKU {sku} barang {name}") for sku, name in session.execute(
            select(Product.sku, Product.name).order_by(Product.id.desc()))}

    def holder(self, sku: str) -> str | None:
        """What holds ``sku`` in other letters, in words, or None (nothing, or ``sku`` itself)."""
        held = self.held.get(sku.upper())
        return held[1] if held and held[0] != sku else None

    def add(self, sku: str, line: int) -> None:
        self.held.setdefault(sku.upper(), (sku, f"SKU {sku} di baris {line}"))


def is_member_code(code: str) -> exists:
    """A SQL condition: ``code`` is a member's card or number."""
    return exists().where(or_(member.c.card_barcode == code, member.c.number.in_({code, code.upper()})))


class MemberCodes:
    """Every member's card and number, read once (a catalog import checks many codes)."""

    def __init__(self, session: Session):
        self.cards: dict[str, str] = {}
        self.numbers: dict[str, str] = {}
        for number, name, card in session.execute(
                select(member.c.number, member.c.name, member.c.card_barcode)):
            self.numbers[number] = member_holds("nomor", number, name)
            if card:
                self.cards[card] = member_holds("kartu", number, name)

    def holder(self, code: str) -> str | None:
        """The member's card or number ``code`` is, in words, or None."""
        return self.cards.get(code) or self.numbers.get(code) or self.numbers.get(code.upper())


def products_holding(session: Session, wanted, *, any_case: bool = False) -> dict[str, str]:
    """Which ``wanted`` codes a product holds, each with what holds it in words ("barcode barang
    Gula 1 kg (SKU GULA-1)", else "SKU barang Gula 1 kg"), for the member register, which may
    not use them.  ``any_case``: the codes are member numbers (capitals), and a product's code
    holds one in any case (the till reads a typed number in capitals)."""
    wanted, found = sorted(set(wanted)), {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start:start + _CHUNK]
        for kind, held in (("barcode", ProductBarcode.code), ("sku", Product.sku)):
            key = func.upper(held) if any_case else held
            query = select(key, Product.sku, Product.name).where(key.in_(chunk))
            if kind == "barcode":
                query = query.join(Product, Product.id == ProductBarcode.product_id)
            for code, sku, name in session.execute(query.order_by(Product.id)):
                found.setdefault(code, f"barcode barang {name} (SKU {sku})" if kind == "barcode"
                                 else f"SKU barang {name}")
    return found


def product_holding(session: Session, code: str, *, any_case: bool = False) -> str | None:
    """What product holds ``code`` (``products_holding``), or None."""
    return products_holding(session, [code], any_case=any_case).get(code)


@dataclass(frozen=True)
class Collision:
    """One code held twice: by a product (as its barcode or SKU) and by another product's SKU,
    a member's card or a member's number; what the till finds, and what to do."""

    code: str
    product_id: int
    problem: str
    fix: str
    other_product_id: int | None = None


def collisions(session: Session, product_id: int | None = None) -> list[Collision]:
    """Every code held twice, by code (only those of ``product_id``, on either side, when given)."""
    found = [_described(row) for row in session.execute(_collision_rows(product_id))]
    return sorted(found, key=lambda c: (c.code, c.problem))


def _collision_rows(product_id: int | None):
    held, other = aliased(Product), aliased(Product)
    as_sku = select(ProductBarcode.code, held.id, held.sku, held.name, literal("barcode"),
                    literal("sku"), other.id, other.sku, other.name) \
        .join(held, held.id == ProductBarcode.product_id) \
        .join(other, (other.sku == ProductBarcode.code) & (other.id != held.id))
    first, second = aliased(Product), aliased(Product)   # two SKUs differing only in letter case
    cases = select(first.sku, first.id, first.sku, first.name, literal("sku"), literal("sku_case"),
                   second.id, second.sku, second.name) \
        .join(second, (func.upper(second.sku) == func.upper(first.sku)) & (second.id > first.id))
    # one product's: a part per side, each from that product's row (an OR of the two scanned
    # every barcode and product); the sides never share a row, their ids being unequal
    parts = [as_sku, cases] if product_id is None else [
        as_sku.where(held.id == product_id), as_sku.where(other.id == product_id),
        cases.where(first.id == product_id), cases.where(second.id == product_id)]
    for kind, code in (("barcode", ProductBarcode.code), ("sku", Product.sku)):
        for what in ("card_barcode", "number"):
            query = select(code, Product.id, Product.sku, Product.name, literal(kind), literal(what),
                           member.c.id, member.c.number, member.c.name)
            if kind == "barcode":
                query = query.select_from(ProductBarcode).join(Product,
                                                               Product.id == ProductBarcode.product_id)
            # a number is typed at the till in any case and looked up in capitals
            query = query.join(member, member.c[what] == (func.upper(code) if what == "number" else code))
            parts.append(query if product_id is None else query.where(Product.id == product_id))
    return union_all(*parts)


def _described(row) -> Collision:
    code, product_id, sku, name, kind, other_kind, other_id, other_sku, other_name = row
    held = f"{'barcode' if kind == 'barcode' else 'SKU'} barang {name} (SKU {sku})"
    remove = f"hapus barcode {code} dari {name} (Katalog barang › {name} › Barcode › Hapus)"
    if other_kind == "sku":
        return Collision(
            code, product_id,
            f"{code} adalah {held} dan SKU barang {other_name}; kasir yang memindai atau mengetik "
            f"{code} mendapat {name}, bukan {other_name}.",
            f"Bila {code} bukan barcode di kemasan {name}, {remove}. Bila memang barcodenya, "
            f"nonaktifkan {other_name} dan buat ulang dengan SKU lain (SKU tidak dapat diubah).",
            other_id)
    if other_kind == "sku_case":
        return Collision(
            code, product_id,
            f"SKU {sku} barang {name} dan SKU {other_sku} barang {other_name} hanya berbeda huruf "
            "besar/kecil, sehingga satu kode menemukan dua barang; kasir yang mengetik kode itu bisa "
            "mendapat barang yang salah.",
            "Nonaktifkan salah satunya dan buat ulang dengan SKU lain (SKU tidak dapat diubah).", other_id)
    member_is = f"anggota {other_sku} ({other_name})"
    if other_kind == "card_barcode":
        problem = (f"{code} adalah {held} dan kartu {member_is}; kartu anggota itu terbaca sebagai "
                   f"{name} di kasir.")
        fix = (f"Beri {member_is} kartu baru: di halaman Anggota kosongkan Kartu, simpan, lalu "
               "Beri kartu dan cetak kartunya")
    else:
        problem = (f"{code} adalah {held} dan nomor {member_is}; nomor anggota itu yang diketik di "
                   f"kolom pindai kasir terbaca sebagai {name}.")
        fix = f"Ubah Nomor anggota {other_sku} di halaman Anggota"
    if kind == "barcode":
        fix += f", atau {remove} bila barcode itu salah ketik"
    return Collision(code, product_id, problem, fix + ".")
