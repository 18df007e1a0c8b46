"""A cash refund is paid in whole coins (POS_CASH_ROUNDING), and a sale returned in full gives
back exactly what the customer paid, its own cash rounding included; the day's journal books
the difference to the rounding account and still balances."""
from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import select

from pos import chart as charts
from pos.inventory.catalog.barcodes import with_check_digit
from pos.ledger.journal import day_journal
from pos.money import format_rupiah
from pos.returns.amounts import in_coins, left_to_refund
from pos.returns.models import ReturnRefund, SaleReturn
from pos.returns.records import get_return
from pos.returns.service import RefundTo, Wanted
from pos.returns.slip import build
from pos.sales import checkout
from pos.sales.models import PaymentMethod, Sale
from pos.sales.receipt import OutletInfo
from tests.factories import login, make_product
from tests.returns.conftest import DAY, give_back, line_ids, manager, sell, till_today

COIN = 100
CASH, QRIS, KASBON = PaymentMethod.CASH, PaymentMethod.QRIS, PaymentMethod.MEMBER_CREDIT
TRANSFER = PaymentMethod.TRANSFER
ROUNDING_ACCOUNT = charts.chart()("rounding")[0]
ODD = with_check_digit("899000000115")
CANDY = with_check_digit("899000000040")


def odd(db) -> str:
    """The barcode of a good at Rp1.150 (three of them: Rp3.450, paid Rp3.500 in cash)."""
    with db.transaction() as s:
        make_product(s, name="Korek Api", price=1_150, cost=900, barcodes_=[ODD])
    return ODD


def returns_of(db, sale_id: int) -> list[tuple[int, int, list[tuple[PaymentMethod, int]]]]:
    """(refund_total, rounding, refunds) of each return of the sale, oldest first."""
    with db.reading() as s:
        rows = s.execute(select(SaleReturn.id, SaleReturn.refund_total, SaleReturn.rounding)
                         .where(SaleReturn.sale_id == sale_id).order_by(SaleReturn.id)).all()
        return [(total, rounding, [(m, a) for m, a in s.execute(
            select(ReturnRefund.method, ReturnRefund.amount)
            .where(ReturnRefund.return_id == rid).order_by(ReturnRefund.id))])
            for rid, total, rounding in rows]


def test_the_cash_part_goes_to_the_nearest_coin_and_other_tenders_stay_exact():
    assert in_coins([(CASH, 1_150)], 100) == [(CASH, 1_200)]
    assert in_coins([(CASH, 1_149)], 100) == [(CASH, 1_100)]
    assert in_coins([(QRIS, 1_150), (CASH, 2_349)], 100) == [(QRIS, 1_150), (CASH, 2_300)]
    assert in_coins([(KASBON, 1_000), (CASH, 40)], 100) == [(KASBON, 1_000)]   # nothing in coins
    assert in_coins([(CASH, 1_150)], 0) == [(CASH, 1_150)]                      # rounding off
    assert left_to_refund(3_500, {CASH: 1_200}) == 2_300
    assert left_to_refund(3_500, {CASH: 3_400, QRIS: 200}) == 0


def test_returns_in_parts_pay_whole_coins_and_add_up_to_what_was_paid(db, shop):
    code = odd(db)
    sale = sell(db, shop, (code, 3), cash_rounding=COIN)
    assert (sale.total, sale.rounding) == (3_500, 50)
    line = line_ids(db, sale.id)[0]
    first = give_back(db, manager(shop), sale.id, Wanted(line, 1), cash_rounding=COIN)
    assert first.refunds == [(CASH, 1_200)]          # Rp1.150 to the nearest Rp100
    last = give_back(db, manager(shop), sale.id, Wanted(line, 2), cash_rounding=COIN)
    assert last.refunds == [(CASH, 2_300)]           # what is left of the Rp3.500 paid
    assert returns_of(db, sale.id) == [(1_150, 50, [(CASH, 1_200)]),
                                       (2_300, 0, [(CASH, 2_300)])]


def test_a_full_return_gives_back_exactly_what_was_paid_and_the_journal_balances(db, shop):
    code = odd(db)
    sale = sell(db, shop, (code, 3), cash_rounding=COIN)
    done = give_back(db, manager(shop), sale.id, Wanted(line_ids(db, sale.id)[0], 3),
                     cash_rounding=COIN)
    assert done.refund_total == 3_450 and done.refunds == [(CASH, 3_500)]
    assert returns_of(db, sale.id) == [(3_450, 50, [(CASH, 3_500)])]
    with db.reading() as s:
        lines = day_journal(s, DAY, zone="Asia/Makassar", chart=charts.chart())
    assert sum(x.debit for x in lines) == sum(x.credit for x in lines)
    rounding = [(x.memo, x.debit - x.credit) for x in lines if x.account == ROUNDING_ACCOUNT]
    # the sale's Rp50 credited, and debited again when the refund paid it back
    assert sorted(rounding) == [("Pembulatan tunai", -50), ("Pembulatan tunai retur", 50)]
    with db.reading() as s:
        slip = build(get_return(s, done.id), OutletInfo("Gerai Uji", "Jl. Uji", "Asia/Makassar"), 32)
    # TOTAL RETUR Rp3.450, Pembulatan +Rp50, Dikembalikan Tunai Rp3.500: the sign says which way
    assert any(line.startswith("Pembulatan") and line.endswith(" +Rp50") for line in slip.lines)


def test_a_transfer_sale_refunded_in_cash_is_paid_in_coins_and_by_transfer_exactly(db, shop):
    code = odd(db)
    sale = sell(db, shop, (code, 3), tenders=[checkout.Tender(TRANSFER, 3_450, reference="BRI 7")],
                cash_rounding=COIN)
    assert (sale.total, sale.rounding) == (3_450, 0)   # non-cash is never rounded
    line = line_ids(db, sale.id)[0]
    in_cash = give_back(db, manager(shop), sale.id, Wanted(line, 1), refund_to=RefundTo.CASH,
                        cash_rounding=COIN)
    by_transfer = give_back(db, manager(shop), sale.id, Wanted(line, 1), reference="BRI 42",
                            cash_rounding=COIN)
    assert in_cash.refunds == [(CASH, 1_200)] and by_transfer.refunds == [(TRANSFER, 1_150)]


def test_a_refund_in_cash_never_pays_back_more_than_was_paid(db, shop):
    """Three at Rp1.150 paid Rp3.450 by transfer, all given back in cash: the nearest coin,
    Rp3.500, is Rp50 more than the customer paid; Rp3.400 is what the drawer pays."""
    code = odd(db)
    sale = sell(db, shop, (code, 3), tenders=[checkout.Tender(TRANSFER, 3_450, reference="BRI 7")],
                cash_rounding=COIN)
    done = give_back(db, manager(shop), sale.id, Wanted(line_ids(db, sale.id)[0], 3),
                     refund_to=RefundTo.CASH, cash_rounding=COIN)
    assert done.refunds == [(CASH, 3_400)]
    assert returns_of(db, sale.id) == [(3_450, -50, [(CASH, 3_400)])]
    assert in_coins([(CASH, 3_450)], COIN, most=3_450) == [(CASH, 3_400)]
    assert in_coins([(QRIS, 1_000), (CASH, 2_450)], COIN, most=3_450) == [(QRIS, 1_000), (CASH, 2_400)]
    assert in_coins([(CASH, 3_449)], COIN, most=3_449) == [(CASH, 3_400)]    # the nearest is below it


def test_only_a_bank_refund_carries_the_bank_reference(db, shop):
    """A refund split to kasbon and transfer printed the transfer's reference on the kasbon too."""
    code = odd(db)
    sale = sell(db, shop, (code, 3), member=shop["member"],
                tenders=[checkout.Tender(KASBON, 1_000), checkout.Tender(TRANSFER, 2_450, reference="BRI 7")])
    give_back(db, manager(shop), sale.id, Wanted(line_ids(db, sale.id)[0], 3), reference="BRI 42")
    with db.reading() as s:
        refs = dict(s.execute(select(ReturnRefund.method, ReturnRefund.reference)).all())
    assert refs == {KASBON: None, TRANSFER: "BRI 42"}


def test_with_rounding_off_a_refund_is_the_lines_worth_to_the_rupiah(db, shop):
    code = odd(db)
    sale = sell(db, shop, (code, 3))
    line = line_ids(db, sale.id)[0]
    done = give_back(db, manager(shop), sale.id, Wanted(line, 1))
    assert done.refunds == [(CASH, 1_150)]
    assert returns_of(db, sale.id) == [(1_150, 0, [(CASH, 1_150)])]


@pytest.fixture
def app(app_factory):
    return app_factory(CASH_ROUNDING=COIN)   # POS_CASH_ROUNDING=100


def return_one_in_cash(db, client, shop, sale_id: int) -> str:
    """A manager returns one unit of the sale's first line through the return screen, refunded
    in cash; the done panel's HTML."""
    till_today(db, shop)
    login(client, shop["manager"], shop["till"])
    line = line_ids(db, sale_id)[0]
    done = client.post(f"/retur/struk/{sale_id}", headers={"HX-Request": "true"},
                       data={f"qty_{line}": "1", "refund": "tunai", "reason": "patah",
                             "idempotency_key": str(uuid.uuid4())})
    assert done.status_code == 200, done.get_data(as_text=True)
    return done.get_data(as_text=True)


def test_the_return_screen_pays_whole_coins_and_its_slip_says_the_rounding(db, client, shop, printer):
    code = odd(db)
    sale = sell(db, shop, (code, 3), cash_rounding=COIN)
    html = return_one_in_cash(db, client, shop, sale.id)
    assert "Dikembalikan Tunai <b>Rp1.200</b>" in html
    slip = printer.receipts[-1].lines
    assert any(x.startswith("TOTAL RETUR") and x.endswith("Rp1.150") for x in slip)
    assert any(x.startswith("Pembulatan") and x.endswith("Rp50") for x in slip)
    assert any(x.startswith("Dikembalikan Tunai") and x.endswith("Rp1.200") for x in slip)
    # the lists say the money paid back, as the slip does, not the lines' worth (Rp1.150)
    listed = client.get("/retur/daftar").get_data(as_text=True)
    assert 'id="returns-total">Rp1.200<' in listed and "Rp1.150" not in listed
    of_sale = client.get(f"/retur/struk/{sale.id}/daftar").get_data(as_text=True)
    assert '<td class="num">Rp1.200</td>' in of_sale
    audit = client.get("/laporan/log-audit?jenis=return").get_data(as_text=True)
    assert ": Rp1.200; alasan: patah" in audit                   # and so does the audit log


def test_a_refund_that_rounds_to_nothing_says_so_on_the_screen(db, client, shop):
    with db.transaction() as s:
        make_product(s, name="Permen", price=40, cost=30, barcodes_=[CANDY])
    sale = sell(db, shop, (CANDY, 1), tenders=[checkout.Tender(TRANSFER, 40, reference="BRI 8")],
                cash_rounding=COIN)
    assert "Tidak ada uang yang dikembalikan" in return_one_in_cash(db, client, shop, sale.id)
    assert returns_of(db, sale.id) == [(40, -40, [])]   # Rp40 in cash is no coin


def test_a_member_sale_given_back_in_full_adds_nothing_to_the_shu_basis(db, shop):
    """The refund's own rounding was left out, so a fully returned sale still counted Rp50."""
    from pos.members.accounts.purchases import year_basis
    from pos.reports.day_parts import member_purchases

    sale = sell(db, shop, (odd(db), 3), member=shop["member"], cash_rounding=COIN)
    assert (sale.total, sale.rounding) == (3_500, 50)
    give_back(db, manager(shop), sale.id, Wanted(line_ids(db, sale.id)[0], 3), cash_rounding=COIN)
    with db.reading() as s:
        assert [m["purchases"] for m in year_basis(s, DAY.year).members] == [0]
        day = member_purchases(s, DAY)
    assert [(m["purchases"], m["returned"], m["total"]) for m in day] == [(3_500, 3_500, 0)]


def test_a_refund_to_kasbon_is_named_whole_on_the_slip():
    """32 columns: "Dikembalikan Kasbon an Rp100.000" cut the method; it now takes its own line
    and the amount the next."""
    from datetime import date as day
    from datetime import datetime as moment

    from pos.returns.records import ReturnRecord
    ret = ReturnRecord(1, "R-TST01-000001", 1, "TST01-0000001", day(2026, 12, 3), moment(2026, 12, 3, 1),
                       "Siti", "Andi", "Salah beli", 330_000, 0, 0, lines=[],
                       refunds=[{"method": "member_credit", "amount": 100_000},
                                {"method": "cash", "amount": 230_000}])
    slip = build(ret, OutletInfo("Gerai Uji", "Jl. Uji", "Asia/Makassar"), 32).lines
    at = slip.index("Dikembalikan Kasbon anggota")
    assert slip[at + 1].endswith(" Rp100.000") and len(slip[at + 1]) == 32
    assert any(line.startswith("Dikembalikan Tunai") and line.endswith("Rp230.000") for line in slip)


def test_the_day_report_counts_the_money_paid_back_and_shows_the_discounts(db, client, shop):
    """The Laporan harian's cards add up: Penjualan kotor, Diskon and Pembulatan make the Total,
    and a return's refund is what was paid back, its rounding included (Rp40 off before)."""
    code = odd(db)
    sale = sell(db, shop, (code, 3), cash_rounding=COIN)                 # Rp3.450, paid Rp3.500
    other = sell(db, shop, (code, 1))
    with db.transaction() as s:   # a discount on the day's other sale, as the till gives one
        s.execute(Sale.__table__.update().where(Sale.__table__.c.id == other.id).values(discount=150))
    give_back(db, manager(shop), sale.id, Wanted(line_ids(db, sale.id)[0], 3), cash_rounding=COIN)
    login(client, shop["manager"], shop["till"])
    page = " ".join(client.get(f"/laporan/harian?tanggal={DAY:%d-%m-%Y}").get_data(as_text=True).split())
    assert '<dt>Diskon</dt><dd id="day-discount">-Rp150</dd>' in page
    assert '<dd id="day-returns">Rp3.500</dd>' in page                    # the money given back
    assert 'id="day-returns-rounding">barang Rp3.450, pembulatan Rp50<' in page
    total = int(re.search(r'id="day-total">Rp([0-9.]+)<', page).group(1).replace(".", ""))
    assert f'id="day-net">{format_rupiah(total - 3_500)}<' in page
    said = runner_lines(client.application, DAY)
    assert "  diskon -Rp150" in said and "  retur 1  Rp3.500 (barang Rp3.450, pembulatan Rp50)" in said
    # the screen's cards, said too: the total after returns, cost and gross margin
    assert f"  total setelah retur {format_rupiah(total - 3_500)}" in said
    margin = re.search(r'id="day-margin">(-?Rp[0-9.]+)<', page).group(1)
    assert any(line.startswith("  harga pokok Rp") and ", laba kotor penjualan Rp" in line
               for line in said)
    assert any(line.startswith(f"  laba kotor setelah retur {margin} (") for line in said)
    assert any(line.startswith("  penjualan kotor Rp") for line in said)


def runner_lines(app, day) -> list[str]:
    done = app.test_cli_runner().invoke(args=["report", "day", "--date", day.isoformat()])
    assert done.exit_code == 0, done.output
    return done.output.splitlines()
