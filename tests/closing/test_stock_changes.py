"""The day's stock changes: each count (stok opname), adjustment and write-off approved that
business day, its kind, lines and value at cost, on Laporan harian, the Tutup hari preview and
summary, its CSV/XLSX/PDF and ``pos report day`` (text and JSON), and booked in the day's journal
on lines of their own per kind.

A stock clerk's day: a count found three soaps missing, a manager added one back by adjustment and
wrote off two broken ones; no day report said so, and the journal merged all three into one
690100 line, "Penyesuaian dan penghapusan persediaan"."""
from __future__ import annotations

import io
import json

from openpyxl import load_workbook
from sqlalchemy import update

from pos import chart as charts
from pos.closing import export
from pos.days.models import BusinessDay
from pos.inventory import stock
from pos.inventory.counts import adjustments, counting
from pos.inventory.models import MovementKind, StockMovement
from pos.ledger.journal import day_journal
from pos.ledger.stock_changes import of_day
from pos.reports.cli import day_lines
from tests.closing.conftest import DAY, NOW, SOAP, close, close_shifts, sell_on
from tests.factories import csv_rows, login, pdf_text

ZONE = "Asia/Makassar"
LOSS, STOCK = "690100", "114110"


def clerks_day(db, shop) -> dict[str, str]:
    """A soap sold (Rp3.000, cost Rp2.000); two soaps written off (-Rp4.000), one added back by
    adjustment (+Rp2.000), and a count found three missing (-Rp6.000): -Rp8.000 in all."""
    sell_on(db, shop, (SOAP, 1))
    with db.transaction() as s:
        gone = adjustments.request_writeoff(s, shop["soap"], 2, "pecah", shop["cashier"]).id
        adjustments.approve(s, gone, shop["manager"], day=DAY)
        back = adjustments.request_adjustment(s, shop["soap"], 1, "salah input", shop["cashier"]).id
        adjustments.approve(s, back, shop["manager"], day=DAY)
        count = counting.open_count(s, "all", shop["cashier"])
        counting.record(s, count, shop["soap"], stock.on_hand(s, shop["soap"]) - 3, shop["cashier"])
        counting.approve(s, count, shop["manager"], day=DAY)
        number = counting.get_count(s, count).number
        s.execute(update(StockMovement).where(StockMovement.kind.in_(
            [MovementKind.COUNT, MovementKind.ADJUSTMENT, MovementKind.WRITEOFF])).values(created_at=NOW))
    return {"count": number, "adjustment": f"Penyesuaian #{back}", "writeoff": f"Pemusnahan #{gone}"}


def test_the_day_lists_each_stock_document_and_the_journal_books_each_kind(db, shop):
    numbers = clerks_day(db, shop)
    with db.reading() as s:
        changes = of_day(s, DAY, ZONE)
        lines = day_journal(s, DAY, zone=ZONE, chart=charts.chart())
    assert [(r["kind"], r["label"], r["number"], r["lines"], r["value"]) for r in changes["documents"]] == [
        ("count", "Selisih stok opname", numbers["count"], 1, -6_000),
        ("adjustment", "Penyesuaian stok", numbers["adjustment"], 1, 2_000),
        ("writeoff", "Pemusnahan barang", numbers["writeoff"], 1, -4_000)]
    assert (changes["lines"], changes["value"]) == (3, -8_000)
    booked = sorted((x.account, x.memo, x.debit, x.credit) for x in lines if x.account in (LOSS, STOCK)
                    and x.memo != "Harga pokok penjualan")
    assert booked == sorted([(STOCK, "Penyesuaian stok", 2_000, 0), (STOCK, "Pemusnahan barang", 0, 4_000),
                             (STOCK, "Selisih stok opname", 0, 6_000),
                             (LOSS, "Penyesuaian stok", 0, 2_000), (LOSS, "Pemusnahan barang", 4_000, 0),
                             (LOSS, "Selisih stok opname", 6_000, 0)])
    assert sum(x.debit - x.credit for x in lines if x.account == LOSS) == -changes["value"]
    assert sum(x.debit for x in lines) == sum(x.credit for x in lines)


def test_a_day_without_stock_changes_shows_none(db, shop):
    sell_on(db, shop, (SOAP, 1))
    with db.reading() as s:
        assert of_day(s, DAY, ZONE) == {"documents": [], "lines": 0, "value": 0}
        summary = json.loads(json.dumps(of_day(s, DAY, ZONE)))
    assert not [r for r in export.lines({**_closed(db, shop), "stock_changes": summary})
                if r["section"] == "Perubahan stok"]


def _closed(db, shop) -> dict:
    close_shifts(db, shop)
    return json.loads(close(db, shop)[0])


def test_the_screens_the_files_and_the_cli_show_the_stock_changes(db, shop, client, runner):
    numbers = clerks_day(db, shop)
    login(client, shop["manager"], shift=False)
    page = client.get("/laporan/harian?tanggal=20-11-2026").get_data(as_text=True)
    assert 'id="day-stock-changes"' in page and numbers["count"] in page and "Selisih stok opname" in page
    assert "Pemusnahan barang" in page and "-Rp8.000" in page
    preview = client.get("/tutup-hari?tanggal=20-11-2026").get_data(as_text=True)
    assert 'id="closing-stock-changes"' in preview and numbers["writeoff"] in preview
    text = runner.invoke(args=["report", "day", "--date", "2026-11-20"]).output
    assert f"Selisih stok opname {numbers['count']}" in text and "perubahan stok -Rp8.000" in text
    close_shifts(db, shop)
    close(db, shop)
    stored = json.loads(runner.invoke(args=["report", "day", "--date", "2026-11-20", "--json"]).output)
    assert stored["stock_changes"]["value"] == -8_000 and len(stored["stock_changes"]["documents"]) == 3

    found = {(r[0], r[1]): (r[2], r[3]) for r in csv_rows(client.get("/tutup-hari/2026-11-20?unduh=csv"))[1:]}
    assert found[("Perubahan stok", f"Selisih stok opname {numbers['count']}")] == ("1", "-6000")
    assert found[("Perubahan stok", f"Penyesuaian stok {numbers['adjustment']}")] == ("1", "2000")
    assert found[("Perubahan stok", f"Pemusnahan barang {numbers['writeoff']}")] == ("1", "-4000")
    assert found[("Perubahan stok", "Total perubahan stok (harga pokok)")] == ("3", "-8000")
    book = load_workbook(io.BytesIO(client.get("/tutup-hari/2026-11-20?unduh=xlsx").data))
    cells = {(r[0], r[1]): r[3] for r in book.active.iter_rows(min_row=2, values_only=True)}
    assert cells[("Perubahan stok", "Total perubahan stok (harga pokok)")] == -8_000
    pdf = pdf_text(client.get("/tutup-hari/2026-11-20?unduh=pdf").data)
    assert "Perubahan stok" in pdf and numbers["count"] in pdf
    page = client.get("/tutup-hari/2026-11-20").get_data(as_text=True)
    assert 'id="closing-stock-changes"' in page and numbers["adjustment"] in page


def test_a_gain_reads_with_its_plus_on_the_day_report_tutup_hari_and_the_cli(db, shop, client, runner):
    """The count page writes a gain +Rp2.000; the day's stock changes wrote Rp2.000, a loss and a
    gain told apart by the minus alone."""
    numbers = clerks_day(db, shop)
    login(client, shop["manager"], shift=False)
    for path, table in (("/laporan/harian?tanggal=20-11-2026", "day-stock-changes"),
                        ("/tutup-hari?tanggal=20-11-2026", "closing-stock-changes")):
        page = client.get(path).get_data(as_text=True)
        rows = page.split(f'id="{table}"')[1].split("</table>")[0]
        assert "+Rp2.000" in rows and "-Rp6.000" in rows and "-Rp8.000" in rows
    text = runner.invoke(args=["report", "day", "--date", "2026-11-20"]).output
    assert f"Penyesuaian stok {numbers['adjustment']}: 1 baris +Rp2.000" in text
    assert f"Selisih stok opname {numbers['count']}: 1 baris -Rp6.000" in text


def test_a_day_closed_before_the_stock_changes_still_reads(db, shop, client, runner):
    """A summary stored without the key: every reader shows the day, with no such section; the
    stored text and its hash stay as they were."""
    clerks_day(db, shop)
    summary = _closed(db, shop)
    del summary["stock_changes"]
    old = json.dumps(summary, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    with db.transaction() as s:
        s.get(BusinessDay, DAY).summary = old
    assert not [r for r in export.lines(summary) if r["section"] == "Perubahan stok"]
    assert not [x for x in day_lines(summary) if "perubahan stok" in x]
    login(client, shop["manager"], shift=False)
    page = client.get("/tutup-hari/2026-11-20")
    assert page.status_code == 200 and 'id="closing-stock-changes"' not in page.get_data(as_text=True)
    assert client.get("/tutup-hari/2026-11-20?unduh=pdf").status_code == 200
    assert runner.invoke(args=["report", "day", "--date", "2026-11-20", "--json"]).output.strip() == old
