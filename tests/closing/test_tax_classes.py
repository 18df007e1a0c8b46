"""A PKP day's *Pajak per kelas* (tax base and PPN per tax class): one name per class wherever
the table is shown (Laporan harian, the Tutup hari preview, Ringkasan hari, ``pos report day``)."""
from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook

from pos.days.models import BusinessDay
from pos.sales.pricing import TaxSettings
from pos.settings import service as settings
from tests.closing.conftest import DAY, SOAP, close_shifts, sell_on
from tests.closing.test_views import cells
from tests.factories import csv_rows, login, make_product, pdf_text

ISO = DAY.isoformat()
PKP = TaxSettings(pkp=True, rate_bp=1100, inclusive=True)
RICE = "8990000700043"
PPN_LABEL = "PPN 12% (DPP nilai lain 11/12)"   # POS_TAX_STATUTORY_RATE_BP, POS_TAX_DPP_* by default


@pytest.fixture
def rice(db, shop):
    """Rice (Bebas PPN) at Rp70.000, and the outlet PKP."""
    with db.transaction() as s:
        make_product(s, name="Beras 5 kg", price=70_000, cost=60_000, tax_class="bebas",
                     barcodes_=[RICE])
        settings.put_pkp(s, True, shop["manager"])


def _first_cells(html: str, table_id: str) -> list[str]:
    return sorted(row[0] for row in cells(html, table_id)[1:])


def test_every_screen_names_the_ppn_class_alike(client, db, shop, rice):
    """The Laporan harian said "PPN 12% (DPP nilai lain 11/12)", the Tutup hari preview and
    Ringkasan hari "PPN", ``pos report day`` "PPN" too: one class, three names."""
    sell_on(db, shop, (SOAP, 4), (RICE, 1), tax=PKP)
    login(client, shop["manager"], shift=False)
    day = client.get(f"/laporan/harian?tanggal={DAY:%d-%m-%Y}").get_data(as_text=True)
    assert _first_cells(day, "day-tax-classes") == ["Bebas PPN", PPN_LABEL]
    preview = client.get(f"/tutup-hari?tanggal={DAY:%d-%m-%Y}").get_data(as_text=True)
    assert _first_cells(preview, "closing-tax-classes") == ["Bebas PPN", PPN_LABEL]
    said = client.application.test_cli_runner().invoke(args=["report", "day", "--date", ISO]).output
    assert any(line.strip().startswith(f"{PPN_LABEL} DPP ") for line in said.splitlines()), said
    close_shifts(db, shop)
    client.post(f"/tutup-hari/{ISO}/tutup", data={"yakin": "1"})
    summary = client.get(f"/tutup-hari/{ISO}").get_data(as_text=True)
    assert _first_cells(summary, "closing-tax-classes") == ["Bebas PPN", PPN_LABEL]


def _closed(client, db, shop) -> dict:
    """Close DAY's shifts and the day at the Tutup hari screen; its stored summary."""
    close_shifts(db, shop)
    login(client, shop["manager"], shift=False)
    client.post(f"/tutup-hari/{ISO}/tutup", data={"yakin": "1"})
    with db.reading() as s:
        return json.loads(s.get(BusinessDay, DAY).summary)


def test_the_closed_days_files_carry_the_tax_per_class(client, db, shop, rice):
    """The screen showed Pajak per kelas (sales, DPP, PPN per class); the CSV, XLSX and PDF of
    the day had only PPN and PPN retur."""
    sell_on(db, shop, (SOAP, 4), (RICE, 1), tax=PKP)
    classes = _closed(client, db, shop)["tax_classes"]
    ppn, bebas = classes["ppn"], classes["bebas"]
    assert (ppn["amount"], bebas["amount"], bebas["tax"]) == (12_000, 70_000, 0)
    want = [[PPN_LABEL + ": penjualan", str(ppn["amount"])], [PPN_LABEL + ": DPP", str(ppn["dpp"])],
            [PPN_LABEL + ": PPN", str(ppn["tax"])], ["Bebas PPN: penjualan", "70000"],
            ["Bebas PPN: DPP", "70000"], ["Bebas PPN: PPN", "0"]]
    rows = csv_rows(client.get(f"/tutup-hari/{ISO}?unduh=csv"))
    assert [[r[1], r[3]] for r in rows if r[0] == "Pajak per kelas"] == want
    book = load_workbook(io.BytesIO(client.get(f"/tutup-hari/{ISO}?unduh=xlsx").data))
    sheet = [[c.value for c in r] for r in book.active.iter_rows()]
    assert [[r[1], str(r[3])] for r in sheet if r[0] == "Pajak per kelas"] == want
    text = pdf_text(client.get(f"/tutup-hari/{ISO}?unduh=pdf").data).replace("\\(", "(").replace("\\)", ")")
    assert "(Pajak per kelas)" in text and f"({PPN_LABEL}: DPP)" in text and "(Bebas PPN: PPN)" in text


def test_a_day_that_was_not_pkp_has_no_tax_classes_in_its_files(client, db, shop):
    sell_on(db, shop, (SOAP, 4))
    assert _closed(client, db, shop)["pkp"] is False
    rows = csv_rows(client.get(f"/tutup-hari/{ISO}?unduh=csv"))
    assert not [r for r in rows if r[0] == "Pajak per kelas"]


def test_a_day_with_sales_before_the_outlet_became_pkp_adds_up_in_its_tax_table(client, db, shop, rice):
    """The PKP setting switched on mid-day: the sales made before it were left out of Pajak per
    kelas, so its sales did not add up to the day's goods; they are now a row of their own."""
    sell_on(db, shop, (SOAP, 2))                                 # Rp6.000 before the switch
    sell_on(db, shop, (SOAP, 4), (RICE, 1), tax=PKP)
    name = "Tidak dipungut (bukan PKP)"
    runner = client.application.test_cli_runner()
    live = json.loads(runner.invoke(args=["report", "day", "--date", ISO, "--json"]).output)
    assert live["tax_classes"]["bukan_pkp"] == {"amount": 6_000, "dpp": 0, "tax": 0}
    assert (sum(row["amount"] for row in live["tax_classes"].values())
            == sum(unit["amount"] for unit in live["business_units"].values()) == 88_000)
    login(client, shop["manager"], shift=False)
    day = client.get(f"/laporan/harian?tanggal={DAY:%d-%m-%Y}").get_data(as_text=True)
    assert cells(day, "day-tax-classes")[1:] == [
        [PPN_LABEL, "Rp12.000", "Rp9.910", "Rp1.189"], ["Bebas PPN", "Rp70.000", "Rp70.000", "Rp0"],
        [name, "Rp6.000", "Rp0", "Rp0"]]
    preview = client.get(f"/tutup-hari?tanggal={DAY:%d-%m-%Y}").get_data(as_text=True)
    assert cells(preview, "closing-tax-classes")[1:] == cells(day, "day-tax-classes")[1:]
    said = runner.invoke(args=["report", "day", "--date", ISO]).output
    assert any(line.strip().startswith(f"{name} DPP Rp0") for line in said.splitlines()), said
    assert _closed(client, db, shop)["tax_classes"] == live["tax_classes"]
    summary = client.get(f"/tutup-hari/{ISO}").get_data(as_text=True)
    assert cells(summary, "closing-tax-classes")[1:] == cells(day, "day-tax-classes")[1:]
    rows = csv_rows(client.get(f"/tutup-hari/{ISO}?unduh=csv"))
    assert [[r[1], r[3]] for r in rows if r[0] == "Pajak per kelas"][-3:] == [
        [f"{name}: penjualan", "6000"], [f"{name}: DPP", "0"], [f"{name}: PPN", "0"]]


def test_a_day_of_a_non_pkp_outlet_has_no_tax_table(client, db, shop):
    sell_on(db, shop, (SOAP, 2))
    live = json.loads(client.application.test_cli_runner().invoke(
        args=["report", "day", "--date", ISO, "--json"]).output)
    assert (live["pkp"], live["tax_classes"]) == (False, {})
