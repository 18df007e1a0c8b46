"""Setting price rules (the manager's screens): member discounts per business unit and per
category, a member price per product, quantity tiers (harga grosir) per product.

Every value is checked before anything is written, so a refused form changes nothing;
every change is logged in ``PriceRuleChange`` (who, when, old, new).  A member price or a
tier under the cost (on a PKP outlet's inclusive prices, the cost with its PPN) is refused
unless the manager confirms it (``below_cost_ok``); one
above the HET, or not below the selling price, is always refused.
"""
from __future__ import annotations

import re
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from pos.auth.models import User
from pos.clock import utcnow
from pos.errors import PosError
from pos.het.service import lowest_from
from pos.inventory.catalog.models import BusinessUnit, Category, Product
from pos.inventory.catalog.products import get_product
from pos.inventory.catalog.tax import NO_TAX, TaxSettings
from pos.money import format_rupiah as rp
from pos.prices.models import MemberDiscount, MemberPrice, PriceRuleChange, PriceTier
from pos.units import BaseUnit, format_number

MAX_TIERS = 10
_RATE = re.compile(r"^([0-9]{1,3})(?:[.,]([0-9]{1,2}))?\s*%?$")


class PriceRuleError(PosError):
    pass


class BelowCost(PriceRuleError):
    """A member price or tier under the cost: saved only when the manager confirms it."""


def parse_rate(text: str | None, label: str) -> int | None:
    """``2,5`` / ``2.5%`` -> 250 basis points; blank -> None (no rule)."""
    raw = (text or "").strip()
    if not raw:
        return None
    match = _RATE.fullmatch(raw)
    bp = int(match.group(1)) * 100 + int((match.group(2) or "0").ljust(2, "0")) if match else -1
    if not 0 <= bp <= 10_000:
        raise PriceRuleError(f"Diskon {label}: tulis persen 0 sampai 100, misalnya 2,5.")
    return bp


def _log(session: Session, user_id: int | None, kind: str, old, new, **scope) -> None:
    session.add(PriceRuleChange(kind=kind, old=old, new=new, changed_by=user_id, **scope))


def set_member_discounts(session: Session, units: dict[str, str], categories: dict[int, str],
                         user_id: int | None) -> int:
    """Rates typed per business unit and per category id (blank: no rule); returns changes."""
    unit_rates = {}
    for key, text in units.items():
        try:
            unit = BusinessUnit(key)
        except ValueError:
            raise PriceRuleError("Unit usaha tidak dikenal.", 400) from None
        unit_rates[unit] = parse_rate(text, unit.value)
    names = dict(session.execute(select(Category.id, Category.name)
                                 .where(Category.id.in_(list(categories)))).all())
    if set(categories) - set(names):
        raise PriceRuleError("Kategori tidak ditemukan.", 400)
    cat_rates = {cid: parse_rate(text, f"kategori {names[cid]}") for cid, text in categories.items()}
    rows = session.scalars(select(MemberDiscount)).all()
    by_unit = {r.business_unit: r for r in rows if r.business_unit is not None}
    by_cat = {r.category_id: r for r in rows if r.category_id is not None}
    changes = 0
    for scope, rates, existing, kind in (("business_unit", unit_rates, by_unit, "diskon_unit"),
                                         ("category_id", cat_rates, by_cat, "diskon_kategori")):
        for key, bp in rates.items():
            row = existing.get(key)
            old = row.rate_bp if row is not None else None
            if old == bp:
                continue
            if bp is None:
                session.delete(row)
            elif row is None:
                session.add(MemberDiscount(**{scope: key}, rate_bp=bp, updated_by=user_id))
            else:
                row.rate_bp, row.updated_by = bp, user_id
            logged = key.value if scope == "business_unit" else key
            _log(session, user_id, kind, old, bp, **{scope: logged})
            changes += 1
    session.flush()
    return changes


def _floor(product: Product, tax: TaxSettings | None) -> int:
    """The cost a price must cover: on a PKP outlet's inclusive prices with the PPN inside it, as
    the till's discounts stop there (``pricing._cost``)."""
    return (tax or NO_TAX).cost_floor(product.cost, product.tax_class)


def _check_price(product: Product, price: int, what: str, below_cost_ok: bool,
                 het: int | None = None, tax: TaxSettings | None = None) -> None:
    if price <= 0:
        raise PriceRuleError(f"{what} harus lebih dari nol.")
    if price >= product.price:
        raise PriceRuleError(f"{what} {rp(price)} harus di bawah harga jual {rp(product.price)}.")
    if het is not None and price > het:
        raise PriceRuleError(f"{what} {rp(price)} melebihi HET {rp(het)} (yang berlaku atau "
                             "yang terjadwal).")
    floor = _floor(product, tax)
    if price < floor and not below_cost_ok:
        taxed = f" (dengan PPN {rp(floor)})" if floor != product.cost else ""
        raise BelowCost(f"{what} {rp(price)} di bawah harga pokok {rp(product.cost)}{taxed}. Bila "
                        "memang disengaja, centang konfirmasinya lalu simpan lagi.")


def _ceiling(session: Session, product_id: int, day: date | None, zone: str | None) -> int | None:
    """The lowest ceiling (HET) from ``day`` on in ``zone``: in force or scheduled."""
    return lowest_from(session, product_id, day or utcnow().date(), zone)


def set_member_price(session: Session, product_id: int, price: int | None, user_id: int | None,
                     below_cost_ok: bool = False, *, day: date | None = None,
                     zone: str | None = None, tax: TaxSettings | None = None) -> bool:
    """Set (or with None remove) a product's member price; True when it changed.  Never above
    a ceiling (HET) in force on ``day`` in ``zone`` or scheduled after it; under the cost (with
    its PPN on a PKP outlet, ``tax``) only when confirmed."""
    product = get_product(session, product_id)
    row = session.get(MemberPrice, product_id)
    old = row.price if row is not None else None
    if old == price:
        return False
    if price is None:
        session.delete(row)
    else:
        _check_price(product, price, "Harga anggota", below_cost_ok,
                     _ceiling(session, product_id, day, zone), tax)
        if row is None:
            session.add(MemberPrice(product_id=product_id, price=price, updated_by=user_id))
        else:
            row.price, row.updated_by = price, user_id
    _log(session, user_id, "harga_anggota", old, price, product_id=product_id,
         below_cost=price is not None and price < _floor(product, tax))
    session.flush()
    return True


def tiers_of(session: Session, product_id: int) -> list[PriceTier]:
    return list(session.scalars(select(PriceTier).where(PriceTier.product_id == product_id)
                                .order_by(PriceTier.min_qty)))


def qty_text(qty: int, unit: BaseUnit) -> str:
    return f"{format_number(qty)} pcs" if unit is BaseUnit.PCS else unit.format(qty)


def add_tier(session: Session, product_id: int, min_qty: int, price: int, user_id: int | None,
             below_cost_ok: bool = False, *, day: date | None = None,
             zone: str | None = None, tax: TaxSettings | None = None) -> None:
    """Add a tier (or change the price of the tier with the same minimum quantity); never
    above a ceiling (HET) in force on ``day`` in ``zone`` or scheduled after it; under the
    cost (with its PPN, ``tax``) only when confirmed."""
    product = get_product(session, product_id)
    if min_qty < 2:
        raise PriceRuleError("Jumlah minimal grosir harus lebih dari 1.")
    if min_qty > 1_000_000_000:
        raise PriceRuleError("Jumlah minimal grosir terlalu besar.")
    _check_price(product, price, "Harga grosir", below_cost_ok,
                 _ceiling(session, product_id, day, zone), tax)
    tiers = {t.min_qty: t for t in tiers_of(session, product_id)}
    wanted = {q: t.price for q, t in tiers.items()} | {min_qty: price}
    if len(wanted) > MAX_TIERS:
        raise PriceRuleError(f"Paling banyak {MAX_TIERS} harga grosir per barang.")
    ordered = sorted(wanted.items())
    for (q1, p1), (q2, p2) in zip(ordered, ordered[1:], strict=False):
        if p2 >= p1:
            raise PriceRuleError(
                f"Harga grosir harus makin murah untuk jumlah yang makin besar: mulai "
                f"{qty_text(q2, product.base_unit)} {rp(p2)}, padahal mulai "
                f"{qty_text(q1, product.base_unit)} sudah {rp(p1)}.")
    row = tiers.get(min_qty)
    old = row.price if row is not None else None
    if old == price:
        return
    if row is None:
        session.add(PriceTier(product_id=product_id, min_qty=min_qty, price=price, updated_by=user_id))
    else:
        row.price, row.updated_by = price, user_id
    _log(session, user_id, "grosir", old, price, product_id=product_id, min_qty=min_qty,
         below_cost=price < _floor(product, tax))
    session.flush()


def remove_tier(session: Session, product_id: int, tier_id: int, user_id: int | None) -> None:
    tier = session.get(PriceTier, tier_id)
    if tier is None or tier.product_id != product_id:
        raise PriceRuleError("Harga grosir tidak ditemukan (mungkin sudah dihapus).", 404)
    _log(session, user_id, "grosir", tier.price, None, product_id=product_id, min_qty=tier.min_qty)
    session.execute(delete(PriceTier).where(PriceTier.id == tier_id))
    session.flush()


KINDS = {"diskon_unit": "Diskon unit usaha", "diskon_kategori": "Diskon kategori",
         "harga_anggota": "Harga anggota", "grosir": "Harga grosir"}


def history(session: Session, product_id: int | None = None, limit: int = 100) -> list[dict]:
    """Rule changes, newest first, with who made them (one product's, or all)."""
    query = (select(PriceRuleChange, User.full_name, Category.name, Product.name,
                    Product.base_unit)
             .outerjoin(User, User.id == PriceRuleChange.changed_by)
             .outerjoin(Category, Category.id == PriceRuleChange.category_id)
             .outerjoin(Product, Product.id == PriceRuleChange.product_id)
             .order_by(PriceRuleChange.changed_at.desc(), PriceRuleChange.id.desc()).limit(limit))
    if product_id is not None:
        query = query.where(PriceRuleChange.product_id == product_id)
    out = []
    for change, by, category, product, unit in session.execute(query):
        scope = change.business_unit or (f"kategori {category}" if category else "") \
            or (product if product_id is None and product else "")
        out.append({"kind": KINDS.get(change.kind, change.kind), "raw_kind": change.kind,
                    "scope": scope, "min_qty": change.min_qty, "old": change.old,
                    "qty": qty_text(change.min_qty, unit) if change.min_qty and unit else "",
                    "new": change.new, "by": by, "changed_at": change.changed_at,
                    "below_cost": change.below_cost, "product_id": change.product_id})
    return out


def products_with_rules(session: Session, limit: int = 200) -> list[dict]:
    """Products that have a member price or tiers, by name."""
    with_price = select(MemberPrice.product_id)
    with_tier = select(PriceTier.product_id)
    rows = session.execute(
        select(Product.id, Product.sku, Product.name, Product.price, Product.base_unit,
               MemberPrice.price.label("member_price"))
        .outerjoin(MemberPrice, MemberPrice.product_id == Product.id)
        .where(Product.id.in_(with_price.union(with_tier)))
        .order_by(Product.name).limit(limit)).all()
    counts: dict[int, int] = {}
    for (pid,) in session.execute(select(PriceTier.product_id).where(
            PriceTier.product_id.in_([r.id for r in rows]))):
        counts[pid] = counts.get(pid, 0) + 1
    return [{**r._asdict(), "tiers": counts.get(r.id, 0)} for r in rows]
