"""A HET file is checked and saved in a few statements whatever its length: its products, their
packs and ceilings read for the whole file (in chunks under both databases' parameter limits),
the new ceilings and their price-log rows written together, not one product or ceiling per row."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from pos.het import service, transfer
from pos.het.models import CeilingPrice
from pos.inventory.catalog import packs
from pos.inventory.catalog.models import PriceChange
from tests.factories import make_product, set_het
from tests.query_plans import statements

PRODUCTS = 100


@pytest.fixture
def goods(db):
    """100 products sold per kg in karung 50 kg; the first 20 with a ceiling from 22-10-2025
    already (10 at the price the file gives again, 10 at another), every one with an older one."""
    with db.transaction() as s:
        for n in range(PRODUCTS):
            product = make_product(s, sku=f"PPK-{n:04d}", name=f"Pupuk {n}", price=2_000, cost=0,
                                   base_unit="gram", business_unit="pupuk", on_hand=0)
            packs.add_pack(s, product.id, "karung", 50_000)
            set_het(s, product, 2_100, from_=date(2024, 1, 1))
            if n < 20:
                set_het(s, product, 2_250 if n < 10 else 2_400, from_=date(2025, 10, 22))


def file_rows(count: int = 2 * PRODUCTS) -> list[dict]:
    """Two rows per product: every zone from 22-10-2025, zone 1 from 01-01-2026; the last product's
    zone-1 HET is a karung's price typed as per kg (unlikely)."""
    rows = []
    for n in range(count // 2):
        rows.append({"sku": f"PPK-{n:04d}", "zona": "", "het": "2.250", "berlaku_mulai": "22-10-2025",
                     "catatan": "Kepmentan", "_line": 2 * n + 2})
        rows.append({"sku": f"PPK-{n:04d}", "zona": "1", "het": "115.000" if n == PRODUCTS - 1 else "2.300",
                     "berlaku_mulai": "01-01-2026", "catatan": "", "_line": 2 * n + 3})
    return rows


def test_a_file_of_200_rows_is_checked_in_a_few_statements(db, goods):
    with db.reading() as s, statements(db) as seen:
        errors = transfer.validate(s, file_rows())
    assert len(errors) == 2 and errors[0].startswith("Baris 201: HET Rp115.000 per kg?")
    assert errors[1] == transfer.HINT
    assert len(seen) <= 4, seen
    with db.reading() as s, statements(db) as seen:
        assert transfer.validate(s, file_rows(), het_ok=True) == []
    assert len(seen) <= 4, seen


def test_a_file_of_200_rows_is_saved_in_a_few_statements_with_the_same_results(db, goods):
    with db.transaction() as s, statements(db) as seen:
        summary = transfer.import_rows(s, file_rows(), user_id=None, het_ok=True)
    assert len(seen) <= 10, seen
    assert {k: v for k, v in summary.items() if k != "notices"} == {
        "total": 200, "created": 180, "updated": 10, "unchanged": 10}
    assert len(summary["notices"]) == 1 and "Disimpan karena dikonfirmasi" in summary["notices"][0]
    with db.reading() as s:
        first, last = service.product_by_sku(s, "PPK-0000").id, service.product_by_sku(s, "PPK-0099").id
        assert service.ceiling(s, first, date(2025, 10, 22), None) == 2_250
        assert service.ceiling(s, first, date(2026, 1, 1), "1") == 2_300
        assert service.ceiling(s, last, date(2026, 1, 1), "1") == 115_000
        assert s.scalar(select(func.count()).select_from(CeilingPrice)) == PRODUCTS + 20 + 180
        logged = s.scalars(select(PriceChange).where(PriceChange.field == "het")
                           .order_by(PriceChange.id)).all()
        assert len(logged) == 190   # every ceiling set or changed, not the unchanged
        changed = next(c for c in logged if c.product_id == service.product_by_sku(s, "PPK-0015").id)
        assert (changed.old, changed.new, changed.reason) == (
            2_400, 2_250, "semua zona, mulai 22-10-2025: Kepmentan")
        assert [c.reason for c in logged if c.product_id == last] == [
            "semua zona, mulai 22-10-2025: Kepmentan", "zona 1, mulai 01-01-2026"]
    with db.transaction() as s, statements(db) as seen:
        again = transfer.import_rows(s, file_rows(), het_ok=True)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 200)
    assert len(seen) <= 10, seen
