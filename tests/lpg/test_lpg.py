"""LPG 3 kg: asked with NIK and category at the till, recorded at checkout, the daily list on
screen, as CSV/XLSX and from the command line; a per-NIK limit when switched on."""
from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from pos.approvals.service import Actor
from pos.auth.models import Role
from pos.auth.service import RIGHTS
from pos.clock import business_date, utcnow
from pos.inventory.catalog.models import LpgKind, Product
from pos.limits import rules
from pos.limits import service as limits
from pos.limits.models import LimitTake
from pos.limits.service import LimitExceeded
from pos.lpg import service
from pos.lpg.models import LpgSale
from pos.members.buyers import CATEGORY, NIK, NeedsBuyer
from pos.reports.day_money import regulated
from pos.returns.service import Wanted
from pos.sales import checkout, receipt
from tests.factories import login, make_product, make_till, make_user
from tests.limits.conftest import DAY, NIK_A, NIK_B, noon, pay, scan, set_buyer
from tests.members.accounts.conftest import make_member
from tests.returns.conftest import give_back, line_ids

REFILL, NEW = "8990000030003", "8990000030010"


@pytest.fixture
def shop(db):
    with db.transaction() as s:
        till = make_till(s)
        user = make_user(s)
        manager = make_user(s, "manajer1", "manager", "9999")
        refill = make_product(s, name="LPG 3 kg isi ulang", price=18_000, barcodes_=[REFILL])
        new = make_product(s, name="LPG 3 kg tabung baru", price=150_000, barcodes_=[NEW])
        refill.lpg, new.lpg = LpgKind.REFILL, LpgKind.NEW
    return dict(till=till.id, user=user.id, manager=manager.id, refill=refill.id, new=new.id)


def test_lpg_without_nik_and_category_asks_for_both_and_adds_nothing(db, shop):
    with pytest.raises(NeedsBuyer) as asked:
        scan(db, shop["till"], REFILL)
    assert asked.value.needs == frozenset({NIK, CATEGORY})
    set_buyer(db, shop["till"], NIK_A)
    with pytest.raises(NeedsBuyer) as asked:
        scan(db, shop["till"], REFILL)
    assert asked.value.needs == frozenset({CATEGORY})
    assert "kategori pembeli" in asked.value.message
    set_buyer(db, shop["till"], "", category="usaha_mikro")
    view = scan(db, shop["till"], REFILL)
    assert [r.name for r in view.rows] == ["LPG 3 kg isi ulang"]
    assert view.notes == ("LPG 3 kg: Usaha mikro, dicatat dengan NIK pembeli.",)


def test_a_member_with_a_registered_nik_needs_only_the_category(db, shop):
    with db.transaction() as s:
        member = make_member(s, nik=NIK_B)
    set_buyer(db, shop["till"], member.number, category="nelayan")
    assert scan(db, shop["till"], NEW).rows[0].qty == 1
    pay(db, shop)
    with db.reading() as s:
        sold = s.execute(select(LpgSale)).scalar_one()
        assert (sold.nik, sold.category, sold.kind) == (NIK_B, "nelayan", LpgKind.NEW)


def _sell_day(db, shop):
    set_buyer(db, shop["till"], NIK_A, category="rumah_tangga")
    scan(db, shop["till"], REFILL, times=2)
    first = pay(db, shop).sale.receipt_no
    set_buyer(db, shop["till"], NIK_A, category="rumah_tangga")
    scan(db, shop["till"], REFILL)
    scan(db, shop["till"], NEW)
    second = pay(db, shop).sale.receipt_no
    set_buyer(db, shop["till"], NIK_B, category="petani")
    scan(db, shop["till"], REFILL)
    third = pay(db, shop).sale.receipt_no
    return first, second, third


def test_each_sale_is_recorded_and_the_day_lists_it_per_nik_and_category(db, shop):
    first, second, third = _sell_day(db, shop)
    with db.reading() as s:
        rows = [r.as_dict() for r in service.day_list(s, DAY)]
        assert service.day_list(s, DAY.replace(day=29)) == []
    none_back = {"returned_refill": 0, "returned_new": 0, "returned": 0, "returns": []}
    assert rows == [
        {"nik": NIK_A, "category": "rumah_tangga", "refill": 3, "new": 1, "qty": 4,
         "receipts": [first, second], **none_back, "net": 4},
        {"nik": NIK_B, "category": "petani", "refill": 1, "new": 0, "qty": 1, "receipts": [third],
         **none_back, "net": 1}]


def test_the_receipt_shows_the_masked_nik_and_the_category(db, shop):
    set_buyer(db, shop["till"], NIK_A, category="rumah_tangga")
    scan(db, shop["till"], REFILL)
    sale_id = pay(db, shop).sale.id
    with db.reading() as s:
        sale = checkout.get_sale(s, sale_id)
    text = receipt.build(sale, receipt.OutletInfo("Gerai"), "Kasir", 32).lines
    assert "Pembeli: NIK 6472********0001" in text
    assert "Kategori LPG: Rumah tangga" in text
    assert not any(NIK_A in line for line in text)


def test_the_page_and_downloads_show_the_full_nik_to_managers_only(db, client, shop):
    first, second, third = _sell_day(db, shop)
    login(client, shop["user"], shop["till"])
    assert client.get("/lpg?tanggal=30-11-2026").status_code == 403
    login(client, shop["manager"])
    page = client.get("/lpg?tanggal=30-11-2026").get_data(as_text=True)
    assert NIK_A in page and NIK_B in page and "Rumah tangga" in page and first in page
    assert 'id="lpg-total"' in page
    empty = client.get("/lpg?tanggal=29-11-2026").get_data(as_text=True)
    assert "Tidak ada penjualan LPG 3 kg" in empty
    got = client.get("/lpg/harian.csv?tanggal=30-11-2026")
    assert 'filename="lpg-3kg-2026-11-30.csv"' in got.headers["Content-Disposition"]
    table = list(csv.DictReader(io.StringIO(got.get_data().decode("utf-8-sig"))))
    assert [(r["nik"], r["kategori"], r["isi_ulang"], r["tabung_baru"], r["jumlah"]) for r in table] == [
        (NIK_A, "Rumah tangga", "3", "1", "4"), (NIK_B, "Petani", "1", "0", "1")]
    assert table[0]["struk"] == f"{first} {second}"
    book = load_workbook(io.BytesIO(client.get("/lpg/harian.xlsx?tanggal=30-11-2026").get_data()))
    cells = [[c.value for c in row] for row in book.active.iter_rows()]
    assert cells[0] == service.COLUMNS
    assert cells[1][:6] == ["30-11-2026", NIK_A, "Rumah tangga", 3, 1, 4]


def test_the_downloads_refuse_a_day_not_yet_come_and_a_wrong_date_in_plain_text(db, client, shop):
    login(client, shop["manager"])
    tomorrow = business_date(utcnow(), "Asia/Makassar") + timedelta(days=1)
    for kind in ("csv", "xlsx"):
        got = client.get(f"/lpg/harian.{kind}?tanggal={tomorrow:%d-%m-%Y}")
        assert got.status_code == 400, kind
        assert got.content_type.startswith("text/plain")
        assert got.get_data(as_text=True).startswith(f"Hari {tomorrow:%d-%m-%Y} belum tiba")
        assert "Content-Disposition" not in got.headers
        wrong = client.get(f"/lpg/harian.{kind}?tanggal=31-02-2026")
        assert wrong.status_code == 400 and wrong.content_type.startswith("text/plain")
        assert wrong.get_data(as_text=True) == "Tanggal 31-02-2026 tidak ada: Februari 2026 hanya 28 hari."


def test_the_cli_prints_the_day_as_json_and_as_a_table(db, runner, shop):
    first, second, third = _sell_day(db, shop)
    got = runner.invoke(args=["lpg", "day", "--date", "2026-11-30", "--json"])
    assert got.exit_code == 0, got.output
    listed = json.loads(got.output)
    assert [(r["nik"], r["category"], r["refill"], r["new"], r["qty"]) for r in listed] == [
        (NIK_A, "rumah_tangga", 3, 1, 4), (NIK_B, "petani", 1, 0, 1)]
    assert listed[1]["receipts"] == [third]
    table = runner.invoke(args=["lpg", "day", "--date", "2026-11-30"])
    assert NIK_A in table.output and "Total" in table.output
    assert runner.invoke(args=["lpg", "day", "--date", "30-11-2026"]).output == table.output
    bad = runner.invoke(args=["lpg", "day", "--date", "31-11-2026"])
    assert bad.exit_code == 2 and "31-11-2026 tidak ada" in bad.output
    today = business_date(utcnow(), "Asia/Makassar")   # an empty list read as a day with none sold
    later = today + timedelta(days=1)
    ahead = runner.invoke(args=["lpg", "day", "--date", later.isoformat(), "--json"])
    assert ahead.exit_code == 1
    assert ahead.output == f"Galat: Hari {later:%d-%m-%Y} belum tiba (hari ini {today:%d-%m-%Y}).\n"


def test_a_per_nik_limit_rule_on_lpg_works_when_switched_on(db, shop):
    with db.transaction() as s:
        rule = rules.save_rule(s, None, name="LPG 3 kg", max_qty=2, period="day", buyer="nik")
        for product_id in (shop["refill"], shop["new"]):
            rules.attach(s, rule.id, product_id)
        assert s.get(Product, shop["refill"]).limit_rule_id == rule.id
    set_buyer(db, shop["till"], NIK_A, category="rumah_tangga")
    scan(db, shop["till"], REFILL)
    view = scan(db, shop["till"], NEW)
    assert "LPG 3 kg: boleh 0 lagi hari ini" in " ".join(view.notes)
    with pytest.raises(LimitExceeded, match="LPG 3 kg: 2 per pembeli per hari"):
        scan(db, shop["till"], REFILL)
    pay(db, shop)
    set_buyer(db, shop["till"], NIK_A, category="rumah_tangga")
    with pytest.raises(LimitExceeded, match="sudah membeli 2 hari ini"):
        scan(db, shop["till"], REFILL)


def test_a_return_the_same_day_is_listed_as_sold_returned_and_net(db, shop):
    """Two refills and a new cylinder to one NIK; one refill back the same day: the list shows
    the three sold and the one returned (net 2), a line returned whole stays listed as sold
    and returned (net 0); the day summary counts sold, returned and net too."""
    set_buyer(db, shop["till"], NIK_A, category="rumah_tangga")
    scan(db, shop["till"], REFILL, times=2)
    scan(db, shop["till"], NEW)
    sale = pay(db, shop).sale
    refill_line, new_line = line_ids(db, sale.id)
    boss = Actor(shop["manager"], shop["till"], RIGHTS[Role.MANAGER], reason="tabung bocor")
    first = give_back(db, boss, sale.id, Wanted(refill_line, 1), now=noon(DAY))
    with db.reading() as s:
        assert [(r.refill, r.new, r.qty, r.returned, r.net, r.returns)
                for r in service.day_list(s, DAY)] == [(2, 1, 3, 1, 2, [first.return_no])]
        assert regulated(s, DAY)["lpg"] == {"sales": 1, "qty": 2, "sold_qty": 3,   # one sale,
                                            "returned_qty": 1, "returns": 1}        # two kinds
    second = give_back(db, boss, sale.id, Wanted(new_line, 1), now=noon(DAY))
    with db.reading() as s:
        assert [(r.refill, r.new, r.returned_refill, r.returned_new, r.net, r.receipts, r.returns)
                for r in service.day_list(s, DAY)] == [
            (2, 1, 1, 1, 1, [sale.receipt_no], [first.return_no, second.return_no])]
        assert s.scalars(select(LpgSale.returned_qty).order_by(LpgSale.id)).all() == [1, 1]
        assert service.give_back(s, new_line, 1) == 0      # never more back than was sold
    give_back(db, boss, sale.id, Wanted(refill_line, 1), now=noon(DAY))
    with db.reading() as s:
        assert [(r.qty, r.returned, r.net) for r in service.day_list(s, DAY)] == [(3, 3, 0)]
        assert regulated(s, DAY)["lpg"] == {"sales": 1, "qty": 0, "sold_qty": 3,
                                            "returned_qty": 3, "returns": 3}


def test_a_nik_under_two_categories_is_one_nik_and_a_bad_date_redraws_the_page(db, client, runner, shop):
    """The total said 2 NIK for one buyer who bought as rumah tangga and as usaha mikro; a date
    typed wrong gave a bare 400 page."""
    set_buyer(db, shop["till"], NIK_A, category="rumah_tangga")
    scan(db, shop["till"], REFILL)
    pay(db, shop)
    set_buyer(db, shop["till"], NIK_A, category="usaha_mikro")
    scan(db, shop["till"], REFILL)
    pay(db, shop)
    login(client, shop["manager"])
    page = " ".join(client.get("/lpg?tanggal=30-11-2026").get_data(as_text=True).split())
    assert page.count('class="lpg-row"') == 2 and "Total (1 NIK)" in page
    table = runner.invoke(args=["lpg", "day", "--date", "2026-11-30"])
    assert "1 NIK" in table.output
    bad = client.get("/lpg?tanggal=31-02-2026")
    body = " ".join(bad.get_data(as_text=True).split())
    assert bad.status_code == 422 and "Februari 2026 hanya 28 hari" in body
    assert 'value="31-02-2026"' in body and 'aria-invalid="true"' in body
    assert 'id="lpg-day"' not in body and 'id="lpg-csv"' not in body
    from datetime import timedelta

    from pos.clock import business_date, utcnow
    ahead = business_date(utcnow(), "Asia/Makassar") + timedelta(days=1)
    later = client.get(f"/lpg?tanggal={ahead:%d-%m-%Y}")     # an empty list read as a day without LPG
    body = " ".join(later.get_data(as_text=True).split())
    assert later.status_code == 422 and f"Hari {ahead:%d-%m-%Y} belum tiba" in body
    assert 'id="lpg-day"' not in body and 'id="lpg-csv"' not in body


def test_the_day_counts_the_sales_that_held_lpg_not_their_kinds_of_tube(db, shop):
    """A sale of a refill and a new tube counted as two LPG sales in the day's summary."""
    from pos.reports.day_money import regulated
    _sell_day(db, shop)            # 2 refills; a refill and a new tube; a refill
    with db.reading() as s:
        assert regulated(s, DAY)["lpg"] == {"sales": 3, "qty": 5, "sold_qty": 5, "returned_qty": 0,
                                            "returns": 0}


def test_lpg_under_a_limit_rule_asks_for_the_nik_and_the_category_in_one_dialog(db, shop):
    """The limit's dialog asked the NIK alone, then a second one the category, where the keys
    1-4 went into the NIK field."""
    with db.transaction() as s:
        rule = rules.save_rule(s, None, name="LPG 3 kg per NIK", max_qty=4, period="day", buyer="nik")
        rules.attach(s, rule.id, shop["refill"])
    with pytest.raises(NeedsBuyer) as asked:
        scan(db, shop["till"], REFILL)
    assert asked.value.needs == frozenset({NIK, CATEGORY})
    assert "dibatasi per pembeli" in asked.value.message
    set_buyer(db, shop["till"], NIK_A, category="rumah_tangga")
    assert [r.qty for r in scan(db, shop["till"], REFILL).rows] == [1]


def test_a_rule_made_mid_day_counts_what_the_buyer_already_bought_that_day(db, shop):
    """3 tubes in the morning, then a rule of 4 a day: the till said "boleh 3 lagi" and sold 2
    more (5). What was bought before the rule held the product counts, net of returns."""
    set_buyer(db, shop["till"], NIK_A, category="rumah_tangga")
    scan(db, shop["till"], REFILL, times=3)
    pay(db, shop)
    set_buyer(db, shop["till"], NIK_B, category="rumah_tangga")
    scan(db, shop["till"], REFILL, times=2)
    sold = pay(db, shop).sale
    boss = Actor(shop["manager"], shop["till"], RIGHTS[Role.MANAGER], reason="tabung bocor")
    give_back(db, boss, sold.id, Wanted(line_ids(db, sold.id)[0], 1), now=noon(DAY))
    with db.transaction() as s:
        rule = rules.save_rule(s, None, name="LPG 3 kg per NIK", max_qty=4, period="day", buyer="nik")
        rules.attach(s, rule.id, shop["refill"])
        limits.seed(s, rule.id, DAY)
    set_buyer(db, shop["till"], NIK_A, category="rumah_tangga")
    with pytest.raises(LimitExceeded, match="sudah membeli 3 hari ini, diminta 2"):
        scan(db, shop["till"], REFILL, times=2)
    assert "boleh 0 lagi hari ini" in " ".join(scan(db, shop["till"], REFILL).notes)
    pay(db, shop)
    set_buyer(db, shop["till"], NIK_B, category="rumah_tangga")   # 2 bought, 1 brought back
    assert "boleh 2 lagi hari ini" in " ".join(scan(db, shop["till"], REFILL, times=1).notes)


def test_a_return_of_a_tube_bought_before_the_rule_gives_its_place_back(db, shop):
    """2 tubes, then a rule of 2 a day, then 1 of the 2 brought back: the till still said
    "sudah membeli 2" (the seeded total had no take for the return to give back); once seeded,
    saving the rule again counts nothing twice."""
    set_buyer(db, shop["till"], NIK_A, category="rumah_tangga")
    scan(db, shop["till"], REFILL, times=2)
    morning = pay(db, shop).sale
    with db.transaction() as s:
        rule = rules.save_rule(s, None, name="LPG per KTP", max_qty=2, period="day", buyer="nik")
        rules.attach(s, rule.id, shop["refill"])
        limits.seed(s, rule.id, DAY)
        limits.seed(s, rule.id, DAY)                                  # saved twice: counted once
    set_buyer(db, shop["till"], NIK_A, category="rumah_tangga")
    with pytest.raises(LimitExceeded, match="sudah membeli 2 hari ini, diminta 1"):
        scan(db, shop["till"], REFILL)
    boss = Actor(shop["manager"], shop["till"], RIGHTS[Role.MANAGER], reason="tabung bocor")
    give_back(db, boss, morning.id, Wanted(line_ids(db, morning.id)[0], 1), now=noon(DAY))
    set_buyer(db, shop["till"], NIK_A, category="rumah_tangga")
    assert "boleh 0 lagi hari ini" in " ".join(scan(db, shop["till"], REFILL).notes)
    pay(db, shop)
    with db.reading() as s:
        takes = s.execute(select(LimitTake.sale_id, LimitTake.qty, LimitTake.given_back)
                          .order_by(LimitTake.id)).all()
    assert takes[0] == (morning.id, 2, 1) and len(takes) == 2
