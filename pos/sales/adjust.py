"""Manual changes to a sale at the till: a line's price, a line discount, a sale discount.

These write the cart's own columns (``CartLine.price_override``, ``discount_bp`` /
``discount_amount``, ``below_cost_ok``, ``Cart.discount_*``); ``pricing.decide`` prices
them.  What a cashier may do alone: a discount up to ``limit_bp`` of the line (or the
sale), the cart's manual discounts together (every line's and the sale's the cashier gave
alone: not one a manager approved) up to ``limit_bp`` of the lines before them
(``discount_limit``), that keeps it at or above cost, and a line a
manager let below cost no lower than they approved it (``pricing.approved_floor``).
Anything more, and every price override, goes through ``approvals.service.authorize``: a
manager does it themselves, or approves it with their PIN at the till, and it is logged.
Even a manager never sets a price above the ceiling (HET), nor below cost without saying so.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pos import money
from pos.approvals.service import Actor, authorize
from pos.clock import utcnow
from pos.errors import NotFound, PosError, typed
from pos.het.service import ceiling_column
from pos.het.service import sql_params as het_params
from pos.inventory.catalog.models import Product
from pos.money import format_rupiah
from pos.sales import cart as carts
from pos.sales import cart_pricing, discount_limit, pricing
from pos.sales.models import Cart, CartLine

BP = money.BP_DENOMINATOR
_PERCENT = re.compile(r"([0-9]{1,3})(?:[,.]([0-9]{1,2}))?\s*%")
UNDER_COST = ("Harga jadi di bawah harga pokok. Centang \"di bawah harga pokok\" bila memang "
              "disengaja.")


class AdjustError(PosError):
    pass


@dataclass(frozen=True)
class Discount:
    """A manual discount: a rate in basis points or an amount in Rupiah (nothing: none)."""

    bp: int = 0
    amount: int = 0

    @property
    def none(self) -> bool:
        return not self.bp and not self.amount

    def text(self) -> str:
        if self.bp:
            return f"{money.format_rate(self.bp)}%"
        return format_rupiah(self.amount)


def parse_discount(text: str, maximum: int = 1_000_000_000) -> Discount:
    """What a cashier types: ``5000``, ``5.000``, ``Rp5.000`` (an amount) or ``10%``, ``12,5%``."""
    raw = (text or "").strip().replace(" ", "")
    if raw in ("", "0", "0%"):
        return Discount()
    percent = _PERCENT.fullmatch(raw)
    if percent:
        bp = int(percent.group(1)) * 100 + int((percent.group(2) or "0").ljust(2, "0"))
        if bp > BP:
            raise AdjustError("Diskon paling besar 100%.")
        return Discount(bp=bp)
    try:
        return Discount(amount=money.parse_rupiah(raw, maximum))
    except money.AmountTooBig:   # an amount, only too big: say how big it may be
        raise AdjustError(f"Diskon terlalu besar (maksimal {format_rupiah(maximum)}).") from None
    except money.MoneyError:
        raise AdjustError("Diskon: tulis jumlah Rupiah (5000) atau persen (10%).") from None


def reason_text(reason: str | None) -> str:
    """The reason typed, its spaces made single; longer than its field is refused."""
    return typed(" ".join((reason or "").split()), 200, "Alasan", AdjustError)


_LINE = (select(CartLine.id, CartLine.cart_id, CartLine.qty, CartLine.unit_price,
                CartLine.fixed_amount, CartLine.price_override, CartLine.discount_bp,
                CartLine.discount_amount, CartLine.below_cost_ok, Product.id.label("product_id"),
                Product.sku, Product.name, Product.base_unit, Product.tax_class, Product.cost,
                ceiling_column(Product.id))
         .join(Product, Product.id == CartLine.product_id)
         .join(Cart, Cart.id == CartLine.cart_id))


def _het(day: date | None, zone: str | None) -> dict:
    """The bind parameters of the ceiling (HET) in force on ``day`` (the business day; the UTC
    date when a caller has none) in ``zone``."""
    return het_params(day or utcnow().date(), zone)


def line_of(session: Session, till_id: int, line_id: int, *, day: date | None = None,
            zone: str | None = None):
    """The line (with its product's name, cost and the HET in force on ``day`` in ``zone``)
    if it is in this till's cart."""
    row = session.execute(_LINE.where(CartLine.id == line_id, Cart.till_id == till_id),
                          _het(day, zone)).first()
    if row is None:
        raise NotFound("Baris belanja tidak ditemukan (mungkin sudah dihapus).")
    return row


def priced_input(session: Session, row, day: date | None = None, zone: str | None = None,
                 tax: pricing.TaxSettings | None = None) -> pricing.LineInput:
    """``line_of``'s line as the cart prices it (its product's rules, the member, the PPN its
    cost floor carries under ``tax``): what the cashier and the manager are shown a discount
    against (``pricing.decide(...).amount``)."""
    return cart_pricing.line_inputs(session, row.cart_id, day, zone, tax)[row.id]


def _under(price: int, row, tax: pricing.TaxSettings | None) -> bool:
    """Is a manager's unit ``price`` for ``line_of``'s line below its cost (with its PPN)?"""
    return pricing.under_cost(price, row.cost, tax.cost_tax_bp(row.tax_class) if tax else 0)


def _sale_note(session: Session, row, tax: pricing.TaxSettings | None, day: date | None,
               zone: str | None, **changes) -> str:
    """The sale discount on the cart reaches a line a manager lets below cost (``changes``, with
    ``below_cost_ok``): what the line then sells at, for the manager to approve with it
    (``diskon nota 5% ikut: baris Rp57.000``); empty when nothing more comes off it."""
    sale = sale_discount_of(session, row.cart_id)
    if sale.none:
        return ""
    lines = cart_pricing.line_inputs(session, row.cart_id, day, zone, tax)
    lines[row.id] = line = lines[row.id]._replace(**changes)
    priced, _ = pricing.price_cart(list(lines.values()), tax or pricing.TaxSettings(),
                                   discount_bp=sale.bp, discount_amount=sale.amount)
    sold = next(p.amount for p in priced if p.line.line_id == row.id)
    if sold >= pricing.decide(line).amount:
        return ""
    return f"diskon nota {sale.text()} ikut: baris {format_rupiah(sold)}"


def line_discount(session: Session, actor: Actor, line_id: int, discount: Discount, *,
                  limit_bp: int, below_cost: bool = False, day: date | None = None,
                  zone: str | None = None, tax: pricing.TaxSettings | None = None) -> None:
    """Set (or, with an empty ``discount``, remove) the line's manual discount."""
    row = line_of(session, actor.till_id, line_id, day=day, zone=zone)
    lines = cart_pricing.line_inputs(session, row.cart_id, day, zone, tax)   # as the cart charges
    line = lines[row.id]

    def amount(**changes) -> int:
        return pricing.decide(line._replace(**changes)).amount

    base = amount(below_cost_ok=True, discount_bp=0, discount_amount=0)
    now = amount()
    if discount.amount > base:
        raise AdjustError(f"Diskon {discount.text()} melebihi harga baris {format_rupiah(base)}.")
    if not discount.none and not actor.reason:
        raise AdjustError("Tulis alasan diskon.")
    wanted = dict(discount_bp=discount.bp, discount_amount=discount.amount)
    after = amount(below_cost_ok=True, **wanted)
    under = not discount.none and pricing.needs_approval(line._replace(below_cost_ok=False, **wanted))
    if under and actor.may("manage") and actor.approval is None and not below_cost:
        raise AdjustError(UNDER_COST)
    sale = sale_discount_of(session, row.cart_id)
    approved_lines, sale_approved = discount_limit.approved(session, row.cart_id, lines)
    alone = discount_limit.within(base - after, base, limit_bp)   # else that alone asks: no note of the rest
    over = "" if discount.none or not alone else discount_limit.together(
        {**lines, row.id: line._replace(**wanted)}, Discount() if sale_approved else sale, limit_bp,
        f"diskon transaksi {sale.text()}", approved_lines - {row.id})
    asked = bool(not discount.none and (under or over or not alone))
    if asked:
        notes = ["di bawah harga pokok", _sale_note(session, row, tax, day, zone, **wanted,
                                                    below_cost_ok=True)] if under else []
        notes = list(filter(None, [*notes, over]))
        note = f" ({'; '.join(notes)})" if notes else ""
        authorize(session, actor, kind="line_discount", cart_id=row.cart_id,
                  what=f"Diskon {discount.text()} untuk {row.name[:100]}{note}"[:200],
                  before=format_rupiah(now), after=format_rupiah(after))
    override_under = row.price_override is not None and _under(row.price_override, row, tax)
    mine = by_manager(actor, asked)   # the manager's up to what they saw come off: ``discount_limit``
    session.execute(update(CartLine).where(CartLine.id == row.id).values(
        **wanted, below_cost_ok=under or override_under, discount_approved=mine,
        discount_approved_off=base - after if mine else 0,
        adjust_reason=None if discount.none else actor.reason))


def by_manager(actor: Actor, asked: bool) -> bool:
    """A discount a manager approved (``asked``: ``authorize`` let it through) or gave: not the
    cashier's own, so not counted in their limit (``discount_limit``)."""
    return asked or actor.may("manage")


def selling_price(session: Session, row, day: date | None = None, zone: str | None = None,
                  tax: pricing.TaxSettings | None = None) -> pricing.Decision:
    """How a ``line_of`` row sells now, as the cart prices it: ``unit_price`` (before a manual
    discount) and why (``reason``: the member's price, a tier, the ceiling (HET), a manager's
    price).  The price form shows it and the approval log's "before" keeps it: a member's
    Rp19.600 is what a new price replaces, not the list's Rp20.000."""
    return pricing.decide(priced_input(session, row, day, zone, tax))


def override_price(session: Session, actor: Actor, line_id: int, price: int | None, *,
                   below_cost: bool = False, day: date | None = None,
                   zone: str | None = None, tax: pricing.TaxSettings | None = None) -> None:
    """Set the line's unit price (always a manager's decision), or give back the list price;
    never above the ceiling (HET) in force on ``day`` in ``zone``.  The new price is what the
    line sells at: a manual discount on the line goes with it (the approved Rp3.000 had sold
    at Rp2.850 under a cashier's 5% given before).  A ceiling below the line's cost is approved
    here too, as the new price at the HET (``discount_limit.below_cost_at_ceiling``)."""
    row = line_of(session, actor.till_id, line_id, day=day, zone=zone)
    if row.fixed_amount is not None:
        raise AdjustError("Baris ini dari label berharga tetap; harganya tidak dapat diubah.")
    if price is None:
        session.execute(update(CartLine).where(CartLine.id == row.id).values(
            price_override=None, below_cost_ok=False))
        return
    if price <= 0:
        raise AdjustError("Harga baru harus lebih dari nol.")
    unit = row.base_unit.price_label if row.base_unit.price_per != 1 else ""
    per = f"/{unit}" if unit else ""
    if row.het is not None and price > row.het:
        raise AdjustError(f"Harga {format_rupiah(price)}{per} di atas HET {format_rupiah(row.het)}{per}; "
                          "tidak boleh.")
    line = priced_input(session, row, day, zone, tax)
    current = pricing.decide(line).unit_price
    dropped = Discount(row.discount_bp, row.discount_amount)   # the manager sees it go too
    # no manager asked, nothing logged, for no change; but the HET under cost is approved so
    if price == current and dropped.none and not pricing.needs_approval(line):
        raise AdjustError(f"Harga baru sama dengan harga sekarang ({format_rupiah(price)}{per}); "
                          "tidak ada yang diubah.")
    if not actor.reason:
        raise AdjustError("Tulis alasan perubahan harga.")
    under = _under(price, row, tax)
    if under and actor.may("manage") and actor.approval is None and not below_cost:
        raise AdjustError(UNDER_COST)
    sale = _sale_note(session, row, tax, day, zone, price_override=price, below_cost_ok=True,
                      discount_bp=0, discount_amount=0) if under else ""
    notes = [note for note, on in (("di bawah harga pokok", under), (sale, sale),
                                   (f"diskon baris {dropped.text()} dihapus", not dropped.none)) if on]
    authorize(session, actor, kind="price_override", cart_id=row.cart_id,
              what=(f"Ubah harga {row.name[:100]}" + (f" ({'; '.join(notes)})" if notes else ""))[:200],
              before=f"{format_rupiah(current)}{per}", after=f"{format_rupiah(price)}{per}")
    session.execute(update(CartLine).where(CartLine.id == row.id).values(
        price_override=price, below_cost_ok=under, adjust_reason=actor.reason, discount_bp=0,
        discount_amount=0, discount_approved=False, discount_approved_off=0))


def sale_discount(session: Session, actor: Actor, discount: Discount, *, limit_bp: int,
                  below_cost: bool = False, day: date | None = None,
                  zone: str | None = None, tax: pricing.TaxSettings | None = None) -> None:
    """Set (or remove) the discount on the whole sale, spread over the lines by pricing."""
    cart_id = carts.cart_id_for(session, actor.till_id)
    values = dict(discount_bp=discount.bp, discount_amount=discount.amount,
                  discount_reason=None if discount.none else actor.reason, discount_approved=False,
                  discount_approved_off=0)
    if discount.none:
        session.execute(update(Cart).where(Cart.id == cart_id).values(**values))
        return
    by_id = cart_pricing.line_inputs(session, cart_id, day, zone, tax)   # as charged
    lines = list(by_id.values())
    if not lines:
        raise AdjustError("Keranjang masih kosong.")
    if not actor.reason:
        raise AdjustError("Tulis alasan diskon.")
    base = sum(pricing.decide(line).amount for line in lines)
    off = money.percent_of(base, discount.bp) + discount.amount
    if off > base:
        raise AdjustError(f"Diskon {discount.text()} melebihi total {format_rupiah(base)}.")
    priced, totals = pricing.price_cart(lines, tax or pricing.TaxSettings(), discount_bp=discount.bp,
                                        discount_amount=discount.amount)
    # short of its cost floors, or lower than a manager let a line go below cost (its Rp60.000
    # sold at Rp57.000 under a cashier's 5%: ``below_cost_ok`` lifts the line's floor)
    under = totals.sale_discount < off or any(p.amount < pricing.approved_floor(p.line) for p in priced)
    if under and actor.may("manage") and actor.approval is None and not below_cost:
        raise AdjustError(UNDER_COST)
    alone = discount_limit.within(off, base, limit_bp)   # else that alone asks: no note of the lines'
    over = discount_limit.together(by_id, discount, limit_bp, "diskon baris",
                                   discount_limit.approved(session, cart_id, by_id)[0]) if alone else ""
    if under or over or not alone:
        notes = [note for note, on in (("di bawah harga pokok", under), (over, over)) if on]
        note = f" ({'; '.join(notes)})" if notes else ""
        authorize(session, actor, kind="sale_discount", cart_id=cart_id,
                  what=f"Diskon transaksi {discount.text()}{note}",
                  before=format_rupiah(base), after=format_rupiah(base - off))
    if under:  # the manager approved the lines going below cost for this discount
        session.execute(update(CartLine).where(CartLine.cart_id == cart_id)
                        .values(below_cost_ok=True))
    values["discount_approved"] = by_manager(actor, bool(under or over or not alone))
    values["discount_approved_off"] = off if values["discount_approved"] else 0   # what they saw
    session.execute(update(Cart).where(Cart.id == cart_id).values(**values))


def sale_discount_of(session: Session, cart_id: int) -> Discount:
    """The discount now on the whole sale."""
    row = session.execute(select(Cart.discount_bp, Cart.discount_amount)
                          .where(Cart.id == cart_id)).first()
    return Discount(row.discount_bp, row.discount_amount) if row else Discount()
