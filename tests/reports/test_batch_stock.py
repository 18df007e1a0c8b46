"""The totals row of *Hampir kedaluwarsa*: its batches counted, their value at cost summed."""
from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from pos.inventory import stock
from pos.inventory.models import MovementKind
from pos.reports.registry import Query, build
from pos.reports.shape import to_csv
from tests.factories import make_product

ZONE = "Asia/Makassar"
TODAY = date(2026, 3, 1)


def add_batch(session, product, batch_no: str, expiry: date | None, qty: int) -> None:
    batch_id = stock.ensure_batch(session, product.id, batch_no, expiry)
    stock.move(session, product, qty, MovementKind.RECEIPT, reason="uji", batch_id=batch_id)


def goods(session, today: date) -> None:
    """Batches of a drug, a powder kept in grams and milk: one sold out, one without a date, one
    expired, one 500 days away."""
    drug = make_product(session, name="Amoxicillin 500 mg", business_unit="apotek", batch_tracked=True,
                        cost=1_250, on_hand=0)
    powder = make_product(session, name="Susu bubuk curah", base_unit="gram", batch_tracked=True,
                          cost=1_500, on_hand=0)   # Rp1.500 a kg
    milk = make_product(session, name="Susu UHT", batch_tracked=True, cost=4_000, on_hand=0)
    add_batch(session, drug, "AMX-FAR", today + timedelta(days=500), 10)
    add_batch(session, drug, "AMX-NEAR", today + timedelta(days=20), 4)
    add_batch(session, milk, "UHT-NEAR", today + timedelta(days=20), 3)
    add_batch(session, drug, "AMX-OLD", today - timedelta(days=3), 2)
    add_batch(session, powder, "BUBUK-1", today + timedelta(days=90), 1_001)   # Rp1.501,5: Rp1.502
    add_batch(session, milk, "UHT-NODATE", None, 1)
    add_batch(session, milk, "UHT-GONE", today + timedelta(days=5), 3)
    gone = stock.ensure_batch(session, milk.id, "UHT-GONE", today + timedelta(days=5))
    stock.move(session, milk, -3, MovementKind.SALE, batch_id=gone)


def test_near_expiry_has_a_totals_row_of_its_value_and_batches(db):
    with db.transaction() as s:
        goods(s, TODAY)
    with db.reading() as s:
        report = build(s, "hampir-kedaluwarsa", Query(TODAY, TODAY, ZONE, TODAY, page=None,
                                                        expiry_days=90))
    assert [r["batch_no"] for r in report.rows] == ["AMX-NEAR", "UHT-NEAR", "BUBUK-1"]
    assert report.totals == {"key": "Total (3 batch)", "value": 5_000 + 12_000 + 1_502}
    lines = list(csv.reader(io.StringIO(to_csv(report))))
    assert lines[0][-1] == "Nilai pokok" and lines[1][-1] == "5000"
    assert lines[-1][0] == "Total (3 batch)" and lines[-1][-1] == "18502"
