"""A return of subsidised fertiliser is booked on the day it is made, as every return is: the
redemption report and the day summary of the sale's (closed) day never change afterwards, and
the return's day shows the kilograms given back.  The sack sold on 03-12 and brought back today
had turned Darmo's 50 kg of 01-12 .. 06-12 into 0 kg, a realisation already sent to the
distributor, while the frozen summary of 03-12 still said 50 kg."""
from __future__ import annotations

import json
import uuid
from datetime import timedelta

from sqlalchemy import select

from pos.approvals.service import Actor
from pos.auth.models import Role
from pos.auth.service import RIGHTS
from pos.closing import export
from pos.days.models import BusinessDay
from pos.fertilizer import report
from pos.inventory.catalog.models import FertilizerType
from pos.reports import day_money
from pos.returns.service import RefundTo, Wanted, make_return
from pos.sales.models import SaleLine
from pos.shifts import service as shifts
from tests.factories import login
from tests.fertilizer.conftest import DARMO, DAY, NOW, UREA_CODE, pay, scan, set_buyer
from tests.fertilizer.test_ledger_journal import ZONE, close

NEXT = DAY + timedelta(days=1)
UREA = FertilizerType.UREA


def figures(found: report.Report) -> list[tuple]:
    return [(r.nik, r.fertilizer, r.redeemed, r.returned, r.grams) for r in found.rows]


def stored(db, day) -> dict:
    with db.reading() as s:
        return json.loads(s.scalar(select(BusinessDay.summary).where(BusinessDay.business_date == day)))


def test_a_return_after_the_day_closed_is_reported_on_its_own_day(db, farm):
    set_buyer(db, farm["till"], DARMO, "Darmo Santoso")
    scan(db, farm["till"], UREA_CODE)
    sale = pay(db, farm, tendered=90_000).sale
    close(db, farm, DAY, NOW + timedelta(hours=8))
    with db.reading() as s:
        before = figures(report.redemptions(s, DAY, DAY))
        day_before = day_money.regulated(s, DAY)
    assert before == [(DARMO, UREA, 50_000, 0, 50_000)]
    assert day_before["fertilizer"] == {"redemptions": 1, "grams": 50_000, "redeemed_grams": 50_000,
                                        "returned_grams": 0, "returns": 0}

    later = NOW + timedelta(days=1)                       # the sack comes back the next day
    boss = Actor(farm["manager"], farm["till"], RIGHTS[Role.MANAGER], reason="salah beli")
    with db.transaction() as s:
        shifts.open_shift(s, till_id=farm["till"], cashier_id=farm["manager"],
                          cash=shifts.Cash(shifts.previous_counted(s, farm["till"])), note=None,
                          day=NEXT, now=later)
        line = s.scalar(select(SaleLine.id).where(SaleLine.sale_id == sale.id))
    with db.transaction() as s:
        done = make_return(s, boss, sale_id=sale.id, wanted=[Wanted(line, 50_000)],
                           refund_to=RefundTo.CASH, reason="salah beli", outlet_code="TST01",
                           timezone=ZONE, now=later, idempotency_key=str(uuid.uuid4()))
    with db.reading() as s:   # the closed day as it was closed and sent
        assert figures(report.redemptions(s, DAY, DAY)) == before
        assert day_money.regulated(s, DAY) == day_before
        returned = report.redemptions(s, NEXT, NEXT)
        both = report.redemptions(s, DAY, NEXT)
        assert day_money.regulated(s, NEXT)["fertilizer"] == {
            "redemptions": 0, "grams": -50_000, "redeemed_grams": 0, "returned_grams": 50_000,
            "returns": 1}
    assert figures(returned) == [(DARMO, UREA, 0, 50_000, -50_000)]
    assert returned.rows[0].receipts == [f"{done.return_no} (struk {sale.receipt_no})"]   # and the sale's
    assert returned.totals == {UREA: -50_000} and returned.returned_totals == {UREA: 50_000}
    assert figures(both) == [(DARMO, UREA, 50_000, 50_000, 0)]
    assert both.rows[0].receipts == [sale.receipt_no, f"{done.return_no} (struk {sale.receipt_no})"]
    assert [(d.day, d.nik, d.redeemed, d.returned) for d in both.days] == [
        (DAY, DARMO, 50_000, 0), (NEXT, DARMO, 0, 50_000)]

    close(db, farm, NEXT, later + timedelta(hours=1))
    assert stored(db, DAY)["regulated"]["fertilizer"]["grams"] == 50_000
    summary = stored(db, NEXT)
    assert summary["regulated"]["fertilizer"]["returned_grams"] == 50_000
    said = [row["item"] for row in export.lines(summary) if row["section"] == "Barang diatur"]
    assert "Pupuk bersubsidi dikembalikan (retur): 50 kg" in said, said


def test_a_return_of_an_earlier_sale_names_its_receipt_and_who_collected_it(db, client, farm):
    """Per petani, a return today of a sack his wife collected on an earlier day showed only the
    return's number and no one who collected it: now "R… (struk …)" and the proxy, as sold."""
    set_buyer(db, farm["till"], DARMO, "Darmo Santoso", proxy_name="Sri Wahyuni",
              proxy_nik="6402104405900003", proxy_relation="keluarga")
    scan(db, farm["till"], UREA_CODE)
    sale = pay(db, farm, tendered=90_000).sale
    close(db, farm, DAY, NOW + timedelta(hours=8))
    later = NOW + timedelta(days=1)
    boss = Actor(farm["manager"], farm["till"], RIGHTS[Role.MANAGER], reason="salah beli")
    with db.transaction() as s:
        shifts.open_shift(s, till_id=farm["till"], cashier_id=farm["manager"],
                          cash=shifts.Cash(shifts.previous_counted(s, farm["till"])), note=None,
                          day=NEXT, now=later)
        line = s.scalar(select(SaleLine.id).where(SaleLine.sale_id == sale.id))
    with db.transaction() as s:
        done = make_return(s, boss, sale_id=sale.id, wanted=[Wanted(line, 50_000)],
                           refund_to=RefundTo.CASH, reason="salah beli", outlet_code="TST01",
                           timezone=ZONE, now=later, idempotency_key=str(uuid.uuid4()))
    proxy = "Sri Wahyuni (keluarga, NIK 6402104405900003)"
    named = f"{done.return_no} (struk {sale.receipt_no})"
    with db.reading() as s:
        returned = report.redemptions(s, NEXT, NEXT)
        both = report.redemptions(s, DAY, NEXT)
    assert returned.rows[0].receipts == [named] and returned.rows[0].takers == [proxy]
    assert both.rows[0].receipts == [sale.receipt_no, named] and both.rows[0].takers == [proxy]
    assert report.xlsx_rows(returned)[0]["struk"] == named
    assert report.xlsx_rows(returned)[0]["diambil_oleh"] == proxy
    login(client, farm["manager"])
    page = client.get(f"/pupuk/penebusan?dari={NEXT:%d-%m-%Y}&sampai={NEXT:%d-%m-%Y}").get_data(as_text=True)
    row = page.split('id="redemption-rows"')[1].split("</table>")[0]
    assert named in row and proxy in row and "petani sendiri" not in row
