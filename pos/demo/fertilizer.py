"""The demo gerai's subsidised fertiliser: the five subsidised products get their e-RDKK type,
and a season covering the seeding day holds fifteen fake farmers of a Kutai Kartanegara
village (valid-format NIKs, some with Kartu Tani numbers), none of whose allocation is taken
here.  What the farmers redeemed so far (``REDEEMED``) is sold at the till in the demo's
closed days (``pos.demo.history`` calls ``redeem``): real sales, so the allocations, the
redemption report, the stock card and the sales agree.  With that history Pak Darmo Santoso
has one sack of urea left (50 kg).  Each subsidised product also has its sack as a pack
(``seed_sacks``: "karung 50 kg", the Petroganik's "karung 40 kg"), as a manager would add it,
so the HET form's per-sack hint and the sacks on the realization report show on the demo."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pos.auth.models import User
from pos.clock import business_date, utcnow
from pos.config import DefaultConfig
from pos.demo.history_sales import CASH_ROUNDING, Shop
from pos.fertilizer.models import RdkkAllocation, RdkkFarmer, RdkkSeason
from pos.inventory.catalog.lookup import lookup_barcode
from pos.inventory.catalog.models import FertilizerType, Product, ProductBarcode
from pos.inventory.catalog.packs import add_pack
from pos.members.buyers import FARMER
from pos.sales import buyers, cart, checkout
from pos.sales.models import PaymentMethod

SUBSIDISED = {
    "Pupuk Urea Subsidi 50 kg": FertilizerType.UREA,
    "Pupuk NPK Phonska Subsidi 50 kg": FertilizerType.NPK,
    "Pupuk NPK Kakao Subsidi 50 kg": FertilizerType.NPK_KAKAO,
    "Pupuk ZA Subsidi 50 kg": FertilizerType.ZA,
    "Pupuk Organik Petroganik Subsidi 40 kg": FertilizerType.ORGANIK,
}
ALMOST_DONE_NIK = "6402101505700001"  # Darmo Santoso: urea 150 kg, 100 kg redeemed in the history
UREA = "Pupuk Urea Subsidi 50 kg"

# (NIK, Kartu Tani, name, group, commodity, kg urea, npk, npk kakao, za, organik)
FARMERS = (
    (ALMOST_DONE_NIK, "5221870010000001", "Darmo Santoso", "Tani Makmur", "padi", 150, 200, 0, 0, 120),
    ("6402102003750002", "5221870010000002", "Suparmi", "Tani Makmur", "padi", 200, 250, 0, 0, 0),
    ("6402104708800003", None, "Siti Aminah", "Tani Makmur", "padi", 125, 150, 0, 0, 80),
    ("6402100101680004", "5221870010000004", "Hendrik Lumban", "Sri Rejeki", "jagung",
     250, 300, 0, 0, 0),
    ("6402101212820005", None, "Wayan Sudarta", "Sri Rejeki", "jagung", 175, 200, 0, 0, 0),
    ("6402105503790006", "5221870010000006", "Rahmawati", "Sri Rejeki", "cabai", 100, 150, 0, 0, 40),
    ("6402100707650007", None, "La Ode Hamid", "Sumber Rezeki", "kakao", 0, 0, 200, 0, 0),
    ("6402102509710008", "5221870010000008", "Yohanes Bria", "Sumber Rezeki", "kakao",
     0, 0, 150, 0, 80),
    ("6402101803770009", None, "Andi Baso", "Sumber Rezeki", "kopi", 100, 150, 0, 0, 0),
    ("6402106110830010", "5221870010000010", "Nur Aini", "Harapan Baru", "padi", 150, 200, 0, 0, 0),
    ("6402100404690011", None, "Sugeng Riyadi", "Harapan Baru", "tebu rakyat", 200, 0, 0, 150, 0),
    ("6402101010740012", "5221870010000012", "Made Arsana", "Harapan Baru", "kedelai",
     100, 100, 0, 0, 0),
    ("6402102207810013", None, "Abdul Rahman", "Karya Tani", "bawang merah", 150, 200, 0, 0, 0),
    ("6402104301860014", None, "Fransiska Dewi", "Karya Tani", "padi", 225, 250, 0, 0, 100),
    ("6402100909720015", "5221870010000015", "Muhammad Yusuf", "Karya Tani", "jagung",
     250, 300, 0, 0, 0),
)

# The season's redemptions so far, each a sale at the till on a closed day of the history:
# (days before today, what the cashier typed: NIK or Kartu Tani, sacks of urea, the proxy's
# name, NIK and relation or None).  Darmo 100 kg (his second sack collected by his wife),
# Muhammad Yusuf 150 kg, Hendrik Lumban 50 kg.
REDEEMED = (
    (12, ALMOST_DONE_NIK, 1, None),
    (9, "5221870010000015", 3, None),
    (6, "6402100101680004", 1, None),
    (4, ALMOST_DONE_NIK, 1, ("Sri Wahyuni", "6402104405900003", "keluarga")),
)


def season_dates(today: date) -> tuple[str, date, date]:
    """The planting season around ``today``: MT I from October to March, MT II April to
    September."""
    if today.month >= 10:
        return f"MT I {today.year}", date(today.year, 10, 1), date(today.year + 1, 3, 31)
    if today.month <= 3:
        return f"MT I {today.year - 1}", date(today.year - 1, 10, 1), date(today.year, 3, 31)
    return f"MT II {today.year}", date(today.year, 4, 1), date(today.year, 9, 30)


def seed_sacks(session: Session) -> int:
    """Give each subsidised product its karung (as big as one scan of its barcode: 50.000 g,
    the Petroganik's 40.000 g) where it has none; the packs added."""
    manager = session.scalar(select(User.id).where(User.username == "manajer1"))
    added = 0
    for product in session.scalars(select(Product).where(Product.name.in_(list(SUBSIDISED)))):
        sack = max((b.qty for b in product.barcodes), default=0)
        if sack > product.price_per and not product.packs:
            add_pack(session, product.id, f"karung {sack // 1000} kg", sack, user_id=manager,
                     reason="Kemasan demo")
            added += 1
    return added


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
    for nik, card, farmer_name, group, commodity, *kgs in FARMERS:
        farmer = RdkkFarmer(season_id=season.id, nik=nik, kartu_tani=card, name=farmer_name,
                            farmer_group=f"Poktan {group}", village="Loa Janan Ulu",
                            commodity=commodity)
        session.add(farmer)
        session.flush()
        session.add_all(RdkkAllocation(farmer_id=farmer.id, fertilizer=fertilizer,
                                       allocated_grams=amount * 1000, taken_grams=0)
                        for fertilizer, amount in zip(types, kgs, strict=True) if amount)
    session.flush()
    return len(FARMERS)


def planned(session: Session, days: list[date], today: date) -> dict[date, list[tuple]]:
    """``REDEEMED`` by the history's ``days``: each on its day, or on the season's first day the
    history has when its own is before the season (none without the demo's season, or when
    the history has no day of it)."""
    name, _, _ = season_dates(today)
    starts_on = session.scalar(select(RdkkSeason.starts_on).where(RdkkSeason.name == name))
    in_season = [d for d in days if starts_on is not None and d >= starts_on]
    due: dict[date, list[tuple]] = {}
    for back, typed, sacks, proxy in REDEEMED if in_season else ():
        day = today - timedelta(days=back)
        due.setdefault(day if day in in_season else in_season[0], []).append((typed, sacks, proxy))
    return due


def redeem(shop: Shop, *, till_id: int, cashier_id: int, day: date, now: datetime,
           typed: str, sacks: int, proxy: tuple[str, str, str] | None) -> int:
    """A farmer collects ``sacks`` of urea at the till: the buyer dialog's farmer (and proxy),
    the sacks scanned, paid in cash; the sale's id."""
    s = shop.session
    name, nik, relation = proxy or ("", "", "")
    buyers.set_buyer(s, till_id, typed, day=day, needs=frozenset({FARMER}), proxy_name=name,
                     proxy_nik=nik, proxy_relation=relation, cashier_id=cashier_id)
    code = s.scalar(select(ProductBarcode.code).join(Product, Product.id == ProductBarcode.product_id)
                    .where(Product.name == UREA))
    cart.add(s, till_id, lookup_barcode(s, code), times=sacks, cashier_id=cashier_id)
    total = cart.view(s, till_id, shop.tax, today=day).totals.total
    done = checkout.checkout(
        s, till_id=till_id, cashier_id=cashier_id, idempotency_key=shop.key("pupuk"),
        tenders=[checkout.Tender(PaymentMethod.CASH, -(-total // CASH_ROUNDING) * CASH_ROUNDING)],
        outlet_code=shop.outlet, timezone=shop.zone, tax=shop.tax, now=now,
        cash_rounding=CASH_ROUNDING)
    return done.sale.id
