"""``pos ledger-hub books``, ``opening import`` and ``operator add`` on the hub's database."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from pos.hardware.fakes import RecordingPrinter
from pos.ledger_hub import operators
from pos.ledger_hub.models import HubOpeningLine
from pos.ledger_hub.sheets import read_xlsx
from tests.conftest import build_app
from tests.ledger_hub.books_data import ASSETS, OPENING_CSV, SHU, push_all

PERIOD = ["--from", "2026-11-01", "--to", "2026-12-31"]


@pytest.fixture
def runner(tmp_path, hub_url):
    app = build_app(tmp_path, f"sqlite:///{tmp_path / 'pos.db'}", RecordingPrinter(columns=32),
                    LEDGER_DATABASE_URL=hub_url, CLI=True)
    return app.test_cli_runner()


@pytest.fixture
def pushed(hub_client, creds, other):
    push_all(hub_client, creds, other)


def test_books_phu_and_neraca_as_json(runner, pushed, tmp_path):
    (tmp_path / "saldo.csv").write_bytes(OPENING_CSV)
    done = runner.invoke(args=["ledger-hub", "opening", "import", str(tmp_path / "saldo.csv"),
                               "--date", "2026-11-01"])
    assert done.exit_code == 0 and "Saldo awal koperasi per 01-11-2026: 6 akun" in done.output
    phu = json.loads(runner.invoke(args=["ledger-hub", "books", "phu", *PERIOD, "--json"]).output)
    assert phu["shu"] == SHU and phu["revenue"] - phu["cogs"] - phu["expense"] + phu["other"] == SHU
    assert {u["unit"]: u["sales_member"] for u in phu["units"]} == {"pupuk": 150_000, "sembako": 340_000}
    neraca = json.loads(runner.invoke(args=["ledger-hub", "books", "neraca", *PERIOD, "--json"]).output)
    assert neraca["balanced"] and neraca["total_assets"] == ASSETS and neraca["shu_period"] == SHU
    assert neraca["total_assets"] == neraca["total_liabilities"] + neraca["total_equity"]
    one = json.loads(runner.invoke(args=["ledger-hub", "books", "phu", *PERIOD, "--outlet", "KDMP02",
                                         "--json"]).output)
    assert one["shu"] == 300_000 and one["outlet"] == "KDMP02"


def test_books_ledger_text_and_xlsx(runner, pushed, tmp_path):
    target = tmp_path / "kas.xlsx"
    result = runner.invoke(args=["ledger-hub", "books", "ledger", *PERIOD, "--account", "111000",
                                 "--xlsx", str(target)])
    assert result.exit_code == 0, result.output
    assert "Buku besar 111000 Kas tunai" in result.output and "Rp579.500" in result.output
    rows = read_xlsx(target.read_bytes())
    assert rows[0][:1] == ["Saldo awal"] and rows[-1] == ["Saldo akhir", None, 585_500, 6_000, 579_500]
    asked = runner.invoke(args=["ledger-hub", "books", "ledger", *PERIOD])
    assert asked.exit_code == 2 and "--account" in asked.output
    for args in (["--account", "abc"], ["--account", "abc", "--json"], ["--account", "999999"]):
        target.unlink(missing_ok=True)
        refused = runner.invoke(args=["ledger-hub", "books", "ledger", *PERIOD, *args, "--xlsx", str(target)])
        # as the screen refuses it (404), not an empty book
        assert refused.exit_code == 1, (args, refused.output)
        assert f"Galat: Akun {args[1]} tidak ada di bagan akun hub; pilih dari daftar." in refused.output
        assert "Buku besar abc" not in refused.output and not target.exists()
    text = runner.invoke(args=["ledger-hub", "books", "neraca", *PERIOD])
    assert "Neraca seimbang." in text.output
    unknown = runner.invoke(args=["ledger-hub", "books", "phu", "--outlet", "KDMP99"])
    assert unknown.exit_code == 1 and "tidak terdaftar" in unknown.output


def test_opening_import_is_all_or_nothing(runner, hub_db, tmp_path, creds):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"account,name,debit,credit\n111000,Kas,1000,0\n411100,Jual,0,1000\n")
    result = runner.invoke(args=["ledger-hub", "opening", "import", str(bad), "--date", "2026-11-01"])
    assert result.exit_code == 1 and "bukan akun neraca" in result.output
    assert "tidak ada yang berubah" in result.output
    good = tmp_path / "saldo.csv"
    good.write_bytes(OPENING_CSV)
    elsewhere = runner.invoke(args=["ledger-hub", "opening", "import", str(good), "--date", "2026-11-01",
                                    "--outlet", "KDMP99"])
    assert elsewhere.exit_code == 1 and "tidak terdaftar" in elsewhere.output
    with hub_db.reading() as s:
        assert s.scalar(select(func.count()).select_from(HubOpeningLine)) == 0
    ok = runner.invoke(args=["ledger-hub", "opening", "import", str(good), "--date", "2026-11-01",
                             "--outlet", "KDMP01"])
    assert ok.exit_code == 0 and "gerai KDMP01" in ok.output


def test_opening_import_with_neither_header_set_names_the_columns_it_found(runner, hub_db, tmp_path):
    """The bracket listed the columns asked for, not those in the file, and not the Indonesian
    names the import takes too."""
    other = tmp_path / "lain.csv"
    other.write_bytes(b"Kode Akun,Uraian,,Saldo\n111000,Kas,,1000\n")
    result = runner.invoke(args=["ledger-hub", "opening", "import", str(other), "--date", "2026-11-01"])
    assert result.exit_code == 1
    assert "Kolom wajib tidak ada: account, name, debit, credit (kolom di berkas: Kode Akun, Uraian, " \
           "(kosong), Saldo; tulis account, name, debit, credit, atau akun, nama, debit, kredit)." \
        in result.output, result.output
    with hub_db.reading() as s:
        assert s.scalar(select(func.count()).select_from(HubOpeningLine)) == 0


def test_operator_add_generates_or_takes_a_password(runner, hub_db):
    made = runner.invoke(args=["ledger-hub", "operator", "add", "siti"])
    assert made.exit_code == 0 and "Operator siti terdaftar." in made.output
    password = next(line.split(": ", 1)[1] for line in made.output.splitlines()
                    if line.startswith("Kata sandi: "))
    given = runner.invoke(args=["ledger-hub", "operator", "add", "budi", "--password", "rahasia-budi"])
    assert given.exit_code == 0 and "Kata sandi:" not in given.output
    again = runner.invoke(args=["ledger-hub", "operator", "add", "budi", "--password", "rahasia-budi"])
    assert again.exit_code == 1 and "sudah terdaftar" in again.output
    with hub_db.reading() as s:
        assert operators.authenticate(s, "siti", password) is not None
        assert operators.authenticate(s, "budi", "rahasia-budi") is not None


def test_without_dates_the_books_end_on_today_in_wib(runner, pushed, monkeypatch):
    """At 01:00 WIB on 05-12 the UTC date is still 04-12: the books ended on yesterday and left
    out the day just pushed (the screen and the command alike)."""
    from datetime import datetime

    from pos.ledger_hub import books_views, cli

    moment = datetime(2026, 12, 4, 18, 0)            # 01:00 WIB on 05-12-2026
    monkeypatch.setattr(cli, "utcnow", lambda: moment)
    monkeypatch.setattr(books_views, "utcnow", lambda: moment)
    shown = json.loads(runner.invoke(args=["ledger-hub", "books", "phu", "--json"]).output)
    assert (shown["from"], shown["to"]) == ("2026-01-01", "2026-12-05")
