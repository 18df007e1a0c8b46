"""Pure pricing: line amounts, tax per line, totals.  No database, no Flask.

Prices are tax-inclusive by default (the Indonesian shelf norm); the tax inside
a line is ``amount x rate / (1 + rate)``, rounded once by ``money.round_half_up``.
A non-PKP outlet collects no PPN at all.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from pos import money
from pos.inventory.catalog.models import TaxClass
from pos.units import BaseUnit


@dataclass(frozen=True)
class TaxSettings:
    pkp: bool = True
    rate_bp: int = 1100
    inclusive: bool = True

    def rate_for(self, tax_class: TaxClass) -> int:
        return self.rate_bp if self.pkp and tax_class is TaxClass.PPN else 0


@dataclass(frozen=True)
class LineInput:
    product_id: int
    sku: str
    name: str
    qty: int
    unit_price: int
    price_per: int
    tax_class: TaxClass
    unit_cost: int = 0
    business_unit: str = "lainnya"
    category_id: int | None = None
    base_unit: BaseUnit = BaseUnit.PCS
    fixed_amount: int | None = None  # a price-embedded label's amount, taken as printed
    manual: bool = False             # a weight typed by the cashier, not read from a scale


@dataclass(frozen=True)
class PricedLine:
    line: LineInput
    amount: int
    tax_rate_bp: int
    tax: int


@dataclass(frozen=True)
class Totals:
    gross: int
    discount: int
    tax: int
    total: int
    tax_by_class: dict[tuple[TaxClass, int], tuple[int, int]] = field(default_factory=dict)
    """(class, rate) -> (amount of the lines, tax inside them)."""


def price_line(line: LineInput, tax: TaxSettings) -> PricedLine:
    amount = line.fixed_amount if line.fixed_amount is not None else \
        money.line_amount(line.unit_price, line.qty, line.price_per)
    rate = tax.rate_for(line.tax_class)
    line_tax = money.tax_included(amount, rate) if tax.inclusive else money.tax_added(amount, rate)
    return PricedLine(line, amount, rate, line_tax)


def totals(lines: list[PricedLine], tax: TaxSettings) -> Totals:
    gross = sum(p.amount for p in lines)
    tax_total = sum(p.tax for p in lines)
    by_class: dict[tuple[TaxClass, int], tuple[int, int]] = {}
    for p in lines:
        key = (p.line.tax_class, p.tax_rate_bp)
        amount, inner = by_class.get(key, (0, 0))
        by_class[key] = (amount + p.amount, inner + p.tax)
    total = gross if tax.inclusive else gross + tax_total
    return Totals(gross, 0, tax_total, total, by_class)
