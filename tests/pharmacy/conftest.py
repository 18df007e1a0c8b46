"""Fixtures of the pharmacy tests: a till, a cashier, a manager, two apoteker (one without a
SIPA), and one product of each drug class in stock."""
from __future__ import annotations

import pytest

from pos.auth.service import create_user
from pos.inventory.catalog.models import DrugClass
from tests.factories import make_product, make_till, make_user

SIPA = "19900412/SIPA_64.72/2025/0031"
KERAS, NARKOTIKA, TERBATAS, BEBAS = "8990000100010", "8990000100027", "8990000100034", "8990000100041"
RX = {"rx_doctor": "dr. Sari Wulandari", "rx_date": "", "rx_number": "R-0112"}
PHARMACIST = {"approval_user": "apoteker1", "approval_pin": "7777"}
HX = {"HX-Request": "true", "HX-Target": "cart"}


def sealed_rx(app, path: str, data: dict) -> dict:
    """``data`` with the seal the prescription dialog carries for its hidden fields (the code)
    when drawn at ``path``: a test posting the dialog's answer straight, as the dialog would."""
    from pos.approvals import seal

    pairs = [(n, str(v)) for n, v in data.items() if n not in RX and n != seal.FIELD]
    return {**data, seal.FIELD: seal.make(app.config["SECRET_KEY"], path, pairs)}


@pytest.fixture
def shop(db):
    """kasir1 (1111), manajer1 (9999), apoteker1 (7777, with SIPA), apoteker2 (6666, none)."""
    with db.transaction() as s:
        till = make_till(s)
        cashier = make_user(s, "kasir1", "cashier", "1111")
        manager = make_user(s, "manajer1", "manager", "9999")
        pharmacist = create_user(s, "apoteker1", "Rina Marlina", "pharmacist", "7777", SIPA)
        unlicensed = make_user(s, "apoteker2", "pharmacist", "6666")
        products = {}
        for key, name, code, drug, most in (
                ("keras", "Amoxicillin 500 mg", KERAS, DrugClass.KERAS, None),
                ("narkotika", "Codein 10 mg", NARKOTIKA, DrugClass.NARKOTIKA, None),
                ("terbatas", "OBH Combi", TERBATAS, DrugClass.BEBAS_TERBATAS, 2),
                ("bebas", "Paracetamol", BEBAS, DrugClass.BEBAS, None)):
            product = make_product(s, name=name, price=5_000, cost=4_000, business_unit="apotek",
                                   batch_tracked=True, on_hand=20, barcodes_=[code])
            product.drug_class, product.max_per_sale = drug, most
            products[key] = product.id
    return dict(till=till.id, cashier=cashier.id, manager=manager.id, pharmacist=pharmacist.id,
                unlicensed=unlicensed.id, **products)
