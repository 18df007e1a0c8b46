"""Closing a business day: refusals (open shift, twice, future, not a manager) write
nothing; the stored summary adds up (tenders, members, tills, cashiers, returns, shifts)."""
from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from pos.closing.service import CloseError, close_day, days, first_activity
from pos.days.models import BusinessDay
from pos.errors import Forbidden
from pos.inventory.models import StockMovement
from pos.inventory.receiving import posting, receipts
from pos.inventory.receiving.models import GoodsReceipt
from pos.ledger.models import LedgerOutbox
from pos.members.accounts.models import DocTender, OpeningSaving
from pos.returns.service import Wanted
from pos.sales import checkout
from pos.sales.models import Payment, PaymentMethod, Sale
from tests.closing.conftest import (
    DAY,
    MEDICINE,
    NEXT,
    NEXT_NOW,
    NOW,
    SOAP,
    TODAY,
    cashier,
    close,
    close_shifts,
    give_back,
    line_ids,
    lived_before,
    save_money,
    sell_on,
)
from tests.factories import make_user


def closed_count(db) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(BusinessDay))


def test_closing_with_an_open_shift_is_refused_and_writes_nothing(db, shop):
    sell_on(db, shop, (SOAP, 2))
    with pytest.raises(CloseError, match=r"shift masih terbuka di Kasir-1 \(Kasir1, 20-11-2026\)"):
        close(db, shop)
    assert closed_count(db) == 0
    # A shift opened the day before and left open blocks the next day too.
    with pytest.raises(CloseError, match="Tutup semua shift dulu"):
        close(db, shop, day=NEXT)
    close_shifts(db, shop)
    close(db, shop)
    assert closed_count(db) == 1


def test_an_open_shift_holding_sales_of_the_day_or_a_clock_gone_back_refuses_the_close(db, shop):
    """The clock went back under a shift opened on NEXT and its sale was filed under DAY: Tutup
    hari closed DAY ("Tidak ada shift pada hari ini") and sent it to the ledger while the shift
    holding that sale was open, and the shift then held two business days in one drawer."""
    sale = sell_on(db, shop, (SOAP, 1), day=NEXT)
    with db.transaction() as s:   # as the till filed it while the clock showed DAY
        s.execute(update(Sale).where(Sale.id == sale.id).values(business_date=DAY, created_at=NOW))
        shift_id = s.scalar(select(Sale.shift_id).where(Sale.id == sale.id))
    with pytest.raises(CloseError, match=rf"shift masih terbuka di Kasir-1 \(Kasir1, 21-11-2026, "
                                         rf"shift #{shift_id} memegang penjualan tanggal 20-11-2026\)"):
        with db.transaction() as s:   # the clock set right again
            close_day(s, day=DAY, user_id=shop["manager"], now=NEXT_NOW + timedelta(hours=9), today=TODAY,
                      zone="Asia/Makassar")
    with db.reading() as s:
        (listed,) = [d for d in days(s, TODAY) if d.day == DAY]
        assert [o.id for o in listed.open_shifts] == [shift_id]
    assert closed_count(db) == 0
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(LedgerOutbox)) == 0
    close_shifts(db, shop, now=NEXT_NOW + timedelta(hours=8))   # the shift opened on NEXT: closed then
    back = datetime(2000, 1, 1, 0, 0)   # 08:00 WITA: behind the newest record
    with db.transaction() as s, pytest.raises(CloseError) as refused:
        close_day(s, day=date(2000, 1, 1), user_id=shop["manager"], now=back, today=date(2000, 1, 1),
                  zone="Asia/Makassar")
    assert refused.value.message.startswith("Jam komputer mundur: catatan terakhir tercatat")
    assert "jam komputer menunjukkan 01-01-2000 08:00. Betulkan jam komputer" in refused.value.message
    assert closed_count(db) == 0
    with db.transaction() as s:   # the clock right again, the shift closed: DAY closes
        close_day(s, day=DAY, user_id=shop["manager"], now=NEXT_NOW + timedelta(hours=9), today=TODAY,
                  zone="Asia/Makassar")
    assert closed_count(db) == 1


def test_closing_twice_a_future_day_or_as_a_cashier_is_refused(db, shop):
    lived_before(db, shop)
    with pytest.raises(Forbidden, match="Hanya manajer"):
        close(db, shop, user="cashier")
    with pytest.raises(CloseError, match="belum tiba"):
        close(db, shop, day=TODAY + timedelta(days=1))
    text, digest = close(db, shop)
    assert hashlib.sha256(text.encode()).hexdigest() == digest
    with pytest.raises(CloseError, match="20-11-2026 sudah ditutup; penutupan tidak diulang"):
        close(db, shop)
    with db.reading() as s:
        assert s.get(BusinessDay, DAY).summary == text   # the second try changed nothing
    assert closed_count(db) == 1


def test_the_summary_adds_up(db, shop):
    sell_on(db, shop, (SOAP, 2))                                   # Rp6.000 cash, no member
    member_sale = sell_on(db, shop, (SOAP, 1), (MEDICINE, 1), member=shop["member"],
                          tenders=[checkout.Tender(PaymentMethod.MEMBER_CREDIT, 8_000)])
    sell_on(db, shop, (SOAP, 3), tenders=[checkout.Tender(PaymentMethod.CASH, 5_000),
                                          checkout.Tender(PaymentMethod.TRANSFER, 4_000, reference="BCA-1")])
    save_money(db, shop, 25_000, repayment=5_000)
    save_money(db, shop, 5_000, tender=DocTender.QRIS)
    soap_line = line_ids(db, member_sale.id)[0]
    give_back(db, cashier(shop, shop["manager"]), member_sale.id, Wanted(soap_line, 1, restock=False),
              now=NOW)
    close_shifts(db, shop, short=1_000)
    summary = json.loads(close(db, shop)[0])

    with db.reading() as s:
        total = s.scalar(select(func.sum(Sale.total)).where(Sale.business_date == DAY))
        paid = dict(s.execute(select(Payment.method, func.sum(Payment.amount))
                              .group_by(Payment.method)).all())
    assert summary["closed"] is True and summary["closed_by"]["username"] == "manajer1"
    assert summary["closed_at"] == "2026-11-20T12:00:00+00:00"   # 20:00 WITA, its zone said
    assert summary["total"] == total == 6_000 + 8_000 + 9_000
    assert {m: p["amount"] for m, p in summary["payments"].items()} \
        == {m.value: int(a) for m, a in paid.items()}
    assert sum(p["amount"] for p in summary["payments"].values()) == summary["total"]
    members = summary["members"]
    assert members == {"member": {"sale_count": 1, "total": 8_000},
                       "non_member": {"sale_count": 2, "total": 15_000}}
    assert sum(t["total"] for t in summary["tills"]) == summary["total"]
    assert sum(c["total"] for c in summary["cashiers"]) == summary["total"]
    assert [c["username"] for c in summary["cashiers"]] == ["kasir1"]
    assert sum(u["amount"] for u in summary["business_units"].values()) == summary["gross"]
    assert summary["member_purchases"] == [{
        "member_id": shop["member"], "number": summary["member_purchases"][0]["number"],
        "name": "Daeng Baso", "purchases": 8_000, "returned": 3_000, "total": 5_000}]
    assert summary["member_payments"] == {
        "cash": {"documents": 1, "savings": 25_000, "repayments": 5_000, "withdrawals": 0, "cancelled": 0,
                 "withdrawal_documents": 0, "cancelled_documents": 0, "cancelled_repayments": 0,
                 "rounding": 0, "total": 30_000},
        "qris": {"documents": 1, "savings": 5_000, "repayments": 0, "withdrawals": 0, "cancelled": 0,
                 "withdrawal_documents": 0, "cancelled_documents": 0, "cancelled_repayments": 0,
                 "rounding": 0, "total": 5_000}}
    assert summary["returns"] == {"count": 1, "amount": 3_000, "tax": 0, "refunds": {"member_credit": 3_000},
                                  "rounding": 0, "restocked": {"lines": 0, "amount": 0},
                                  "written_off": {"lines": 1, "amount": 3_000}}
    assert summary["cash_movements"] == {"in": {"count": 0, "amount": 0},
                                         "out": {"count": 0, "amount": 0}}
    assert summary["voids"]["count"] == 0
    assert summary["regulated"] == {"fertilizer": {"redemptions": 0, "grams": 0, "redeemed_grams": 0,
                                                   "returned_grams": 0, "returns": 0},
                                    "lpg": {"sales": 0, "qty": 0, "sold_qty": 0, "returned_qty": 0,
                                            "returns": 0}}
    (shift,) = summary["shifts"]
    cash = shift["tenders"]["cash"]
    # float 0 + Rp6.000 + Rp5.000 cash sales + Rp30.000 member cash; counted Rp1.000 short
    assert (cash["expected"], cash["counted"], cash["difference"]) == (41_000, 40_000, -1_000)
    assert shift["tenders"]["transfer"]["expected"] == 4_000
    assert shift["tenders"]["qris"]["expected"] == 5_000
    assert shift["reason"] == "uang kurang" and shift["till"] == "KASIR-1"
    assert summary["cash_difference"] == -1_000 == summary["difference"]
    # its times say their zone (a script read a naive UTC time as the outlet's)
    assert shift["opened_at"].endswith("+00:00") and shift["closed_at"].endswith("+00:00")


def test_the_days_list_shows_activity_and_status(db, shop):
    sell_on(db, shop, (SOAP, 1))
    close_shifts(db, shop)
    close(db, shop)
    sell_on(db, shop, (SOAP, 1), day=NEXT)   # its shift stays open
    with db.reading() as s:
        listed = days(s, TODAY)
    assert [d.day for d in listed] == [TODAY, NEXT, DAY]
    assert listed[2].closed is not None and listed[2].closed_by == "Manajer1"
    assert listed[1].closed is None and [o.till for o in listed[1].open_shifts] == ["Kasir-1"]
    assert listed[0].open_shifts == listed[1].open_shifts   # open shifts block later days too


def received_on(db, shop, moment) -> None:
    """A delivery of soap posted by the manager at ``moment`` (UTC), no shift open."""
    with db.transaction() as s:
        supplier = receipts.create_supplier(s, f"Toko Grosir {moment:%Y%m%d}", "lainnya", "0541123456")
        receipt = receipts.create_draft(s, supplier, f"SJ-{moment:%Y%m%d}", shop["manager"])
        receipts.add_line(s, receipt, shop["soap"], "pcs", 20, 2_000)
        posting.post(s, receipt, shop["manager"], moment.date())
        s.execute(update(GoodsReceipt).where(GoodsReceipt.id == receipt).values(posted_at=moment))
        s.execute(update(StockMovement).where(StockMovement.ref == f"receipt:{receipt}")
                  .values(created_at=moment))


def test_a_day_of_stock_work_or_saldo_awal_alone_is_listed_to_close(db, shop):
    """Goods received on a day with no shift booked Rp40.000 to the journal of a day the list
    never showed, so it never reached the hub; so did a saldo awal of members' savings."""
    sell_on(db, shop, (SOAP, 1))
    close_shifts(db, shop)
    close(db, shop)
    received_on(db, shop, NEXT_NOW)                                     # in the last 14 days
    received_on(db, shop, NOW - timedelta(days=30))                     # weeks back, never closed
    with db.transaction() as s:
        s.add(OpeningSaving(member_id=shop["member"], pokok=100_000, business_date=TODAY - timedelta(days=2)))
    with db.reading() as s:
        listed = [(d.day, d.closed is None) for d in days(s, TODAY, zone="Asia/Makassar")]
    assert listed == [(TODAY, True), (TODAY - timedelta(days=2), True), (NEXT, True), (DAY, False),
                      (DAY - timedelta(days=30), True)]
    close(db, shop, day=NEXT)                                           # and it closes, with its journal
    with db.reading() as s:
        assert (NEXT, False) in [(d.day, d.closed is None) for d in days(s, TODAY, zone="Asia/Makassar")]


def test_a_saldo_awal_before_the_first_sale_makes_its_day_one_to_close(db, shop):
    """A new gerai imports its members' savings, then opens days later: that day was refused
    (no activity before it) for good, and the savings never reached the SHU basis."""
    with db.transaction() as s:
        s.add(OpeningSaving(member_id=shop["member"], sukarela=50_000, business_date=DAY))
    with db.reading() as s:
        assert first_activity(s, "Asia/Makassar") == DAY
    close(db, shop, day=DAY)
    assert closed_count(db) == 1


def test_a_day_before_the_outlets_first_activity_is_refused(db, shop):
    """A slip of the date (2020 for 2026) would send the hub a day the outlet never lived."""
    sell_on(db, shop, (SOAP, 1))
    close_shifts(db, shop)
    with db.reading() as s:
        first = first_activity(s, "Asia/Makassar")
    assert first <= DAY
    with pytest.raises(CloseError, match=f"kegiatan pertama gerai pada {first:%d-%m-%Y}"):
        close(db, shop, day=first - timedelta(days=1))
    assert closed_count(db) == 0
    close(db, shop)
    assert closed_count(db) == 1


def test_an_outlet_that_has_done_nothing_closes_no_day(db):
    with db.reading() as s:
        assert first_activity(s, "Asia/Makassar") is None
    with db.transaction() as s:
        manager = make_user(s, "manajer9", "manager", "9876").id
    with pytest.raises(CloseError, match="belum ada kegiatan apa pun"), db.transaction() as s:
        close_day(s, day=DAY, user_id=manager, now=NOW, today=DAY)
    assert closed_count(db) == 0


def test_closing_an_empty_day_records_zeros(db, shop):
    lived_before(db, shop)
    with db.transaction() as s:
        row = close_day(s, day=DAY, user_id=shop["manager"], now=NOW + timedelta(hours=9), today=DAY)
        summary = json.loads(row.summary)
    assert (summary["sale_count"], summary["total"], summary["shifts"]) == (0, 0, [])
    assert summary["members"]["member"] == {"sale_count": 0, "total": 0}


def test_closed_at_says_its_zone_in_the_summary_the_cli_and_the_ledger_document(db, shop, runner):
    """``closed_at`` was UTC without a zone ("2026-11-20T12:00:00" for 20:00 WITA), while the
    shifts' times said "+00:00". The day's document carries the summary as frozen at the close
    (the outbox body is never rebuilt, so days closed and sent before keep their bytes and hash)."""
    sell_on(db, shop, (SOAP, 1))
    close_shifts(db, shop)
    text, _ = close(db, shop)
    assert json.loads(text)["closed_at"] == "2026-11-20T12:00:00+00:00"
    shown = json.loads(runner.invoke(args=["report", "day", "--date", DAY.isoformat(), "--json"]).stdout)
    assert shown["closed_at"] == "2026-11-20T12:00:00+00:00"
    with db.reading() as s:
        body = json.loads(s.scalar(select(LedgerOutbox.body)))
    assert body["summary"]["closed_at"] == "2026-11-20T12:00:00+00:00"
    assert body["created_at"] == "2026-11-20T12:00:00Z"
