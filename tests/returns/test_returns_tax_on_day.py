"""The PPN a day's returns took back (the journal's PPN keluaran retur) is on the day's screens,
so the day's PPN can be matched to the ledger: the Laporan harian and ``pos report day`` (PPN
retur, PPN setelah retur), the Tutup hari summary (with its tax classes) and its export."""
from __future__ import annotations

import json

from pos import chart as charts
from pos.closing import export
from pos.closing.summary import build
from pos.ledger.journal import day_journal
from pos.money import format_rupiah
from pos.returns.models import SaleReturn
from pos.returns.service import Wanted
from pos.sales.pricing import TaxSettings
from pos.settings import service as settings
from tests.factories import login
from tests.returns.conftest import DAY, SOAP, give_back, line_ids, manager, sell
from tests.returns.test_rounding import odd

PKP = TaxSettings(pkp=True, rate_bp=1100, inclusive=True)


def test_the_day_shows_the_ppn_its_returns_took_back(db, client, shop):
    with db.transaction() as s:
        settings.put_pkp(s, True, shop["manager"])
    sale = sell(db, shop, (SOAP, 4), tax=PKP)                      # Rp12.000 with its PPN inside
    back = give_back(db, manager(shop), sale.id, Wanted(line_ids(db, sale.id)[0], 1))
    with db.reading() as s:
        taken = s.get(SaleReturn, back.id).tax_total
    assert taken > 0
    app = client.application
    report = json.loads(app.test_cli_runner().invoke(
        args=["report", "day", "--date", DAY.isoformat(), "--json"]).output)
    assert report["returns"]["tax"] == taken and report["tax"] == sale.tax
    with db.reading() as s:   # the journal's PPN keluaran is the day's PPN less what returns took back
        journal = day_journal(s, DAY, zone="Asia/Makassar", chart=charts.chart())
        summary = build(s, DAY, zone="Asia/Makassar", outlet_pkp=True)
    ppn = [line for line in journal if line.account == charts.chart()("ppn_out")[0]]
    assert report["tax"] - report["returns"]["tax"] == sum(x.credit - x.debit for x in ppn)
    login(client, shop["manager"], shop["till"])
    page = " ".join(client.get(f"/laporan/harian?tanggal={DAY:%d-%m-%Y}").get_data(as_text=True).split())
    assert f'<dt>PPN retur</dt><dd id="day-returns-tax">{format_rupiah(-taken)}</dd>' in page
    assert f'id="day-net-tax">{format_rupiah(sale.tax - taken)}<' in page
    said = app.test_cli_runner().invoke(args=["report", "day", "--date", DAY.isoformat()]).output
    assert (f"  PPN retur {format_rupiah(-taken)}, PPN setelah retur "
            f"{format_rupiah(sale.tax - taken)}") in said.splitlines()
    closing = " ".join(client.get(f"/tutup-hari?tanggal={DAY:%d-%m-%Y}").get_data(as_text=True).split())
    assert f'id="closing-returns-tax">{format_rupiah(-taken)}<' in closing
    assert 'id="closing-tax-classes"' in closing and "Pajak per kelas" in closing
    assert {"section": "Retur", "item": "PPN retur", "count": None,
            "amount": -taken} in export.lines(summary)


def test_the_closing_card_and_the_day_report_name_one_figure_as_retur(db, client, shop):
    """"Retur (1)" read Rp3.450 on Tutup hari and Rp3.500 on the Laporan harian: the goods' worth
    on one, the money paid back (its cash rounding in) on the other."""
    code = odd(db)
    sale = sell(db, shop, (code, 3), cash_rounding=100)              # Rp3.450, paid Rp3.500
    give_back(db, manager(shop), sale.id, Wanted(line_ids(db, sale.id)[0], 3), cash_rounding=100)
    login(client, shop["manager"], shop["till"])
    day = " ".join(client.get(f"/laporan/harian?tanggal={DAY:%d-%m-%Y}").get_data(as_text=True).split())
    closing = " ".join(client.get(f"/tutup-hari?tanggal={DAY:%d-%m-%Y}").get_data(as_text=True).split())
    assert '<dd id="day-returns">Rp3.500</dd>' in day
    assert '<dd id="closing-returns">Rp3.500</dd>' in closing
    assert 'id="closing-returns-rounding">barang Rp3.450, pembulatan Rp50<' in closing
