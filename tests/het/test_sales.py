"""Ceilings at the till: a new ceiling applies from its date to goods already on the shelf
(the fertiliser cut of 22-10-2025), the zone's own ceiling applies, cash rounding never takes
a sale at its ceiling above it, and a manager's price never goes above it."""
from __future__ import annotations

import uuid
from datetime import date, datetime

import pytest
from sqlalchemy import select

from pos.approvals.models import Override
from pos.approvals.service import Actor
from pos.auth.service import RIGHTS
from pos.clock import business_date
from pos.inventory import stock
from pos.inventory.catalog.lookup import lookup_barcode
from pos.inventory.models import MovementKind
from pos.sales import adjust, cart, checkout
from pos.sales.models import PaymentMethod
from pos.sales.pricing import TaxSettings
from tests.factories import make_product, make_till, make_user, set_het, shift_of_day

TAX = TaxSettings(pkp=False, het_zone="2")
BEFORE, CUT = date(2025, 10, 21), date(2025, 10, 22)
SACK, BAG = "8990000000105", "8990000000112"


@pytest.fixture
def kiosk(db):
    """Subsidised urea at the old ceiling, 2.250/kg, in 50 kg sacks and 333 g bags; the 20%
    cut to 1.800/kg from 22-10-2025 is scheduled; 500 kg received on 10-10-2025."""
    with db.transaction() as s:
        till, cashier = make_till(s), make_user(s)
        manager = make_user(s, "manajer1", "manager", "2222")
        urea = make_product(s, name="Pupuk Urea Subsidi", price=2_250, cost=1_500,
                            base_unit="gram", business_unit="pupuk", tax_class="tidak_dipungut",
                            barcodes_=[(SACK, 50_000), (BAG, 333)], on_hand=0)
        set_het(s, urea, 2_250, from_=date(2024, 1, 1))
        set_het(s, urea, 1_800, from_=CUT, note="Kepmentan 1117/2025")
        stock.move(s, urea, 500_000, MovementKind.RECEIPT, reason="DO 10-10-2025")
        return dict(till=till.id, cashier=cashier.id, manager=manager.id, urea=urea.id)


def scan(db, kiosk, code):
    with db.transaction() as s:
        cart.add(s, kiosk["till"], lookup_barcode(s, code))


def view(db, kiosk, day):
    with db.reading() as s:
        return cart.view(s, kiosk["till"], TAX, today=day, strict=False)


def pay(db, kiosk, tendered, when, rounding=0):
    with db.transaction() as s:   # in the shift of the sale's own business day
        shift_of_day(s, kiosk["till"], kiosk["cashier"], business_date(when, "Asia/Makassar"))
        return checkout.checkout(
            s, till_id=kiosk["till"], cashier_id=kiosk["cashier"],
            idempotency_key=str(uuid.uuid4()),
            tenders=[checkout.Tender(PaymentMethod.CASH, tendered)], outlet_code="TST01",
            timezone="Asia/Makassar", tax=TAX, now=when, cash_rounding=rounding).sale


def test_the_cut_applies_to_stock_on_the_shelf_from_its_date(db, kiosk):
    scan(db, kiosk, SACK)
    day_before = view(db, kiosk, BEFORE)
    assert day_before.rows[0].amount == 112_500 and day_before.rows[0].reason is None
    on_the_day = view(db, kiosk, CUT)
    assert on_the_day.rows[0].amount == 90_000 and on_the_day.rows[0].reason == "HET"
    assert on_the_day.at_ceiling
    # 22-10-2025 08:30 WITA is 00:30 UTC: the business day is the cut's
    sale = pay(db, kiosk, 90_000, datetime(2025, 10, 22, 0, 30))
    line = sale.lines[0]
    assert (sale.total, line["amount"], line["unit_price"], line["discount_reason"]) == (
        90_000, 90_000, 1_800, "HET")
    # sold at the ceiling, listed at it: no discount on the receipt ("HET -Rp22.500") or in the
    # day's discounts, no crossed-out catalog price on the screen
    assert (line["list_price"], line["discount"]) == (1_800, 0)
    assert on_the_day.rows[0].list_price == on_the_day.rows[0].unit_price == 1_800
    assert on_the_day.totals.discount == 0 and on_the_day.totals.gross == 90_000
    from pos.sales.receipt import line_lines
    assert not any("HET" in text or "-Rp" in text for text in line_lines(line, 32))


def test_the_day_before_the_cut_sells_at_the_old_ceiling(db, kiosk):
    scan(db, kiosk, SACK)
    # 21-10-2025 23:30 WITA is 15:30 UTC: still the day before the cut
    sale = pay(db, kiosk, 112_500, datetime(2025, 10, 21, 15, 30))
    assert sale.total == 112_500 and sale.lines[0]["discount_reason"] is None


def test_cash_rounding_never_takes_a_sale_at_its_ceiling_up(db, kiosk):
    scan(db, kiosk, BAG)  # 333 g at 1.800/kg = 599.4: Rp599, which would round up to Rp600
    sale = pay(db, kiosk, 1_000, datetime(2025, 11, 1, 3, 0), rounding=100)
    assert sale.lines[0]["amount"] == 599
    assert (sale.total, sale.rounding, sale.change) == (500, -99, 500)


def test_cash_rounding_still_rounds_up_a_sale_below_its_ceiling(db, kiosk):
    with db.transaction() as s:
        other = make_product(s, price=1_450, barcodes_=["8990000000129"], on_hand=5)
        set_het(s, other, 2_000)
    scan(db, kiosk, "8990000000129")
    sale = pay(db, kiosk, 2_000, datetime(2025, 11, 1, 3, 0), rounding=100)
    assert (sale.total, sale.rounding) == (1_500, 50)


def test_a_manager_price_above_the_ceiling_in_force_is_refused(db, kiosk):
    scan(db, kiosk, SACK)
    actor = Actor(kiosk["manager"], kiosk["till"], RIGHTS["manager"], reason="harga lama")
    with db.reading() as s:
        line_id = cart.view(s, kiosk["till"], TAX).rows[0].line_id
    with pytest.raises(adjust.AdjustError, match=r"Harga Rp2\.000/kg di atas HET Rp1\.800/kg"), \
            db.transaction() as s:
        adjust.override_price(s, actor, line_id, 2_000, day=CUT, zone="2")
    with db.transaction() as s:  # the day before, 2.000 is within the old ceiling
        adjust.override_price(s, actor, line_id, 2_000, day=BEFORE, zone="2")
    assert view(db, kiosk, BEFORE).rows[0].amount == 100_000
    assert view(db, kiosk, CUT).rows[0].amount == 90_000  # and capped from the cut on


def test_the_zone_of_the_outlet_picks_its_ceiling(db, kiosk):
    with db.transaction() as s:
        rice = make_product(s, name="Beras SPHP 5 kg", price=67_500, barcodes_=["8990000000136"],
                            on_hand=10)
        for zone, price in (("1", 62_500), ("2", 65_500), ("3", 67_500)):
            set_het(s, rice, price, from_=date(2025, 1, 1), zone=zone)
    scan(db, kiosk, "8990000000136")
    assert view(db, kiosk, CUT).rows[0].amount == 65_500  # TAX.het_zone is "2"
    with db.reading() as s:
        zone_3 = cart.view(s, kiosk["till"], TaxSettings(het_zone="3"), today=CUT, strict=False)
        no_zone = cart.view(s, kiosk["till"], TaxSettings(), today=CUT, strict=False)
    assert zone_3.rows[0].amount == 67_500 and no_zone.rows[0].amount == 67_500


def selling(s, kiosk, line_id: int, day) -> int:
    """The unit price the price form shows for the line on ``day`` in zone 2."""
    return adjust.selling_price(s, adjust.line_of(s, kiosk["till"], line_id, day=day, zone="2"),
                                day, "2").unit_price


def test_a_line_sold_at_its_ceiling_is_shown_and_logged_at_the_ceiling(db, kiosk):
    """A list price above the HET sells at the HET; the price form said the list price and the
    approval log's "before" kept it (Rp2.250/kg where the line sold at Rp1.800/kg)."""
    scan(db, kiosk, SACK)
    actor = Actor(kiosk["manager"], kiosk["till"], RIGHTS["manager"], reason="harga kelompok tani")
    with db.reading() as s:
        line_id = cart.view(s, kiosk["till"], TAX).rows[0].line_id
        assert selling(s, kiosk, line_id, CUT) == 1_800
        assert selling(s, kiosk, line_id, BEFORE) == 2_250
    with db.transaction() as s:
        adjust.override_price(s, actor, line_id, 1_700, day=CUT, zone="2")
    with db.reading() as s:
        logged = s.scalars(select(Override)).one()
        assert (logged.before, logged.after) == ("Rp1.800/kg", "Rp1.700/kg")
        assert selling(s, kiosk, line_id, CUT) == 1_700
