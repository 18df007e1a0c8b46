"""A return of LPG 3 kg is booked on the day it is made, as every return is: the day list for
Pertamina's app and the day summary of the sale's (closed) day never change afterwards, and the
return's own day shows the cylinders given back.  A refill sold on 30-11 (closed) and brought
back on 01-12 took the tube off 30-11's list and summary (the list already copied into the app,
the frozen summary still said 3 tubes) while 01-12 showed nothing."""
from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import timedelta

from sqlalchemy import select

from pos.approvals.service import Actor
from pos.auth.models import Role
from pos.auth.service import RIGHTS
from pos.closing import export
from pos.closing.service import close_day
from pos.days.models import BusinessDay
from pos.lpg import service
from pos.reports import day_money
from pos.returns.service import RefundTo, Wanted, make_return
from pos.shifts import service as shifts
from tests.factories import login
from tests.limits.conftest import DAY, NIK_A, NIK_B, noon, pay, scan, set_buyer
from tests.lpg.test_lpg import NEW, REFILL, shop  # noqa: F401 (the fixture)
from tests.returns.conftest import line_ids

NEXT = DAY + timedelta(days=1)
ZONE = "Asia/Makassar"


def close(db, ids, day, now) -> None:
    """Close the day's open shift (counted as expected) and the day, as the manager."""
    boss = Actor(ids["manager"], ids["till"], RIGHTS[Role.MANAGER], reason="tutup")
    with db.transaction() as s:
        shift = shifts.gate.open_shift(s, ids["till"])
        cash = shifts.figures(s, shift).expected["cash"]
        shifts.close_shift(s, boss, shift_id=shift.id, cash=shifts.Cash(cash), counted_other={},
                           reason=None, now=now)
        close_day(s, day=day, user_id=ids["manager"], now=now, today=day, outlet_code="TST01")


def stored(db, day) -> dict:
    with db.reading() as s:
        return json.loads(s.scalar(select(BusinessDay.summary).where(BusinessDay.business_date == day)))


def listed(db, day) -> list[dict]:
    with db.reading() as s:
        return [r.as_dict() for r in service.day_list(s, day)]


def test_a_return_after_the_day_closed_is_listed_on_its_own_day(db, client, runner, shop):  # noqa: F811
    set_buyer(db, shop["till"], NIK_A, category="rumah_tangga")
    scan(db, shop["till"], REFILL, times=2)
    scan(db, shop["till"], NEW)
    sale = pay(db, shop).sale
    set_buyer(db, shop["till"], NIK_B, category="petani")
    scan(db, shop["till"], REFILL)
    other = pay(db, shop).sale
    close(db, shop, DAY, noon(DAY) + timedelta(hours=8))
    before = listed(db, DAY)
    assert before == [
        {"nik": NIK_A, "category": "rumah_tangga", "refill": 2, "new": 1, "qty": 3,
         "receipts": [sale.receipt_no], "returned_refill": 0, "returned_new": 0, "returned": 0,
         "net": 3, "returns": []},
        {"nik": NIK_B, "category": "petani", "refill": 1, "new": 0, "qty": 1,
         "receipts": [other.receipt_no], "returned_refill": 0, "returned_new": 0, "returned": 0,
         "net": 1, "returns": []}]
    with db.reading() as s:
        day_before = day_money.regulated(s, DAY)["lpg"]
    assert day_before == {"sales": 2, "qty": 4, "sold_qty": 4, "returned_qty": 0, "returns": 0}
    assert stored(db, DAY)["regulated"]["lpg"] == day_before
    cli_before = runner.invoke(args=["lpg", "day", "--date", "30-11-2026", "--json"]).output

    later = noon(NEXT)                                   # one refill comes back the next day
    boss = Actor(shop["manager"], shop["till"], RIGHTS[Role.MANAGER], reason="tabung bocor")
    with db.transaction() as s:
        shifts.open_shift(s, till_id=shop["till"], cashier_id=shop["manager"],
                          cash=shifts.Cash(shifts.previous_counted(s, shop["till"])), note=None,
                          day=NEXT, now=later)
    refill_line = line_ids(db, sale.id)[0]
    with db.transaction() as s:
        done = make_return(s, boss, sale_id=sale.id, wanted=[Wanted(refill_line, 1)],
                           refund_to=RefundTo.CASH, reason="tabung bocor", outlet_code="TST01",
                           timezone=ZONE, now=later, idempotency_key=str(uuid.uuid4()))

    assert listed(db, DAY) == before                     # the closed day as it was closed
    assert runner.invoke(args=["lpg", "day", "--date", "30-11-2026", "--json"]).output == cli_before
    with db.reading() as s:
        assert day_money.regulated(s, DAY)["lpg"] == day_before
        assert day_money.regulated(s, NEXT)["lpg"] == {
            "sales": 0, "qty": -1, "sold_qty": 0, "returned_qty": 1, "returns": 1}
    assert listed(db, NEXT) == [
        {"nik": NIK_A, "category": "rumah_tangga", "refill": 0, "new": 0, "qty": 0, "receipts": [],
         "returned_refill": 1, "returned_new": 0, "returned": 1, "net": -1,
         "returns": [done.return_no]}]
    got = runner.invoke(args=["lpg", "day", "--date", "01-12-2026", "--json"])
    assert got.exit_code == 0, got.output
    assert [(r["nik"], r["qty"], r["returned"], r["net"], r["returns"]) for r in json.loads(got.output)] == [
        (NIK_A, 0, 1, -1, [done.return_no])]
    table = runner.invoke(args=["lpg", "day", "--date", "01-12-2026"]).output
    assert done.return_no in table and "Kembali" in table

    login(client, shop["manager"])
    page = " ".join(client.get("/lpg?tanggal=01-12-2026").get_data(as_text=True).split())
    assert NIK_A in page and done.return_no in page and "Dikembalikan" in page
    assert "Tidak ada penjualan LPG 3 kg" not in page
    first = " ".join(client.get("/lpg?tanggal=30-11-2026").get_data(as_text=True).split())
    assert done.return_no not in first
    got = client.get("/lpg/harian.csv?tanggal=01-12-2026").get_data().decode("utf-8-sig")
    (row,) = csv.DictReader(io.StringIO(got))
    assert (row["nik"], row["jumlah"], row["dikembalikan"], row["bersih"], row["nota_retur"]) == (
        NIK_A, "0", "1", "-1", done.return_no)

    close(db, shop, NEXT, later + timedelta(hours=1))
    assert stored(db, DAY)["regulated"]["lpg"] == day_before
    summary = stored(db, NEXT)
    assert summary["regulated"]["lpg"]["returned_qty"] == 1
    said = [row["item"] for row in export.lines(summary) if row["section"] == "Barang diatur"]
    assert "LPG 3 kg: 0 tabung" in said and "LPG 3 kg dikembalikan (retur): 1 tabung" in said, said
