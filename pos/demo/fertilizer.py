"""The demo gerai's subsidised fertiliser: the five subsidised products get their e-RDKK type,
and a season covering the seeding day holds fifteen fake farmers of a Kutai Kartanegara
village (valid-format NIKs, some with Kartu Tani numbers).  Pak Darmo Santoso has one sack of
urea left (50 kg): the browser test sells it through a proxy, then is refused the next."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pos.clock import business_date, utcnow
from pos.config import DefaultConfig
from pos.fertilizer.models import RdkkAllocation, RdkkFarmer, RdkkSeason
from pos.inventory.catalog.models import FertilizerType, Product

SUBSIDISED = {
    "Pupuk Urea Subsidi 50 kg": FertilizerType.UREA,
    "Pupuk NPK Phonska Subsidi 50 kg": FertilizerType.NPK,
    "Pupuk NPK Kakao Subsidi 50 kg": FertilizerType.NPK_KAKAO,
    "Pupuk ZA Subsidi 50 kg": FertilizerType.ZA,
    "Pupuk Organik Petroganik Subsidi 40 kg": FertilizerType.ORGANIK,
}
ALMOST_DONE_NIK = "6402101505700001"  # Darmo Santoso: urea 150 kg, 100 kg taken

# (NIK, Kartu Tani, name, group, commodity, kg urea, npk, npk kakao, za, organik, urea taken)
FARMERS = (
    (ALMOST_DONE_NIK, "5221870010000001", "Darmo Santoso", "Tani Makmur", "padi",
     150, 200, 0, 0, 120, 100),
    ("6402102003750002", "5221870010000002", "Suparmi", "Tani Makmur", "padi", 200, 250, 0, 0, 0, 0),
    ("6402104708800003", None, "Siti Aminah", "Tani Makmur", "padi", 125, 150, 0, 0, 80, 0),
    ("6402100101680004", "5221870010000004", "Hendrik Lumban", "Sri Rejeki", "jagung",
     250, 300, 0, 0, 0, 50),
    ("6402101212820005", None, "Wayan Sudarta", "Sri Rejeki", "jagung", 175, 200, 0, 0, 0, 0),
    ("6402105503790006", "5221870010000006", "Rahmawati", "Sri Rejeki", "cabai", 100, 150, 0, 0, 40, 0),
    ("6402100707650007", None, "La Ode Hamid", "Sumber Rezeki", "kakao", 0, 0, 200, 0, 0, 0),
    ("6402102509710008", "5221870010000008", "Yohanes Bria", "Sumber Rezeki", "kakao",
     0, 0, 150, 0, 80, 0),
    ("6402101803770009", None, "Andi Baso", "Sumber Rezeki", "kopi", 100, 150, 0, 0, 0, 0),
    ("6402106110830010", "5221870010000010", "Nur Aini", "Harapan Baru", "padi", 150, 200, 0, 0, 0, 0),
    ("6402100404690011", None, "Sugeng Riyadi", "Harapan Baru", "tebu rakyat",
     200, 0, 0, 150, 0, 0),
    ("6402101010740012", "5221870010000012", "Made Arsana", "Harapan Baru", "kedelai",
     100, 100, 0, 0, 0, 0),
    ("6402102207810013", None, "Abdul Rahman", "Karya Tani", "bawang merah", 150, 200, 0, 0, 0, 0),
    ("6402104301860014", None, "Fransiska Dewi", "Karya Tani", "padi", 225, 250, 0, 0, 100, 0),
    ("6402100909720015", "5221870010000015", "Muhammad Yusuf", "Karya Tani", "jagung",
     250, 300, 0, 0, 0, 150),
)


def season_dates(today: date) -> tuple[str, date, date]:
    """The planting season around ``today``: MT I from October to March, MT II April to
    September."""
    if today.month >= 10:
        return f"MT I {today.year}", date(today.year, 10, 1), date(today.year + 1, 3, 31)
    if today.month <= 3:
        return f"MT I {today.year - 1}", date(today.year - 1, 10, 1), date(today.year, 3, 31)
    return f"MT II {today.year}", date(today.year, 4, 1), date(today.year, 9, 30)


def seed_fertilizer(session: Session, today: date | None = None) -> int:
    """Mark the subsidised products and add the season's list; the number of farmers added."""
    for name, fertilizer in SUBSIDISED.items():
        session.execute(update(Product).where(Product.name == name).values(subsidy=fertilizer))
    today = today or business_date(utcnow(), DefaultConfig.TIMEZONE)
    name, starts_on, ends_on = season_dates(today)
    if session.scalar(select(RdkkSeason.id).where(RdkkSeason.name == name)) is not None:
        return 0
    season = RdkkSeason(name=name, starts_on=starts_on, ends_on=ends_on,
                        source_file="demo-erdkk.csv")
    session.add(season)
    session.flush()
    types = list(FertilizerType)
    for nik, card, farmer_name, group, commodity, *kgs, urea_taken in FARMERS:
        farmer = RdkkFarmer(season_id=season.id, nik=nik, kartu_tani=card, name=farmer_name,
                            farmer_group=f"Poktan {group}", village="Loa Janan Ulu",
                            commodity=commodity)
        session.add(farmer)
        session.flush()
        session.add_all(RdkkAllocation(
            farmer_id=farmer.id, fertilizer=fertilizer, allocated_grams=amount * 1000,
            taken_grams=urea_taken * 1000 if fertilizer is FertilizerType.UREA else 0)
            for fertilizer, amount in zip(types, kgs, strict=True) if amount)
    session.flush()
    return len(FARMERS)
