"""``pos ledger-hub report`` names what an outlet brought from its paper books on a day
(``opening_stock``, ``opening_kasbon``, ``opening_savings``), each on the account the
bookkeeper enters on the hub's Saldo awal; a day without them shows nothing of it."""
from __future__ import annotations

import json

import pytest

from pos.hardware.fakes import RecordingPrinter
from pos.ledger_hub import outlet_opening
from tests.conftest import build_app
from tests.ledger_hub.helpers import document, push

OPENINGS = {
    "opening_stock": {"products": 3, "value": 849_500, "units": [
        {"unit": "sembako", "account": "114110", "name": "Persediaan Sembako", "products": 2,
         "value": 789_500},
        {"unit": "apotek", "account": "114130", "name": "Persediaan Apotek", "products": 1,
         "value": 60_000}]},
    "opening_kasbon": {"members": 2, "amount": 175_000},
    "opening_savings": {"members": 3, "pokok": 300_000, "wajib": 450_000, "sukarela": 125_000},
}


@pytest.fixture
def opened(hub_client, creds):
    """KDMP01: 30-11 a day with the paper books' figures, 01-12 an old summary without them."""
    day = document()
    day["summary"].update(OPENINGS)
    day = document(summary=day["summary"])
    assert push(hub_client, creds, day).status_code == 201
    assert push(hub_client, creds, document(day="2026-12-01")).status_code == 201
    return day


def report(runner, day: str, *more: str):
    result = runner.invoke(args=["ledger-hub", "report", "--outlet", "KDMP01", "--date", day, *more])
    assert result.exit_code == 0, result.output
    return result.output


def test_report_says_what_to_enter_on_the_saldo_awal(hub_runner, opened):
    text = report(hub_runner, "30-11-2026")
    line = next(line for line in text.splitlines() if "Saldo awal dari buku lama" in line)
    assert line.strip() == (
        "Saldo awal dari buku lama (isi di Saldo awal hub): Persediaan 114110 Rp789.500, "
        "114130 Rp60.000; Piutang anggota 113100 Rp175.000; Simpanan pokok 311000 Rp300.000, "
        "wajib 312000 Rp450.000, sukarela 213100 Rp125.000")
    data = json.loads(report(hub_runner, "2026-11-30", "--json"))
    for key, value in OPENINGS.items():
        assert data[key] == value
    assert data["opening_balances"] == [
        {"account": "114110", "name": "Persediaan Sembako", "amount": 789_500},
        {"account": "114130", "name": "Persediaan Apotek", "amount": 60_000},
        {"account": "113100", "name": "Piutang anggota (kasbon)", "amount": 175_000},
        {"account": "311000", "name": "Simpanan pokok", "amount": 300_000},
        {"account": "312000", "name": "Simpanan wajib", "amount": 450_000},
        {"account": "213100", "name": "Simpanan sukarela anggota", "amount": 125_000}]


def test_an_old_summary_shows_nothing_of_it(hub_runner, opened):
    assert "buku lama" not in report(hub_runner, "01-12-2026")
    data = json.loads(report(hub_runner, "2026-12-01", "--json"))
    assert data["opening_balances"] == [] and data["opening_kasbon"] is None


def test_the_hubs_chart_names_the_accounts(tmp_path, hub_url, opened):
    """POS_LEDGER_ACCOUNTS of the hub moves kasbon and wajib; a day closed before the units
    were given has only the stock's total."""
    app = build_app(tmp_path, f"sqlite:///{tmp_path / 'pos.db'}", RecordingPrinter(columns=32),
                    LEDGER_DATABASE_URL=hub_url, CLI=True,
                    LEDGER_ACCOUNTS={"member_receivable": ["113900", "Piutang kasbon"],
                                     "savings:wajib": ["312500", "Simpanan wajib anggota"]})
    text = report(app.test_cli_runner(), "30-11-2026")
    assert "Piutang anggota 113900 Rp175.000" in text and "wajib 312500 Rp450.000" in text


def test_a_day_closed_before_the_units_gives_the_stocks_total():
    summary = {"opening_stock": {"products": 2, "value": 90_000},
               "opening_kasbon": {"members": 0, "amount": 0},
               "opening_savings": {"members": 1, "pokok": 0, "wajib": 50_000, "sukarela": 0}}
    assert outlet_opening.note(summary) == (
        "Saldo awal dari buku lama (isi di Saldo awal hub): "
        "Persediaan (semua unit) Rp90.000; Simpanan wajib 312000 Rp50.000")
    assert outlet_opening.note({"opening_stock": {"products": 0, "value": 0}}) is None


def test_the_hubs_opening_accounts_are_the_outlets_chart():
    """The hub names the kasbon and savings accounts from the outlets' default chart."""
    from pos import chart
    from pos.ledger_hub import outlet_opening

    for role in outlet_opening.ROLES:
        assert chart.DEFAULT[role][0] == outlet_opening.account(role, None)[0], role
