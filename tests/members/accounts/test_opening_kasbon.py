"""Saldo awal kasbon: what members owed the gerai on the paper books, imported from a file; the
balance, the statement, the ageing, the counter's repayments and the day's summary count it,
and the books get it on the hub's Saldo awal (113100), never as a journal line."""
from __future__ import annotations

import io
import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from pos.clock import business_date, utcnow
from pos.days.models import BusinessDay
from pos.inventory.catalog.spreadsheets import ImportErrors, read_csv
from pos.members.accounts import credit, documents, opening_kasbon, overview, savings, statements
from pos.members.accounts.documents import Payment, Tendered
from pos.members.accounts.models import CreditEntry, DocTender, MemberCredit, OpeningKasbon
from pos.members.models import Member
from tests.factories import login, poll_until_finished

RATES = savings.Rates(pokok=100_000, wajib=10_000, wajib_ahead=12)
HEADER = "nomor,nama,kasbon,tanggal\n"


@pytest.fixture(autouse=True)
def _shift_of_today(shop_today):
    """These take money on the real day: the shop's shift is today's."""


def today() -> date:
    return business_date(utcnow(), "Asia/Makassar")


def rows_of(text: str) -> list[dict]:
    return read_csv((HEADER + text).encode(), opening_kasbon.IMPORT_COLUMNS, opening_kasbon.KEY)


def run(db, shop, text: str) -> dict:
    with db.transaction() as s:
        return opening_kasbon.import_rows(s, rows_of(text), shop["manager"])


def problems(db, shop, text: str) -> list[str]:
    with pytest.raises(ImportErrors) as refused:
        run(db, shop, text)
    return refused.value.errors


def repay(db, shop, amount: int):
    with db.transaction() as s:
        return documents.take(s, member_id=shop["member"], paid=Payment(repayment=amount),
                              tender=Tendered(DocTender.CASH), idempotency_key=str(uuid.uuid4()),
                              outlet_code="TST01", till_id=None, cashier_id=shop["cashier"], rates=RATES,
                              business_date=today(), now=utcnow())


def owed(db, member_id: int) -> tuple[int, int]:
    """(the balance row, the sum of the member's entries): always equal."""
    with db.reading() as s:
        return (s.scalar(select(MemberCredit.balance).where(MemberCredit.member_id == member_id)) or 0,
                s.scalar(select(func.coalesce(func.sum(CreditEntry.amount), 0))
                         .where(CreditEntry.member_id == member_id)))


def stored(db) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(OpeningKasbon))


def test_the_saldo_awal_is_owed_on_the_statement_and_aged_from_its_date(db, shop):
    since = today() - timedelta(days=75)
    summary = run(db, shop, f"{shop['member_no']},Daeng Baso,Rp150.000,{since:%d-%m-%Y}\n")
    assert summary["created"] == 1 and owed(db, shop["member"]) == (150_000, 150_000)
    with db.reading() as s:
        card = statements.kartu_piutang(s, shop["member"])
        rows, totals = statements.ageing(s, today())
    assert [(r.day, r.label, r.amount, r.balance) for r in card] == [
        (since, "Saldo awal kasbon (buku lama)", 150_000, 150_000)]
    assert totals["61-90"] == 150_000 and totals["balance"] == 150_000
    repay(db, shop, 40_000)                                     # repaid at the counter as any kasbon
    assert owed(db, shop["member"]) == (110_000, 110_000)
    with db.reading() as s:
        assert statements.ageing(s, today())[1]["61-90"] == 110_000


def test_without_a_date_it_is_dated_the_import_day_and_the_same_day_replaces_it(db, shop):
    n = shop["member_no"]
    run(db, shop, f"{n},,100000,\n")
    with db.reading() as s:
        assert s.scalar(select(CreditEntry.business_date)) == today()
    assert run(db, shop, f"{n},,100000,\n")["unchanged"] == 1
    repay(db, shop, 30_000)
    assert run(db, shop, f"{n},,120.000,01-02-2026\n")["updated"] == 1
    assert owed(db, shop["member"]) == (90_000, 90_000)
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(CreditEntry)) == 2   # one saldo awal, replaced
    found = problems(db, shop, f"{n},,20000,\n")                # below what was repaid since
    assert any("sudah diangsur Rp30.000 di kasir" in p for p in found), found
    assert run(db, shop, f"{n},,30000,\n")["updated"] == 1 and owed(db, shop["member"]) == (0, 0)
    repay_refused = pytest.raises(credit.CreditError, match="melebihi sisa kasbon")
    with repay_refused:
        repay(db, shop, 1)


def test_a_row_of_zero_removes_it_and_a_blank_row_is_skipped(db, shop):
    n = shop["member_no"]
    run(db, shop, f"{n},,50000,\n")
    skipped = run(db, shop, f"{n},Daeng Baso,,\n")
    assert (skipped["unchanged"], skipped["skipped"]) == (0, 1) and owed(db, shop["member"])[0] == 50_000
    assert run(db, shop, f"{n},,0,\n")["updated"] == 1
    assert owed(db, shop["member"]) == (0, 0) and stored(db) == 0


@pytest.mark.parametrize("row, message", [
    ("AGT-9999,,1000,", "anggota 'AGT-9999' tidak ditemukan"),
    (",,1000,", "nomor wajib diisi"),
    ("{n},,abc,", "kasbon tidak valid"),
    ("{n},,-5000,", "kasbon harus 0 atau lebih."),
    ("{n},,5000,31-02-2026", "Baris 2: tanggal 31-02-2026 tidak ada: Februari 2026 hanya 28 hari."),
    ("{n},,5000,kemarin", "Baris 2: tanggal 'kemarin' tidak dikenali; tulis HH-BB-TTTT"),
    ("{n},,5000,01-01-2099", "sesudah hari ini"),
    ("{n},,5000,14-01-2026", "sebelum anggota masuk (15-01-2026)"),
    ("{n},,,01-03-2026", "tanggal diisi tetapi kasbon kosong"),
    ("{n},,1,2,3", "lebih banyak kolom"),
])
def test_a_bad_row_is_named_and_nothing_is_stored(db, shop, row, message):
    found = problems(db, shop, row.format(n=shop["member_no"]) + "\n")
    assert any(message in p for p in found) and not any("bukan tanggal" in p for p in found), found
    assert found[0].startswith("Baris 2:") and stored(db) == 0 and owed(db, shop["member"]) == (0, 0)


def test_every_row_is_checked_and_none_saved_when_one_is_wrong(db, shop):
    with db.reading() as s:
        other = s.get(Member, shop["other"]).number
    found = problems(db, shop, f"{other},,10000,\n{shop['member_no']},,5000,\n{other},,1,\n")
    assert found == ["Baris 4: anggota " + other + " juga ada di baris 2."]
    assert stored(db) == 0 and owed(db, shop["other"]) == (0, 0)


def test_above_the_limit_is_saved_with_a_warning(db, shop):
    """A limit below what is owed only stops new kasbon (``credit.set_limit``): old debt is
    recorded as it was, and the import says which members can take no more."""
    with db.transaction() as s:
        credit.set_limit(s, shop["member"], 100_000, shop["manager"])
    rules = opening_kasbon.OpeningKasbonFile(today())
    rows = rows_of(f"{shop['member_no']},,250000,\n")
    with db.reading() as s:
        assert rules.validate(s, rows) == []
        notices = rules.notices(s)
    assert len(notices) == 1 and "di atas batas kasbon Rp100.000" in notices[0], notices
    with db.transaction() as s:
        summary = rules.import_rows(s, rows, shop["manager"])
    assert summary["created"] == 1 and summary["notices"] == notices
    with db.reading() as s:
        seen = overview.of(s, shop["member"], today())
    assert (seen.balance, seen.available) == (250_000, 0)


def test_a_saldo_awal_sent_with_a_closed_day_is_not_replaced(db, shop):
    run(db, shop, f"{shop['member_no']},,40000,\n")
    with db.transaction() as s:
        s.execute(OpeningKasbon.__table__.update().values(business_date=date(2026, 11, 2)))
        s.add(BusinessDay(business_date=date(2026, 11, 2), closed_by=shop["manager"], closed_at=utcnow(),
                          summary="{}", summary_hash="x" * 64))
    found = problems(db, shop, f"{shop['member_no']},,50000,\n")
    assert any("sudah terkirim bersama hari 02-11-2026" in p for p in found), found
    assert owed(db, shop["member"])[0] == 40_000


def test_the_day_says_so_and_the_journal_books_nothing_for_it(db, shop):
    """The saldo awal reaches the books on the hub's Saldo awal (113100): the day's journal has
    no line for it, only the repayment; so the members' kasbon is the opening plus the journal."""
    from pos.chart import chart
    from pos.closing import export
    from pos.ledger.journal import day_journal
    from pos.reports.day_full import full_summary
    run(db, shop, f"{shop['member_no']},,150000,\n")
    repay(db, shop, 40_000)
    with db.reading() as s:
        day = full_summary(s, today(), zone="Asia/Makassar")
        lines = day_journal(s, today(), zone="Asia/Makassar", chart=chart())
        total = s.scalar(select(func.sum(MemberCredit.balance)))
    assert day["opening_kasbon"] == {"members": 1, "amount": 150_000, "account": "113100",
                                     "name": "Piutang anggota (kasbon)"}
    rows = [(r["item"], r["count"], r["amount"]) for r in export.lines(day)
            if r["section"].startswith("Saldo awal kasbon")]
    assert rows == [("Kasbon anggota (piutang, tanpa jurnal)", 1, 150_000)]
    receivable = sum(line.debit - line.credit for line in lines if line.account == "113100")
    assert receivable == -40_000 and total == 150_000 + receivable
    assert day["member_purchases"] == []                       # old kasbon is no purchase (SHU)


def test_simkopdes_sends_it_as_neither_a_sale_nor_a_saving(db, shop):
    from pos.ledger.simkopdes import sales_rows, saving_rows
    run(db, shop, f"{shop['member_no']},,150000,\n")
    with db.reading() as s:
        assert [list(rows) for rows in sales_rows(s, today(), today(), "KOP", "Asia/Makassar")] == [[], []]
        assert saving_rows(s, today(), today(), "KOP", "Asia/Makassar") == []


def test_the_downloaded_list_imports_as_it_is(db, shop):
    since = today() - timedelta(days=10)
    run(db, shop, f"{shop['member_no']},,75000,{since:%d-%m-%Y}\n")
    with db.reading() as s:
        rows = opening_kasbon.export_rows(s)
    mine = next(r for r in rows if r["nomor"] == shop["member_no"])
    assert (mine["kasbon"], mine["tanggal"]) == (75_000, f"{since:%d-%m-%Y}") and len(rows) == 2
    with db.transaction() as s:
        summary = opening_kasbon.import_rows(s, [{**r, "_line": i + 2} for i, r in enumerate(
            {k: str(v) for k, v in row.items()} for row in rows)], shop["manager"])
    assert (summary["unchanged"], summary["skipped"]) == (1, 1) and owed(db, shop["member"])[0] == 75_000


def test_the_manager_page_downloads_the_list_and_imports_a_file(db, client, shop):
    login(client, shop["manager"], shop["till"])
    page = client.get("/kasbon/saldo-awal-kasbon").get_data(as_text=True)
    assert "Saldo awal kasbon anggota" in page and "113100" in page
    listed = client.get("/kasbon/saldo-awal-kasbon/daftar.csv")
    assert listed.get_data(as_text=True).lstrip("\ufeff").splitlines()[0] == "nomor,nama,kasbon,tanggal"
    data = (HEADER + f"{shop['member_no']},,Rp60.000,\n").encode()
    answer = client.post("/kasbon/saldo-awal-kasbon/impor", content_type="multipart/form-data",
                         data={"file": (io.BytesIO(data), "kasbon.csv"), "check_only": "1"},
                         headers={"HX-Request": "true"})
    assert "tanpa kesalahan" in poll_until_finished(client, answer.get_data(as_text=True))
    assert stored(db) == 0
    answer = client.post("/kasbon/saldo-awal-kasbon/impor", content_type="multipart/form-data",
                         data={"file": (io.BytesIO(data), "kasbon.csv")}, headers={"HX-Request": "true"})
    assert "Impor selesai" in poll_until_finished(client, answer.get_data(as_text=True))
    assert owed(db, shop["member"])[0] == 60_000
    assert "Rp60.000" in client.get("/kasbon/saldo-awal-kasbon").get_data(as_text=True)
    report = client.get("/laporan/harian").get_data(as_text=True)   # Laporan harian says it came in
    assert 'id="day-member-money-opening-kasbon"' in report and "Rp60.000" in report
    preview = client.get("/tutup-hari").get_data(as_text=True)
    assert 'id="closing-member-money-opening-kasbon"' in preview


def test_a_cashier_may_not_import_it(client, shop):
    login(client, shop["cashier"], shop["till"])
    assert client.get("/kasbon/saldo-awal-kasbon").status_code == 403


def test_the_command_imports_and_checks(db, shop, runner, tmp_path):
    path = tmp_path / "kasbon.csv"
    path.write_text(HEADER + f"{shop['member_no']},,100000,\n", encoding="utf-8")
    checked = runner.invoke(args=["members", "opening-kasbon", str(path), "--dry-run"])
    assert checked.exit_code == 0 and "diperiksa (tidak disimpan)" in checked.output and stored(db) == 0
    done = runner.invoke(args=["members", "opening-kasbon", str(path)])
    assert done.exit_code == 0 and "1 baru" in done.output and owed(db, shop["member"])[0] == 100_000
    assert "belum punya batas kasbon" in done.output              # the warning, said
    path.write_text(HEADER + "AGT-9999,,1,\n", encoding="utf-8")
    refused = runner.invoke(args=["members", "opening-kasbon", str(path)])
    assert refused.exit_code != 0 and "tidak ditemukan" in refused.output


def test_a_closed_day_is_refused_by_the_check_and_the_page_says_so(db, client, shop):
    """"Periksa saja" said the file was fine on a closed day, then the upload was refused."""
    from pos.days.service import closed_message
    with db.transaction() as s:
        s.add(BusinessDay(business_date=today(), closed_by=shop["manager"], closed_at=utcnow(),
                          summary="{}", summary_hash="x" * 64))
    with db.reading() as s:
        rules = opening_kasbon.OpeningKasbonFile(today())
        found = rules.validate(s, rows_of(f"{shop['member_no']},,5000,\n"))
    assert found == [closed_message(today())]
    login(client, shop["manager"], shop["till"])
    page = " ".join(client.get("/kasbon/saldo-awal-kasbon").get_data(as_text=True).split())
    assert 'id="import-closed"' in page and "sudah ditutup" in page and 'id="import-file"' not in page


def test_the_day_names_the_kasbon_account_the_cooperative_chose(db, client, shop, app, monkeypatch):
    """POS_LEDGER_ACCOUNTS moves the members' kasbon off 113100: Laporan harian and Tutup hari
    name the account the hub's Saldo awal must take it on (they said 113100 whatever was set)."""
    monkeypatch.setitem(app.config, "LEDGER_ACCOUNTS", {"member_receivable": ["113150", "Piutang kasbon"]})
    with db.transaction() as s:
        opening_kasbon.import_rows(s, [{"nomor": shop["member_no"], "nama": "", "kasbon": "60000",
                                        "tanggal": "", "_line": 2}], shop["manager"])
    login(client, shop["manager"], shop["till"])
    for page, id_ in (("/laporan/harian", "day"), ("/tutup-hari", "closing")):
        text = client.get(page).get_data(as_text=True)
        hint = text[text.index(f'id="{id_}-member-money-opening-kasbon"'):][:600]
        assert "masuk akun 113150 Piutang kasbon" in hint and "113100" not in hint
