"""The demo's per-buyer limit and LPG 3 kg (issue 10).

* "Beras SPHP": 2 packs of "Beras SPHP Bulog 5 kg" per buyer per day, a member or a NIK
  (Bulog's SPHP rule: at most 2 packs per consumer, ../shared/docs/DOMAIN.md §3c).
* The gerai as Pertamina's pangkalan: "LPG 3 kg isi ulang" (an empty cylinder handed in) at
  Rp18.000 and "LPG 3 kg tabung baru" at Rp165.000.  Both prices are demo data: Rp18.000 stands
  for the Kalimantan Timur pangkalan HET and is set as the refill's ceiling in every zone;
  verify the regency's own HET before selling.  No per-NIK limit on LPG (none so far, §3g):
  a limit rule with buyer kind "nik" switches one on.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.auth.models import User
from pos.demo.people import stock_counted
from pos.het.service import set_ceiling
from pos.inventory import stock
from pos.inventory.catalog.barcodes import with_check_digit
from pos.inventory.catalog.models import LpgKind, Product, ProductBarcode
from pos.inventory.catalog.products import create_product
from pos.inventory.models import MovementKind
from pos.limits import rules

SPHP = "Beras SPHP Bulog 5 kg"
SPHP_RULE = "Beras SPHP"
LPG_HET, LPG_HET_FROM = 18_000, date(2025, 1, 1)
LPG_HET_NOTE = "HET LPG 3 kg pangkalan Kaltim (data demo: periksa HET kabupaten)"
# (sku, name, kind, price, cost, barcode without its check digit, opening stock)
LPG = (("LPG3-ISI", "LPG 3 kg isi ulang", LpgKind.REFILL, LPG_HET, 16_000, "899000300003", 40),
       ("LPG3-BARU", "LPG 3 kg tabung baru", LpgKind.NEW, 165_000, 150_000, "899000300010", 10))


def seed_regulated(session: Session) -> int:
    """Add the SPHP limit rule and the LPG 3 kg products; returns the products added."""
    manager = session.scalar(select(User.id).where(User.username == "manajer1"))
    sphp = session.scalar(select(Product.id).where(Product.name == SPHP))
    if sphp is not None and session.scalar(select(Product.limit_rule_id).where(
            Product.id == sphp)) is None:
        rule = rules.save_rule(session, None, name=SPHP_RULE, max_qty=2, period="day",
                               buyer="any", note="Bulog: paling banyak 2 pak per konsumen",
                               user_id=manager)
        rules.attach(session, rule.id, sphp, user_id=manager)
    added = 0
    for sku, name, kind, price, cost, code, opening in LPG:
        barcode = with_check_digit(code)
        if session.scalar(select(Product.id).where(Product.sku == sku)) is not None or \
                session.scalar(select(ProductBarcode.code).where(ProductBarcode.code == barcode)):
            continue
        product = create_product(session, sku=sku, name=name, price=price, cost=cost,
                                 business_unit="lainnya", tax_class="ppn", category="LPG",
                                 barcodes_=[barcode], stock_policy="block")
        product.lpg = kind
        stock.move(session, product, opening, MovementKind.OPENING, reason="Stok awal demo",
                   at=stock_counted())
        if kind is LpgKind.REFILL:
            set_ceiling(session, product.id, price=LPG_HET, effective_from=LPG_HET_FROM,
                        note=LPG_HET_NOTE, user_id=manager)
        added += 1
    return added
