"""Demo data for a fresh outlet: staff, tills, a ~340-item catalog with opening stock, members.

Everything is generated from the tables in ``goods``, ``sembako`` and ``people`` with a seeded
``random.Random``, so the same seed always yields the same catalog.  The seeder
only adds and flushes; the caller owns the transaction and commits.
"""
from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pos import clock
from pos.auth.models import User
from pos.auth.service import create_user
from pos.config import DefaultConfig
from pos.demo import ceilings, goods, history, people, pharmacy
from pos.demo.accounts import seed_accounts
from pos.demo.fertilizer import seed_fertilizer, seed_sacks
from pos.demo.prices import seed_price_rules
from pos.demo.regulated import seed_regulated
from pos.demo.sembako import SEMBAKO, WEIGHED
from pos.inventory import stock
from pos.inventory.catalog.barcodes import with_check_digit
from pos.inventory.catalog.models import Product
from pos.inventory.catalog.products import create_product
from pos.inventory.models import MovementKind
from pos.inventory.receiving.models import Supplier
from pos.inventory.receiving.receipts import create_supplier
from pos.members.models import Member
from pos.sales.models import Sale
from pos.tills import service as tills
from pos.units import BaseUnit

# Business units in SKU order: (unit, SKU prefix, product lines).
UNITS: tuple[tuple[str, str, tuple[goods.Line, ...]], ...] = (
    ("sembako", "SBK", SEMBAKO),
    ("pupuk", "PPK", goods.PUPUK),
    ("apotek", "APT", goods.APOTEK),
    ("umkm", "UMK", goods.UMKM),
    ("lainnya", "LNY", goods.LAINNYA),
)

OPENING_REASON = "Stok awal demo"


@dataclass(frozen=True)
class Spec:
    """One product to create, before SKU, cost, barcode and stock are drawn."""

    unit: str
    category: str
    name: str
    price: int
    tax_class: str
    brand: str
    code: str = "gtin"       # "gtin" (899...) or "store" (20...)
    base_unit: str = "pcs"
    regulated: bool = False  # a government ceiling (HET, ``pos.demo.ceilings``): never below zero
    scan_qty: int = 1        # base units one scan adds
    weighed: bool = False


class _Codes:
    """Unique EAN-13s: 899 + company + item for packaged goods, 20... for in-store codes."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.companies: dict[str, str] = {}
        self.items: dict[str, int] = {}
        self.store_seq = 0
        self.plu = 0

    def gtin(self, brand: str) -> str:
        if brand not in self.companies:
            taken = set(self.companies.values())
            company = f"{self.rng.randrange(1000, 10000)}"
            while company in taken:
                company = f"{self.rng.randrange(1000, 10000)}"
            self.companies[brand] = company
        self.items[brand] = self.items.get(brand, 0) + self.rng.randrange(1, 40)
        return with_check_digit(f"899{self.companies[brand]}{self.items[brand]:05d}")

    def in_store(self, weighed: bool) -> str:
        self.store_seq += 1
        return with_check_digit(f"20{1 if weighed else 2}{self.store_seq:09d}")


def is_empty(session: Session) -> bool:
    """True when the database has neither products nor staff users."""
    no_products = session.scalar(select(Product.id).limit(1)) is None
    return no_products and session.scalar(select(User.id).limit(1)) is None


def seed_demo(session: Session, seed: int = 2026,
              het_zone: str | None = ceilings.DEMO_ZONE,
              history_days: int = history.DAYS, config: Mapping | None = None,
              today: date | None = None) -> dict[str, int]:
    """Add the demo outlet's data and flush; the caller commits.  ``het_zone``: the outlet's
    zone for ceiling prices (the SPHP rice pack is priced at its zone's ceiling);
    ``history_days``: closed days of sales and shifts before ``today`` (the outlet's date in
    the zone of ``config``, by default), made with the app's ``config`` (outlet code, zone,
    PKP) when given."""
    rng = random.Random(seed)
    zone = (config or {}).get("TIMEZONE") or DefaultConfig.TIMEZONE
    today = today or clock.business_date(clock.utcnow(), zone)
    summary = {
        "users": _seed_users(session),
        "tills": _seed_tills(session),
        "products": _seed_products(session, rng, today) + pharmacy.seed_drugs(session),
        "members": _seed_members(session, rng),
        "suppliers": _seed_suppliers(session),
    }
    summary["users"] += pharmacy.seed_pharmacist(session)  # apoteker1 (pos/demo/pharmacy.py)
    # kasbon limits, old kasbon (with the past days only), savings (pos/demo/accounts.py)
    seed_accounts(session, config, old_kasbon=history_days > 0)
    seed_sacks(session)  # karung packs of the subsidised fertiliser (pos/demo/fertilizer.py)
    ceilings.seed_ceilings(session, het_zone)  # HET schedule (pos/demo/ceilings.py)
    seed_fertilizer(session, today)  # subsidised types, the e-RDKK season (pos/demo/fertilizer.py)
    summary["products"] += seed_regulated(session)  # SPHP limit, LPG 3 kg (pos/demo/regulated.py)
    seed_price_rules(session)  # member discounts, member prices, cartons (pos/demo/prices.py)
    session.flush()
    # closed days of shifts, sales, returns and cash movements (pos/demo/history.py)
    history.seed_history(session, seed, days=history_days, today=today, het_zone=het_zone,
                         config=config)
    summary["sales"] = session.scalar(select(func.count(Sale.id)))   # the old kasbon's too
    return summary


def _seed_users(session: Session) -> int:
    created = 0
    for username, full_name, role, pin in people.STAFF:
        if session.scalar(select(User.id).where(User.username == username)) is None:
            # the demo's well-known PINs (admin 0000, manajer1 9999) are easy on purpose
            create_user(session, username, full_name, role, pin, guessable_pin_ok=True)
            created += 1
    return created


def _seed_suppliers(session: Session) -> int:
    """The gerai's suppliers, so a clerk can receive a delivery at once (``pos.inventory.receiving``)."""
    known = set(session.scalars(select(Supplier.name)))
    made = [create_supplier(session, name, kind, phone)
            for name, kind, phone in people.SUPPLIERS if name not in known]
    return len(made)


def _seed_tills(session: Session) -> int:
    return sum(tills.ensure_till(session, code, name) for code, name in people.TILLS)


def _line_specs(unit: str, lines: tuple[goods.Line, ...]) -> Iterator[Spec]:
    for category, tax_class, code, brand, variants, sizes in lines:
        for variant in variants:
            for size, price in sizes:
                name = " ".join(part for part in (brand, variant, size) if part)
                yield Spec(unit, category, name, price, tax_class, brand, code)


def _unit_specs(unit: str, lines: tuple[goods.Line, ...]) -> Iterator[Spec]:
    """Every product of one business unit: table lines, then loose and special goods."""
    yield from _line_specs(unit, lines)
    if unit == "sembako":
        for category, tax_class, name, per_kg in WEIGHED:
            yield Spec(unit, category, name, per_kg, tax_class, name, "store", "gram",
                       scan_qty=1000, weighed=True)
    for u, category, name, base_unit, price, het, tax_class, code, qty in goods.SPECIAL:
        if u == unit:
            yield Spec(unit, category, name, price, tax_class, name, code, base_unit,
                       het is not None, qty)


def _seed_products(session: Session, rng: random.Random, today: date) -> int:
    codes = _Codes(rng)
    count = 0
    for unit, prefix, lines in UNITS:
        for n, spec in enumerate(_unit_specs(unit, lines), start=1):
            _create(session, rng, codes, spec, f"{prefix}-{n:04d}", today)
            count += 1
    return count


def _create(session: Session, rng: random.Random, codes: _Codes, spec: Spec, sku: str,
            today: date) -> None:
    code = codes.gtin(spec.brand) if spec.code == "gtin" else codes.in_store(spec.weighed)
    product = create_product(
        session, sku=sku, name=spec.name, price=spec.price, business_unit=spec.unit,
        base_unit=spec.base_unit, cost=spec.price * rng.randint(80, 92) // 100,
        tax_class=spec.tax_class, category=spec.category,
        barcodes_=[(code, spec.scan_qty)], weighed=spec.weighed,
        batch_tracked=spec.unit == "apotek", stock_policy="block" if spec.regulated else None,
    )
    if spec.weighed:  # label-printing scales put this PLU into 21/23 codes
        codes.plu += 1
        product.plu = codes.plu
    batch = None
    if product.batch_tracked:  # pharmacy stock arrives in batches with an expiry date
        expiry = date(2027, 1, 1) + timedelta(days=rng.randint(60, 900))
        batch = stock.ensure_batch(session, product.id, f"B{rng.randint(10000, 99999)}", expiry)
    opening = _opening_qty(rng, spec)
    stock.move(session, product, opening, MovementKind.OPENING, reason=OPENING_REASON,
               batch_id=batch, at=people.stock_counted())
    # a few goods already at or under their reorder point, for the low-stock list
    product.reorder_point = opening * 2 if rng.random() < 0.06 else opening // 10
    if product.batch_tracked and rng.random() < 0.15:
        _dated_batch(session, rng, product, today)


def _dated_batch(session: Session, rng: random.Random, product, today: date) -> None:
    """A second batch that expires soon, or has expired (counted from the outlet's ``today``):
    the stock lists and the till's expiry refusal have something to show in the demo."""
    days = rng.choice([-20, -5, 14, 30, 45])
    batch = stock.ensure_batch(session, product.id, f"E{rng.randint(10000, 99999)}",
                               today + timedelta(days=days))
    stock.move(session, product, rng.randint(2, 10), MovementKind.OPENING,
               reason=OPENING_REASON, batch_id=batch, at=people.stock_counted())


def _opening_qty(rng: random.Random, spec: Spec) -> int:
    """Opening stock in base units: pieces, 50-500 kg loose, 20-100 sacks or litres."""
    if spec.base_unit == BaseUnit.PCS.value:
        return rng.randint(5, 200)
    if spec.scan_qty > 1000:
        return rng.randint(20, 100) * spec.scan_qty
    if spec.base_unit == BaseUnit.ML.value:
        return rng.randint(20, 100) * 1000
    return rng.randint(50, 500) * 1000


def _seed_members(session: Session, rng: random.Random) -> int:
    """Members since the cooperative's founding (July 2025); one of them nonaktif."""
    for i, (name, sex) in enumerate(people.MEMBER_NAMES, start=1):
        session.add(Member(
            number=f"AGT-{i:04d}", name=name, nik=_nik(rng, sex, i), phone=_phone(rng),
            card_barcode=with_check_digit(f"29{i:010d}"),
            joined_on=people.FOUNDED + timedelta(days=(i * 37) % 300),
            active=f"AGT-{i:04d}" != people.INACTIVE_MEMBER,
        ))
    session.flush()
    return len(people.MEMBER_NAMES)


def _nik(rng: random.Random, sex: str, serial: int) -> str:
    """Regency (64xx) + district + birth date DDMMYY (women +40 on the day) + serial."""
    day = rng.randint(1, 28) + (40 if sex == "P" else 0)
    birth = f"{day:02d}{rng.randint(1, 12):02d}{rng.randint(55, 99):02d}"
    district = f"{rng.randint(1, 20):02d}"
    return f"{rng.choice(people.KALTIM_REGENCIES)}{district}{birth}{serial:04d}"


def _phone(rng: random.Random) -> str:
    """A mobile number of 11 or 12 digits."""
    rest = rng.randint(7, 8)
    return rng.choice(people.PHONE_PREFIXES) + "".join(str(rng.randrange(10)) for _ in range(rest))
