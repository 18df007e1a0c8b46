"""The hub's Saldo awal page and ``opening import --help`` say which accounts the outlets'
imports (stok awal, saldo awal kasbon, saldo awal simpanan) go on, that the rest balances on
equity, and what the date means: the journal counts from that date on."""
from __future__ import annotations

import re

from tests.ledger_hub.web_helpers import sign_in

GUIDE = ("114110", "113100", "311000", "312000", "213100", "ekuitas", "mulai tanggal itu",
         "Saldo awal dari buku lama")


def test_the_opening_page_guides_the_bookkeeper(hub_client, hub_db):
    sign_in(hub_client, hub_db)
    page = hub_client.get("/buku/saldo-awal")
    hint = re.sub(r"<[^>]+>|\s+", " ", page.text)
    for words in GUIDE:
        assert words in hint, words


def test_the_hubs_chart_names_the_accounts_on_the_page(hub_app, hub_client, hub_db):
    hub_app.config["LEDGER_ACCOUNTS"] = {"member_receivable": ["113900", "Piutang kasbon"]}
    sign_in(hub_client, hub_db)
    page = hub_client.get("/buku/saldo-awal")
    assert "113900 Piutang kasbon" in page.text and "113100" not in page.text


def test_the_import_command_help_guides_too(hub_runner):
    text = re.sub(r"\s+", " ", hub_runner.invoke(args=["ledger-hub", "opening", "import", "--help"]).output)
    for words in GUIDE:
        assert words in text, words
