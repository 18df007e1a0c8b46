"""How an outlet prices with PPN: ``TaxSettings`` (PKP or not, the rate, prices inclusive, the HET
zone).  The catalogue's selling price, the manager's price rules (``pos.prices.setting``) and the
till's pricing (``pos.sales.pricing``) all stop at the cost with the PPN an inclusive price
carries, so it lives with the goods' tax class, below all three; ``zone_of`` (``POS_HET_ZONE``)
too, which ``pos.het`` lends on."""
from __future__ import annotations

from dataclasses import dataclass

from pos import money
from pos.inventory.catalog.models import TaxClass

BP = money.BP_DENOMINATOR


def zone_of(config) -> str | None:
    """The outlet's zone from the app's configuration (``POS_HET_ZONE``; a number read from
    the environment arrives as an int)."""
    return str(config.get("HET_ZONE") or "").strip() or None


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

    @classmethod
    def of_outlet(cls, cfg, session) -> TaxSettings:
        """As the till prices now: the configuration with the outlet's stored PKP switch."""
        from pos.settings.service import pkp  # (settings sit above the catalogue's imports)

        return cls.from_config(cfg, pkp=pkp(session, cfg))

    def rate_for(self, tax_class: TaxClass) -> int:
        return self.rate_bp if self.pkp and tax_class is TaxClass.PPN else 0

    def cost_tax_bp(self, tax_class: TaxClass) -> int:
        """The PPN a price carries over the goods' cost (kept without PPN, as the journal and
        the margin reports count it): an inclusive price is below cost under cost plus it."""
        return self.rate_for(tax_class) if self.inclusive else 0

    def cost_floor(self, cost: int, tax_class: TaxClass) -> int:
        """The lowest whole price that covers ``cost`` and the PPN over it (rounded up)."""
        return -((-cost * (BP + self.cost_tax_bp(tax_class))) // BP)


NO_TAX = TaxSettings(pkp=False)   # a price's floor with no PPN over the cost
