"""Stok per batch (every batch with stock on hand, reached from Daftar stok as *Semua batch*) and
the totals row of *Hampir kedaluwarsa*."""
from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from pos.clock import business_date, utcnow
from pos.inventory import lists, stock
from pos.inventory.models import MovementKind
from pos.reports.registry import Query, build
from pos.reports.shape import to_csv
from tests.factories import login, make_product, make_user

ZONE = "Asia/Makassar"
TODAY = date(2026, 3, 1)


def add_batch(session, product, batch_no: str, expiry: date | None, qty: int) -> None:
    batch_id = stock.ensure_batch(session, product.id, batch_no, expiry)
    stock.move(session, product, qty, MovementKind.RECEIPT, reason="uji", batch_id=batch_id)


def goods(session, today: date) -> None:
    """Batches of a drug, a powder kept in grams and milk: one sold out, one without a date, one
    expired, one 500 days away (past the 365 days *Hampir kedaluwarsa* can be asked for)."""
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


EXPECTED = [("AMX-OLD", 2, 2_500), ("AMX-NEAR", 4, 5_000), ("UHT-NEAR", 3, 12_000),
            ("BUBUK-1", 1_001, 1_502), ("AMX-FAR", 10, 12_500), ("UHT-NODATE", 1, 4_000)]


def test_every_batch_on_hand_by_expiry_then_product_with_its_value_at_cost(db):
    with db.transaction() as s:
        goods(s, TODAY)
    with db.reading() as s:
        rows = lists.on_hand_batches(s)
    # by expiry (a batch without a date last), then product; sold out left out
    assert [(r["batch_no"], r["on_hand"], r["value"]) for r in rows] == EXPECTED


def test_the_report_totals_the_value_and_counts_the_batches(db):
    with db.transaction() as s:
        goods(s, TODAY)
    with db.reading() as s:
        report = build(s, "stok-per-batch", Query(TODAY, TODAY, ZONE, TODAY, page=None))
        first = build(s, "stok-per-batch", Query(TODAY, TODAY, ZONE, TODAY, page=1, per_page=2))
        bare = build(s, "stok-per-batch", Query(TODAY, TODAY, ZONE, TODAY, page=None, costs=False))
    value = sum(v for _, _, v in EXPECTED)
    assert report.totals == {"key": "Total (6 batch)", "value": value}
    assert first.totals == report.totals and len(first.rows) == 2 and first.row_count == 6
    assert "value" not in [c.key for c in bare.columns] and bare.totals == {"key": "Total (6 batch)"}
    assert [r["state"] for r in bare.rows] == ["kedaluwarsa"] + [""] * 5
    lines = list(csv.reader(io.StringIO(to_csv(report))))
    assert lines[0] == ["SKU", "Barang", "Batch", "Kedaluwarsa", "Stok", "Satuan", "Nilai pokok",
                        "Status"]
    assert lines[1][1:] == ["Amoxicillin 500 mg", "AMX-OLD", "26-02-2026", "2", "pcs", "2500",
                            "kedaluwarsa"]           # the apoteker sees it
    assert lines[4][2:] == ["BUBUK-1", "30-05-2026", "1001", "gram", "1502", ""]
    assert lines[-1] == ["Total (6 batch)", "", "", "", "", "", str(value), ""]


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


@pytest.fixture
def people(app, db):
    today = business_date(utcnow(), app.config["TIMEZONE"])
    with db.transaction() as s:
        goods(s, today)
        return {role: make_user(s, name, role, pin).id for role, name, pin in (
            ("pharmacist", "apt", "7777"), ("manager", "manajer", "9999"), ("cashier", "kasir", "1111"))}


def _text(response) -> str:
    return " ".join(response.get_data(as_text=True).split())


def test_the_apoteker_opens_semua_batch_from_daftar_stok_without_the_value(client, people):
    login(client, people["pharmacist"])
    lists_page = _text(client.get("/katalog/stok"))
    assert 'href="/laporan/stok-per-batch">Semua batch</a>' in lists_page
    response = client.get("/laporan/stok-per-batch")
    page = _text(response)
    assert response.status_code == 200 and "Stok per batch" in page
    for batch in ("AMX-OLD", "AMX-NEAR", "UHT-NEAR", "BUBUK-1", "AMX-FAR", "UHT-NODATE"):
        assert batch in page, batch
    assert "UHT-GONE" not in page and "Nilai pokok" not in page and "Rp" not in page.split("<main")[-1]
    assert 'id="report-totals"' in page and "Total (6 batch)" in page and "1,001 kg" in page
    assert page.index("AMX-OLD") < page.index("AMX-NEAR") < page.index("AMX-FAR") < page.index("UHT-NODATE")
    assert 'href="/katalog/stok">Daftar stok</a>' in page   # crumbs back, not to Laporan
    assert page.count(">kedaluwarsa<") == 1                           # AMX-OLD's row alone
    as_csv = client.get("/laporan/stok-per-batch?unduh=csv")
    assert as_csv.status_code == 200 and "Nilai pokok" not in as_csv.get_data(as_text=True)
    as_xlsx = client.get("/laporan/stok-per-batch?unduh=xlsx")
    sheet = load_workbook(io.BytesIO(as_xlsx.data)).active
    rows = list(sheet.values)
    assert rows[0] == ("SKU", "Barang", "Batch", "Kedaluwarsa", "Stok", "Satuan", "Status")
    assert len(rows) == 8 and rows[1][2] == "AMX-OLD" and rows[1][-1] == "kedaluwarsa"
    assert rows[-1][0] == "Total (6 batch)"


def test_the_manager_sees_the_value_at_cost_and_its_total(client, people):
    login(client, people["manager"])
    page = _text(client.get("/laporan/stok-per-batch"))
    assert "Nilai pokok" in page and "Rp37.502" in page and "Rp1.502" in page
    assert "Stok per batch" in _text(client.get("/laporan"))
    near = _text(client.get("/laporan/hampir-kedaluwarsa?hari=30"))
    assert 'id="report-totals"' in near and "Total (2 batch)" in near and "Rp17.000" in near


def test_a_cashier_cannot_open_it(client, people):
    login(client, people["cashier"])
    assert client.get("/laporan/stok-per-batch").status_code == 403
