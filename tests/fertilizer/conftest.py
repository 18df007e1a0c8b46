"""A gerai with subsidised urea and NPK (50 kg sacks, priced per kg at the HET) and an e-RDKK
season covering ``DAY`` with two farmers; checkout helpers for the till."""
from __future__ import annotations

import uuid
from datetime import date, datetime

import pytest
from sqlalchemy import update

from pos.fertilizer.models import RdkkAllocation, RdkkFarmer, RdkkSeason
from pos.inventory.catalog.lookup import lookup_barcode
from pos.inventory.catalog.models import FertilizerType, Product
from pos.sales import cart, checkout
from pos.sales.models import Cart, PaymentMethod
from pos.sales.pricing import TaxSettings
from tests.factories import make_product, make_till, make_user, notes_covering, shift_of_day

DAY = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 3, 0)  # 11:00 WITA
TAX = TaxSettings(pkp=True, rate_bp=1100, inclusive=True)
DARMO, SUPARMI = "6402101505700001", "6402102003750002"
DARMO_CARD = "5221870010000001"
UREA_CODE, NPK_CODE = "8990000500018", "8990000500025"


def add_farmer(s, season_id: int, nik: str, name: str, card: str | None = None, **grams) -> int:
    farmer = RdkkFarmer(season_id=season_id, nik=nik, kartu_tani=card, name=name,
                        farmer_group="Poktan Tani Makmur", village="Loa Janan Ulu", commodity="padi")
    s.add(farmer)
    s.flush()
    for kind, (allocated, taken) in grams.items():
        s.add(RdkkAllocation(farmer_id=farmer.id, fertilizer=FertilizerType(kind),
                             allocated_grams=allocated, taken_grams=taken))
    s.flush()
    return farmer.id


@pytest.fixture
def farm(db):
    """Darmo: urea 150 kg (100 taken), NPK 200 kg; Suparmi: urea 200 kg."""
    with db.transaction() as s:
        tills = [make_till(s, "KASIR-1").id, make_till(s, "KASIR-2").id]
        user = make_user(s)
        manager = make_user(s, "manajer1", "manager", "2222")
        ids = {}
        for code, name, kind in ((UREA_CODE, "Pupuk Urea Subsidi 50 kg", "urea"),
                                 (NPK_CODE, "Pupuk NPK Phonska Subsidi 50 kg", "npk")):
            product = make_product(s, name=name, price=1_800, cost=1_600, base_unit="gram",
                                   business_unit="pupuk", tax_class="tidak_dipungut",
                                   on_hand=2_000_000, barcodes_=[(code, 50_000)])
            s.execute(update(Product).where(Product.id == product.id)
                      .values(subsidy=FertilizerType(kind)))
            ids[kind] = product.id
        season = RdkkSeason(name="MT I 2026", starts_on=date(2026, 10, 1), ends_on=date(2027, 3, 31))
        s.add(season)
        s.flush()
        darmo = add_farmer(s, season.id, DARMO, "Darmo Santoso", DARMO_CARD,
                           urea=(150_000, 100_000), npk=(200_000, 0))
        suparmi = add_farmer(s, season.id, SUPARMI, "Suparmi", urea=(200_000, 0))
    return dict(tills=tills, till=tills[0], user=user.id, manager=manager.id, season=season.id,
                darmo=darmo, suparmi=suparmi, **ids)


def scan(db, till_id: int, code: str, times: int = 1, today: date | None = DAY):
    """Scan at the till as the view does: add, then the cart check for the day."""
    with db.transaction() as s:
        cart.add(s, till_id, lookup_barcode(s, code), times=times)
        return cart.view(s, till_id, TAX, today=today)


def set_buyer(db, till_id: int, nik: str | None, name: str | None = None, **proxy) -> None:
    """The buyer columns the till's buyer dialog writes."""
    with db.transaction() as s:
        cart_id = cart.cart_id_for(s, till_id)
        s.execute(update(Cart).where(Cart.id == cart_id)
                  .values(buyer_nik=nik, buyer_name=name, **proxy))


def pay(db, farm, till_id: int | None = None, tendered: int | None = None):
    """Cash in the fewest Rp100.000 notes that cover the cart, unless ``tendered``."""
    with db.transaction() as s:
        shift_of_day(s, till_id or farm["till"], farm["user"], DAY)   # the shift of NOW's day
        cash = tendered if tendered is not None else notes_covering(s, till_id or farm["till"], TAX)
        return checkout.checkout(
            s, till_id=till_id or farm["till"], cashier_id=farm["user"],
            idempotency_key=str(uuid.uuid4()),
            tenders=[checkout.Tender(PaymentMethod.CASH, cash)], outlet_code="TST01",
            timezone="Asia/Makassar", tax=TAX, now=NOW)
