"""The names of a day's tax classes (*Pajak per kelas*: sales, DPP and PPN per class), one for
every place that shows the table: the Laporan harian, the Tutup hari preview and Ringkasan
hari, ``pos report day`` and the closed day's CSV/XLSX/PDF (``pos.closing.export``).

The PPN class is named as the receipt states it (PMK 131/2024): the statutory rate of the DPP
nilai lain, ``PPN 12% (DPP nilai lain 11/12)`` by default (``POS_TAX_STATUTORY_RATE_BP``,
``POS_TAX_DPP_NUMERATOR``, ``POS_TAX_DPP_DENOMINATOR``)."""
from __future__ import annotations

from collections.abc import Mapping

from pos.money import format_rate

# The lines of a PKP day's sales made while the outlet was not PKP (``reports.day``): no PPN.
NOT_PKP = "bukan_pkp"
# The table's classes in the order it lists them; a key not among them is shown last, as it is.
ORDER = ("ppn", "bebas", "tidak_dipungut", NOT_PKP)


def names(statutory_rate_bp: int = 1200, dpp_share: tuple[int, int] = (11, 12)) -> dict[str, str]:
    """Each tax class's name in the table."""
    return {"ppn": f"PPN {format_rate(statutory_rate_bp)}% (DPP nilai lain {dpp_share[0]}/{dpp_share[1]})",
            "bebas": "Bebas PPN", "tidak_dipungut": "PPN tidak dipungut (pupuk bersubsidi)",
            NOT_PKP: "Tidak dipungut (bukan PKP)"}


def names_of(cfg: Mapping) -> dict[str, str]:
    """``names`` as the outlet's configuration states the PPN."""
    return names(cfg["TAX_STATUTORY_RATE_BP"], (cfg["TAX_DPP_NUMERATOR"], cfg["TAX_DPP_DENOMINATOR"]))


def rows(tax_classes: Mapping[str, dict], named: Mapping[str, str]) -> list[tuple[str, dict]]:
    """The table's rows, (name, row with amount, dpp, tax), in ``ORDER`` whatever order the
    summary holds them in (a closed day's keys are sorted, an open day's are as the SQL grouped)."""
    place = {key: i for i, key in enumerate(ORDER)}
    keys = sorted(tax_classes, key=lambda key: (place.get(key, len(ORDER)), key))
    return [(named.get(key, key), tax_classes[key]) for key in keys]
