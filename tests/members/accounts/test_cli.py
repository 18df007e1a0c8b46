"""``pos members balance`` and ``pos members purchases``: the SHU basis from the command line."""
from __future__ import annotations

import json
import uuid
from datetime import date, datetime

from pos.members.accounts import credit, documents, savings
from pos.members.accounts.documents import Payment, Tendered
from pos.members.accounts.models import DocTender
from pos.sales.models import SaleStatus
from tests.members.accounts.conftest import make_member, make_sale

RATES = savings.Rates(100_000, 10_000)


def _doc(s, shop, member, paid, day):
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
        _doc(s, shop, other, Payment(sukarela=3_000), date(2025, 12, 31))     # another year
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
    assert basis["savings"] == {shop["member_no"]: {"pokok": 100_000, "wajib": 0, "sukarela": 5_000}}
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
