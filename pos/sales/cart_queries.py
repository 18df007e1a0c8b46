"""Prebuilt Core statements for the till's hot path (scan, cart render, checkout).

Building a statement and running it through the ORM layer costs several times
what SQLite spends on it (../shared/docs/PERF-FLOORS.md); these are built once and run
on the cursor of ``session.connection()`` (``pos.sql_direct.Direct``: ``first``, ``all``,
``run``) with bound parameters, and return plain rows.  Python-side column defaults are
not filled in on this path: the writes below name every such column.
"""
from sqlalchemy import bindparam, false, select

from pos.het.service import ceiling_column
from pos.inventory.catalog.models import Product
from pos.inventory.models import StockLevel
from pos.members.models import Member
from pos.prices.rules import RULE_COLUMNS, with_rules
from pos.sales.models import Cart, CartLine, Sale
from pos.shifts.gate import own_shift_day
from pos.sql_direct import Direct, DirectInsert

cart_t, line_t = Cart.__table__, CartLine.__table__
product_t, level_t, member_t = Product.__table__, StockLevel.__table__, Member.__table__

CART_OF_TILL = Direct(select(cart_t.c.id, cart_t.c.member_id, cart_t.c.cashier_id).where(
    cart_t.c.till_id == bindparam("till")))
# ... and the day of the shift ``cashier`` holds open at the till, if any (a date bound costs
# more than this look-up: the day is compared in Python).
CART_TO_FILL = Direct(select(cart_t.c.id, cart_t.c.member_id, cart_t.c.cashier_id,
                             own_shift_day(cart_t.c.till_id).label("shift_day"))
                      .where(cart_t.c.till_id == bindparam("till")))

# A scan goes on the product's line unless that line has a discount or a price of its own: those
# were given (and approved) for its quantity then, so more units go on a new line at the price.
SAME_LINE = Direct(select(line_t.c.id, line_t.c.qty).where(
    line_t.c.cart_id == bindparam("cart"), line_t.c.product_id == bindparam("product"),
    line_t.c.unit_price == bindparam("price"), line_t.c.fixed_amount.is_(None),
    line_t.c.price_override.is_(None), line_t.c.discount_bp == 0, line_t.c.discount_amount == 0,
    line_t.c.below_cost_ok == false()))

RAISE_LINE = Direct(line_t.update().where(line_t.c.id == bindparam("line")).values(
    qty=line_t.c.qty + bindparam("add")))

# The columns with a default the cart leaves as they are start at it here (this path fills in
# none): a new line has no discount of its own.
INSERT_LINE = DirectInsert(line_t, returning=line_t.c.id, discount_bp=0, discount_amount=0,
                           discount_approved=False, discount_approved_off=0, below_cost_ok=False)

# Read by position in ``cart_pricing.to_line_input`` (the first 19 columns, then the product's
# price rules, ``pos.prices.rules.RULE_COLUMNS``, last): keep the order.  Between them, read by
# name in ``regulation``: what makes a line regulated (drug class, most per sale, subsidised
# fertiliser, LPG, limit rule) and the line's prescription.  ``het`` is the ceiling in force
# on the day ``het_day`` in the zone ``het_zone`` (``pos.het.service.sql_params``).
LINES = Direct(
    select(line_t.c.id.label("line_id"), line_t.c.qty, line_t.c.unit_price,
           line_t.c.fixed_amount, line_t.c.manual, line_t.c.price_override, line_t.c.discount_bp,
           line_t.c.discount_amount, line_t.c.below_cost_ok, line_t.c.adjust_reason,
           product_t.c.id, product_t.c.sku, product_t.c.name,
           product_t.c.base_unit, product_t.c.tax_class, product_t.c.cost,
           ceiling_column(product_t.c.id),
           product_t.c.business_unit, product_t.c.category_id, product_t.c.stock_policy,
           product_t.c.batch_tracked, product_t.c.active, level_t.c.on_hand,
           product_t.c.drug_class, product_t.c.max_per_sale, product_t.c.subsidy, product_t.c.lpg,
           product_t.c.limit_rule_id, line_t.c.rx_number, line_t.c.pharmacist_id,
           line_t.c.rx_qty, line_t.c.discount_approved, line_t.c.discount_approved_off, *RULE_COLUMNS)
    .select_from(with_rules(line_t.join(product_t, product_t.c.id == line_t.c.product_id)
                            .join(level_t, level_t.c.product_id == product_t.c.id)))
    .where(line_t.c.cart_id == bindparam("cart"))
    .order_by(line_t.c.id)
)

# The till's cart with what prices it: the member (and whether active) and the sale discount.
_HEAD = (cart_t.c.id, cart_t.c.member_id, cart_t.c.cashier_id, cart_t.c.discount_bp,
         cart_t.c.discount_amount, cart_t.c.discount_reason, cart_t.c.discount_approved,
         cart_t.c.discount_approved_off, member_t.c.number.label("member_number"),
         member_t.c.name.label("member_name"), member_t.c.active.label("member_active"),
         member_t.c.nik.label("member_nik"), cart_t.c.buyer_nik, cart_t.c.buyer_name,
         cart_t.c.buyer_category, cart_t.c.proxy_name, cart_t.c.proxy_nik, cart_t.c.proxy_relation)
CART_HEAD = Direct(select(*_HEAD).select_from(
    cart_t.outerjoin(member_t, member_t.c.id == cart_t.c.member_id)).where(
    cart_t.c.till_id == bindparam("till")))
CART_TERMS = Direct(select(*_HEAD).select_from(
    cart_t.outerjoin(member_t, member_t.c.id == cart_t.c.member_id)).where(
    cart_t.c.id == bindparam("cart")))

# At checkout: the till's cart with what prices it (``_HEAD``) and the sale (if any) already
# made with the checkout key, in one round trip.
_sale_t = Sale.__table__
CART_AND_KEY = Direct(select(
    *_HEAD, select(_sale_t.c.id).where(_sale_t.c.idempotency_key == bindparam("key"))
    .scalar_subquery().label("done")).select_from(
    cart_t.outerjoin(member_t, member_t.c.id == cart_t.c.member_id)).where(
    cart_t.c.till_id == bindparam("till")))

MEMBER = Direct(select(member_t.c.id, member_t.c.number, member_t.c.name, member_t.c.active).where(
    member_t.c.id == bindparam("member")))

CLEAR_LINES = Direct(line_t.delete().where(line_t.c.cart_id == bindparam("cart")))
# The cart's ``updated_at`` is set by hand (``now``), as its ``onupdate`` would.
ADOPT = Direct(cart_t.update().where(cart_t.c.id == bindparam("cart"))
               .values(cashier_id=bindparam("cashier"), updated_at=bindparam("now")))
HAS_LINES = Direct(select(line_t.c.id).where(line_t.c.cart_id == bindparam("cart")).limit(1))
# After a sale or on request: the member, the buyer of regulated goods and the discount on the
# whole sale go with the lines; the next sale starts with none of them.
RESET_TERMS = Direct(cart_t.update().where(cart_t.c.id == bindparam("cart")).values(
    member_id=None, buyer_nik=None, buyer_name=None, buyer_category=None, proxy_name=None,
    proxy_nik=None, proxy_relation=None, discount_bp=0, discount_amount=0, discount_reason=None,
    discount_approved=False, discount_approved_off=0, updated_at=bindparam("now")))

