"""The demo apotek: drug classes on its goods, obat keras in batches, a narcotic that is never
sold, and apoteker1 with a SIPA."""
from __future__ import annotations

import shutil
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.auth.models import Role, User
from pos.db import make_engine
from pos.inventory import stock
from pos.inventory.catalog.models import DrugClass, Product
from pos.pharmacy.rules import DrugRefused, check


@pytest.fixture(scope="module")
def session(tmp_path_factory, demo_template):
    """The demo gerai as the process seeded it for its live servers (a copy; no history: the
    goods, batches and staff are the same with it)."""
    path = tmp_path_factory.mktemp("apotek") / "demo.db"
    shutil.copyfile(demo_template, path)
    engine = make_engine(f"sqlite:///{path}")
    with Session(engine) as session:
        yield session
    engine.dispose()


def test_demo_drug_classes(session):
    products = session.scalars(select(Product).where(Product.drug_class.is_not(None))).all()
    by_class: dict[DrugClass, list[Product]] = {}
    for p in products:
        by_class.setdefault(p.drug_class, []).append(p)
    assert len(by_class[DrugClass.BEBAS]) >= 8 and len(by_class[DrugClass.BEBAS_TERBATAS]) >= 8
    assert {p.max_per_sale for p in by_class[DrugClass.BEBAS_TERBATAS]} == {3}
    keras = {p.name for p in by_class[DrugClass.KERAS]}
    assert "Amoxicillin 500 mg Strip 10" in keras and len(keras) == 4
    for p in by_class[DrugClass.KERAS]:
        assert p.batch_tracked and stock.allocate(stock.batches_of(session, p.id), 1, date(2026, 12, 1),
                                                  p.name)
    (codein,) = by_class[DrugClass.NARKOTIKA]
    assert codein.barcodes and all(p.business_unit.value == "apotek" for p in products)


def test_the_demo_narcotic_is_never_sold(session):
    codein = session.scalar(select(Product).where(Product.drug_class == DrugClass.NARKOTIKA))
    row = type("Row", (), dict(id=codein.id, name=codein.name, qty=1, drug_class=codein.drug_class,
                               max_per_sale=None, rx_number="R-1", pharmacist_id=1))
    with pytest.raises(DrugRefused, match="Narkotika tidak dijual"):
        check([row])            # even with a prescription and an apoteker on the line


def test_demo_pharmacist_has_a_licence(session):
    user = session.scalar(select(User).where(User.username == "apoteker1"))
    assert user.role is Role.PHARMACIST and user.licence_no
