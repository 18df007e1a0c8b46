"""``pos members balance`` and ``pos members purchases``: the SHU basis from the command line."""
from __future__ import annotations

import json
import uuid
from datetime import date, datetime

from sqlalchemy import select

from pos.clock import utcnow
from pos.members.accounts import credit, documents, purchases, savings
from pos.members.accounts.documents import Payment, Tendered
from pos.members.accounts.models import DocTender
from pos.members.models import Member
from pos.sales.models import SaleStatus
from tests.factories import shift_of_day
from tests.members.accounts.conftest import make_member, make_sale

RATES = savings.Rates(100_000, 10_000)


def _doc(s, shop, member, paid, day):
    shift_of_day(s, shop["till"], shop["cashier"], day)
    documents.take(s, member_id=member, paid=paid, tender=Tendered(DocTender.QRIS),
                   idempotency_key=str(uuid.uuid4()), outlet_code="TST01", till_id=shop["till"],
                   cashier_id=shop["cashier"], rates=RATES, business_date=day,
                   now=datetime.combine(day, datetime.min.time()))


def test_balance_json_has_the_keys_and_values(db, shop, runner):
    with db.transaction() as s:
        credit.set_limit(s, shop["member"], 150_000, shop["manager"])
        sale = make_sale(s, till=shop["till"], cashier=shop["cashier"], product=shop["product"],
                         total=40_000, member=shop["member"], member_sale=True)
        credit.charge(s, member_id=shop["member"], amount=40_000, sale_id=sale.id, user_id=shop["cashier"],
                      business_date=date(2026, 11, 30), now=datetime(2026, 11, 30))
        _doc(s, shop, shop["member"], Payment(pokok=True, wajib_months=(date(2026, 1, 1),), sukarela=5_000),
             date(2026, 2, 1))
    result = runner.invoke(args=["members", "balance", shop["member_no"], "--json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert set(found) >= {"number", "name", "status", "credit_limit", "balance", "available", "savings",
                          "wajib_months_unpaid"}
    assert (found["number"], found["name"], found["status"]) == (shop["member_no"], "Daeng Baso", "aktif")
    assert (found["credit_limit"], found["balance"], found["available"]) == (150_000, 40_000, 110_000)
    assert found["savings"] == {"pokok": 100_000, "wajib": 10_000, "sukarela": 5_000}
    assert found["wajib_months_unpaid"] >= 10 and "2026-01" not in found["wajib_unpaid"]
    text = runner.invoke(args=["members", "balance", shop["member_no"]])
    assert "sisa batas Rp110.000" in text.output
    missing = runner.invoke(args=["members", "balance", "TIDAK-ADA", "--json"])
    assert missing.exit_code != 0 and "tidak ditemukan" in missing.output


def test_purchases_json_splits_member_and_non_member_sales_per_unit(db, shop, runner):
    with db.transaction() as s:
        other = make_member(s, name="Pak Rahman").id
        kw = dict(till=shop["till"], cashier=shop["cashier"], product=shop["product"])
        make_sale(s, total=30_000, member=shop["member"], member_sale=True, **kw)
        make_sale(s, total=20_000, member=shop["member"], member_sale=True, unit="pupuk", **kw)
        make_sale(s, total=5_000, member=other, member_sale=True, **kw)
        make_sale(s, total=7_000, **kw)                                       # no member
        make_sale(s, total=9_000, member=other, member_sale=False, **kw)      # nonaktif price
        make_sale(s, total=50_000, member=other, member_sale=True, status=SaleStatus.VOIDED, **kw)
        make_sale(s, total=11_000, member=other, member_sale=True, day=date(2025, 12, 31), **kw)
        _doc(s, shop, shop["member"], Payment(pokok=True, sukarela=5_000), date(2026, 3, 1))
        _doc(s, shop, other, Payment(sukarela=3_000), date(2025, 12, 31))     # still held in 2026
    result = runner.invoke(args=["members", "purchases", "--year", "2026", "--json"])
    assert result.exit_code == 0, result.output
    basis = json.loads(result.output)
    assert basis["year"] == 2026
    assert basis["members"] == [{"number": shop["member_no"], "name": "Daeng Baso", "purchases": 50_000},
                                {"number": basis["members"][1]["number"], "name": "Pak Rahman",
                                 "purchases": 5_000}]
    assert basis["units"] == {"pupuk": {"member": 20_000, "non_member": 0},
                              "sembako": {"member": 35_000, "non_member": 16_000}}
    assert basis["total"] == {"member": 55_000, "non_member": 16_000, "member_paid": 55_000}
    assert basis["savings"] == {shop["member_no"]: {"pokok": 100_000, "wajib": 0, "sukarela": 5_000},
                                basis["members"][1]["number"]: {"pokok": 0, "wajib": 0, "sukarela": 3_000}}
    text = runner.invoke(args=["members", "purchases", "--year", "2026"])
    assert "Daeng Baso" in text.output and "Rp55.000" in text.output
    assert "pembulatan tunai" not in text.output
    # a member's sale paid in whole coins: the list is money as paid, the units the goods, and
    # the difference is named (the list summed to Rp441 more than the total, unsaid)
    with db.transaction() as s:
        sale = make_sale(s, total=3_450, member=shop["member"], member_sale=True, **kw)
        sale.total, sale.rounding = 3_500, 50
    basis = json.loads(runner.invoke(args=["members", "purchases", "--year", "2026", "--json"]).output)
    assert basis["total"] == {"member": 58_450, "non_member": 16_000, "member_paid": 58_500}
    assert sum(row["purchases"] for row in basis["members"]) == basis["total"]["member_paid"]
    text = runner.invoke(args=["members", "purchases", "--year", "2026"]).output
    assert "(barang Rp58.450, pembulatan tunai Rp50)" in text and "Rp58.500" in text
    assert runner.invoke(args=["members", "purchases", "--year", "dua"]).exit_code != 0


def opening_year(db, shop) -> tuple[int, dict[str, dict[str, int]]]:
    """Saldo awal simpanan imported today (SHU-A only that; SHU-B with a deposit today; SHU-C,
    nonaktif, paid back by transfer), SHU-D's sukarela paid the year before: the year and every
    member's savings held at its end."""
    from pos.members.accounts import withdrawals
    from tests.members.accounts.test_opening import run, today
    from tests.members.accounts.test_withdrawals import manager

    year = today().year
    joined = date(year - 1, 1, 15)
    with db.transaction() as s:
        for number in ("SHU-A", "SHU-B", "SHU-D"):
            make_member(s, number=number, joined_on=joined)
        left = make_member(s, number="SHU-C", joined_on=joined, active=False).id
        bought = make_member(s, number="SHU-B2", joined_on=joined).id   # not SHU-B: purchases only
        _doc(s, shop, s.scalar(select(Member.id).where(Member.number == "SHU-D")), Payment(sukarela=3_000),
             date(year - 1, 12, 31))
        make_sale(s, till=shop["till"], cashier=shop["cashier"], product=shop["product"], total=8_000,
                  member=bought, member_sale=True, day=today())
    run(db, f"SHU-A,x,100000,120000,10-{year - 1},75000\nSHU-B,x,100.000,60.000,05-{year - 1},\n"
            "SHU-C,x,,,,10000\n")
    with db.transaction() as s:
        _doc(s, shop, s.scalar(select(Member.id).where(Member.number == "SHU-B")), Payment(sukarela=35_000),
             today())
        withdrawals.settle_leaver(s, member_id=left, tender=Tendered(DocTender.TRANSFER, reference="BRI-12"),
                                  idempotency_key=str(uuid.uuid4()), outlet_code="TST01",
                                  actor=manager(shop), business_date=today(), now=utcnow())
    return year, {"SHU-A": {"pokok": 100_000, "wajib": 120_000, "sukarela": 75_000},
                  "SHU-B": {"pokok": 100_000, "wajib": 60_000, "sukarela": 35_000},
                  "SHU-D": {"pokok": 0, "wajib": 0, "sukarela": 3_000}}


def test_purchases_savings_are_those_held_at_the_years_end_saldo_awal_and_all(db, shop, runner):
    """``pos members purchases`` summed only the year's documents under "Simpanan 2026": a member
    with only a saldo awal was missing, one with a deposit too showed the deposit alone, and a
    leaver paid back a saldo awal showed -Rp10.000, while the savings list, the counter and the
    hub's jasa modal basis count the saldo awal and every year's savings (held at 31 December)."""
    from pos.members.accounts import balances
    from tests.members.accounts.test_opening import today

    year, held = opening_year(db, shop)
    basis = json.loads(runner.invoke(args=["members", "purchases", "--year", str(year), "--json"]).output)
    assert basis["savings"] == held
    with db.reading() as s:
        listed = balances.on_day(s, today(), today())
        before = purchases.year_basis(s, year - 1).savings
    assert {r.number: {k: getattr(r, k) for k in savings.KINDS} for r in listed.rows if r.total} == held
    assert before == {"SHU-D": {"pokok": 0, "wajib": 0, "sukarela": 3_000}}   # saldo awal came later
    text = runner.invoke(args=["members", "purchases", "--year", str(year)]).output
    assert f"Simpanan per 31-12-{year}" in text and "-Rp" not in text and "SHU-C" not in text
    assert "SHU-A" in text and "Rp75.000" in text and "Rp295.000" in text
