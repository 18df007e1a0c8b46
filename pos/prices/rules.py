"""Reading price rules: ``rules_for`` (one prebuilt Core query), the same columns for the
till's cart query (``RULE_COLUMNS``, ``with_rules``, ``resolve``: no extra round trip on a
scan), and the member discounts as the till shows them.

The member discount of a product is its category's rule when there is one, else its
business unit's rule, else none.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import String, bindparam, cast, func, literal_column, select
from sqlalchemy.orm import Session, aliased

from pos.inventory.catalog.models import Category, Product
from pos.money import format_rate
from pos.prices.models import MemberDiscount, MemberPrice, PriceTier


@dataclass(frozen=True)
class ProductRules:
    member_price: int | None = None
    member_bp: int = 0
    tiers: tuple[tuple[int, int], ...] = ()  # (minimum qty in base units, unit price), ascending


NONE = ProductRules()

_product_t, _price_t, _tier_t = Product.__table__, MemberPrice.__table__, PriceTier.__table__
_by_cat, _by_unit = aliased(MemberDiscount.__table__), aliased(MemberDiscount.__table__)

# A product's tiers as one text ("40:3200,100:3100"), so its rules fit on one row.  The
# separator is SQL text: given as a string it is a literal bound anew into the statement's
# text on every execution (SQLAlchemy's post-compile step), on every scan.
_TIERS_TEXT = (select(func.aggregate_strings(
    cast(_tier_t.c.min_qty, String) + ":" + cast(_tier_t.c.price, String), literal_column("','")))
    .where(_tier_t.c.product_id == _product_t.c.id).scalar_subquery())
# The columns ``resolve`` reads, in order, and the joins they need (``with_rules``): a query
# that already reads ``product`` (the cart's lines) gets the rules in the same round trip.
RULE_COLUMNS = (_price_t.c.price.label("member_price"), _by_cat.c.rate_bp.label("cat_bp"),
                _by_unit.c.rate_bp.label("unit_bp"), _TIERS_TEXT.label("tiers"))


def with_rules(from_clause):
    """``from_clause`` (which holds ``product``) outer-joined to the rule tables."""
    return (from_clause
            .outerjoin(_price_t, _price_t.c.product_id == _product_t.c.id)
            .outerjoin(_by_cat, _by_cat.c.category_id == _product_t.c.category_id)
            .outerjoin(_by_unit, _by_unit.c.business_unit == _product_t.c.business_unit))


def resolve(member_price: int | None, cat_bp: int | None, unit_bp: int | None,
            tiers: str | None) -> ProductRules:
    """The ``RULE_COLUMNS`` of one product as its rules: the category's rate over the unit's."""
    bp = cat_bp if cat_bp is not None else unit_bp or 0
    if member_price is None and not bp and not tiers:
        return NONE
    steps = tuple(sorted((int(q), int(p)) for q, p in (t.split(":") for t in tiers.split(",")))) \
        if tiers else ()
    return ProductRules(member_price, bp, steps)


_BY_IDS = (select(_product_t.c.id, *RULE_COLUMNS).select_from(with_rules(_product_t))
           .where(_product_t.c.id.in_(bindparam("ids", expanding=True))))


def rules_for(session: Session, product_ids) -> dict[int, ProductRules]:
    """The price rules of each product (``NONE`` when it has none), in one query."""
    ids = sorted(set(product_ids))
    if not ids:
        return {}
    return {pid: resolve(*rest) for pid, *rest in session.connection().execute(
        _BY_IDS, {"ids": ids})}


def member_discounts(session: Session) -> list[tuple[str, int]]:
    """(what, rate) of every member discount: business units first, then categories by name."""
    units = session.execute(
        select(MemberDiscount.business_unit, MemberDiscount.rate_bp)
        .where(MemberDiscount.business_unit.is_not(None))).all()
    cats = session.execute(
        select(Category.name, MemberDiscount.rate_bp)
        .join(Category, Category.id == MemberDiscount.category_id).order_by(Category.name)).all()
    order = {"sembako": 0, "pupuk": 1, "apotek": 2, "umkm": 3, "lainnya": 4}
    shown = sorted(((u.value, bp) for u, bp in units), key=lambda x: order.get(x[0], 9))
    return shown + [(f"kategori {name}", bp) for name, bp in cats]


def describe(discounts: list[tuple[str, int]]) -> str:
    """``Diskon anggota: sembako 3%, pupuk 0%`` for the till."""
    if not discounts:
        return "Diskon anggota: tidak ada"
    return "Diskon anggota: " + ", ".join(f"{what} {format_rate(bp)}%" for what, bp in discounts)
