"""The trial balance (neraca saldo) counts the saldo awal as the general ledger and the neraca
do: per account saldo awal, mutasi debit, mutasi kredit and saldo akhir, on the screen, in the
XLSX and from the command line, per outlet and combined.

A tester imported GERAI01's saldo awal dated 21-11-2026 and opened 01-01..06-12-2026: Kas read
Rp737.700 where the buku besar and the neraca read Rp5.737.700, Utang usaha and Cadangan were
missing, the stock stayed below zero, and the page still said "Neraca seimbang.".
"""
from __future__ import annotations

import json
from datetime import date

import pytest

from pos.ledger_hub import accounts, book_sheets, books, journal_book, opening, statements
from pos.ledger_hub.accounts import Period
from pos.ledger_hub.sheets import read_xlsx
from tests.ledger_hub.books_data import OPENING_CSV, SHU_NOVEMBER, push_all, screen_rows
from tests.ledger_hub.web_helpers import sign_in

NOV1, NOV21, DEC1, DEC6, DEC31 = (date(2026, 11, 1), date(2026, 11, 21), date(2026, 12, 1),
                                  date(2026, 12, 6), date(2026, 12, 31))
YEAR_TO_DATE = Period(date(2026, 1, 1), DEC6)


@pytest.fixture
def pushed(hub_client, creds, other):
    push_all(hub_client, creds, other)


def import_opening(hub_db, as_of: date, outlet: str | None = None) -> None:
    with hub_db.transaction() as s:
        opening.import_file(s, "saldo.csv", OPENING_CSV, as_of, outlet)


def trial(s, period: Period) -> books.TrialBalance:
    return books.trial_balance(s, period.start, period.end, period.outlet)


def assert_agrees(s, period: Period) -> books.TrialBalance:
    """Every account's row is its general ledger's (saldo awal inside the period in the opening
    column), and every balance-sheet account closes on the neraca's figure."""
    balance = trial(s, period)
    position = statements.neraca(s, period)
    signed = {a: v for a, _, v in position.assets}
    signed.update({a: -v for a, _, v in position.liabilities + position.equity})
    for row in balance.rows:
        ledger = journal_book.general_ledger(s, period, row.account)
        assert row.closing == ledger.closing, row
        assert row.opening == ledger.opening + sum(r.debit - r.credit for r in ledger.rows if r.opening)
        assert (row.debit, row.credit) == (sum(r.debit for r in ledger.rows if not r.opening),
                                           sum(r.credit for r in ledger.rows if not r.opening))
    closing = {r.account: r.closing for r in balance.rows if not accounts.is_result(r.account) and r.closing}
    assert closing == signed
    assert balance.results_before == -position.shu_before
    assert balance.balanced and balance.opening_total == 0 and balance.debit == balance.credit
    return balance


def test_a_saldo_awal_inside_the_period_is_in_the_trial_balance(hub_db, pushed):
    import_opening(hub_db, NOV21, "KDMP01")
    with hub_db.reading() as s:
        whole = assert_agrees(s, YEAR_TO_DATE)
        one = assert_agrees(s, Period(YEAR_TO_DATE.start, DEC6, "KDMP01"))
        other = assert_agrees(s, Period(YEAR_TO_DATE.start, DEC6, "KDMP02"))
    rows = {r.account: (r.opening, r.debit, r.credit, r.closing) for r in whole.rows}
    assert rows["111000"] == (1_000_000, 585_500, 6_000, 1_579_500)
    assert rows["114110"] == (500_000, 4_000, 90_000, 414_000)
    assert rows["211000"] == (-300_000, 0, 0, -300_000) and rows["331000"] == (-500_000, 0, 0, -500_000)
    assert whole.opened_within == [("KDMP01", NOV21)]
    assert {r.account: r.opening for r in one.rows}["111000"] == 1_000_000
    assert all(r.opening == 0 for r in other.rows)   # KDMP02 has no saldo awal of its own


def test_a_period_after_the_saldo_awal_opens_with_it_and_the_movements_before(hub_db, pushed):
    import_opening(hub_db, NOV1)
    with hub_db.reading() as s:
        december = assert_agrees(s, Period(DEC1, DEC31))
        kdmp02 = assert_agrees(s, Period(DEC1, DEC31, "KDMP02"))
        sheet = book_sheets.trial_sheet(december)
    kas = next(r for r in december.rows if r.account == "111000")
    assert (kas.opening, kas.debit, kas.credit) == (1_000_000 + 375_000, 210_500, 6_000)
    assert december.results_before == -SHU_NOVEMBER and december.opened_within == []
    assert ["", "SHU sebelum periode (belum dibagi)", -SHU_NOVEMBER, None, None, -SHU_NOVEMBER] in [
        list(row.cells) for row in sheet.rows]
    # KDMP02 (held by the cooperative's saldo awal, none of its own): its November as its opening
    assert [(r.account, r.opening, r.debit, r.credit) for r in kdmp02.rows] == [
        ("111000", 275_000, 0, 0), ("113100", 25_000, 0, 0)]
    assert kdmp02.results_before == -300_000


def test_a_period_that_ends_before_the_saldo_awal_takes_nothing_from_it(hub_db, pushed):
    with hub_db.reading() as s:
        before = trial(s, Period(NOV1, DEC31))
    import_opening(hub_db, date(2027, 1, 1))
    with hub_db.reading() as s:
        after = assert_agrees(s, Period(NOV1, DEC31))
    assert after == before and all(r.opening == 0 for r in after.rows)


def test_the_sheet_has_the_standard_columns_and_says_neraca_saldo(hub_db, pushed):
    import_opening(hub_db, NOV21, "KDMP01")
    with hub_db.reading() as s:
        sheet = book_sheets.trial_sheet(trial(s, YEAR_TO_DATE))
    assert [c.label for c in sheet.columns] == ["Akun", "Nama akun", "Saldo awal", "Mutasi debit",
                                                "Mutasi kredit", "Saldo akhir"]
    assert sheet.verdict == "Neraca saldo seimbang." and sheet.ok
    assert list(sheet.rows[-1].cells) == ["Jumlah", "", 0, 895_500, 895_500, 0]
    assert any("Saldo awal gerai KDMP01 per 21-11-2026" in note for note in sheet.notes), sheet.notes


def test_the_screen_and_its_xlsx_show_the_saldo_awal(hub_client, hub_db, pushed):
    sign_in(hub_client, hub_db)
    import_opening(hub_db, NOV21, "KDMP01")
    query = "/buku/neraca-saldo?dari=2026-01-01&sampai=2026-12-06"
    for outlet in ("", "KDMP01"):
        page = hub_client.get(f"{query}&gerai={outlet}")
        rows = screen_rows(page.text)
        assert ["111000", "Kas tunai", "Rp1.000.000", "Rp585.500" if not outlet else "Rp310.500",
                "Rp6.000", "Rp1.579.500" if not outlet else "Rp1.304.500"] in rows
        assert ["211000", "Utang usaha", "-Rp300.000", "", "", "-Rp300.000"] in rows
        assert 'id="verdict" class="balanced">Neraca saldo seimbang.' in page.text
        assert "Neraca seimbang." not in page.text
        filed = read_xlsx(hub_client.get(f"{query}&gerai={outlet}&unduh=xlsx").data)
        assert filed[0] == ["111000", "Kas tunai", 1_000_000, 585_500 if not outlet else 310_500, 6_000,
                            1_579_500 if not outlet else 1_304_500]


def test_the_command_shows_the_saldo_awal_with_headings(hub_runner, hub_db, pushed, tmp_path):
    import_opening(hub_db, NOV21, "KDMP01")
    period = ["--from", "01-01-2026", "--to", "06-12-2026"]
    data = json.loads(hub_runner.invoke(args=["ledger-hub", "trial-balance", *period, "--json"]).output)
    kas = next(a for a in data["accounts"] if a["account"] == "111000")
    assert kas == {"account": "111000", "name": "Kas tunai", "opening": 1_000_000, "debit": 585_500,
                   "credit": 6_000, "closing": 1_579_500}
    assert data["balanced"] and data["opening"] == data["closing"] == 0
    target = tmp_path / "neraca-saldo.xlsx"
    text = hub_runner.invoke(args=["ledger-hub", "trial-balance", *period, "--outlet", "KDMP01",
                                   "--xlsx", str(target)])
    assert text.exit_code == 0, text.output
    lines = text.output.splitlines()
    assert lines[1].split() == ["Akun", "Nama", "akun", "Saldo", "awal", "Mutasi", "debit", "Mutasi",
                                "kredit", "Saldo", "akhir"]
    assert any(line.startswith("211000  Utang usaha") and line.endswith("-Rp300.000") for line in lines)
    assert "Neraca saldo seimbang." in lines and text.output.endswith("\n")
    assert read_xlsx(target.read_bytes())[0][:3] == ["111000", "Kas tunai", 1_000_000]
