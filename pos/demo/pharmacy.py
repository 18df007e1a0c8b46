"""The demo apotek desa: drug classes on the pharmacy goods, a few obat keras, one narcotic
that is listed but never sold, and the apoteker (demo only; the rules are in ``pos.pharmacy``).
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pos.auth.models import User
from pos.auth.service import create_user
from pos.demo.people import stock_counted
from pos.inventory import stock
from pos.inventory.catalog.barcodes import with_check_digit
from pos.inventory.catalog.models import Category, DrugClass, Product
from pos.inventory.catalog.products import create_product
from pos.inventory.models import MovementKind

# Category -> (drug class, most per sale) of the pharmacy goods in ``goods.APOTEK``.
CLASSES = {"Obat Bebas": (DrugClass.BEBAS, None),
           "Obat Bebas Terbatas": (DrugClass.BEBAS_TERBATAS, 3)}
# Obat keras (prescription only) and one narcotic the gerai lists but never sells:
# (SKU, name, price, drug class, batch, expiry).
DRUGS: tuple[tuple[str, str, int, DrugClass, str, date], ...] = (
    ("APT-K001", "Amoxicillin 500 mg Strip 10", 9000, DrugClass.KERAS, "AMX2611", date(2028, 3, 31)),
    ("APT-K002", "Asam Mefenamat 500 mg Strip 10", 6000, DrugClass.KERAS, "ASM2609",
     date(2027, 12, 31)),
    ("APT-K003", "Captopril 25 mg Strip 10", 5000, DrugClass.KERAS, "CPT2605", date(2027, 9, 30)),
    ("APT-K004", "Metformin 500 mg Strip 10", 7000, DrugClass.KERAS, "MTF2610", date(2028, 1, 31)),
    ("APT-N001", "Codein 10 mg (tidak dijual)", 15000, DrugClass.NARKOTIKA, "CDN2601",
     date(2027, 6, 30)),
)
# The category of each, named as the others are ("Obat Bebas Terbatas"), not as the drug class reads.
CATEGORY = {DrugClass.KERAS: "Obat Keras", DrugClass.NARKOTIKA: "Narkotika"}
# username, full name, role, PIN (demo only), licence number (SIPA)
PHARMACIST = ("apoteker1", "apt. Rina Marlina, S.Farm.", "pharmacist", "7777",
              "19900412/SIPA_64.72/2025/0031")
OPENING_REASON = "Stok awal demo"


def seed_drugs(session: Session) -> int:
    """Drug classes on the pharmacy goods, and the obat keras and narcotic; how many new."""
    for category, (drug, most) in CLASSES.items():
        session.execute(update(Product).where(Product.category_id == select(Category.id).where(
            Category.name == category).scalar_subquery()).values(drug_class=drug, max_per_sale=most))
    for n, (sku, name, price, drug, batch_no, expiry) in enumerate(DRUGS, start=1):
        product = create_product(
            session, sku=sku, name=name, price=price, business_unit="apotek",
            cost=price * 85 // 100, category=CATEGORY[drug], batch_tracked=True, stock_policy="block",
            barcodes_=[with_check_digit(f"8990000{90000 + n:05d}")])
        product.drug_class = drug
        batch = stock.ensure_batch(session, product.id, batch_no, expiry)
        stock.move(session, product, 40, MovementKind.OPENING, reason=OPENING_REASON,
                   batch_id=batch, at=stock_counted())
    return len(DRUGS)


def seed_pharmacist(session: Session) -> int:
    """The demo apoteker, with a SIPA: approves obat keras at the till (1 when made)."""
    username, full_name, role, pin, licence = PHARMACIST
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        return 0
    create_user(session, username, full_name, role, pin, licence)
    return 1
