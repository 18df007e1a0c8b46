"""The demo's ceiling prices (HET), the real ones (../shared/docs/DOMAIN.md §3c).

* Subsidised fertiliser per kg, every zone: the ceilings until 21-10-2025 and the 20% cut of
  Kepmentan 1117/Kpts./SR.310/M/10/2025 from 22-10-2025.
* Beras SPHP (Bulog) per 5 kg pack by zone: Rp12.500 / 13.100 / 13.500 per kg x 5.
* MinyaKita Rp15.700 per litre, every zone.

The demo outlet is in Kalimantan Timur, SPHP zone 2 (``DEMO_ZONE``; ``make run`` starts the
app with ``POS_HET_ZONE=2``): the SPHP pack's catalog price follows the outlet's zone, so no
demo catalog price is above a ceiling in force.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.auth.models import User
from pos.het.service import set_ceiling
from pos.inventory.catalog.models import Product

DEMO_ZONE = "2"
CUT = date(2025, 10, 22)  # Kepmentan 1117/2025: fertiliser ceilings down 20%
BEFORE = date(2024, 1, 1)
OLD_NOTE, NEW_NOTE = "HET pupuk bersubsidi sebelum 22-10-2025", "Kepmentan 1117/Kpts./SR.310/M/10/2025"
# product name -> (ceiling per kg until 21-10-2025, from 22-10-2025)
FERTILIZER = {
    "Pupuk Urea Subsidi 50 kg": (2250, 1800),
    "Pupuk NPK Phonska Subsidi 50 kg": (2300, 1840),
    "Pupuk NPK Kakao Subsidi 50 kg": (3300, 2640),
    "Pupuk ZA Subsidi 50 kg": (1700, 1360),
    "Pupuk Organik Petroganik Subsidi 40 kg": (800, 640),
}
SPHP = "Beras SPHP Bulog 5 kg"
SPHP_ZONES = {"1": 62500, "2": 65500, "3": 67500}  # per 5 kg pack
SPHP_FROM, SPHP_NOTE = date(2025, 1, 1), "SPHP Bulog 2025, per 5 kg"
MINYAKITA = "MinyaKita Minyak Goreng 1 liter"
MINYAKITA_FROM, MINYAKITA_NOTE = date(2024, 7, 1), "Permendag (revisi 49/2022), per liter"


def seed_ceilings(session: Session, zone: str | None = DEMO_ZONE) -> int:
    """Set the demo's ceilings (and the SPHP pack's price for ``zone``); returns how many."""
    manager = session.scalar(select(User.id).where(User.username == "manajer1"))
    names = [*FERTILIZER, SPHP, MINYAKITA]
    found = {p.name: p for p in session.scalars(select(Product).where(Product.name.in_(names)))}
    count = 0

    def put(name: str, price: int, day: date, note: str, where: str | None = None) -> None:
        nonlocal count
        if name in found:
            set_ceiling(session, found[name].id, price=price, effective_from=day, zone=where,
                        note=note, user_id=manager)
            count += 1

    for name, (old, new) in FERTILIZER.items():
        put(name, old, BEFORE, OLD_NOTE)
        put(name, new, CUT, NEW_NOTE)
    for where, price in SPHP_ZONES.items():
        put(SPHP, price, SPHP_FROM, SPHP_NOTE, where)
    put(MINYAKITA, 15700, MINYAKITA_FROM, MINYAKITA_NOTE)
    if SPHP in found:  # sold at the zone's ceiling; without a zone, the lowest
        found[SPHP].price = SPHP_ZONES.get(zone or "", min(SPHP_ZONES.values()))
    session.flush()
    return count
