"""The books from a small set of pushed documents (books_data): journal, general ledger,
trial balance, PHU and neraca, per outlet and consolidated, on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import date

import pytest

from pos.errors import PosError
from pos.ledger_hub import accounts, book_sheets, books, journal_book, opening, statements
from pos.ledger_hub.accounts import Period
from tests.ledger_hub.books_data import ASSETS, COGS, OPENING_CSV, REVENUE, SHU, SHU_NOVEMBER, push_all

NOV1, NOV30, DEC1, DEC31 = date(2026, 11, 1), date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 31)
WHOLE = Period(NOV1, DEC31)


@pytest.fixture
def pushed(hub_client, creds, other):
    push_all(hub_client, creds, other)


@pytest.fixture
def opened(hub_db, pushed):
    with hub_db.transaction() as s:
        return opening.import_file(s, "saldo.csv", OPENING_CSV, NOV1)


def test_the_journal_by_day_and_account_balances_and_uses_the_latest_names(hub_db, pushed):
    with hub_db.reading() as s:
        rows = journal_book.journal(s, WHOLE)
        november = journal_book.journal(s, Period(NOV1, NOV30, "KDMP02"))
    assert sum(r.debit for r in rows) == sum(r.credit for r in rows) == 215_000 + 300_000 + 371_500 + 9_000
    kas = [(r.day, r.debit, r.credit, r.name) for r in rows if r.account == "111000"]
    assert kas == [(NOV30, 375_000, 0, "Kas tunai"), (DEC1, 210_500, 6_000, "Kas tunai")]
    assert [(r.account, r.debit, r.credit) for r in november] == [
        ("111000", 275_000, 0), ("113100", 25_000, 0), ("411100", 0, 260_000), ("411200", 0, 40_000)]


def test_the_trial_balance_balances_per_outlet_and_consolidated(hub_db, pushed):
    with hub_db.reading() as s:
        whole = books.trial_balance(s, NOV1, DEC31)
        one = books.trial_balance(s, DEC1, DEC31, "KDMP01")
    assert whole.balanced and whole.debit == 895_500
    assert one.balanced and one.debit == 380_500
    assert next(r for r in whole.rows if r.account == "111000").name == "Kas tunai"


def test_the_phu_per_unit_and_in_total(hub_db, pushed):
    with hub_db.reading() as s:
        report = statements.phu(s, WHOLE)
        one = statements.phu(s, Period(NOV1, DEC31, "KDMP02"))
    units = {u.unit: u for u in report.units}
    assert units["sembako"].revenue == {True: 340_000, False: 80_000} and units["sembako"].cogs == 86_000
    assert units["pupuk"].revenue == {True: 150_000, False: 50_000} and units["pupuk"].cogs == 160_000
    assert units["pupuk"].gross_profit == 40_000
    assert report.revenue == REVENUE and report.cogs == COGS
    assert report.others == [("490100", "Selisih pembulatan kas", 500),
                             ("690200", "Selisih kas kurang", -1_000)]
    assert report.shu == report.revenue - report.cogs - report.expense + report.other == SHU == 373_500
    assert one.shu == 300_000 and [u.unit for u in one.units] == ["sembako"]


def test_the_neraca_balances_with_the_opening_balances_and_the_period_shu(hub_db, opened):
    with hub_db.reading() as s:
        whole = statements.neraca(s, WHOLE)
        december = statements.neraca(s, Period(DEC1, DEC31))
        outlet = statements.neraca(s, Period(NOV1, DEC31, "KDMP02"))
    assert whole.total_assets == ASSETS == 2_183_500
    assert dict((a, v) for a, _, v in whole.assets)["111000"] == 1_579_500
    assert whole.liabilities == [("211000", "Utang usaha", 300_000)]
    assert [(a, v) for a, _, v in whole.equity] == [("311000", 1_000_000), ("312000", 10_000),
                                                    ("331000", 500_000)]
    assert whole.shu_period == SHU and whole.shu_before == 0
    assert whole.balanced and whole.total_assets == whole.total_liabilities + whole.total_equity
    assert december.shu_before == SHU_NOVEMBER and december.shu_period == SHU - SHU_NOVEMBER
    assert december.balanced and december.total_assets == ASSETS
    assert outlet.balanced and outlet.total_assets == 300_000 and outlet.shu_period == 300_000


def test_a_saldo_awal_dated_inside_the_period_gives_the_phu_and_the_neraca_one_shu(hub_db, pushed):
    """A saldo awal as of 01-12-2026 holds November's results: the neraca left November's journal
    out, the PHU counted it (Rp738.076 against Rp2.549.135 in a tester's books)."""
    with hub_db.transaction() as s:
        opening.import_file(s, "saldo.csv", OPENING_CSV, DEC1)
    with hub_db.reading() as s:
        phu = statements.phu(s, WHOLE)
        neraca = statements.neraca(s, WHOLE)
        sheet = book_sheets.phu_sheet(phu)
    assert phu.shu == neraca.shu_period == SHU - SHU_NOVEMBER
    assert neraca.balanced
    assert phu.opened_within == [("", DEC1)]
    assert sheet.notes == ["Dihitung sejak saldo awal (koperasi sejak 01-12-2026): hasil sebelumnya sudah "
                           "termasuk dalam saldo awal, seperti di neraca."]
    with hub_db.reading() as s:   # a period that starts on the saldo awal's day says nothing
        assert statements.phu(s, Period(DEC1, DEC31)).opened_within == []


def test_the_neraca_without_opening_balances_still_balances(hub_db, pushed):
    with hub_db.reading() as s:
        report = statements.neraca(s, WHOLE)
    assert report.balanced and report.shu_period == SHU and report.total_assets == SHU + 10_000
    # the sales took stock the books never had: the sheet says why an asset is below zero
    assert not report.opened and dict((a, v) for a, _, v in report.assets)["114110"] == -86_000
    notes = book_sheets.neraca_sheet(report).notes
    assert notes[0].startswith("Belum ada saldo awal semua gerai (gabungan) per 31-12-2026: neraca "
                               "dihitung dari jurnal saja")
    assert notes[1] == ("Aset minus: 114110 Persediaan Sembako -Rp86.000; 114120 Persediaan Pupuk "
                        "-Rp160.000. Periksa saldo awalnya: aset ini tidak dapat kurang dari nol.")


def test_a_neraca_with_its_opening_balances_has_nothing_to_explain(hub_db, pushed):
    """Not even a contra account the saldo awal holds below zero (akumulasi penyusutan)."""
    contra = OPENING_CSV.replace(b"331000,Cadangan,0,500000\n",
                                 b"331000,Cadangan,0,400000\n121900,Akumulasi penyusutan,0,100000\n")
    with hub_db.transaction() as s:
        opening.import_file(s, "saldo.csv", contra, NOV1)
    with hub_db.reading() as s:
        report = statements.neraca(s, WHOLE)
    assert ("121900", "Akumulasi penyusutan", -100_000) in report.assets and report.balanced
    assert report.opened and book_sheets.neraca_sheet(report).notes == []


def test_a_combined_neraca_names_the_outlets_that_have_no_saldo_awal(hub_db, pushed):
    """With KDMP01's saldo awal alone, the combined neraca said nothing of KDMP02 having none."""
    with hub_db.transaction() as s:
        opening.import_file(s, "saldo.csv", OPENING_CSV, NOV1, "KDMP01")
    with hub_db.reading() as s:
        whole = statements.neraca(s, WHOLE)
        kdmp01 = statements.neraca(s, Period(NOV1, DEC31, "KDMP01"))
    assert whole.opened and whole.unopened == ["KDMP02"] and whole.balanced
    assert whole.as_dict()["outlets_without_opening"] == ["KDMP02"]
    assert book_sheets.neraca_sheet(whole).notes[0] == (
        "Belum ada saldo awal gerai KDMP02 per 31-12-2026: neraca gabungan menghitung jurnal gerai "
        "itu saja, sehingga kas dan persediaan bisa tampak minus. Impor saldo awalnya di halaman "
        "Saldo awal.")
    assert kdmp01.unopened == [] and book_sheets.neraca_sheet(kdmp01).notes == []
    with hub_db.transaction() as s:   # the cooperative's own saldo awal holds every outlet
        opening.import_file(s, "saldo.csv", OPENING_CSV, NOV1)
    with hub_db.reading() as s:
        assert statements.neraca(s, WHOLE).unopened == []


def test_the_general_ledger_runs_from_the_opening_balance(hub_db, opened):
    with hub_db.reading() as s:
        kas = journal_book.general_ledger(s, Period(DEC1, DEC31), "111000")
        sales = journal_book.general_ledger(s, Period(DEC1, DEC31), "411100")
    assert kas.opening == 1_000_000 + 375_000 and kas.name == "Kas tunai"
    assert [(r.day, r.outlet, r.debit, r.credit, r.balance) for r in kas.rows] == [
        (DEC1, "KDMP01", 210_500, 6_000, 1_579_500)]
    assert kas.closing == 1_579_500
    assert sales.opening == 0 and sales.closing == 5_000


def test_an_unknown_outlet_and_a_backwards_period_are_refused(hub_db):
    with hub_db.reading() as s, pytest.raises(PosError, match="tidak terdaftar"):
        accounts.check_outlet(s, "KDMP99")
    with pytest.raises(PosError, match="Tanggal awal"):
        Period(DEC1, NOV1)


def test_a_units_name_is_written_as_the_trial_balance_writes_it():
    """The PHU said "Umkm" where the trial balance says "UMKM"."""
    assert [statements.UnitResult(u).label for u in ("umkm", "sembako", "lainnya", "")] == [
        "UMKM", "Sembako", "Lainnya", "Tanpa unit"]


def test_a_saldo_awal_inside_the_period_is_a_row_and_the_ledger_closes_as_the_neraca(hub_db, pushed):
    """Dated 01-12, inside November-December: the ledger left it out (Saldo awal Rp0) and closed
    millions away from the neraca's Kas."""
    with hub_db.transaction() as s:
        opening.import_file(s, "saldo.csv", OPENING_CSV, DEC1)
    with hub_db.reading() as s:
        kas = journal_book.general_ledger(s, WHOLE, "111000")
        position = statements.neraca(s, WHOLE)
    assert kas.opening == 0
    assert [(r.day, r.opening) for r in kas.rows][:2] == [(DEC1, True), (DEC1, False)]
    assert kas.rows[0].debit == 1_000_000
    assert kas.closing == next(v for a, _, v in position.assets if a == "111000")


def test_a_saldo_awal_after_the_period_takes_nothing_from_it(hub_db, pushed):
    """Dated 01-01-2027: the year 2026's PHU and neraca read zero while its trial balance and
    SHU kept the figures."""
    with hub_db.reading() as s:
        before = statements.phu(s, WHOLE).shu, statements.neraca(s, WHOLE).total_assets
    with hub_db.transaction() as s:
        opening.import_file(s, "saldo.csv", OPENING_CSV, date(2027, 1, 1))
    with hub_db.reading() as s:
        assert (statements.phu(s, WHOLE).shu, statements.neraca(s, WHOLE).total_assets) == before
        assert before[0] == SHU
        kas = journal_book.general_ledger(s, WHOLE, "111000")
        assert kas.closing == 375_000 + 210_500 - 6_000 and not any(r.opening for r in kas.rows)
