"""A PKP outlet's Laporan X and Z state the PPN of the shift's sales and of its returns (every sale
stores its ``tax``): on screen, on paper, in CSV/XLSX/PDF and ``pos shift show --json``; a
non-PKP outlet's say nothing of PPN."""
from __future__ import annotations

import io
import json

from openpyxl import load_workbook

from pos.money import format_rupiah
from pos.reports import shift_report
from pos.returns.models import SaleReturn
from pos.returns.service import Wanted
from pos.sales.pricing import TaxSettings
from pos.shifts import zreport, zreport_text
from tests.factories import csv_rows, login, pdf_text
from tests.returns.conftest import SOAP, give_back, line_ids, manager, sell, shop  # noqa: F401

PKP = TaxSettings(pkp=True, rate_bp=1100, inclusive=True)
ZONE = "Asia/Makassar"


def _report(db, shift_id: int) -> zreport.ZReport:
    with db.reading() as s:
        return zreport.build(s, shift_id)


def test_a_pkp_shift_states_the_ppn_of_its_sales_and_returns(db, client, shop):  # noqa: F811
    sale = sell(db, shop, (SOAP, 4), tax=PKP)                     # Rp12.000, its PPN inside
    back = give_back(db, manager(shop), sale.id, Wanted(line_ids(db, sale.id)[0], 1))
    with db.reading() as s:
        returned = s.get(SaleReturn, back.id)
        taken, shift = returned.tax_total, returned.shift_id
    assert sale.tax > taken > 0 and shift == sale.shift_id
    z = _report(db, shift)
    assert z.as_json()["tax"] == sale.tax and z.as_json()["returns_tax"] == taken
    paper = zreport_text.lines(z, outlet_name="Gerai Uji", timezone=ZONE, columns=32)
    assert any(x.startswith("PPN dalam penjualan") and x.endswith(format_rupiah(sale.tax)) for x in paper)
    assert any(x.startswith("PPN retur") and x.endswith(format_rupiah(-taken)) for x in paper)
    rows = {r["keterangan"]: r["jumlah"] for r in shift_report.rows(z, ZONE) if r["bagian"] == "Penjualan"}
    assert (rows["PPN dalam penjualan"], rows["PPN retur"]) == (sale.tax, -taken)
    login(client, shop["manager"], shop["till"])
    page = " ".join(client.get(f"/shift/{shift}").get_data(as_text=True).split())
    assert f'id="sales-tax">{format_rupiah(sale.tax)}<' in page
    assert f'id="returns-tax">{format_rupiah(-taken)}<' in page
    written = [(r[1], r[3]) for r in csv_rows(client.get(f"/shift/{shift}/laporan.csv"))
               if r[0] == "Penjualan"]
    assert ("PPN dalam penjualan", str(sale.tax)) in written and ("PPN retur", str(-taken)) in written
    book = load_workbook(io.BytesIO(client.get(f"/shift/{shift}/laporan.xlsx").data))
    assert ["PPN retur", -taken] in [[r[1].value, r[3].value] for r in book.active.iter_rows()]
    assert "(PPN dalam penjualan)" in pdf_text(client.get(f"/shift/{shift}/laporan.pdf").data)
    shown = json.loads(client.application.test_cli_runner().invoke(
        args=["shift", "show", str(shift), "--json"]).output)
    assert (shown["tax"], shown["returns_tax"]) == (sale.tax, taken)


def test_a_non_pkp_shift_says_nothing_of_ppn(db, client, shop):  # noqa: F811
    sale = sell(db, shop, (SOAP, 4))
    give_back(db, manager(shop), sale.id, Wanted(line_ids(db, sale.id)[0], 1))
    z = _report(db, sale.shift_id)
    paper = zreport_text.lines(z, outlet_name="Gerai Uji", timezone=ZONE, columns=32)
    assert not [x for x in paper if "PPN" in x]
    assert not [r for r in shift_report.rows(z, ZONE) if "PPN" in r["keterangan"]]
    login(client, shop["manager"], shop["till"])
    page = client.get(f"/shift/{sale.shift_id}").get_data(as_text=True)
    assert "PPN" not in page and 'id="sales-tax"' not in page
