"""The day summary's subsidised fertiliser per type beside the one total it always had; a
return counted on the return's own day, as every return is booked."""
from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select

from pos.approvals.service import Actor
from pos.auth.models import Role
from pos.auth.service import RIGHTS
from pos.closing import export
from pos.reports.day_full import full_summary
from pos.returns.service import RefundTo, Wanted, make_return
from pos.sales.models import SaleLine
from tests.fertilizer.conftest import DARMO, DAY, NOW, NPK_CODE, SUPARMI, UREA_CODE, pay, scan, set_buyer

ZONE = "Asia/Makassar"


def give_back(db, farm, sale_id: int, grams: int) -> None:
    """A manager's return of ``grams`` of the sale's first line, an hour after the sale."""
    boss = Actor(farm["manager"], farm["till"], RIGHTS[Role.MANAGER], reason="salah beli")
    with db.transaction() as s:
        line = s.scalar(select(SaleLine.id).where(SaleLine.sale_id == sale_id))
        make_return(s, boss, sale_id=sale_id, wanted=[Wanted(line, grams)], refund_to=RefundTo.CASH,
                    reason="salah beli", outlet_code="TST01", timezone=ZONE,
                    now=NOW + timedelta(hours=1), idempotency_key=str(uuid.uuid4()))


def sell(db, farm) -> int:
    """Darmo a sack of urea and one of NPK; Suparmi two sacks of urea (her sale's id)."""
    set_buyer(db, farm["till"], DARMO, "Darmo Santoso")
    scan(db, farm["till"], UREA_CODE)
    scan(db, farm["till"], NPK_CODE)
    pay(db, farm)
    set_buyer(db, farm["till"], SUPARMI, "Suparmi")
    scan(db, farm["till"], UREA_CODE, times=2)
    return pay(db, farm).sale.id


def test_the_day_summary_splits_fertiliser_per_type(db, farm):
    sell(db, farm)
    with db.reading() as s:
        summary = full_summary(s, DAY, zone=ZONE)
    assert summary["regulated"]["fertilizer"]["redemptions"] == 3   # the total, kept as it was
    assert summary["regulated"]["fertilizer"]["grams"] == 200_000
    assert summary["fertilizer_types"] == {
        "urea": {"redemptions": 2, "grams": 150_000, "redeemed_grams": 150_000, "returned_grams": 0,
                 "returns": 0},
        "npk": {"redemptions": 1, "grams": 50_000, "redeemed_grams": 50_000, "returned_grams": 0,
                "returns": 0}}
    rows = [(row["item"], row["count"]) for row in export.lines(summary) if row["section"] == "Barang diatur"]
    assert rows[:3] == [("Penebusan pupuk bersubsidi: 200 kg", 3),
                        ("Penebusan pupuk bersubsidi Urea: 150 kg", 2),
                        ("Penebusan pupuk bersubsidi NPK: 50 kg", 1)]


def test_a_return_counts_on_its_own_day_per_type(db, farm):
    give_back(db, farm, sell(db, farm), 12_500)
    with db.reading() as s:
        summary = full_summary(s, DAY, zone=ZONE)
    assert summary["fertilizer_types"]["urea"] == {"redemptions": 2, "grams": 137_500,
                                                   "redeemed_grams": 150_000, "returned_grams": 12_500,
                                                   "returns": 1}
    assert summary["fertilizer_types"]["npk"]["returned_grams"] == 0
    items = [row["item"] for row in export.lines(summary) if row["section"] == "Barang diatur"]
    assert "Penebusan pupuk bersubsidi Urea: 150 kg" in items
    assert "Pupuk bersubsidi Urea dikembalikan (retur): 12,5 kg" in items
    with db.reading() as s:
        later = full_summary(s, DAY + timedelta(days=1), zone=ZONE)
    assert later["fertilizer_types"] == {}


def test_a_day_closed_before_the_split_shows_its_total_alone(db, farm):
    with db.reading() as s:
        summary = full_summary(s, DAY, zone=ZONE)
    assert summary["fertilizer_types"] == {}
    del summary["fertilizer_types"]
    items = [row["item"] for row in export.lines(summary) if row["section"] == "Barang diatur"]
    assert items == ["Penebusan pupuk bersubsidi: 0 kg", "LPG 3 kg: 0 tabung"]
