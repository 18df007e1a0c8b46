"""The day summary's subsidised fertiliser per type beside the one total it always had."""
from __future__ import annotations

from sqlalchemy import select

from pos.closing import export
from pos.fertilizer import quota
from pos.reports.day_full import full_summary
from pos.sales.models import SaleLine
from tests.fertilizer.conftest import DARMO, DAY, NPK_CODE, SUPARMI, UREA_CODE, pay, scan, set_buyer


def test_the_day_summary_splits_fertiliser_per_type(db, farm):
    set_buyer(db, farm["till"], DARMO, "Darmo Santoso")
    scan(db, farm["till"], UREA_CODE)
    scan(db, farm["till"], NPK_CODE)
    pay(db, farm)
    set_buyer(db, farm["till"], SUPARMI, "Suparmi")
    scan(db, farm["till"], UREA_CODE, times=2)
    second = pay(db, farm).sale
    with db.transaction() as s:
        line = s.scalar(select(SaleLine.id).where(SaleLine.sale_id == second.id))
        quota.give_back(s, line, 12_500)
    with db.reading() as s:
        summary = full_summary(s, DAY, zone="Asia/Makassar")
    assert summary["regulated"]["fertilizer"] == {"redemptions": 3, "grams": 187_500}   # kept as it was
    assert summary["fertilizer_types"] == {"urea": {"redemptions": 2, "grams": 137_500},
                                           "npk": {"redemptions": 1, "grams": 50_000}}
    items = [row["item"] for row in export.lines(summary) if row["section"] == "Barang diatur"]
    assert items[:3] == ["Penebusan pupuk bersubsidi: 187,5 kg", "Penebusan pupuk bersubsidi Urea: 137,5 kg",
                         "Penebusan pupuk bersubsidi NPK: 50 kg"]
    counts = [row["count"] for row in export.lines(summary) if row["section"] == "Barang diatur"]
    assert counts[:3] == [3, 2, 1]


def test_a_day_closed_before_the_split_shows_its_total_alone(db, farm):
    with db.reading() as s:
        summary = full_summary(s, DAY, zone="Asia/Makassar")
    assert summary["fertilizer_types"] == {}
    del summary["fertilizer_types"]
    items = [row["item"] for row in export.lines(summary) if row["section"] == "Barang diatur"]
    assert items == ["Penebusan pupuk bersubsidi: 0 kg", "LPG 3 kg: 0 tabung"]
