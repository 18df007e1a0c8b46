"""The day journal: balanced, every figure traced to the day's rows, in the outbox at closing."""
from __future__ import annotations

import json
import uuid
from collections import defaultdict
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from pos import chart as charts
from pos.approvals.service import Actor
from pos.auth.models import Role
from pos.auth.service import RIGHTS
from pos.closing.service import close_day
from pos.inventory import stock
from pos.inventory.catalog.lookup import lookup_barcode
from pos.inventory.catalog.models import Product
from pos.inventory.models import MovementKind, StockMovement
from pos.ledger.journal import day_journal
from pos.ledger.models import LedgerOutbox, OutboxStatus
from pos.ledger_hub import protocol
from pos.returns.service import RefundTo
from pos.sales import adjust, cart, checkout
from pos.sales.models import PaymentMethod
from pos.shifts import service as shifts
from pos.shifts.models import Shift
from tests.shifts.test_reconciliation import CODES, FIRST_DAY, TAX, _at, _shop, shift_st, work_day

ZONE = "Asia/Makassar"
CHART = charts.chart()


def by_account(lines) -> dict[str, int]:
    """Debit - credit per account code."""
    out: dict[str, int] = defaultdict(int)
    for line in lines:
        out[line.account] += line.debit - line.credit
    return dict(out)


SALE = {"op": "sale", "code": 0, "times": 2, "member": True, "extra": 0, "rounding": 0}


@pytest.fixture
def shop(db):
    return _shop(db)


def test_a_worked_day_posts_each_figure_to_its_account(db, shop):
    day = FIRST_DAY
    plan = {"float": 200_000, "off": -1_000, "ops": [
        dict(SALE, pay="cash"),                                   # member, 50.000 cash
        dict(SALE, code=1, times=1, member=False, pay="qris"),   # non-member 12.449 QRIS
        dict(SALE, code=2, times=1, member=True, pay="kasbon"),  # member 3.350 on kasbon
        {"op": "return", "pick": 0, "to": RefundTo.CASH},         # one 25.000 back in cash
        {"op": "move", "in": False, "amount": 20_000},            # kas keluar
        {"op": "member", "repay": False, "amount": 15_000},       # sukarela in cash
    ]}
    with db.transaction() as s:   # two pieces written off that morning (08:00 WITA)
        product = s.scalar(select(Product).order_by(Product.id))
        stock.move(s, product, -2, MovementKind.WRITEOFF, reason="hilang")
        s.execute(update(StockMovement).where(StockMovement.kind == MovementKind.WRITEOFF)
                  .values(created_at=_at(day, 0)))
    work_day(db, shop, day, [plan])
    with db.reading() as s:
        lines = day_journal(s, day, zone=ZONE, chart=CHART)
        sums = by_account(lines)
        row = s.scalar(select(LedgerOutbox))
    assert sum(x.debit for x in lines) == sum(x.credit for x in lines) > 0
    assert sums["112900"] == 12_449                    # QRIS clearing
    assert sums["113100"] == 3_350                     # the member's kasbon
    assert sums["213100"] == -15_000                   # sukarela credited
    assert sums["119900"] == 20_000                    # kas keluar to classify
    assert sums["690200"] == 1_000                     # the drawer was Rp1.000 short
    # Member sales 50.000 + 3.350, less the 25.000 returned; non-member 12.449 (no PPN: not PKP)
    assert sums["411100"] == -(50_000 + 3_350 - 25_000)
    assert sums["411200"] == -12_449
    # Cash: 50.000 sold + 15.000 sukarela - 25.000 refunded - 20.000 out - 1.000 short
    assert sums["111000"] == 50_000 + 15_000 - 25_000 - 20_000 - 1_000
    assert sums["690100"] == 2 * 8_000                 # the write-off at moving-average cost
    cogs = 8_000 * (2 + 1 + 1 - 1)                     # three pieces sold net of one returned
    assert sums["511000"] == cogs and sums["114110"] == -cogs - 16_000
    document = json.loads(row.body)
    assert row.document_id == "TST01-2026-01-05-day" and row.status is OutboxStatus.PENDING
    assert protocol.validate(document) is not None
    assert document["hash"] == row.content_hash == protocol.content_hash(
        {k: v for k, v in document.items() if k != "hash"})
    assert document["summary"]["total"] == 50_000 + 12_449 + 3_350
    assert [x for x in document["journal"]] == [x.as_dict() for x in lines]


def test_goods_received_go_into_inventory_owed_to_the_supplier(db, shop):
    """A delivery posted that day raised the stock but never reached the books, so the hub's
    balance sheet showed the inventory below zero after a few days of sales. It is now debited
    to inventory and credited to the supplier (utang usaha); a correction posted that day takes
    its delivery's value back out; a delivery rejected whole (nothing received, all damaged)
    books nothing."""
    from pos.inventory.receiving import posting, receipts, reversal
    from pos.inventory.receiving.models import GoodsReceipt

    day = FIRST_DAY
    with db.transaction() as s:
        product = s.scalar(select(Product).order_by(Product.id))
        bulog = receipts.create_supplier(s, "Bulog Sub Divre Samarinda", "bulog")
        delivered = []
        for note, packs in (("DO-1", 10), ("DO-2", 2)):
            draft = receipts.create_draft(s, bulog, note, shop["manager"])
            receipts.add_line(s, draft, product.id, None, packs, 8_000)
            posting.post(s, draft, shop["manager"], day)
            delivered.append(draft)
        soaked = receipts.create_draft(s, bulog, "DO-3", shop["manager"])
        receipts.add_line(s, soaked, product.id, None, 0, 8_000, damaged_packs=5, reason="basah")
        posting.post(s, soaked, shop["manager"], day)
        wrong = reversal.create_reversal(s, delivered[1], shop["cashier"], "dikirim ke gerai lain")
        reversal.post_reversal(s, wrong, shop["manager"], day=day)
        s.execute(update(GoodsReceipt).values(posted_at=_at(day, 30)))   # 08:30 WITA
        unit = product.business_unit.value
    with db.reading() as s:
        lines = day_journal(s, day, zone=ZONE, chart=CHART)
        later = day_journal(s, day + timedelta(days=1), zone=ZONE, chart=CHART)
    sums = by_account(lines)
    assert unit == "sembako" and sum(x.debit for x in lines) == sum(x.credit for x in lines)
    assert sums["114110"] == 10 * 8_000                # 10 + 2 received, 2 sent back
    assert sums["211100"] == -10 * 8_000
    owed = [x for x in lines if x.account == "211100"]
    assert [(x.name, x.memo) for x in owed] == [
        ("Utang usaha (pemasok)", "Penerimaan barang dari Bulog Sub Divre Samarinda")]
    assert not [x for x in later if x.account == "211100"]   # the day it was posted, once


def test_a_correction_of_one_line_takes_out_exactly_that_lines_value(db, shop):
    """A clerk's walk-through: a delivery's one wrong line (40 Indomie Soto never ordered) could
    not be corrected once eggs of another line were sold; corrected alone now, Persediaan and
    Utang usaha go down by exactly its value, the eggs' value staying in."""
    from pos.inventory.receiving import posting, receipts, reversal
    from pos.inventory.receiving.models import GoodsReceipt, GoodsReceiptLine

    day = FIRST_DAY
    with db.transaction() as s:
        eggs, soto = s.scalars(select(Product).order_by(Product.id).limit(2)).all()
        bulog = receipts.create_supplier(s, "Bulog Sub Divre Samarinda", "bulog")
        draft = receipts.create_draft(s, bulog, "DO-9", shop["manager"])
        receipts.add_line(s, draft, eggs.id, None, 270, eggs.cost)
        wrong_line = receipts.add_line(s, draft, soto.id, None, 40, soto.cost)
        posting.post(s, draft, shop["manager"], day)
        stock.apply(s, [stock.Move(eggs.id, -10)], MovementKind.SALE)
        wrong = reversal.create_reversal(s, draft, shop["cashier"], "soto tidak dipesan",
                                         take={wrong_line: 40})
        reversal.post_reversal(s, wrong, shop["manager"], day=day)
        s.execute(update(GoodsReceipt).values(posted_at=_at(day, 30)))   # 08:30 WITA
        assert s.scalar(select(GoodsReceiptLine.qty_packs).where(GoodsReceiptLine.receipt_id == wrong)) == 40
        kept, units = 270 * eggs.cost, {eggs.business_unit.value, soto.business_unit.value}
    with db.reading() as s:
        lines = day_journal(s, day, zone=ZONE, chart=CHART)
    sums = by_account(lines)
    assert sum(x.debit for x in lines) == sum(x.credit for x in lines)
    assert sums["211100"] == -kept                       # 270 eggs + 40 soto owed, 40 soto back
    inventory = sum(v for k, v in sums.items() if k.startswith("114"))
    assert inventory == kept and units


def test_an_adjustment_and_a_count_are_booked_at_the_cost_they_were_approved_at(db, shop):
    """A delivery later that day moved the product's average cost from 8.000 to 9.000: the
    write-off approved before it and the count's difference (counted at 8.000) are still booked
    at 8.000, as the manager saw them, not at the cost when the day closes."""
    from pos.inventory.counts import adjustments, counting

    day = FIRST_DAY
    with db.transaction() as s:
        product = s.scalar(select(Product).order_by(Product.id))
        gone = adjustments.request_writeoff(s, product.id, 2, "pecah", shop["cashier"]).id
        adjustments.approve(s, gone, shop["manager"], day=day)
        count = counting.open_count(s, "all", shop["cashier"])
        counting.record(s, count, product.id, stock.on_hand(s, product.id) - 1, shop["cashier"])
        s.execute(update(Product).where(Product.id == product.id).values(cost=9_000))
        counting.approve(s, count, shop["manager"], day=day)
        s.execute(update(StockMovement).where(StockMovement.kind != MovementKind.OPENING)
                  .values(created_at=_at(day, 0)))
    with db.reading() as s:
        sums = by_account(day_journal(s, day, zone=ZONE, chart=CHART))
    assert sums["690100"] == (2 + 1) * 8_000


@settings(max_examples=12, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(shift_st, min_size=1, max_size=2))
def test_every_random_day_balances_and_matches_its_summary(db, plans):
    if not hasattr(db, "_ledger_shop"):
        db._ledger_shop = _shop(db)
    shop = db._ledger_shop
    shop["day"] += 1
    day = FIRST_DAY + timedelta(days=shop["day"])
    work_day(db, shop, day, plans)
    with db.reading() as s:
        row = s.scalar(select(LedgerOutbox).where(LedgerOutbox.business_date == day))
    document = json.loads(row.body)
    lines, summary = document["journal"], document["summary"]
    assert sum(x["debit"] for x in lines) == sum(x["credit"] for x in lines)
    sums: dict[str, int] = defaultdict(int)
    for x in lines:
        sums[x["account"]] += x["debit"] - x["credit"]
    revenue = -sum(v for k, v in sums.items() if k.startswith("41"))
    returned = summary["returns"]["amount"]
    assert summary["tax"] == 0   # not PKP: the line amounts are all revenue
    assert revenue == summary["total"] - summary["rounding"] - returned
    # the sales' cash rounding, less what the returns' refunds paid back of it or rounded
    assert -sums.get("490100", 0) == summary["rounding"] - summary["returns"]["rounding"]
    tenders = {"111000": "cash", "112900": "qris", "112100": "transfer", "113100": "member_credit"}
    for account, method in tenders.items():   # what each tender took, before refunds and the rest
        sold = summary["payments"].get(method, {}).get("amount", 0)
        refunded = summary["returns"]["refunds"].get(method, 0)
        if method != "cash":   # kasbon: repayments in any tender pay it off
            member = summary["member_payments"].get(method, {}).get("total", 0) \
                if method != "member_credit" else \
                -sum(v["repayments"] for v in summary["member_payments"].values())
            over = sum(x["tenders"].get(method, {}).get("difference", 0) for x in summary["shifts"])
            assert sums.get(account, 0) == sold - refunded + member + over, method
    differences = sum(x["difference"] for x in summary["shifts"])
    # and each float against its till's last closing count: money gone between two shifts
    opening = sum(x["opening_difference"] or 0 for x in summary["shifts"])
    assert opening == summary["opening_difference"]
    assert sums.get("490200", 0) + sums.get("690200", 0) == -(differences + opening)


def test_cash_gone_between_two_shifts_is_booked_against_kas(db, shop):
    """The walk-through: Rp521.200 counted when the day closed, Rp500.000 in the drawer next
    morning (noted, a manager approved). The Rp21.200 leaves Kas as a shortage on the morning's
    day, so the ledger's Kas stays the drawer's; the journal balances."""
    first, second = FIRST_DAY, FIRST_DAY + timedelta(days=1)
    work_day(db, shop, first, [{"float": 521_200, "off": 0, "ops": []}])
    shop["day"] = 1
    work_day(db, shop, second, [{"float": 500_000, "off": 0, "ops": []}])
    with db.reading() as s:
        before, lines = (day_journal(s, d, zone=ZONE, chart=CHART) for d in (first, second))
        row = s.scalar(select(LedgerOutbox).where(LedgerOutbox.business_date == second))
    assert before == []   # the first day's float is a till's first: nothing to differ from
    assert sum(x.debit for x in lines) == sum(x.credit for x in lines) == 21_200
    assert by_account(lines) == {"690200": 21_200, "111000": -21_200}
    (shift_id,) = {x.memo.rpartition("#")[2] for x in lines}
    assert {x.memo for x in lines} == {f"Selisih kas awal shift #{shift_id}"}
    document = json.loads(row.body)
    assert protocol.validate(document) is not None
    assert document["summary"]["opening_difference"] == -21_200
    (shift,) = document["summary"]["shifts"]
    assert (shift["previous_counted"], shift["opening_float"], shift["opening_difference"],
            shift["opening_note"]) == (521_200, 500_000, -21_200, "laci diisi ulang")
    assert document["journal"] == [x.as_dict() for x in lines]


def test_one_shifts_shortage_and_anothers_overage_both_show_in_the_books(db, shop):
    """Two shifts of a day: the first found Rp5.000 gone since the last count and counted
    Rp1.000 short, the second Rp5.000 come back and Rp1.000 over. Netted per day the journal
    booked nothing at all; each is booked on lines of its own, the memo naming the shift, and
    the day's entry balances, is the hub's and is the same each time it is built."""
    first, second = FIRST_DAY, FIRST_DAY + timedelta(days=1)
    work_day(db, shop, first, [{"float": 100_000, "off": 0, "ops": []}])
    shop["day"] = 1
    work_day(db, shop, second, [{"float": 95_000, "off": -1_000, "ops": []},    # 94.000 counted
                                {"float": 99_000, "off": 1_000, "ops": []}])    # 100.000 counted
    with db.reading() as s:
        lines = day_journal(s, second, zone=ZONE, chart=CHART)
        again = day_journal(s, second, zone=ZONE, chart=CHART)
        a, b = s.scalars(select(Shift.id).where(Shift.business_date == second).order_by(Shift.id))
        row = s.scalar(select(LedgerOutbox).where(LedgerOutbox.business_date == second))
    booked = sorted((x.account, x.debit, x.credit, x.memo) for x in lines)
    opening, closing = "Selisih kas awal shift #{}", "Selisih tutup shift #{}"
    assert booked == sorted([
        ("690200", 5_000, 0, opening.format(a)), ("111000", 0, 5_000, opening.format(a)),
        ("690200", 1_000, 0, closing.format(a)), ("111000", 0, 1_000, closing.format(a)),
        ("111000", 5_000, 0, opening.format(b)), ("490200", 0, 5_000, opening.format(b)),
        ("111000", 1_000, 0, closing.format(b)), ("490200", 0, 1_000, closing.format(b))])
    assert sum(x.debit for x in lines) == sum(x.credit for x in lines) == 12_000
    assert by_account(lines) == {"690200": 6_000, "490200": -6_000, "111000": 0}
    assert again == lines                                # the same day, the same entry
    document = json.loads(row.body)
    assert protocol.validate(document) is not None and protocol.problems(document) == []
    assert document["journal"] == [x.as_dict() for x in lines]
    assert document["summary"]["opening_difference"] == 0   # the summary still nets the day
    assert [x["id"] for x in document["summary"]["shifts"]] == [a, b]   # the memos' numbers


def test_discounts_show_as_potongan_penjualan_against_revenue_at_list_price(db, shop):
    """A sale discount of Rp5.000 on 2 x 25.000 to a non-member: revenue at list price
    50.000 credited, potongan penjualan 5.000 debited, cash 45.000."""
    day = FIRST_DAY
    boss = Actor(shop["manager"], shop["till"], RIGHTS[Role.MANAGER], reason="langganan")
    with db.transaction() as s:
        shift = shifts.open_shift(s, till_id=shop["till"], cashier_id=shop["manager"],
                                  cash=shifts.Cash(0), note=None, day=day, now=_at(day, 0))
        cart.add(s, shop["till"], lookup_barcode(s, CODES[0]), times=2)
        adjust.sale_discount(s, boss, adjust.Discount(amount=5_000), limit_bp=10_000)
        checkout.checkout(s, till_id=shop["till"], cashier_id=shop["manager"],
                          idempotency_key=str(uuid.uuid4()),
                          tenders=[checkout.Tender(PaymentMethod.CASH, 45_000)],
                          outlet_code="TST01", timezone=ZONE, tax=TAX, now=_at(day, 5))
    with db.transaction() as s:
        shifts.close_shift(s, boss, shift_id=shift.id, cash=shifts.Cash(45_000),
                           counted_other={}, reason=None, now=_at(day, 9))
        close_day(s, day=day, user_id=shop["manager"], now=_at(day, 10), today=day,
                  outlet_code="TST01")
    with db.reading() as s:
        lines = day_journal(s, day, zone=ZONE, chart=CHART)
    sums = by_account(lines)
    assert (sums["411200"], sums["411900"], sums["111000"]) == (-50_000, 5_000, 45_000)
    # the member's and the non-member's potongan each say whose (two lines read alike)
    assert [x.memo for x in lines if x.account == "411900"] == ["Potongan penjualan bukan anggota"]


def test_a_discounted_member_sale_returned_in_parts_reverses_its_gross_and_its_potongan(db, shop):
    """The treasurer's walk-through: a member sale's return was debited to Penjualan anggota at
    the net price refunded (gross sales understated, potongan overstated by the discount). Three
    x 25.000 to a member with a Rp1.000 sale discount (paid 74.000), two units returned in two
    returns the same day: Penjualan anggota is debited 2 x 25.000 at list price and Potongan
    penjualan credited 333 + 334, the line's own split, so sales less potongan is the refunds'
    24.667 + 24.666 exactly and the day's journal balances."""
    from pos.returns.models import SaleReturnLine
    from pos.returns.service import Wanted, make_return
    from pos.sales.models import SaleLine

    day = FIRST_DAY
    boss = Actor(shop["manager"], shop["till"], RIGHTS[Role.MANAGER], reason="pelanggan tetap")
    with db.transaction() as s:
        shift = shifts.open_shift(s, till_id=shop["till"], cashier_id=shop["manager"],
                                  cash=shifts.Cash(100_000), note=None, day=day, now=_at(day, 0))
        cart.add(s, shop["till"], lookup_barcode(s, CODES[0]), times=3)
        cart.put_member(s, shop["till"], shop["member"])
        adjust.sale_discount(s, boss, adjust.Discount(amount=1_000), limit_bp=10_000)
        sale = checkout.checkout(s, till_id=shop["till"], cashier_id=shop["manager"],
                                 idempotency_key=str(uuid.uuid4()),
                                 tenders=[checkout.Tender(PaymentMethod.CASH, 74_000)],
                                 outlet_code="TST01", timezone=ZONE, tax=TAX, now=_at(day, 5)).sale
        line = s.scalar(select(SaleLine).where(SaleLine.sale_id == sale.id))
        assert (line.amount, line.discount, sale.member_sale) == (74_000, 1_000, True)
        for minute in (6, 7):
            make_return(s, boss, sale_id=sale.id, wanted=[Wanted(line.id, 1)],
                        refund_to=RefundTo.CASH, reason="kemasan sobek", outlet_code="TST01",
                        timezone=ZONE, idempotency_key=str(uuid.uuid4()), now=_at(day, minute))
        refunded = list(s.scalars(select(SaleReturnLine.amount).order_by(SaleReturnLine.id)))
    assert refunded == [24_667, 24_666]
    with db.transaction() as s:
        shifts.close_shift(s, boss, shift_id=shift.id, cash=shifts.Cash(100_000 + 74_000 - 49_333),
                           counted_other={}, reason=None, now=_at(day, 9))
        close_day(s, day=day, user_id=shop["manager"], now=_at(day, 10), today=day,
                  outlet_code="TST01")
    with db.reading() as s:
        lines = day_journal(s, day, zone=ZONE, chart=CHART)
        row = s.scalar(select(LedgerOutbox).where(LedgerOutbox.business_date == day))
    assert sum(x.debit for x in lines) == sum(x.credit for x in lines)
    booked = sorted((x.account, x.debit, x.credit, x.memo, x.member) for x in lines
                    if x.account.startswith("41"))
    assert booked == [
        ("411100", 0, 75_000, "Penjualan", True),
        ("411100", 50_000, 0, "Retur penjualan", True),
        ("411900", 0, 667, "Retur potongan penjualan anggota", True),
        ("411900", 1_000, 0, "Potongan penjualan anggota", True),
    ]
    sums = by_account(lines)
    assert sums["411100"] + sums["411900"] == -(74_000 - 49_333)   # net sales after returns
    assert sums["111000"] == 74_000 - 49_333
    assert sums["511000"] == 8_000 and sums["114110"] == -8_000    # one unit's cost kept sold
    assert json.loads(row.body)["journal"] == [x.as_dict() for x in lines]


def test_the_default_chart_books_withdrawable_savings_as_owed_and_the_rest_as_equity():
    """Sukarela is the member's to withdraw at any time: the hub's neraca shows it among the
    liabilities (class 2); pokok and wajib come back only when a member leaves: equity (class 3).
    Booked as equity, the neraca showed Jumlah kewajiban Rp0 with members' savings owed."""
    from pos.ledger_hub.accounts import CLASS_NAMES, account_class
    classes = {role: CLASS_NAMES[account_class(CHART(role)[0])] for role in
               ("savings:pokok", "savings:wajib", "savings:sukarela", "payable", "ppn_out")}
    assert classes == {"savings:pokok": "Ekuitas", "savings:wajib": "Ekuitas",
                       "savings:sukarela": "Kewajiban", "payable": "Kewajiban", "ppn_out": "Kewajiban"}
