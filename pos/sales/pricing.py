"""Pure pricing: what a line costs, tax per line, totals.  No database, no Flask.

``decide`` is the one place a line's price is decided, from plain values:

* everyone pays the quantity tier's price (*harga grosir*) when it is below the list price;
* an active member pays the lowest of that, the member price and the list price less the
  member discount (category rule over business-unit rule, resolved by the caller);
* a manager's ``price_override`` replaces all of these (it may be below cost, never above the
  ceiling); a price-embedded label's ``fixed_amount`` is taken as printed;
* a discount (member percent, a manual line discount, the sale discount) never takes the
  line below cost, or below its own price when that is already under cost, unless a manager
  approved it (``below_cost_ok``; on a PKP outlet's tax-inclusive prices the cost with its PPN,
  ``cost_tax_bp``).  Prices a manager set (tier, member price, override) were checked against
  cost, with a confirmation, when they were set;
* nothing ever goes above the ceiling price (HET), which is then the line's list price (no
  discount; the member's and F5's percents come off it, and a member price or tier above it is
  capped), and the amount is rounded once (``money.round_half_up``) from the exact fraction;
  a ceiling under the line's cost floor is ``clipped`` too: sold so only with a manager's approval.

Prices are tax-inclusive by default (the Indonesian shelf norm); the tax inside a line is
``amount x rate / (1 + rate)``, rounded once.  A non-PKP outlet collects no PPN at all.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import NamedTuple

from pos import money
from pos.inventory.catalog.models import TaxClass
from pos.inventory.catalog.tax import TaxSettings
from pos.units import BaseUnit

BP = money.BP_DENOMINATOR
NOTE_MAX = 160   # a sale discount's reason on each line it reaches (the cart keeps 200)


# A line's input and its price are built for every line of the cart on every scan: as named
# tuples (immutable, read by name) they cost a seventh of a frozen dataclass to build.
class LineInput(NamedTuple):
    product_id: int
    sku: str
    name: str
    qty: int
    unit_price: int                  # the list price per ``price_per`` base units
    price_per: int
    tax_class: TaxClass
    unit_cost: int = 0
    business_unit: str = "lainnya"
    category_id: int | None = None
    base_unit: BaseUnit = BaseUnit.PCS
    fixed_amount: int | None = None  # a price-embedded label's amount, taken as printed
    manual: bool = False             # a weight typed by the cashier, not read from a scale
    het: int | None = None           # the ceiling price per ``price_per`` (HET)
    tiers: tuple[tuple[int, int], ...] = ()  # (minimum qty in base units, unit price)
    member_price: int | None = None
    member_bp: int = 0               # the member discount, category rule over unit rule
    member: bool = False             # the buyer is an active member
    price_override: int | None = None  # a unit price a manager approved
    discount_bp: int = 0             # a manual line discount: a rate and/or
    discount_amount: int = 0         # an amount in Rupiah off the line
    below_cost_ok: bool = False      # a manager approved a price below cost
    line_id: int | None = None
    adjust_reason: str | None = None  # the cashier's or manager's note on a manual change
    cost_tax_bp: int = 0             # the PPN a price carries over its cost (TaxSettings.cost_tax_bp)


@dataclass(frozen=True)
class Decision:
    unit_price: int        # the unit price charged before a manual discount (for display)
    amount: int            # what the buyer pays for the line
    list_amount: int       # the line at the list price: what a non-member pays without rules
    nonmember_amount: int  # what a non-member pays (tier, override, manual discount)
    discount: int          # list_amount - amount
    member_saving: int     # nonmember_amount - amount: what membership saved
    reason: str | None     # "anggota 5%", "harga anggota", "grosir", "diskon", "harga manajer", "HET"
    floor: int             # the least the line may cost without a manager (for the sale discount)
    clipped: bool = False  # a manual discount was cut back at cost, or the HET is below it


class PricedLine(NamedTuple):
    line: LineInput
    amount: int
    tax_rate_bp: int
    tax: int
    unit_price: int = 0
    list_amount: int = 0
    discount: int = 0
    member_saving: int = 0
    reason: str | None = None
    floor: int = 0


@dataclass(frozen=True)
class Totals:
    gross: int     # the lines at their list prices
    discount: int  # everything off the list prices (HET-capped): member, tier, manual, sale discount
    tax: int
    total: int
    tax_by_class: dict[tuple[TaxClass, int], tuple[int, int]] = field(default_factory=dict)
    """(class, rate) -> (amount of the lines, tax inside them)."""
    member_saving: int = 0  # Hemat anggota
    sale_discount: int = 0  # the discount on the whole sale, spread over the lines
    tax_added: bool = False  # the PPN on top of the lines (prices before tax): total = lines + tax


def under_cost(price: int, cost: int, tax_bp: int) -> bool:
    """Is a unit ``price`` below its ``cost`` with ``tax_bp`` (``cost_tax_bp``) of PPN on top?"""
    return price * BP < cost * (BP + tax_bp)


def _cost(line: LineInput) -> int:
    """The line's cost as its price must cover it, PPN included (``cost_tax_bp``), exact over
    ``price_per x BP``."""
    return line.unit_cost * line.qty * (BP + line.cost_tax_bp)


def _ceil_div(a: int, b: int) -> int:
    return -((-a) // b)


def _pick(line: LineInput, member: bool) -> tuple[int, list[str]]:
    """The line before manual discounts, exact over ``price_per x BP x BP``; and why."""
    scale = line.qty * BP * BP
    if line.fixed_amount is not None:
        return line.fixed_amount * line.price_per * BP * BP, []
    if line.price_override is not None:
        return line.price_override * scale, ["harga manajer"]
    # the list price: the catalog's, or the HET when lower (percents come off what is charged)
    listed = line.unit_price if line.het is None else min(line.unit_price, line.het)
    best, why = listed * scale, ([] if listed == line.unit_price else ["HET"])
    # the tier of the largest minimum the quantity reaches
    tier = next((p for least, p in sorted(line.tiers, reverse=True) if line.qty >= least), None)
    if tier is not None and tier < listed:
        best, why = tier * scale, ["grosir"]
    if not member:
        return best, why
    if line.member_price is not None and line.member_price * scale < best:
        best, why = line.member_price * scale, ["harga anggota"]
    if line.member_bp > 0:
        rated = listed * line.qty * (BP - min(line.member_bp, BP)) * BP
        floor = min(listed * scale, _cost(line) * BP)   # stops at cost, and says so
        cut = " s.d. harga pokok" if rated < floor else ""      # (the receipt's 5% was 2,3%)
        rated = max(rated, floor)
        if rated < best:
            best, why = rated, [f"anggota {money.format_rate(min(line.member_bp, BP))}%{cut}"]
    return best, why


def _amount(line: LineInput, member: bool) -> tuple[int, int, list[str], int, bool]:
    """(amount, unit price, reasons, cost floor, clipped) for a member or a non-member."""
    den = line.price_per * BP * BP
    base, why = _pick(line, member)
    value = base
    if line.discount_bp > 0:
        value = value // BP * (BP - min(line.discount_bp, BP))
    value -= line.discount_amount * den
    cost = _cost(line) * BP   # over ``den``
    floor = 0 if line.below_cost_ok else min(base, cost)
    clipped = value < floor
    value = max(value, floor, 0)
    if value < base:
        why.append("diskon")
    amount = money.round_half_up(value, den)
    unit = money.round_half_up(base, line.qty * BP * BP) if line.qty else line.unit_price
    if line.het is not None:
        ceiling, exact = line.het * line.qty // line.price_per, line.het * line.qty * BP * BP
        if amount > ceiling:   # (a price label, a manager's price, rounding)
            amount, why = ceiling, why if "HET" in why else [*why, "HET"]
        unit = min(unit, line.het)
        if not line.below_cost_ok and exact < cost:   # the HET under its cost and its own price
            clipped = clipped or exact < _pick(line._replace(het=None), member)[0]   # a manager's
    least = min(amount, _ceil_div(floor, den))
    return amount, unit, why, least, clipped


def _plain(line: LineInput) -> bool:
    """No rule, discount or ceiling touches the line: its list amount stands (most lines)."""
    return (line.fixed_amount is None and line.price_override is None and not line.tiers
            and not line.discount_bp and not line.discount_amount and line.het is None
            and not (line.member and (line.member_price is not None or line.member_bp)))


def _raised(line: LineInput) -> int:
    """The catalog price, or a manager's price set above it (up to the HET): that is the line's
    price, not a discount below zero (it printed as ``harga manajer --Rp1.600``)."""
    if line.price_override is not None and line.price_override > line.unit_price:
        return line.price_override
    return line.unit_price


def list_price(line: LineInput) -> int:
    """The catalog price (or a manager's higher one), or the HET when lower: selling at the
    ceiling is the price, no discount. A price label's is its own price per unit (Rp5.000 for
    294 g: Rp17.007/kg), never the catalog's beside it: that is no discount."""
    if line.fixed_amount is not None and line.qty:
        listed = money.round_half_up(line.fixed_amount * line.price_per, line.qty)
    else:
        listed = _raised(line)
    return listed if line.het is None else min(listed, line.het)


def decide(line: LineInput) -> Decision:
    """A line's price and amount for this buyer; see the module's rules."""
    list_amount = line.fixed_amount if line.fixed_amount is not None else \
        money.line_amount(_raised(line), line.qty, line.price_per)
    if line.het is not None:  # listed at most at the ceiling, as ``_amount`` cuts it
        list_amount = min(list_amount, line.het * line.qty // line.price_per)
    if _plain(line):
        least = 0 if line.below_cost_ok else min(list_amount, _ceil_div(_cost(line), line.price_per * BP))
        return Decision(line.unit_price, list_amount, list_amount, list_amount, 0, 0, None, least)
    amount, unit, why, floor, clipped = _amount(line, line.member)
    other = _amount(line, False)[0] if line.member else amount
    return Decision(unit, amount, list_amount, other, list_amount - amount, other - amount,
                    ", ".join(why) or None, floor, clipped)


def needs_approval(line: LineInput) -> bool:
    """True when the line's manual discount, or its ceiling (HET), would take it below cost (a
    manager must approve)."""
    return not line.below_cost_ok and decide(line).clipped


def approved_floor(line: LineInput) -> int:
    """The least a sale discount may take the line to without a manager: its cost floor; a line
    a manager let below cost (``below_cost_ok``: a price, a line discount) no lower than they
    approved it (its amount before the sale discount) when that is under its cost."""
    decided = decide(line)
    if not line.below_cost_ok:
        return decided.floor
    return min(decided.amount, _ceil_div(_cost(line), line.price_per * BP))


def price_line(line: LineInput, tax: TaxSettings) -> PricedLine:
    if _plain(line):  # the common line: no rule applies (``decide`` gives the same)
        amount = money.line_amount(line.unit_price, line.qty, line.price_per)
        cost = _ceil_div(_cost(line), line.price_per * BP)
        return _taxed(line, tax, amount, unit_price=line.unit_price, list_amount=amount,
                      floor=0 if line.below_cost_ok else min(amount, cost))
    d = decide(line)
    return _taxed(line, tax, d.amount, unit_price=d.unit_price, list_amount=d.list_amount,
                  discount=d.discount, member_saving=d.member_saving, reason=d.reason,
                  floor=d.floor)


def _taxed(line: LineInput, tax: TaxSettings, amount: int, **rest) -> PricedLine:
    rate = tax.rate_for(line.tax_class)
    line_tax = money.tax_included(amount, rate) if tax.inclusive else money.tax_added(amount, rate)
    return PricedLine(line, amount, rate, line_tax, **rest)


def price_cart(lines: list[LineInput], tax: TaxSettings, *, discount_bp: int = 0,
               discount_amount: int = 0, discount_reason: str | None = None
               ) -> tuple[list[PricedLine], Totals]:
    """Every line priced, then the sale's own discount (a rate and/or an amount) spread over
    the lines in proportion to their amounts, each stopping at its cost floor; each line it
    reaches says ``diskon nota`` with the cashier's reason (``diskon nota (langganan)``)."""
    priced = [price_line(line, tax) for line in lines]
    subtotal = sum(p.amount for p in priced)
    wanted = money.percent_of(subtotal, min(max(discount_bp, 0), BP)) + max(discount_amount, 0)
    if wanted <= 0 or not priced:
        return priced, totals(priced, tax)
    caps = [p.amount - min(p.floor, p.amount) for p in priced]
    shares = money.spread(min(wanted, subtotal), [p.amount for p in priced], caps)
    # the reason whole (it was cut at 40, mid-word), one space for each ":" or "," (they part
    # a line's reasons from each other and from the cashier's note on it)
    note = " ".join((discount_reason or "").replace(":", " ").replace(",", " ").split())[:NOTE_MAX]
    sale = f"diskon nota ({note})" if note else "diskon nota"
    out = []
    for p, share in zip(priced, shares, strict=True):
        if share:
            why = ", ".join(filter(None, (p.reason, sale)))
            p = _taxed(p.line, tax, p.amount - share, unit_price=p.unit_price,
                       list_amount=p.list_amount, discount=p.discount + share,
                       member_saving=p.member_saving, reason=why, floor=p.floor)
        out.append(p)
    return out, replace(totals(out, tax), sale_discount=sum(shares))


def sale_discount_short(lines: list[LineInput], tax: TaxSettings, *, discount_bp: int = 0,
                        discount_amount: int = 0) -> int:
    """How much of a sale discount the lines' cost floors would refuse (0: it all fits; more
    needs a manager's approval, given per line as ``below_cost_ok``)."""
    priced, done = price_cart(lines, tax, discount_bp=discount_bp, discount_amount=discount_amount)
    subtotal = sum(p.amount for p in priced) + done.sale_discount
    wanted = money.percent_of(subtotal, min(max(discount_bp, 0), BP)) + max(discount_amount, 0)
    return min(wanted, subtotal) - done.sale_discount


def totals(lines: list[PricedLine], tax: TaxSettings) -> Totals:
    amounts = sum(p.amount for p in lines)
    gross = sum(p.list_amount or p.amount for p in lines)
    tax_total = sum(p.tax for p in lines)
    by_class: dict[tuple[TaxClass, int], tuple[int, int]] = {}
    for p in lines:
        key = (p.line.tax_class, p.tax_rate_bp)
        amount, inner = by_class.get(key, (0, 0))
        by_class[key] = (amount + p.amount, inner + p.tax)
    total = amounts if tax.inclusive else amounts + tax_total
    return Totals(gross, gross - amounts, tax_total, total, by_class,
                  sum(p.member_saving for p in lines), tax_added=not tax.inclusive)
