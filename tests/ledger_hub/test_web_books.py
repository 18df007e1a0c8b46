"""The books screens and their XLSX: the same rows, per outlet and consolidated; the opening
balance screen (all rows or none, Indonesian messages); SQLite and PostgreSQL."""
from __future__ import annotations

import io
import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from pos.clock import utcnow
from pos.ledger_hub.models import HubOpening, HubOpeningLine
from pos.ledger_hub.sheets import read_xlsx
from pos.ledger_hub.shu_runs import book_today
from pos.money import format_rupiah
from tests.ledger_hub.books_data import OPENING_CSV, SHU, push_all, screen_rows
from tests.ledger_hub.helpers import document, push
from tests.ledger_hub.web_helpers import sign_in

PERIOD = "dari=2026-11-01&sampai=2026-12-31"


@pytest.fixture
def signed(hub_client, hub_db, creds, other):
    push_all(hub_client, creds, other)
    return sign_in(hub_client, hub_db)


def upload(client, token, content: bytes, name: str = "saldo.csv", **fields):
    data = {"csrf_token": token, "tanggal": "01-11-2026", "berkas": (io.BytesIO(content), name), **fields}
    return client.post("/buku/saldo-awal", data=data, content_type="multipart/form-data")


def as_screen(value) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return format_rupiah(value)
    return value.strftime("%d-%m-%Y") if hasattr(value, "strftime") else str(value)


@pytest.mark.parametrize("book", ["jurnal", "buku-besar", "neraca-saldo", "phu", "neraca"])
@pytest.mark.parametrize("outlet", ["", "KDMP01"])
def test_the_xlsx_equals_the_screen(hub_client, signed, book, outlet):
    query = f"/buku/{book}?{PERIOD}&gerai={outlet}&akun=111000"
    page = hub_client.get(query)
    assert page.status_code == 200
    shown = screen_rows(page.text)
    assert len(shown) >= 3
    answer = hub_client.get(query + "&unduh=xlsx")
    assert answer.status_code == 200 and answer.mimetype.endswith("spreadsheetml.sheet")
    assert (outlet or "gabungan") in answer.headers["Content-Disposition"]
    filed = read_xlsx(answer.data)
    assert [[as_screen(v) for v in row] for row in filed[:len(shown)]] == shown


def test_the_phu_screen_shows_the_units_and_the_shu(hub_client, signed):
    page = hub_client.get(f"/buku/phu?{PERIOD}")
    rows = screen_rows(page.text)
    assert ["Penjualan anggota", "Sembako", "Rp340.000"] in rows
    assert ["Penjualan bukan anggota", "Pupuk", "Rp50.000"] in rows
    assert rows[-1] == ["Sisa hasil usaha (SHU)", "", format_rupiah(SHU)]


def test_the_trial_balance_and_the_neraca_say_they_balance(hub_client, signed):
    for book, verdict in (("neraca-saldo", "Neraca saldo seimbang."), ("neraca", "Neraca seimbang.")):
        page = hub_client.get(f"/buku/{book}?{PERIOD}")
        assert f'id="verdict" class="balanced">{verdict}' in page.text
    # no saldo awal imported: the neraca says why its stock is below zero, and its file says it too
    assert 'class="msg msg-info sheet-note">Belum ada saldo awal semua gerai (gabungan)' in page.text
    assert 'class="msg msg-info sheet-note">Aset minus: 114110 Persediaan Sembako' in page.text
    cells = [c for row in read_xlsx(hub_client.get(f"/buku/neraca?{PERIOD}&unduh=xlsx").data) for c in row]
    assert any(str(c).startswith("Aset minus: 114110") for c in cells)


def test_typed_dates_are_redirected_to_iso_and_bad_ones_refused(hub_client, signed):
    answer = hub_client.get("/buku/phu?dari=01-11-2026&sampai=31122026&gerai=KDMP01")
    assert answer.status_code == 303
    assert answer.headers["Location"] == "/buku/phu?dari=2026-11-01&sampai=2026-12-31&gerai=KDMP01"
    # typed wrong: the book's page again, the fields as typed and marked, the message, no sheet
    bad = hub_client.get("/buku/neraca-saldo?dari=31-02-2026&sampai=abc")
    page = " ".join(bad.text.split())
    assert bad.status_code == 422 and "Tanggal awal 31-02-2026 tidak ada" in page
    assert 'id="range-problem"' in page and 'value="31-02-2026"' in page and 'value="abc"' in page
    assert 'id="book-filter"' in page and 'id="book-rows"' not in page and "Pilih akun" not in page
    backwards = hub_client.get("/buku/phu?dari=2026-12-31&sampai=2026-11-01")
    assert backwards.status_code == 422 and "Tanggal awal harus sebelum" in backwards.text
    as_file = hub_client.get("/buku/phu?dari=31-02-2026&unduh=xlsx")
    assert as_file.status_code == 400 and as_file.mimetype == "text/plain"
    unknown = hub_client.get(f"/buku/phu?{PERIOD}&gerai=KDMP99")
    assert unknown.status_code == 404 and "Gerai KDMP99 tidak terdaftar" in unknown.text
    assert hub_client.get("/buku/lain").status_code == 404



def test_a_blank_dari_starts_the_year_of_sampai(hub_client, signed):
    """Only Sampai 31-12-2025: the start was 1 January of this year, after it, and refused."""
    answer = hub_client.get("/buku/neraca?dari=&sampai=31-12-2025")
    assert answer.status_code == 303
    assert answer.headers["Location"] == "/buku/neraca?dari=2025-01-01&sampai=2025-12-31"


def test_the_outlet_selector_lists_every_outlet(hub_client, signed):
    page = hub_client.get(f"/buku/neraca-saldo?{PERIOD}&gerai=KDMP02")
    assert '<option value="KDMP02" selected>' in page.text and "Semua gerai (gabungan)" in page.text
    assert "gerai KDMP02" in page.text


def test_the_opening_screen_imports_a_balanced_file(hub_client, hub_db, signed):
    answer = upload(hub_client, signed, OPENING_CSV)
    assert answer.status_code == 200
    assert ("Saldo awal koperasi per 01-11-2026: 6 akun, debit Rp1.800.000 = kredit Rp1.800.000."
            in answer.text)
    neraca = hub_client.get(f"/buku/neraca?{PERIOD}")
    assert ["111000", "Kas tunai", "Rp1.579.500"] in screen_rows(neraca.text)
    again = upload(hub_client, signed, OPENING_CSV, gerai="KDMP01")
    assert "Saldo awal gerai KDMP01" in again.text
    with hub_db.reading() as s:
        assert s.scalar(select(func.count()).select_from(HubOpening)) == 2
        assert s.get(HubOpening, "").imported_by == "siti"


@pytest.mark.parametrize(("content", "words"), [
    (b"account,name,debit,credit\n111000,Kas,1000,0\n311000,Simpanan pokok,0,900\n",
     "Saldo awal tidak seimbang: debit Rp1.000, kredit Rp900."),
    (b"account,name,debit,credit\n111000,Kas,1000,0\n411100,Penjualan,0,1000\n",
     "Baris 3: akun 411100 bukan akun neraca"),
    (b"account,name,debit,credit\n11100,Kas,1000,0\n311000,Simpanan,0,1000\n",
     "Baris 2: kode akun 11100 harus 6 angka"),
    (b"account,name,debit,credit\n111000,Kas,10.5,0\n311000,Simpanan,0,abc\n", "Baris 2: debit"),
    (b"akun,nama,debit\n111000,Kas,1000\n", "Kolom wajib tidak ada: credit"),
    (b"account,name,debit,credit\n111000,Kas,1000,0\n111000,Kas,0,1000\n",
     "Baris 3: akun 111000 muncul dua kali"),
    # every problem of a row at once: the code and the amount (only the code was named)
    (b"account,name,debit,credit\n11100X,Kas,abc,0\n311000,Simpanan,0,1000\n",
     "Baris 2: kode akun 11100X harus 6 angka; debit tidak valid"),
    # a balance on both sides of one account (balanced overall: it had been booked)
    (b"account,name,debit,credit\n111000,Kas,1000,500\n311000,Simpanan,500,1000\n",
     "Baris 2: isi debit atau kredit saja, tidak keduanya (akun 111000)."),
])
def test_a_bad_opening_file_changes_nothing(hub_client, hub_db, signed, content, words):
    assert upload(hub_client, signed, OPENING_CSV).status_code == 200
    answer = upload(hub_client, signed, content)
    assert answer.status_code == 422 and "Tidak ada yang diimpor" in answer.text and words in answer.text
    assert not re.search(r"\w\.\.[\s<]", answer.text)   # one full stop after a row's problem
    with hub_db.reading() as s:
        assert s.scalar(select(func.sum(HubOpeningLine.debit))) == 1_800_000


def test_an_xlsx_opening_file_is_read_too(hub_client, hub_db, signed):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in (["akun", "nama", "debit", "kredit"], [111000, "Kas", 750_000, None],
                ["311000", "Simpanan", 0, 750_000]):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    answer = upload(hub_client, signed, out.getvalue(), "saldo.xlsx", gerai="KDMP02")
    assert answer.status_code == 200 and "2 akun, debit Rp750.000" in answer.text
    with hub_db.reading() as s:
        assert s.get(HubOpeningLine, ("KDMP02", "111000")).debit == 750_000


def test_the_opening_form_needs_a_date_and_a_file_and_the_csrf_token(hub_client, hub_db, signed):
    missing = hub_client.post("/buku/saldo-awal", data={"csrf_token": signed, "tanggal": ""},
                              content_type="multipart/form-data")
    assert missing.status_code == 422 and "Tanggal saldo awal wajib diisi." in missing.text
    nofile = hub_client.post("/buku/saldo-awal", data={"csrf_token": signed, "tanggal": "01-11-2026"},
                             content_type="multipart/form-data")
    assert nofile.status_code == 422 and "Pilih berkas CSV atau XLSX." in nofile.text
    assert upload(hub_client, "bukan-token", OPENING_CSV).status_code == 400
    with hub_db.reading() as s:
        assert s.scalar(select(func.count()).select_from(HubOpening)) == 0


def test_an_unknown_account_is_said_not_shown_as_an_empty_ledger(hub_client, signed):
    unknown = hub_client.get(f"/buku/buku-besar?{PERIOD}&akun=abc")
    assert unknown.status_code == 404
    assert "Akun abc tidak ada di bagan akun hub" in unknown.text and "Buku besar abc abc" not in unknown.text


def test_a_book_without_dates_ends_on_today_in_wib(hub_client, signed, monkeypatch):
    """At 01:00 WIB the screen's period ended on the UTC date, yesterday."""
    from datetime import datetime

    from pos.ledger_hub import books_views

    monkeypatch.setattr(books_views, "utcnow", lambda: datetime(2026, 12, 4, 18, 0))
    page = hub_client.get("/buku/neraca-saldo").get_data(as_text=True)
    assert 'value="05-12-2026"' in page and 'value="04-12-2026"' not in page


def test_a_book_without_dates_ends_on_the_last_day_received_when_it_is_later_than_today(
        hub_client, hub_db, creds, hub_runner):
    """The hub accepts a day dated tomorrow (an outlet in WIT is ahead of WIB): the neraca saldo
    without dates showed it from the command line (to the last journal line) but not on screen
    (to today), nor in ``books``. Both now end at the later of today and the last day received."""
    tomorrow = book_today(utcnow()) + timedelta(days=1)
    assert push(hub_client, creds, document(day=tomorrow.isoformat())).status_code == 201
    sign_in(hub_client, hub_db)
    page = hub_client.get("/buku/neraca-saldo").get_data(as_text=True)
    assert f'value="{tomorrow:%d-%m-%Y}"' in page
    on_screen = {row[0]: row[5] for row in screen_rows(page) if row[0].isdigit()}
    assert on_screen["111000"] == "Rp100.000" and on_screen["411200"] == "-Rp40.000"
    told = json.loads(hub_runner.invoke(args=["ledger-hub", "trial-balance", "--json"]).output)
    assert told["to"] == tomorrow.isoformat()
    assert {row["account"]: format_rupiah(row["closing"]) for row in told["accounts"]} == on_screen
    neraca = json.loads(hub_runner.invoke(args=["ledger-hub", "books", "neraca", "--json"]).output)
    assert neraca["to"] == tomorrow.isoformat() and neraca["total_assets"] == 125_000
