"""The demo seeder: a realistic, valid, deterministic outlet in one transaction."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

import pos.models
from pos.auth.models import Role, User
from pos.auth.service import authenticate, login_candidate
from pos.auth.throttle import LoginGuard
from pos.db import make_engine
from pos.demo.seed import is_empty, seed_demo
from pos.het.service import ceiling
from pos.inventory import stock
from pos.inventory.catalog.barcodes import is_valid_gtin
from pos.inventory.catalog.models import BusinessUnit, PriceChange, Product, TaxClass
from pos.inventory.models import StockLevel
from pos.members.models import Member
from pos.sales.models import Sale
from pos.tills.models import Till
from pos.units import BaseUnit


def _open(path) -> tuple:
    engine = make_engine(f"sqlite:///{path}")
    pos.models.metadata.create_all(engine)
    return engine, Session(engine)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Iterator[tuple[Session, dict, bool]]:
    engine, session = _open(tmp_path_factory.mktemp("demo") / "t.db")
    empty_before = is_empty(session)
    summary = seed_demo(session)
    session.commit()
    yield session, summary, empty_before
    session.close()
    engine.dispose()


@pytest.fixture
def session(seeded) -> Session:
    return seeded[0]


def _products(session: Session) -> list[Product]:
    return list(session.scalars(
        select(Product).options(selectinload(Product.barcodes)).order_by(Product.sku)))


def _catalog(path) -> list[tuple]:
    engine, session = _open(path)
    try:
        seed_demo(session, seed=7, history_days=0)
        session.commit()
        return [(p.sku, p.name, p.price, p.cost, sorted((b.code, b.qty) for b in p.barcodes))
                for p in _products(session)]
    finally:
        session.close()
        engine.dispose()


def test_is_empty_before_and_not_after(seeded):
    session, _, empty_before = seeded
    assert empty_before is True
    assert is_empty(session) is False


def test_summary_matches_database(seeded):
    session, summary, _ = seeded
    assert summary == {
        "users": 5, "tills": 2, "members": 50, "suppliers": 4,
        "products": len(session.scalars(select(Product.id)).all()),
        "sales": session.scalar(select(func.count(Sale.id))),
    }
    assert 14 * 15 <= summary["sales"] <= 14 * 30


def test_catalog_size_and_business_units(session):
    products = _products(session)
    assert len(products) >= 300
    assert {p.business_unit for p in products} == set(BusinessUnit)
    assert len({p.sku for p in products}) == len(products)
    assert all(p.category is not None for p in products)


def test_barcodes_valid_unique_and_prefixed(session):
    codes = [b.code for p in _products(session) for b in p.barcodes]
    assert len(codes) == len(set(codes))
    assert all(len(c) == 13 and is_valid_gtin(c) for c in codes)
    assert all(c.startswith("899") or c.startswith("20") for c in codes)
    assert sum(c.startswith("899") for c in codes) >= 200
    for p in _products(session):
        prefixes = {b.code[:2] if b.code.startswith("2") else b.code[:3] for b in p.barcodes}
        if p.weighed or p.business_unit is BusinessUnit.UMKM:
            assert prefixes == {"20"}, p.name
        if p.business_unit is BusinessUnit.APOTEK or p.name.startswith("Indomie"):
            assert prefixes == {"899"}, p.name


def test_prices_positive_and_cost_below_price(session):
    for p in _products(session):
        assert p.price > 0 and 0.79 * p.price <= p.cost <= 0.92 * p.price, p.name


def _het(session, product, day=date(2026, 11, 30), zone="2"):
    return ceiling(session, product.id, day, zone)


def test_het_respected(session):
    with_het = [p for p in _products(session) if _het(session, p) is not None]
    assert len(with_het) >= 7
    assert all(p.price <= _het(session, p) for p in with_het)
    by_name = {p.name: p for p in with_het}
    minyakita = by_name["MinyaKita Minyak Goreng 1 liter"]
    assert (minyakita.price, _het(session, minyakita), minyakita.base_unit) == \
        (15700, 15700, BaseUnit.PCS)
    sphp = by_name["Beras SPHP Bulog 5 kg"]  # the demo outlet is in SPHP zone 2
    assert (sphp.price, _het(session, sphp), sphp.category.name) == (65500, 65500, "Beras SPHP")
    assert [_het(session, sphp, zone=z) for z in ("1", "3", None)] == [62500, 67500, None]


def test_weighed_goods_scan_one_kilo(session):
    weighed = [p for p in _products(session) if p.weighed]
    assert weighed and all(p.base_unit is BaseUnit.GRAM for p in weighed)
    kilo = [p for p in weighed
            if any(b.code.startswith("20") and b.qty == 1000 for b in p.barcodes)]
    assert any("Beras" in p.name for p in kilo) and any("Gula" in p.name for p in kilo)


def test_subsidised_fertiliser(session):
    subsidi = [p for p in _products(session) if p.tax_class is TaxClass.TIDAK_DIPUNGUT]
    assert len(subsidi) >= 4
    assert all(p.business_unit is BusinessUnit.PUPUK and _het(session, p)
               and p.base_unit is BaseUnit.GRAM for p in subsidi)
    urea = next(p for p in subsidi if p.name == "Pupuk Urea Subsidi 50 kg")
    assert (urea.price, _het(session, urea), [b.qty for b in urea.barcodes]) == (1800, 1800, [50000])
    # the real ceilings before and from the 20% cut of 22-10-2025 (Kepmentan 1117/2025)
    assert [_het(session, urea, day=d, zone=None) for d in
            (date(2025, 10, 21), date(2025, 10, 22))] == [2250, 1800]
    assert urea.price * urea.barcodes[0].qty // urea.price_per == 90000


def test_tax_classes(session):
    classes = {p.name: p.tax_class for p in _products(session)}
    assert classes["Beras Medium Curah"] is TaxClass.BEBAS
    assert classes["Gulaku Gula Tebu Premium 1 kg"] is TaxClass.BEBAS
    assert classes["Bimoli Klasik 2 liter"] is TaxClass.PPN
    assert classes["Indomie Mi Goreng Original 85 g"] is TaxClass.PPN


def test_pharmacy_goods_batch_tracked(session):
    apotek = [p for p in _products(session) if p.business_unit is BusinessUnit.APOTEK]
    assert len(apotek) >= 30
    assert all(p.batch_tracked and p.stock_policy.value == "block" for p in apotek)


def test_opening_stock_consistent(session):
    assert stock.discrepancies(session) == []
    levels = dict(session.execute(select(StockLevel.product_id, StockLevel.on_hand)).all())
    products = _products(session)
    assert all(levels[p.id] > 0 for p in products)
    urea = next(p for p in products if p.name == "Pupuk Urea Subsidi 50 kg")
    assert levels[urea.id] % 50000 == 0 and 20 <= levels[urea.id] // 50000 <= 100


def test_members(session):
    members = list(session.scalars(select(Member).order_by(Member.number)))
    assert len(members) == 50
    assert members[0].number == "AGT-0001" and members[-1].number == "AGT-0050"
    for m in members:
        assert len(m.nik) == 16 and m.nik.isdigit() and m.nik.startswith("64"), m.nik
        assert m.phone.startswith("08") and m.phone.isdigit() and len(m.phone) in (11, 12)
        assert m.card_barcode.startswith("29") and is_valid_gtin(m.card_barcode)
    for field in ("nik", "card_barcode", "name"):
        assert len({getattr(m, field) for m in members}) == 50


def test_staff_and_tills(session):
    roles = {u.username: u.role for u in session.scalars(select(User))}
    assert roles == {"kasir1": Role.CASHIER, "gudang1": Role.CLERK, "manajer1": Role.MANAGER,
                     "admin": Role.ADMIN, "apoteker1": Role.PHARMACIST}
    assert session.scalars(select(Till.code).order_by(Till.code)).all() == ["KASIR-1", "KASIR-2"]


@pytest.mark.parametrize("username, pin", [
    ("kasir1", "1111"), ("gudang1", "2222"), ("manajer1", "9999"), ("admin", "0000"),
    ("apoteker1", "7777")])
def test_demo_pins_authenticate(session, username, pin):
    guard = LoginGuard(per_minute=10, max_attempts=5, per_user=20, lock_seconds=300)
    assert authenticate(login_candidate(session, username), pin, guard, "127.0.0.1") is not None
    assert authenticate(login_candidate(session, username), "1234", guard, "127.0.0.1") is None
    session.rollback()


def test_existing_till_is_kept(tmp_path):
    engine, session = _open(tmp_path / "t.db")
    try:
        session.add(Till(code="KASIR-1", name="Kasir Depan"))
        session.commit()
        assert seed_demo(session, history_days=0)["tills"] == 1
        session.commit()
        names = dict(session.execute(select(Till.code, Till.name)).all())
        assert names == {"KASIR-1": "Kasir Depan", "KASIR-2": "Kasir 2"}
    finally:
        session.close()
        engine.dispose()


def test_deterministic(tmp_path):
    first = _catalog(tmp_path / "a.db")
    assert first == _catalog(tmp_path / "b.db")
    assert len(first) >= 300


def test_the_sphp_rule_is_put_on_its_rice_by_the_demo_manager_in_the_change_log(session):
    logged = session.execute(
        select(PriceChange.old_text, PriceChange.new_text, User.username)
        .join(Product, Product.id == PriceChange.product_id)
        .outerjoin(User, User.id == PriceChange.changed_by)
        .where(PriceChange.field == "limit_rule", Product.name == "Beras SPHP Bulog 5 kg")).all()
    assert logged == [(None, "Beras SPHP", "manajer1")]


def test_every_demo_category_is_capitalised_alike(session):
    """"Obat keras" stood among "Obat Bebas", "Obat Bebas Terbatas" and the rest."""
    from pos.inventory.catalog.models import Category

    names = session.scalars(select(Category.name)).all()
    assert "Obat Keras" in names and "Obat keras" not in names
    for name in names:
        assert all(word[0].isupper() or not word[0].isalpha() for word in name.split()), name


def test_without_history_no_farmer_has_redeemed_anything(tmp_path):
    """The redemptions are the history's sales: a demo without closed days (the browser tests'
    template) has every farmer's whole allocation left, as its empty redemption report says."""
    from pos.fertilizer.models import FertilizerRedemption, RdkkAllocation

    engine, session = _open(tmp_path / "t.db")
    try:
        seed_demo(session, history_days=0)
        session.commit()
        assert session.scalar(select(func.sum(RdkkAllocation.taken_grams))) == 0
        assert session.scalar(select(func.count(FertilizerRedemption.id))) == 0
    finally:
        session.close()
        engine.dispose()


def test_subsidised_fertiliser_comes_in_a_karung_and_its_het_is_not_doubted(session):
    """The demo's fertiliser had no sack pack: the HET form's per-sack hint and the realization
    report's sacks never showed.  Each subsidised product has a karung as big as one scan, and
    its ceilings, per kg, still pass the plausibility check a per-sack ceiling fails."""
    from pos.het.models import CeilingPrice
    from pos.het.service import unlikely

    subsidi = [p for p in _products(session) if p.subsidy is not None]
    assert len(subsidi) == 5
    for product in subsidi:
        sack = product.barcodes[0].qty
        assert [(p.name, p.qty) for p in product.packs] == [(f"karung {sack // 1000} kg", sack)]
        rows = session.scalars(select(CeilingPrice).where(CeilingPrice.product_id == product.id)).all()
        assert len(rows) == 2
        for row in rows:
            assert unlikely(session, product, row.price, row.effective_from, row.zone) is None, row.price
        per_sack = product.price * sack // product.price_per   # the Kepmentan's figure per karung
        assert "karung" in unlikely(session, product, per_sack, date(2026, 12, 1), None)
    urea = next(p for p in subsidi if p.name == "Pupuk Urea Subsidi 50 kg")
    assert unlikely(session, urea, 90_000, date(2026, 12, 1), None).startswith("HET Rp90.000 per kg?")


def test_soon_expiring_batches_count_from_the_outlets_date_not_the_machines(tmp_path, monkeypatch):
    """At 17:00 UTC on 31-12-2026 the outlet (WITA) is on 01-01-2027: the demo's batches that
    expire in 14 days expired 14 days from the machine's UTC date, a day early."""
    from datetime import datetime

    from pos import clock
    from pos.demo import seed
    from pos.inventory.models import Batch

    class MachineDate(date):
        @classmethod
        def today(cls):
            return cls(2026, 12, 31)

    monkeypatch.setattr(clock, "utcnow", lambda: datetime(2026, 12, 31, 17, 0))
    monkeypatch.setattr(seed, "date", MachineDate)
    engine, session = _open(tmp_path / "t.db")
    try:
        seed_demo(session, history_days=0)
        session.commit()
        days = {(b.expiry - date(2027, 1, 1)).days
                for b in session.scalars(select(Batch).where(Batch.batch_no.like("E%")))}
        assert days and days <= {-20, -5, 14, 30, 45}, days
    finally:
        session.close()
        engine.dispose()
