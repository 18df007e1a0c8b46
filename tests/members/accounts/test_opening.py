"""Saldo awal simpanan: members' savings from the paper books, imported from a file; the counter,
the withdrawals and the day sent to the hub count them."""
from __future__ import annotations

import io
import uuid
from datetime import date

import pytest
from sqlalchemy import func, select

from pos.clock import business_date, utcnow
from pos.days.models import BusinessDay
from pos.db import get_db
from pos.inventory.catalog.spreadsheets import ImportErrors, read_csv
from pos.members.accounts import documents, opening, savings
from pos.members.accounts.documents import DocumentError, Payment, Tendered
from pos.members.accounts.models import DocTender, OpeningSaving
from pos.reports.day_parts import member_savings
from tests.factories import login, poll_until_finished
from tests.members.accounts.conftest import make_member

RATES = savings.Rates(pokok=100_000, wajib=10_000, wajib_ahead=12)
HEADER = "nomor,nama,simpanan_pokok,simpanan_wajib,wajib_lunas_sampai,simpanan_sukarela\n"


@pytest.fixture(autouse=True)
def _shift_of_today(shop_today):
    """These take money on the real day: the shop's shift is today's."""


def today() -> date:
    return business_date(utcnow(), "Asia/Makassar")


def run(db, text: str) -> dict:
    rows = read_csv((HEADER + text).encode(), opening.IMPORT_COLUMNS, opening.KEY)
    with db.transaction() as s:
        return opening.import_rows(s, rows, user_id=None)


def take(db, shop, paid: Payment):
    with db.transaction() as s:
        return documents.take(s, member_id=shop["member"], paid=paid, tender=Tendered(DocTender.CASH),
                              idempotency_key=str(uuid.uuid4()), outlet_code="TST01", till_id=None,
                              cashier_id=shop["cashier"], rates=RATES, business_date=today(), now=utcnow())


def problems(db, text: str) -> list[str]:
    with pytest.raises(ImportErrors) as refused:
        run(db, text)
    return refused.value.errors


def uploaded(client, data: bytes, **ticked) -> str:
    """The page's answer once the upload of ``data`` (with the boxes ``ticked``) has finished."""
    answer = client.post("/kasbon/saldo-awal/impor", content_type="multipart/form-data",
                         data={"file": (io.BytesIO(data), "saldo.csv"), **ticked},
                         headers={"HX-Request": "true"})
    return poll_until_finished(client, answer.get_data(as_text=True))


def stored(db) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(OpeningSaving))


def test_the_saldo_awal_pays_its_months_and_counts_in_the_savings_and_the_day_sent(db, shop):
    number = shop["member_no"]
    summary = run(db, f"{number},Daeng Baso,100.000,90000,09-2026,Rp25.000\n")
    assert summary == {"total": 1, "created": 1, "updated": 0, "unchanged": 0, "skipped": 0}
    with db.reading() as s:
        held = savings.summary(s, shop["member"], today())
        sent = member_savings(s, today())
    assert held.as_dict() == {"pokok": 100_000, "wajib": 90_000, "sukarela": 25_000}
    assert held.months_unpaid[0] == date(2026, 10, 1)            # Jan..Sep 2026 paid on paper
    assert date(2026, 1, 1) in held.months_paid
    assert [(r["number"], r["pokok"], r["wajib"], r["sukarela"]) for r in sent] == [
        (number, 100_000, 90_000, 25_000)]
    with pytest.raises(DocumentError, match="pokok anggota ini sudah lunas"):   # paid on paper
        take(db, shop, Payment(pokok=True))
    with pytest.raises(DocumentError, match="Maret 2026 sudah dibayar"):
        take(db, shop, Payment(wajib_months=(date(2026, 3, 1),)))
    again = run(db, f"{number},,100000,90000,2026-09,25000\n")     # the same again: unchanged
    assert again["unchanged"] == 1 and stored(db) == 1
    run(db, f"{number},,100000,100000,10-2026,25000\n")            # corrected on the same day
    with db.reading() as s:
        assert savings.summary(s, shop["member"], today()).months_unpaid[0] == date(2026, 11, 1)


@pytest.mark.parametrize("row, message", [
    ("AGT-9999,,1000,,,", "anggota 'AGT-9999' tidak ditemukan"),
    ("{n},,abc,,,", "simpanan_pokok tidak valid"),
    ("{n},,,50000,,", "perlu wajib_lunas_sampai"),
    ("{n},,,,10-2026,", "simpanan_wajib nol"),
    ("{n},,,50000,13-2026,", "bukan bulan"),
    ("{n},,,50000,12-2025,", "sebelum bulan masuk"),
    ("{n},,,50000,12-2099,", "sesudah bulan ini"),
    ("{n},,-5000,,,", "simpanan_pokok harus 0 atau lebih."),
    ("{n},,1,2,,3,4", "lebih banyak kolom"),
])
def test_a_bad_row_is_named_and_nothing_is_stored(db, shop, row, message):
    found = problems(db, row.format(n=shop["member_no"]) + "\n")
    assert any(message in p for p in found), found
    assert found[0].startswith("Baris 2:") and stored(db) == 0


def test_what_the_counter_took_is_not_paid_twice_and_a_member_once_per_file(db, shop):
    take(db, shop, Payment(pokok=True, wajib_months=(date(2026, 2, 1),)))
    n = shop["member_no"]
    found = problems(db, f"{n},,100000,30000,03-2026,\n{n},,,,,5000\n")
    assert any("Februari 2026 sudah dibayar di kasir" in p for p in found)
    assert any("simpanan pokok sudah dibayar di kasir" in p for p in found)
    assert any(p.startswith("Baris 3:") and "juga ada di baris 2" in p for p in found)
    assert stored(db) == 0


def test_a_saldo_awal_sent_with_a_closed_day_is_not_replaced(db, shop):
    run(db, f"{shop['member_no']},,,,,40000\n")
    with db.transaction() as s:
        s.execute(OpeningSaving.__table__.update().values(business_date=date(2026, 11, 2)))
        s.add(BusinessDay(business_date=date(2026, 11, 2), closed_by=shop["manager"], closed_at=utcnow(),
                          summary="{}", summary_hash="x" * 64))
    found = problems(db, f"{shop['member_no']},,,,,50000\n")
    assert any("sudah terkirim bersama hari 02-11-2026" in p for p in found)


def test_the_downloaded_list_imports_as_it_is(db, shop):
    run(db, f"{shop['member_no']},,100000,,,10000\n")
    with db.reading() as s:
        rows = opening.export_rows(s)
    assert [r["nomor"] for r in rows] == sorted(r["nomor"] for r in rows) and len(rows) == 2
    mine = next(r for r in rows if r["nomor"] == shop["member_no"])
    assert (mine["simpanan_pokok"], mine["simpanan_sukarela"], mine["wajib_lunas_sampai"]) == (
        100_000, 10_000, "")
    with db.transaction() as s:
        summary = opening.import_rows(s, [{**r, "_line": i + 2} for i, r in enumerate(
            {k: str(v) for k, v in row.items()} for row in rows)])
    assert summary == {"total": 2, "created": 0, "updated": 0, "unchanged": 1, "skipped": 1} \
        and stored(db) == 1


def test_the_manager_page_downloads_the_list_and_imports_a_file(db, client, shop):
    login(client, shop["manager"], shop["till"])
    page = client.get("/kasbon/saldo-awal").get_data(as_text=True)
    assert "Saldo awal simpanan anggota" in page and "Unduh daftar" in page
    listed = client.get("/kasbon/saldo-awal/daftar.csv")
    assert listed.status_code == 200 and "nomor,nama,simpanan_pokok" in listed.get_data(as_text=True)
    data = (HEADER + f"{shop['member_no']},,100.000,,,Rp75.000\n").encode()
    done = uploaded(client, data)
    assert "1 saldo awal baru" in done
    assert 'id="opening-totals" hx-swap-oob="outerHTML"' in done and "Rp75.000" in done   # the tiles too
    panel = client.get(f"/kasir/simpanan/anggota/{shop['member']}", headers={"HX-Request": "true"})
    assert 'id="account-withdraw"' in panel.get_data(as_text=True)     # the sukarela can be withdrawn
    assert "Rp75.000" in client.get("/kasbon/saldo-awal").get_data(as_text=True)


def test_a_wajib_that_is_not_the_months_times_the_rate_asks_first(db, shop, runner, tmp_path):
    """Joined January 2026, paid through September: 9 months of Rp10.000 is Rp90.000. Rp50.000 is
    a typo or an older rate: the file is refused with the sum, unless the manager confirms it."""
    rows = read_csv((HEADER + f"{shop['member_no']},,0,50000,09-2026,0\n").encode(),
                    opening.IMPORT_COLUMNS, opening.KEY)
    with db.reading() as s:
        said = opening.validate(s, rows, wajib_rate=10_000)
        assert opening.validate(s, rows, wajib_rate=10_000, wajib_ok=True) == []
        right = [{**rows[0], "simpanan_wajib": "90.000"}]
        assert opening.validate(s, right, wajib_rate=10_000) == []
    assert said == ["Baris 2: simpanan_wajib Rp50.000 untuk 9 bulan (Januari 2026 s.d. September 2026) "
                    "dengan iuran Rp10.000 sebulan semestinya Rp90.000.", opening.WAJIB_HINT]
    path = tmp_path / "saldo.csv"
    path.write_text(HEADER + f"{shop['member_no']},,0,50000,09-2026,0\n", encoding="utf-8")
    refused = runner.invoke(args=["members", "opening-savings", str(path)])
    assert refused.exit_code == 1 and "semestinya Rp90.000" in refused.output and stored(db) == 0
    done = runner.invoke(args=["members", "opening-savings", str(path), "--wajib-ok"])
    assert done.exit_code == 0 and "1 baru" in done.output and stored(db) == 1


def test_the_page_asks_for_a_wajib_that_differs_and_takes_it_when_ticked(db, client, shop):
    login(client, shop["manager"], shop["till"])
    page = client.get("/kasbon/saldo-awal").get_data(as_text=True)
    assert 'name="wajib_ok" value="1"' in page and "(Rp10.000 sebulan)" in page
    data = (HEADER + f"{shop['member_no']},,0,50000,09-2026,0\n").encode()
    for ticked, said in (({}, "semestinya Rp90.000"), ({"wajib_ok": "1"}, "1 saldo awal baru")):
        assert said in uploaded(client, data, **ticked)
    assert stored(db) == 1


def test_a_pokok_other_than_the_rate_or_nothing_asks_first(db, shop, runner, tmp_path):
    """Rp12.345 of pokok is a typo (or a pokok asked long ago): imported, the counter would call
    the pokok lunas. The file is refused, unless the manager confirms it."""
    rows = read_csv((HEADER + f"{shop['member_no']},,12345,,,0\n").encode(),
                    opening.IMPORT_COLUMNS, opening.KEY)
    with db.reading() as s:
        said = opening.validate(s, rows, pokok_rate=100_000)
        assert opening.validate(s, rows, pokok_rate=100_000, pokok_ok=True) == []
        for right in ("100.000", "0"):
            assert opening.validate(s, [{**rows[0], "simpanan_pokok": right}], pokok_rate=100_000) == []
    assert said == ["Baris 2: simpanan_pokok Rp12.345 bukan simpanan pokok sekarang (Rp100.000, lunas) "
                    "atau 0 (belum dibayar).", opening.POKOK_HINT]
    path = tmp_path / "saldo.csv"
    path.write_text(HEADER + f"{shop['member_no']},,12345,,,0\n", encoding="utf-8")
    refused = runner.invoke(args=["members", "opening-savings", str(path)])
    assert refused.exit_code == 1 and "bukan simpanan pokok sekarang" in refused.output and stored(db) == 0
    assert runner.invoke(args=["members", "opening-savings", str(path), "--wajib-ok"]).exit_code == 1
    done = runner.invoke(args=["members", "opening-savings", str(path), "--pokok-ok"])
    assert done.exit_code == 0 and "1 baru" in done.output and stored(db) == 1


def test_the_page_asks_for_a_pokok_that_differs_and_takes_it_when_ticked(db, client, shop):
    login(client, shop["manager"], shop["till"])
    page = client.get("/kasbon/saldo-awal").get_data(as_text=True)
    assert 'name="pokok_ok" value="1"' in page and "(Rp100.000, lunas)" in page
    data = (HEADER + f"{shop['member_no']},,50000,,,0\n").encode()
    for ticked, said in (({}, "bukan simpanan pokok sekarang"), ({"wajib_ok": "1"}, "bukan simpanan pokok"),
                         ({"pokok_ok": "1"}, "1 saldo awal baru")):
        assert said in uploaded(client, data, **ticked)
    assert stored(db) == 1


def test_a_cashier_may_not_import_it(client, shop):
    login(client, shop["cashier"], shop["till"])
    assert client.get("/kasbon/saldo-awal").status_code == 403


def test_the_command_imports_and_checks(db, shop, runner, tmp_path):
    path = tmp_path / "saldo.csv"
    path.write_text(HEADER + f"{shop['member_no']},,100000,,,\n", encoding="utf-8")
    checked = runner.invoke(args=["members", "opening-savings", str(path), "--dry-run"])
    assert checked.exit_code == 0 and "diperiksa (tidak disimpan)" in checked.output and stored(db) == 0
    done = runner.invoke(args=["members", "opening-savings", str(path)])
    assert done.exit_code == 0 and "1 baru" in done.output and stored(db) == 1
    path.write_text(HEADER + "AGT-9999,,1,,,\n", encoding="utf-8")
    refused = runner.invoke(args=["members", "opening-savings", str(path)])
    assert refused.exit_code != 0 and "tidak ditemukan" in refused.output


def test_the_command_dates_it_in_the_outlets_own_zone(app_factory, tmp_path):
    """A gerai in another zone (POS_TIMEZONE): the saldo awal goes on its business date, not on
    the default zone's (WITA's), which differs from it now."""
    zone = "Pacific/Kiritimati" if 12 <= utcnow().hour < 16 else "Etc/GMT+12"
    app = app_factory(TIMEZONE=zone)
    local = business_date(utcnow(), zone)
    assert local != today()
    database = get_db(app)
    with database.transaction() as s:
        number = make_member(s, name="Daeng Baso").number
    path = tmp_path / "saldo.csv"
    path.write_text(HEADER + f"{number},,100000,,,\n", encoding="utf-8")
    done = app.test_cli_runner().invoke(args=["members", "opening-savings", str(path)])
    assert done.exit_code == 0, done.output
    with database.reading() as s:
        assert s.scalar(select(OpeningSaving.business_date)) == local


def test_the_statement_says_what_came_from_the_paper_books(db, client, shop):
    run(db, f"{shop['member_no']},,100000,30000,03-2026,5000\n")
    login(client, shop["cashier"], shop["till"])
    page = client.get(f"/kasir/simpanan/anggota/{shop['member']}/kartu").get_data(as_text=True)
    assert 'id="statement-opening"' in page and "sampai Maret 2026" in " ".join(page.split())
    assert 'id="saving-pokok">Rp100.000' in page


def test_a_blank_row_is_skipped_and_a_row_of_zeros_removes_the_saldo_awal(db, shop):
    n = shop["member_no"]
    run(db, f"{n},,100000,,,75000\n")
    assert run(db, f"{n},Daeng Baso,,,,\n") == {"total": 1, "created": 0, "updated": 0, "unchanged": 0,
                                               "skipped": 1}
    with db.reading() as s:
        assert savings.summary(s, shop["member"], today()).pokok == 100_000   # still there
    assert run(db, f"{n},,0,0,,0\n")["updated"] == 1 and stored(db) == 0


def test_a_spreadsheets_date_cell_is_read_as_its_month(db, shop):
    from openpyxl import Workbook

    from pos.inventory.catalog.spreadsheets import read_xlsx
    book = Workbook()
    sheet = book.active
    sheet.append(opening.IMPORT_COLUMNS)
    sheet.append([shop["member_no"], "", 0, 90_000, date(2026, 9, 1), 0])
    data = io.BytesIO()
    book.save(data)
    rows = read_xlsx(data.getvalue(), opening.IMPORT_COLUMNS, opening.KEY)
    with db.transaction() as s:
        assert opening.import_rows(s, rows)["created"] == 1
    with db.reading() as s:
        assert savings.opening(s, shop["member"]).wajib_through == date(2026, 9, 1)


def test_the_day_that_imported_it_says_so_in_its_summary_and_rows(db, shop):
    from pos.closing import export
    from pos.reports.day_full import full_summary
    run(db, f"{shop['member_no']},,100000,,,25000\n")
    with db.reading() as s:
        day = full_summary(s, today(), zone="Asia/Makassar")
    assert day["opening_savings"] == {"members": 1, "pokok": 100_000, "wajib": 0, "sukarela": 25_000}
    rows = [r for r in export.lines(day) if r["section"].startswith("Saldo awal")]
    assert [(r["item"], r["amount"]) for r in rows] == [
        ("Simpanan pokok", 100_000), ("Simpanan wajib", 0), ("Simpanan sukarela", 25_000)]


def test_simkopdes_lists_the_saldo_awal_before_the_days_documents(db, shop):
    from pos.ledger.simkopdes import saving_rows
    number = shop["member_no"]
    take(db, shop, Payment(sukarela=5_000))
    run(db, f"{number},,100000,90000,09-2026,0\n")
    with db.reading() as s:
        rows = saving_rows(s, today(), today(), "KOP", "Asia/Makassar")
        earlier = saving_rows(s, date(2020, 1, 1), date(2020, 1, 31), "KOP", "Asia/Makassar")
    fields = ("simpanan_ref", "periode_pembayaran", "jumlah_simpanan", "status")
    assert [tuple(r[f] for f in fields) for r in rows] == [
        (f"SALDO-AWAL-{number}-POKOK", "Simpanan Pokok - Saldo awal", 100_000, "PAID"),
        (f"SALDO-AWAL-{number}-WAJIB", "Simpanan Wajib - Saldo awal s.d. September 2026", 90_000, "PAID"),
        ("TST01-S-000001-1", "Simpanan Sukarela", 5_000, "PAID")]
    assert rows[0]["dibuat_pada"] and rows[0]["anggota_ref"] == number and earlier == []


def test_a_saldo_awal_paid_back_at_the_counter_is_not_lowered_below_it(db, shop):
    """A leaver got pokok, wajib and sukarela back; a re-import with pokok 0 then left the member
    at Pokok -Rp100.000, and pokok 100.000 was refused as "sudah dibayar di kasir"."""
    from pos.members.accounts import withdrawals
    from pos.members.models import Member
    from tests.members.accounts.test_withdrawals import manager

    n = shop["member_no"]
    run(db, f"{n},,100000,80000,08-2026,250000\n")
    with db.transaction() as s:
        s.get(Member, shop["member"]).active = False
        withdrawals.settle_leaver(s, member_id=shop["member"], idempotency_key=str(uuid.uuid4()),
                                  tender=Tendered(DocTender.TRANSFER, reference="BRI-7"), outlet_code="TST01",
                                  actor=manager(shop), business_date=today(), now=utcnow())
    found = problems(db, f"{n},,0,0,,250000\n")
    assert any("pokok sudah dikembalikan Rp100.000 di kasir" in p for p in found), found
    assert any("wajib sudah dikembalikan Rp80.000 di kasir" in p for p in found), found
    assert run(db, f"{n},,100000,80000,08-2026,250000\n")["unchanged"] == 1   # as it was: taken
    with db.reading() as s:
        held = savings.summary(s, shop["member"], today()).as_dict()
    assert held == {"pokok": 0, "wajib": 0, "sukarela": 0}


def test_a_closed_day_is_refused_by_the_check_and_the_page_says_so(db, client, shop):
    """"Periksa saja" said the file was fine on a closed day, then the upload was refused."""
    from pos.days.service import closed_message
    with db.transaction() as s:
        s.add(BusinessDay(business_date=today(), closed_by=shop["manager"], closed_at=utcnow(),
                          summary="{}", summary_hash="x" * 64))
    text = HEADER + f"{shop['member_no']},,,,,25000\n"
    rows = read_csv(text.encode(), opening.IMPORT_COLUMNS, opening.KEY)
    with db.reading() as s:
        assert opening.OpeningFile(today()).validate(s, rows) == [closed_message(today())]
    login(client, shop["manager"], shop["till"])
    page = " ".join(client.get("/kasbon/saldo-awal").get_data(as_text=True).split())
    assert 'id="import-closed"' in page and "sudah ditutup" in page and 'id="import-file"' not in page
