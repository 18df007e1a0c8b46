"""How an outlet prices with PPN: ``TaxSettings`` (PKP or not, the rate, prices inclusive, the HET
zone).  The till's pricing (``pos.sales.pricing``) and the manager's price rules
(``pos.prices.setting``: a member price or tier under the cost with its PPN asks to confirm)
both read it, so it lives below both."""
from __future__ import annotations

from dataclasses import dataclass

from pos import money
from pos.het.service import zone_of
from pos.inventory.catalog.models import TaxClass

BP = money.BP_DENOMINATOR


@dataclass(frozen=True)
class TaxSettings:
    """How this outlet prices: PPN (PKP or not, the rate, prices inclusive) and the zone its
    ceiling prices (HET) are read for."""

    pkp: bool = True
    rate_bp: int = 1100
    inclusive: bool = True
    het_zone: str = ""

    @classmethod
    def from_config(cls, cfg, *, pkp: bool | None = None) -> TaxSettings:
        """From the app's configuration; ``pkp`` (the outlet's stored setting) wins when given."""
        return cls(cfg["PKP"] if pkp is None else pkp, cfg["TAX_RATE_BP"], cfg["TAX_INCLUSIVE"],
                   zone_of(cfg) or "")

    def rate_for(self, tax_class: TaxClass) -> int:
        return self.rate_bp if self.pkp and tax_class is TaxClass.PPN else 0

    def cost_tax_bp(self, tax_class: TaxClass) -> int:
        """The PPN a price carries over the goods' cost (kept without PPN, as the journal and
        the margin reports count it): an inclusive price is below cost under cost plus it."""
        return self.rate_for(tax_class) if self.inclusive else 0

    def cost_floor(self, cost: int, tax_class: TaxClass) -> int:
        """The lowest whole price that covers ``cost`` and the PPN over it (rounded up)."""
        return -((-cost * (BP + self.cost_tax_bp(tax_class))) // BP)
