"""The server-side cart of a till: add lines, change, remove, clear, attach a member, view.

Each till has exactly one cart row; its lines survive reloads and browser
crashes.  Adding a product that is already in the cart (at the same price)
raises that line's quantity instead of adding a new line.  What a scanned code
stands for (a product, a weighed good, a member card) is decided in ``scanning``.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from pos.clock import utcnow
from pos.errors import NotFound, PosError
from pos.inventory import stock
from pos.inventory.catalog.lookup import ScanHit
from pos.inventory.catalog.models import Product
from pos.pharmacy.rules import NEVER_SOLD, DrugRefused, never_sold
from pos.prices.rules import describe, member_discounts
from pos.sales import cart_queries as q
from pos.sales import cart_rx, discount_limit, pricing, regulation
from pos.sales.cart_pricing import Terms, lines_for_pricing, price_rows, terms_of
from pos.sales.cart_pricing import to_line_input as to_line_input  # re-exported for callers
from pos.sales.cart_view import CartRow, CartView  # what the till draws (re-exported)
from pos.sales.models import Cart, CartLine
from pos.shifts import gate
from pos.tills import service as tills
from pos.tills.models import Till
from pos.units import BaseUnit


class CartError(PosError):
    pass


class NoShift(CartError):
    """Nothing goes on a cart outside its cashier's own open shift: an old till page reloads."""
    status = 409
    reload = True


def cart_of(session: Session, till_id: int) -> tuple[int, int | None]:
    """(cart id, attached member id) of the till, creating its cart on first use."""
    return cart_row(session, till_id)[:2]


def cart_row(session: Session, till_id: int) -> tuple[int, int | None, int | None]:
    """(cart id, member id, cashier id) of the till's cart, created on first use."""
    row = q.CART_OF_TILL.first(session.connection(), {"till": till_id})
    if row is None:
        if session.get(Till, till_id) is None:
            raise NotFound("Mesin kasir tidak ditemukan.")
        cart_id = session.execute(insert(Cart).values(till_id=till_id).returning(Cart.id)).scalar_one()
        return cart_id, None, None
    return row.id, row.member_id, row.cashier_id


LEFT_BEHIND = ("Keranjang ini berisi belanjaan dari kasir lain. Pilih dulu: lanjutkan atau "
               "kosongkan keranjang itu.")


def claim(session: Session, till_id: int, cashier_id: int, day: date | None = None) -> int:
    """The till's cart for ``cashier_id``: an empty cart becomes theirs; one with lines left by
    another cashier is refused until they go on with it or empty it.  With ``day``, filled only
    in the cashier's own shift open here on that business day (else ``NoShift``), which the
    statement finding the cart asks too: a scan makes no second round trip.  Returns its id."""
    row = None if day is None else q.CART_TO_FILL.first(
        session.connection(), {"till": till_id, "cashier": cashier_id})
    if day is not None and (row is None or row.shift_day is None or row.shift_day != day):
        try:
            gate.require(session, till_id=till_id, user_id=cashier_id, day=day)
        except PosError as refused:   # no shift, another's, another day's, a closed day
            raise NoShift(refused.message) from None
    cart_id, _, owner = cart_row(session, till_id) if row is None else row[:3]
    if owner == cashier_id:
        return cart_id
    conn = session.connection()
    if owner is not None and q.HAS_LINES.first(conn, {"cart": cart_id}) is not None:
        raise CartError(LEFT_BEHIND, 409)
    q.ADOPT.run(conn, {"cart": cart_id, "cashier": cashier_id, "now": utcnow()})
    return cart_id


def cart_id_for(session: Session, till_id: int) -> int:
    return cart_of(session, till_id)[0]


# Largest quantity one cart line may hold, per base unit: guards against typos
# such as a price typed into the quantity field (5 tonnes covers a farmer group's fertiliser).
DEFAULT_LIMITS = {"pcs": 10_000, "gram": 5_000_000, "ml": 5_000_000}


def check_qty(qty: int, base_unit: str, limits: dict[str, int]) -> None:
    if qty <= 0:
        raise CartError("Jumlah harus lebih dari nol.")
    limit = limits.get(base_unit, DEFAULT_LIMITS["pcs"])
    if qty > limit:   # as the till writes it: 6.000 kg, never 6.000.000 gram
        unit = BaseUnit(base_unit)
        raise CartError(f"Jumlah {unit.with_unit(qty)} terlalu besar "
                        f"(paling banyak {unit.with_unit(limit)}).")


def add(session: Session, till_id: int, hit: ScanHit, *, times: int = 1,
        limits: dict[str, int] = DEFAULT_LIMITS, today: date | None = None,
        manual: bool = False, cashier_id: int | None = None) -> int:
    """Put ``times`` scans of ``hit`` in the till's cart; returns the line it went on.

    With ``today``, a batch-tracked product is checked against its unexpired
    batches right away, so the cashier hears about expired stock at the scan.
    ``manual`` marks a weight typed by the cashier.  With ``cashier_id`` the cart must be
    theirs (``claim``), and with ``today`` too, their open shift's of that day.
    """
    qty = hit.qty * times
    check_qty(qty, hit.base_unit, limits)
    cart_id = claim(session, till_id, cashier_id, today) if cashier_id is not None \
        else cart_id_for(session, till_id)
    if today is not None and hit.batch_tracked:
        _check_sellable(session, cart_id, hit.product_id, hit.name, qty, today)
    conn = session.connection()
    new_line = {"cart_id": cart_id, "product_id": hit.product_id, "qty": qty,
                "unit_price": hit.price, "fixed_amount": hit.fixed_amount, "manual": manual,
                "added_at": utcnow()}
    if not hit.merge:
        return q.INSERT_LINE.scalar(conn, new_line)
    same = q.SAME_LINE.first(conn, {"cart": cart_id, "product": hit.product_id, "price": hit.price})
    if same is None:
        return q.INSERT_LINE.scalar(conn, new_line)
    check_qty(same.qty + qty, hit.base_unit, limits)
    q.RAISE_LINE.run(conn, {"line": same.id, "add": qty})
    return same.id


def _check_sellable(session: Session, cart_id: int, product_id: int, name: str, qty: int,
                    today: date, *, but: int | None = None) -> None:
    """``qty`` more than the cart's other lines (``but`` the one changed) in unexpired batches."""
    in_cart = int(session.scalar(select(func.coalesce(func.sum(CartLine.qty), 0)).where(   # PG: numeric
        CartLine.cart_id == cart_id, CartLine.product_id == product_id, CartLine.id != (but or 0))) or 0)
    try:
        stock.allocate(stock.batches_of(session, product_id), in_cart + qty, today, name)
    except stock.OutOfStock:   # a drug never sold is said as such, not as stock short (none kept)
        drug = session.scalar(select(Product.drug_class).where(Product.id == product_id))
        if drug in NEVER_SOLD:
            raise DrugRefused(never_sold(name, drug)) from None
        raise


def line_unit(session: Session, till_id: int, line_id: int) -> BaseUnit:
    """The line's product base unit, if the line belongs to this till's cart."""
    unit = session.execute(
        select(Product.base_unit).join(CartLine, CartLine.product_id == Product.id)
        .join(Cart, Cart.id == CartLine.cart_id)
        .where(CartLine.id == line_id, Cart.till_id == till_id)
    ).scalar()
    if unit is None:
        raise NotFound("Baris belanja tidak ditemukan (mungkin sudah dihapus).")
    return BaseUnit(unit)


def set_qty(session: Session, till_id: int, line_id: int, qty: int,
            limits: dict[str, int] = DEFAULT_LIMITS, today: date | None = None) -> None:
    """Change a line's quantity; a label's printed price cannot be re-weighed here, and a
    weighed good's weight is typed only where the till allows typed weights (the line then
    says so, as ``weigh_manual``'s do). With ``today`` a batch-tracked good is checked against
    its unexpired batches, as a scan is."""
    check_qty(qty, line_unit(session, till_id, line_id).value, limits)
    line = session.execute(
        select(CartLine.cart_id, CartLine.fixed_amount, Product.id, Product.name, Product.weighed,
               Product.batch_tracked).join(Product, Product.id == CartLine.product_id)
        .where(CartLine.id == line_id)).one()
    if line.fixed_amount is not None:
        raise CartError("Baris ini dari label berharga tetap; hapus lalu pindai ulang labelnya.")
    if today is not None and line.batch_tracked:
        _check_sellable(session, line.cart_id, line.id, line.name, qty, today, but=line_id)
    values: dict = {"qty": qty}
    if line.weighed:
        if not tills.get_till(session, till_id).manual_weight:
            raise CartError("Berat barang timbang tidak dapat diketik di kasir ini; hapus "
                            "barisnya lalu timbang ulang atau pindai labelnya.", 403)
        values["manual"] = True  # a typed weight: "berat manual" on screen, "(manual)" on paper
    session.execute(update(CartLine).where(CartLine.id == line_id).values(**values))


def remove(session: Session, till_id: int, line_id: int) -> None:
    line_unit(session, till_id, line_id)
    session.execute(delete(CartLine).where(CartLine.id == line_id))


def clear(session: Session, till_id: int) -> None:
    """Empty the till's cart and take the member off it."""
    close(session, cart_id_for(session, till_id))


def close(session: Session, cart_id: int, terms_set: bool = True) -> None:
    """Empty a cart by id (after its sale, or on request); the member, the buyer and the sale
    discount go too (``terms_set=False`` skips that write when none of them is on it)."""
    conn = session.connection()
    q.CLEAR_LINES.run(conn, {"cart": cart_id})
    if terms_set:
        q.RESET_TERMS.run(conn, {"cart": cart_id, "now": utcnow()})


def for_checkout(session: Session, till_id: int, key: str, cashier_id: int | None = None
                 ) -> tuple[int, int | None, int | None, Terms]:
    """(cart id, member id, id of a sale already made with ``key``, what prices the cart) in
    one round trip; a cart left by another cashier is refused until it is taken over."""
    row = q.CART_AND_KEY.first(session.connection(), {"till": till_id, "key": key})
    if row is None:
        return (*cart_of(session, till_id), None, Terms())
    if row.done is None and cashier_id is not None and row.cashier_id not in (None, cashier_id):
        raise CartError(LEFT_BEHIND, 409)
    return row.id, row.member_id, row.done, terms_of(row)


def view(session: Session, till_id: int, tax: pricing.TaxSettings, *, today: date | None = None,
         strict: bool = True) -> CartView:
    """The till's cart priced for its buyer: the lines, the totals and the member.

    With ``today`` the regulated goods on it are checked (``regulation.check``): after a
    change (``strict``) what may not be sold raises, and the change rolls back with it; a
    page read (``strict=False``) only notes it.
    """
    head = q.CART_HEAD.first(session.connection(), {"till": till_id})
    if head is None:  # no cart yet: nothing to show, and a read makes none
        return empty_view(tax)
    terms = terms_of(head)
    found = lines_for_pricing(session, head.id, today, tax.het_zone)
    notes = () if today is None else \
        tuple(regulation.check(session, found, terms, today, strict=strict))
    priced, totals = price_rows(session, found, tax, terms, head.id)
    rx = cart_rx.labels(session, found)
    rows = [CartRow(row.line_id, row.id, row.sku, row.name, row.qty, line.unit_price,
                    row.base_unit, line.amount, row.on_hand, row.manual, pricing.list_price(line.line),
                    line.discount, line.member_saving, line.reason, rx.get(row.line_id))
            for row, line in zip(found, priced, strict=True)]
    member, discounts = None, None
    if terms.member_id is not None:
        member = (terms.member_id, terms.member_number, terms.member_name)
        if terms.member_active:
            discounts = describe(member_discounts(session))
    return CartView(rows, totals, priced, member, terms.member_active, discounts, terms=terms,
                    notes=notes, grants=discount_limit.grants_of(found, terms))


def empty_view(tax: pricing.TaxSettings) -> CartView:
    """The cart right after a sale: nothing to query."""
    return CartView([], pricing.totals([], tax), [], None)


def put_member(session: Session, till_id: int, member_id: int | None) -> None:
    session.execute(update(Cart).where(Cart.id == cart_id_for(session, till_id))
                    .values(member_id=member_id))


def detach_member(session: Session, till_id: int) -> None:
    put_member(session, till_id, None)
