"""A ceiling far below the price was saved without a question (SPHP's Rp13.100 per kg typed for
the 5 kg pack; Rp170 for gula at Rp17.000/kg), and the till then sold at it, below cost, with no
word: a ceiling under the product's cost, under a third of its catalog price, or that looks like
its price per kg or litre of a pack, is asked about as a ceiling per sack is; and a line its
ceiling takes below its cost is not paid until a manager approves that price (Shift+F3)."""
from __future__ import annotations

import uuid
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from pos.approvals.service import Actor, Approval
from pos.auth.models import Role
from pos.auth.service import RIGHTS
from pos.het import service
from pos.het.models import CeilingPrice
from pos.inventory.catalog.lookup import lookup_barcode
from pos.inventory.catalog.models import Product, TaxClass
from pos.sales import adjust, cart, checkout, pricing
from pos.sales.models import PaymentMethod
from tests.factories import login, make_product, make_till, make_user, set_het, shift_of_day

TAX = pricing.TaxSettings(pkp=False, het_zone="2")
DAY = date(2026, 11, 30)
RICE, SUGAR = "8990000000501", "8990000000518"
LIMIT = 500


@pytest.fixture
def shelf(db):
    """SPHP rice (Rp65.500 the 5 kg pack, cost Rp52.500) and gula curah (Rp17.000/kg, cost
    Rp15.640), as the demo has them."""
    with db.transaction() as s:
        till, cashier = make_till(s), make_user(s)
        manager = make_user(s, "manajer1", "manager", "9999")
        rice = make_product(s, sku="SBK-0177", name="Beras SPHP Bulog 5 kg", price=65_500,
                            cost=52_500, tax_class="bebas", barcodes_=[RICE])
        sugar = make_product(s, sku="SBK-0162", name="Gula Pasir Curah", price=17_000, cost=15_640,
                             base_unit="gram", tax_class="bebas", barcodes_=[SUGAR], on_hand=50_000)
    return dict(till=till.id, cashier=cashier.id, manager=manager.id, rice=rice.id, sugar=sugar.id)


def count(db) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(CeilingPrice))


@pytest.mark.parametrize("sku, price, words", [
    ("SBK-0177", 13_100, "HET Rp13.100 per pcs? Harga jual Rp65.500/pcs; per kg (5 kg) = Rp13.100: "
                         "HET tampaknya ditulis per kg, bukan per pcs."),
    ("SBK-0177", 13_100, "Di bawah harga pokok Rp52.500/pcs"),
    ("SBK-0162", 170, "HET Rp170 per kg? Di bawah harga pokok Rp15.640/kg"),
])
def test_a_ceiling_below_cost_or_per_kg_of_a_pack_is_asked_about(db, shelf, sku, price, words):
    with db.transaction() as s:
        with pytest.raises(service.UnlikelyCeiling) as refused:
            service.set_ceiling(s, service.product_by_sku(s, sku).id, price=price,
                                effective_from=DAY, zone="2")
    assert words in refused.value.message
    assert count(db) == 0
    with db.transaction() as s:   # confirmed, it is saved
        service.set_ceiling(s, service.product_by_sku(s, sku).id, price=price, effective_from=DAY,
                            zone="2", unlikely_ok=True)
    assert count(db) == 1


def test_a_third_of_the_price_is_asked_about_and_a_lower_ceiling_above_cost_is_not(db, shelf):
    with db.transaction() as s:
        free = make_product(s, sku="GRATIS", name="Barang Hibah", price=18_000, cost=0)
        with pytest.raises(service.UnlikelyCeiling, match="Kurang dari sepertiga harga jual Rp18.000/pcs"):
            service.set_ceiling(s, free.id, price=5_000, effective_from=DAY)
        service.set_ceiling(s, free.id, price=6_000, effective_from=DAY)
        service.set_ceiling(s, shelf["sugar"], price=16_500, effective_from=DAY)   # just lowered
        service.set_ceiling(s, shelf["rice"], price=62_500, effective_from=DAY, zone="2")
    assert count(db) == 3


def test_the_form_asks_before_saving_a_per_kg_figure_for_the_pack(db, client, shelf):
    login(client, shelf["manager"])
    form = {"sku": "SBK-0177", "zone": "", "price": "13.100", "from": "30-11-2026", "note": ""}
    refused = client.post("/het", data=form)
    page = " ".join(refused.get_data(as_text=True).split())
    assert refused.status_code == 422 and count(db) == 0
    assert "per kg (5 kg) = Rp13.100" in page and "harga pokok Rp52.500" in page
    assert 'name="het_ok"' in page


def test_pricing_marks_a_line_its_ceiling_takes_below_cost_as_needing_approval():
    line = pricing.LineInput(product_id=1, sku="SBK-0177", name="Beras SPHP Bulog 5 kg", qty=1,
                             unit_price=65_500, price_per=1, tax_class=TaxClass.BEBAS,
                             unit_cost=52_500, het=13_100)
    decided = pricing.decide(line)
    assert (decided.amount, decided.clipped) == (13_100, True)
    assert pricing.needs_approval(line)
    assert not pricing.needs_approval(line._replace(below_cost_ok=True))
    assert not pricing.needs_approval(line._replace(het=60_000))      # a ceiling above cost
    assert not pricing.decide(line._replace(het=60_000)).clipped


def _pay(db, shelf):
    with db.transaction() as s:
        shift_of_day(s, shelf["till"], shelf["cashier"], DAY)
        total = cart.view(s, shelf["till"], TAX, today=DAY).totals.total
        return checkout.checkout(
            s, till_id=shelf["till"], cashier_id=shelf["cashier"], idempotency_key=str(uuid.uuid4()),
            tenders=[checkout.Tender(PaymentMethod.CASH, total)], outlet_code="TST01",
            timezone="Asia/Makassar", tax=TAX, now=datetime(2026, 11, 30, 3, 0),
            discount_limit_bp=LIMIT).sale


def test_the_till_holds_a_sale_below_cost_at_the_ceiling_until_a_manager_approves(db, shelf):
    with db.transaction() as s:
        set_het(s, s.get(Product, shelf["rice"]), 13_100, zone="2")
        cart.add(s, shelf["till"], lookup_barcode(s, RICE))
    with db.reading() as s:
        view = cart.view(s, shelf["till"], TAX, today=DAY)
        held = view.discount_held(LIMIT)
        line_id = view.rows[0].line_id
    assert view.rows[0].amount == 13_100
    assert "Beras SPHP Bulog 5 kg: HET Rp13.100 di bawah harga pokok Rp52.500" in held
    assert "Shift+F3" in held
    with pytest.raises(checkout.CartChanged) as refused:
        _pay(db, shelf)
    assert refused.value.message == held
    cashier = Actor(shelf["cashier"], shelf["till"], RIGHTS[Role.CASHIER], reason="HET SPHP",
                    approval=Approval(shelf["manager"], "HET SPHP"))
    with db.transaction() as s:   # the manager approves the sale at the ceiling
        adjust.override_price(s, cashier, line_id, 13_100, day=DAY, zone="2", tax=TAX)
    with db.reading() as s:
        assert cart.view(s, shelf["till"], TAX, today=DAY).discount_held(LIMIT) == ""
    assert _pay(db, shelf).total == 13_100
