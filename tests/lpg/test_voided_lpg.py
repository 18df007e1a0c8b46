"""An LPG 3 kg line voided from a cart that keeps other regulated goods (SPHP rice under a
per-buyer limit) left the buyer's LPG category on the sale, and its receipt printed
"Kategori LPG: Rumah tangga" with no LPG sold: the category is kept only with LPG on the sale."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from pos.inventory.catalog.models import LpgKind
from pos.limits import rules
from pos.lpg.models import LpgSale
from pos.sales import checkout, receipt, voids
from pos.sales.models import SaleBuyer
from tests.factories import make_product, make_till, make_user
from tests.limits.conftest import NIK_A, NIK_B, SPHP, TAX, pay, scan, set_buyer
from tests.members.accounts.conftest import make_member

REFILL = "8990000030003"


@pytest.fixture
def lpg_too(db):
    """SPHP rice under a 2-per-day rule, LPG 3 kg and a member with a registered NIK."""
    with db.transaction() as s:
        till, user = make_till(s), make_user(s)
        sphp = make_product(s, name="Beras SPHP Bulog 5 kg", price=62_500, tax_class="bebas",
                            on_hand=100, barcodes_=[SPHP])
        rule = rules.save_rule(s, None, name="Beras SPHP", max_qty=2, period="day", buyer="any")
        rules.attach(s, rule.id, sphp.id)
        refill = make_product(s, name="LPG 3 kg isi ulang", price=18_000, barcodes_=[REFILL])
        refill.lpg = LpgKind.REFILL
        member = make_member(s, nik=NIK_B)
    return dict(till=till.id, user=user.id, member=member.number)


def test_a_voided_lpg_line_takes_its_category_off_the_sale(db, lpg_too):
    till = lpg_too["till"]
    set_buyer(db, till, lpg_too["member"], category="rumah_tangga")
    scan(db, till, SPHP)
    view = scan(db, till, REFILL)
    refill = next(r.line_id for r in view.rows if r.name == "LPG 3 kg isi ulang")
    with db.transaction() as s:
        voids.remove_line(s, till, lpg_too["user"], refill, "Pembeli batal", TAX)
    sale_id = pay(db, lpg_too).sale.id
    with db.reading() as s:
        buyer = s.execute(select(SaleBuyer).where(SaleBuyer.sale_id == sale_id)).scalar_one()
        assert buyer.nik == NIK_B and buyer.category is None
        assert s.scalar(select(LpgSale.id)) is None
        sale = checkout.get_sale(s, sale_id)
    text = receipt.build(sale, receipt.OutletInfo("Gerai"), "Kasir", 32).lines
    assert "Pembeli: NIK 6472********0002" in text
    assert not any("Kategori LPG" in line for line in text)


def test_a_farmers_proxy_stays_off_a_sale_with_no_fertiliser(db, lpg_too):
    """The same for the proxy who collects a farmer's fertiliser: the fertiliser voided (or never
    there), the sale of SPHP rice keeps the buyer and no proxy."""
    till = lpg_too["till"]
    set_buyer(db, till, lpg_too["member"], proxy_name="Siti Aminah", proxy_nik=NIK_A,
              proxy_relation="keluarga")
    scan(db, till, SPHP)
    sale_id = pay(db, lpg_too).sale.id
    with db.reading() as s:
        buyer = s.execute(select(SaleBuyer).where(SaleBuyer.sale_id == sale_id)).scalar_one()
        assert buyer.nik == NIK_B
        assert (buyer.proxy_name, buyer.proxy_nik, buyer.proxy_relation) == (None, None, None)
