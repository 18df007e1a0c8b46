"""The cashier's own discount limit (``POS_CASHIER_MAX_DISCOUNT_BP``): what a cashier may take
off alone, each discount and the cart's manual discounts together.

Only the discounts a cashier gave alone count: one a manager approved in the dialog, or gave
themselves, is stored with ``discount_approved`` (the line's, the sale's) and is the price the
cashier's limit counts from, so a small discount after it asks no one.  A discount the cashier
gives in its place is theirs again (every write of a discount writes the flag), and a quantity
changed drops the line's (``dropped``).  A member put on the sale prices the lines anew: an
amount given off the list price is more of a member's lower price, so the cashier's own
discounts are checked again at the member's prices (``over_at_prices``) before the member goes
on (``cart_members``).

An approval covers the Rupiah the manager saw come off (``discount_approved_off``): a rate
grown past it (lines added, a quantity raised, the member taken off) is the cashier's again,
and past their limit the sale is not paid until a manager approves it anew (``held``, asked at
checkout whatever the screen sent, and shown at the till).  Nor is a line its ceiling (HET)
takes below its cost until a manager approves that price (``below_cost_at_ceiling``)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos import money
from pos.money import format_rupiah
from pos.sales import cart_pricing, pricing
from pos.sales.models import Cart, CartLine


class Sale(NamedTuple):
    """A sale discount as the limit reads it (``adjust.Discount`` reads the same)."""

    bp: int = 0
    amount: int = 0


def within(off: int, base: int, limit_bp: int) -> bool:
    """At most the limit's own amount, rounded as every rate is (5% of Rp22.990 is Rp1.150)."""
    return off <= money.percent_of(base, limit_bp)


class Grants(NamedTuple):
    """What a manager approved (or gave) on a cart, as the Rupiah it took off when they saw
    it: each line's by line id, and the sale's (None: the sale discount is not approved)."""

    lines: Mapping[int, int] = MappingProxyType({})   # (read-only: one default for all)
    sale: int | None = None


def grants_of(rows, terms) -> Grants:
    """The grants of a cart read with its lines (``cart_queries.LINES`` rows) and terms."""
    return Grants({r.line_id: r.discount_approved_off for r in rows if r.discount_approved},
                  terms.discount_granted)


def grants(session: Session, cart_id: int) -> Grants:
    """``grants_of`` read by the cart's id."""
    lines = dict(session.execute(select(CartLine.id, CartLine.discount_approved_off).where(
        CartLine.cart_id == cart_id, CartLine.discount_approved)).all())
    row = session.execute(select(Cart.discount_approved, Cart.discount_approved_off)
                          .where(Cart.id == cart_id)).first()
    return Grants(lines, row.discount_approved_off if row is not None and row.discount_approved else None)


def line_off(line: pricing.LineInput) -> int:
    """The Rupiah the line's manual discount takes off it (what a manager is shown)."""
    return _plain(line) - pricing.decide(line._replace(below_cost_ok=True)).amount


def sale_off(lines: Iterable[pricing.LineInput], sale) -> int:
    """The Rupiah the sale discount takes off the lines as they sell (what a manager is shown)."""
    return money.percent_of(sum(pricing.decide(line).amount for line in lines), sale.bp) + sale.amount


def covered(lines: dict[int, pricing.LineInput], sale, granted: Grants) -> tuple[frozenset[int], bool]:
    """The lines whose approval still covers their discount (it takes off no more than the
    manager saw), and whether the sale's does."""
    ids = frozenset(i for i, off in granted.lines.items() if i in lines and line_off(lines[i]) <= off)
    return ids, granted.sale is not None and sale_off(lines.values(), sale) <= granted.sale


def approved(session: Session, cart_id: int, lines: dict[int, pricing.LineInput] | None = None
             ) -> tuple[frozenset[int], bool]:
    """The cart's lines whose discount a manager approved or gave, and whether its sale
    discount is such, each while it takes off no more than approved (``covered``; ``lines``
    as the cart prices them, read when not given)."""
    lines = cart_pricing.line_inputs(session, cart_id) if lines is None else lines
    row = session.execute(select(Cart.discount_bp, Cart.discount_amount).where(Cart.id == cart_id)).first()
    sale = Sale(row.discount_bp, row.discount_amount) if row is not None else Sale()
    return covered(lines, sale, grants(session, cart_id))


def _plain(line: pricing.LineInput) -> int:
    return pricing.decide(line._replace(discount_bp=0, discount_amount=0, below_cost_ok=True)).amount


def together(lines: dict[int, pricing.LineInput], sale, limit_bp: int, beside: str,
             approved_lines: frozenset[int] = frozenset()) -> str:
    """What the manager is told when the cashier's own manual discounts together (``lines``'
    own, but for ``approved_lines``, and the ``sale`` discount, as given: member prices and
    tiers are not manual) pass ``limit_bp`` of the lines before them (an approved line counts
    at its approved amount); empty when within.  Each rate rounds as it is given, so a 5% on
    each line is within 5% of them all."""
    given = {line_id: pricing.decide(line._replace(below_cost_ok=True)).amount
             for line_id, line in lines.items()}
    plain = [given[line_id] if line_id in approved_lines else _plain(line) for line_id, line in lines.items()]
    total = sum(given.values())
    off = sum(plain) - total + min(money.percent_of(total, sale.bp) + sale.amount, total)
    most = max(money.percent_of(sum(plain), limit_bp), sum(money.percent_of(p, limit_bp) for p in plain))
    if off <= most:
        return ""
    return f"bersama {beside}: diskon manual {format_rupiah(off)} dari {format_rupiah(sum(plain))}"


def over_at_prices(session: Session, cart_id: int, limit_bp: int) -> str:
    """The cashier's own discount on the cart that is past ``limit_bp`` at the prices the cart
    has now (after a member was put on), named for the cashier; empty when none is."""
    lines = cart_pricing.line_inputs(session, cart_id)
    row = session.execute(select(Cart.discount_bp, Cart.discount_amount).where(Cart.id == cart_id)).one()
    sale = Sale(row.discount_bp, row.discount_amount)
    return _over(lines, sale, *covered(lines, sale, grants(session, cart_id)), limit_bp)


def _over(lines: dict[int, pricing.LineInput], sale, approved_lines: frozenset[int],
          sale_approved: bool, limit_bp: int) -> str:
    """The cashier's own discount (all but the approved ones) past ``limit_bp``; empty when none."""
    for line_id, line in lines.items():
        if line_id in approved_lines or not (line.discount_bp or line.discount_amount):
            continue
        if not within(line_off(line), _plain(line), limit_bp):
            return f"baris {line.name[:60]}"
    sale = Sale() if sale_approved else sale
    base = sum(pricing.decide(line).amount for line in lines.values())
    if not within(money.percent_of(base, sale.bp) + sale.amount, base, limit_bp):
        return "transaksi"
    return "baris dan transaksi bersama" if together(lines, sale, limit_bp, "", approved_lines) else ""


def _rate(bp: int, amount: int) -> str:
    return f"{money.format_rate(bp)}%" if bp else format_rupiah(amount)


def held(lines: dict[int, pricing.LineInput], sale, granted: Grants, limit_bp: int) -> str:
    """Why the sale may not be paid: an approved discount that now takes off more than the
    manager saw (lines added, a quantity raised, the member taken off), the cart's discounts
    then past the cashier's own limit (``limit_bp``); empty when it may be paid (no approval
    outgrown, or the cashier's limit covers what is)."""
    if not granted.lines and granted.sale is None:
        return ""
    approved_lines, sale_approved = covered(lines, sale, granted)
    grown = [(f"baris {lines[i].name[:60]} {_rate(lines[i].discount_bp, lines[i].discount_amount)}",
              line_off(lines[i]), off) for i, off in sorted(granted.lines.items())
             if i in lines and i not in approved_lines]
    keys = ["F5 untuk baris"] if grown else []
    if granted.sale is not None and not sale_approved:
        grown.append((f"transaksi {_rate(sale.bp, sale.amount)}", sale_off(lines.values(), sale),
                      granted.sale))
        keys.append("Shift+F5 untuk transaksi")
    if not grown or not _over(lines, sale, approved_lines, sale_approved, limit_bp):
        return ""
    what = "; ".join(f"{name} kini {format_rupiah(now)} (disetujui manajer {format_rupiah(off)})"
                     for name, now, off in grown)
    return (f"Diskon {what}: lebih dari yang disetujui dan melebihi batas diskon kasir "
            f"{money.format_rate(limit_bp)}%. Belum dapat dibayar: berikan diskonnya lagi "
            f"({', '.join(keys)}) untuk persetujuan manajer, atau kurangi diskonnya.")


def below_cost_at_ceiling(priced: list[pricing.PricedLine]) -> str:
    """Why the sale may not be paid: a line its ceiling (HET) takes below its cost (a HET per kg
    typed for a 5 kg pack) that no manager approved (``pricing.needs_approval`` of the line
    without its manual discount); empty when none is."""
    for p in priced:
        line = p.line
        if line.het is None or not pricing.needs_approval(line._replace(discount_bp=0, discount_amount=0)):
            continue
        per = f"/{line.base_unit.price_label}" if line.price_per != 1 else ""
        return (f"{line.name[:60]}: HET {format_rupiah(line.het)}{per} di bawah harga pokok "
                f"{format_rupiah(line.unit_cost)}{per}. Belum dapat dibayar: periksa HET-nya, atau "
                "manajer menyetujui harga itu (Ubah harga, Shift+F3), atau hapus barisnya.")
    return ""


def held_at(priced: list[pricing.PricedLine], terms, granted: Grants, limit_bp: int) -> str:
    """``held`` for a cart priced (``cart_pricing.price_rows``) with its ``terms``, after a line
    sold below its cost at its ceiling (``below_cost_at_ceiling``)."""
    if under := below_cost_at_ceiling(priced):
        return under
    if not granted.lines and granted.sale is None:   # every render of the till asks: none, at once
        return ""
    return held({p.line.line_id: p.line for p in priced},
                Sale(terms.discount_bp, terms.discount_amount), granted, limit_bp)
