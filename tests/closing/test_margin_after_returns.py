"""The day's gross margin after the returns booked that day, as the ledger journal books it, on
Laporan harian, the Tutup hari summary, its CSV/XLSX/PDF and ``pos report day``; the closed
day's exports carry Total setelah retur and show deductions negative, as the screens do.

Laba kotor was the sales' margin alone: a day with Rp65.000 returned (cost Rp53.999 back on the
shelf, Rp2.904 written off) showed Rp18.606 where the journal booked about Rp4.700."""
from __future__ import annotations

import io
import json

from openpyxl import load_workbook

from pos import chart as charts
from pos.closing import export
from pos.ledger.journal import day_journal
from pos.reports.day import day_summary
from pos.returns.service import Wanted
from tests.closing.conftest import (
    DAY,
    MEDICINE,
    NOW,
    SOAP,
    cashier,
    close,
    close_shifts,
    give_back,
    line_ids,
    sell_on,
)
from tests.factories import csv_rows, login, pdf_text

ZONE = "Asia/Makassar"


def worked_day(db, shop) -> None:
    """Five soaps (Rp3.000, cost Rp2.000) and a medicine (Rp5.000, cost Rp3.000) sold in cash:
    margin Rp7.000. One soap back on the shelf and the medicine returned damaged: Rp8.000 back,
    cost Rp5.000 back into stock of which Rp3.000 written off: margin after returns Rp1.000."""
    sale = sell_on(db, shop, (SOAP, 5), (MEDICINE, 1))
    soap, medicine = line_ids(db, sale.id)
    give_back(db, cashier(shop, shop["manager"]), sale.id, Wanted(soap, 1),
              Wanted(medicine, 1, restock=False), now=NOW)


def journal_margin(session) -> int:
    """Revenue less discounts, cost of goods sold and goods written off, from the journal."""
    total = 0
    for line in day_journal(session, DAY, zone=ZONE, chart=charts.chart()):
        if line.account[0] in "45" or line.account == "690100":
            total += line.credit - line.debit
    return total


def test_the_margin_after_returns_is_the_journals(db, shop):
    worked_day(db, shop)
    with db.reading() as s:
        summary = day_summary(s, DAY)
        assert summary["margin"] == 7_000   # the sales' own, as before
        assert summary["returned_goods"] == {"revenue": 8_000, "cost": 5_000, "written_off": 3_000}
        assert summary["margin_after_returns"] == 1_000 == journal_margin(s)


def test_the_screens_the_exports_and_the_cli_show_it(db, shop, client, runner):
    worked_day(db, shop)
    login(client, shop["manager"], shift=False)
    page = client.get("/laporan/harian?tanggal=20-11-2026").get_data(as_text=True)
    assert "Laba kotor setelah retur" in page and 'id="day-margin">Rp1.000<' in page
    assert "penjualan Rp7.000" in page and "rusak dihapus -Rp3.000" in page
    preview = client.get("/tutup-hari?tanggal=20-11-2026").get_data(as_text=True)
    assert 'id="closing-margin">Rp1.000<' in preview and 'id="closing-net">Rp12.000<' in preview
    text = runner.invoke(args=["report", "day", "--date", "2026-11-20"]).output
    assert "laba kotor penjualan Rp7.000" in text and "laba kotor setelah retur Rp1.000" in text
    close_shifts(db, shop)
    close(db, shop)
    stored = json.loads(runner.invoke(args=["report", "day", "--date", "2026-11-20", "--json"]).output)
    assert stored["margin"] == 7_000 and stored["margin_after_returns"] == 1_000
    assert "laba kotor setelah retur Rp1.000" in runner.invoke(
        args=["report", "day", "--date", "2026-11-20"]).output

    found = {(r[0], r[1]): r[3] for r in csv_rows(client.get("/tutup-hari/2026-11-20?unduh=csv"))[1:]}
    assert found[("Penjualan", "Laba kotor penjualan (sebelum retur)")] == "7000"
    assert found[("Penjualan", "Retur: nilai barang tanpa PPN")] == "-8000"
    assert found[("Penjualan", "Retur: barang rusak dihapus")] == "-3000"
    assert found[("Penjualan", "Laba kotor setelah retur")] == "1000"
    assert found[("Retur", "Total setelah retur")] == "12000"
    assert found[("Retur", "Dikembalikan lewat Tunai")] == "-8000"   # money paid out
    book = load_workbook(io.BytesIO(client.get("/tutup-hari/2026-11-20?unduh=xlsx").data))
    cells = {(r[0], r[1]): r[3] for r in book.active.iter_rows(min_row=2, values_only=True)}
    assert cells[("Penjualan", "Laba kotor setelah retur")] == 1_000
    assert cells[("Retur", "Total setelah retur")] == 12_000
    assert cells[("Penjualan", "Transaksi selesai")] == 20_000
    pdf = pdf_text(client.get("/tutup-hari/2026-11-20?unduh=pdf").data)
    assert "Laba kotor setelah retur" in pdf and "Total setelah retur" in pdf
    page = client.get("/tutup-hari/2026-11-20").get_data(as_text=True)
    assert 'id="closing-net">Rp12.000<' in page and "Laba kotor setelah retur" in page


def test_deductions_are_negative_in_the_closed_days_rows_as_on_screen(db, shop):
    """``Diskon,,1105`` where Laporan harian shows -Rp1.105; Kas keluar was positive too."""
    worked_day(db, shop)
    close_shifts(db, shop)
    summary = json.loads(close(db, shop)[0])
    moved = {"in": {"count": 1, "amount": 50_000}, "out": {"count": 2, "amount": 20_000}}
    rows = {(r["section"], r["item"]): (r["count"], r["amount"])
            for r in export.lines(dict(summary, discount=1_105, cash_movements=moved))}
    assert rows[("Penjualan", "Diskon")] == (None, -1_105)
    assert rows[("Kas masuk/keluar", "Kas keluar")] == (2, -20_000)
    assert rows[("Kas masuk/keluar", "Kas masuk")] == (1, 50_000)


def test_a_day_closed_before_the_margin_after_returns_still_shows(db, shop):
    """A summary stored without the new keys: the sales' margin, labelled as such, nothing more."""
    worked_day(db, shop)
    close_shifts(db, shop)
    summary = json.loads(close(db, shop)[0])
    for key in ("margin_after_returns", "returned_goods"):
        del summary[key]
    items = [r["item"] for r in export.lines(summary)]
    assert "Laba kotor penjualan (sebelum retur)" in items and "Laba kotor setelah retur" not in items
