"""The X/Z report lists returns by the tender they were paid back in, so each tender's sales less
its returns reconciles with Total penjualan: on screen, on paper, in CSV/XLSX/PDF and the CLI.

A shift had a kasbon sale and a kasbon return: "Total penjualan" counted the sale while the
tenders' lines showed the kasbon net of the return, and the return was on no line (only "Retur
dibayar tunai" was shown)."""
from __future__ import annotations

import io
import json
import uuid

from openpyxl import load_workbook
from sqlalchemy import select

from pos.reports import shift_report
from pos.returns.service import RefundTo, Wanted, make_return
from pos.sales import checkout
from pos.sales.models import SaleLine
from pos.shifts import zreport, zreport_text
from tests.factories import csv_rows, login, pdf_text
from tests.shifts import test_figures as figures_tests
from tests.shifts.test_figures import CASH, CREDIT, QRIS, ZONE, at, cashier, close, open_, sell

shop = figures_tests.shop   # the fixture: a till, a cashier, a manager, soap, a member with kasbon

PART = "Penjualan & retur per cara bayar"


def worked_shift(db, shop) -> int:
    """Cash Rp25.000, QRIS Rp12.449 and kasbon Rp50.000 (two soaps) sold; one soap of the kasbon
    sale returned, Rp25.000 credited back to the member's kasbon; closed as expected."""
    shift = open_(db, shop, 100_000)
    sell(db, shop, [checkout.Tender(CASH, 25_000)])
    sell(db, shop, [checkout.Tender(QRIS, 12_449, confirmed=True)], code="8990000800026")
    on_credit = sell(db, shop, [checkout.Tender(CREDIT, 50_000)], times=2, member=True)
    with db.transaction() as s:
        line = s.scalar(select(SaleLine.id).where(SaleLine.sale_id == on_credit.id))
        make_return(s, cashier(shop), sale_id=on_credit.id, wanted=[Wanted(line, 1)],
                    refund_to=RefundTo.ORIGINAL, reason="rusak", outlet_code="TST01", timezone=ZONE,
                    now=at(11), idempotency_key=str(uuid.uuid4()))
    close(db, shop, shift, 125_000, None, {"qris": 12_449, "member_credit": 25_000})
    return shift


def test_each_tender_lists_its_sales_and_the_returns_paid_back_in_it(db, shop):
    shift = worked_shift(db, shop)
    with db.reading() as s:
        z = zreport.build(s, shift)
    by = {t.method: (t.sold, t.refunded, t.net) for t in z.sales_by_tender()}
    assert by == {"cash": (25_000, 0, 25_000), "qris": (12_449, 0, 12_449),
                  "member_credit": (50_000, 25_000, 25_000)}
    assert z.figures.sales_total == 87_449 and z.refunds_total == 25_000
    assert z.sales_after_returns == sum(t.net for t in z.sales_by_tender()) == 62_449
    # the tenders' expected (cash without the float) add up to the sales after returns
    assert sum(t.expected for t in z.tenders) - 100_000 == z.sales_after_returns
    shown = z.as_json()
    assert shown["cash_refunds"] == 0 and shown["refunds"]["member_credit"] == 25_000
    assert shown["refunds_total"] == 25_000 and shown["sales_after_returns"] == 62_449
    assert shown["sold"] == {"cash": 25_000, "qris": 12_449, "member_credit": 50_000}

    text = zreport_text.lines(z, outlet_name="Gerai Uji", timezone=ZONE, columns=32)
    assert all(len(line) <= 32 for line in text)
    joined = "\n".join(text)
    assert "Retur ke kasbon anggota" in joined and "-Rp25.000" in joined
    at = text.index("  Retur ke kasbon anggota")   # between words, the amount beside the last one
    assert text[at + 1] == "  (dikreditkan)" + "-Rp25.000".rjust(32 - 15)
    wide = zreport_text.lines(z, outlet_name="Gerai Uji", timezone=ZONE, columns=48)
    at = wide.index("  Retur ke kasbon anggota (dikreditkan)")   # whole on its line, one column short
    assert wide[at + 1] == "-Rp25.000".rjust(48)
    start = text.index("PENJUALAN & RETUR PER CARA BAYAR")
    assert text[start + 1:start + 3] == ["Tunai", "  Penjualan" + "Rp25.000".rjust(32 - 11)]
    assert any(line.startswith("Penjualan setelah retur") and line.endswith("Rp62.449")
               for line in text[start:])

    rows = {(r["bagian"], r["keterangan"]): r["jumlah"] for r in shift_report.rows(z, ZONE)}
    assert rows[(PART, "Kasbon anggota: penjualan")] == 50_000
    assert rows[(PART, "Retur ke kasbon anggota (dikreditkan)")] == -25_000
    assert rows[(PART, "Kasbon anggota: setelah retur")] == 25_000
    assert rows[(PART, "Total retur")] == -25_000 and rows[(PART, "Penjualan setelah retur")] == 62_449
    assert "Retur ke kasbon anggota" in pdf_text(shift_report.pdf_bytes(z, outlet_name="Gerai Uji",
                                                                         timezone=ZONE))


def test_the_screen_the_exports_and_the_cli_show_the_kasbon_return(db, shop, client, runner):
    shift = worked_shift(db, shop)
    login(client, shop["manager"], None, shift=False)
    page = client.get(f"/shift/{shift}").get_data(as_text=True)
    row = page[page.index('id="sold-member_credit"'):]
    row = row[:row.index("</tr>")]
    assert "Rp50.000" in row and "-Rp25.000" in row and row.count("Rp25.000") == 2
    assert 'id="refunds-total">-Rp25.000<' in page and 'id="sales-after-returns">Rp62.449<' in page
    assert 'id="refund-member_credit"><td>Retur ke kasbon anggota (dikreditkan)</td>' in page

    found = {(r[0], r[1]): r for r in csv_rows(client.get(f"/shift/{shift}/laporan.csv"))[1:]}
    assert found[(PART, "Retur ke kasbon anggota (dikreditkan)")][3] == "-25000"
    assert found[("Kas seharusnya", "Kembalian diberikan")][3] == "0"
    assert found[("Penjualan", "Jumlah transaksi")][2:] == ["", "", "3"]   # a count, as a number
    book = load_workbook(io.BytesIO(client.get(f"/shift/{shift}/laporan.xlsx").data))
    cells = {(r[0], r[1]): r[2:] for r in book.active.iter_rows(min_row=2, values_only=True)}
    assert cells[("Penjualan", "Jumlah transaksi")] == (None, None, 3)
    assert cells[(PART, "Retur ke kasbon anggota (dikreditkan)")][1] == -25_000
    assert cells[("Kas awal", "Kas awal")][1] == 100_000

    shown = json.loads(runner.invoke(args=["shift", "show", str(shift), "--json"]).output)
    assert shown["refunds"]["member_credit"] == 25_000 and shown["sales_after_returns"] == 62_449
    printed = runner.invoke(args=["shift", "show", str(shift)]).output
    assert "Retur ke kasbon anggota" in printed and "-Rp25.000" in printed


def test_with_nothing_refunded_the_exports_show_the_screens_returns_and_after_returns_lines(db, shop, client):
    """A shift with a QRIS sale and no return: the screen's row read QRIS Rp12.449, retur Rp0,
    setelah retur Rp12.449 and a Total row, while the CSV/XLSX/PDF wrote only "QRIS: penjualan"
    though the README says they reconcile tender by tender as the screen does."""
    shift = open_(db, shop, 100_000)
    sell(db, shop, [checkout.Tender(QRIS, 12_449, confirmed=True)], code="8990000800026")
    close(db, shop, shift, 100_000, None, {"qris": 12_449})
    login(client, shop["manager"], None, shift=False)
    page = client.get(f"/shift/{shift}").get_data(as_text=True)
    row = page[page.index('id="sold-qris"'):]
    row = row[:row.index("</tr>")]
    assert row.count("Rp12.449") == 2 and "Rp0" in row
    assert 'id="refunds-total">Rp0<' in page and 'id="sales-after-returns">Rp12.449<' in page
    want = [("QRIS: penjualan", "12449"), ("Retur lewat QRIS", "0"), ("QRIS: setelah retur", "12449"),
            ("Total retur", "0"), ("Penjualan setelah retur", "12449")]
    found = [(r[1], r[3]) for r in csv_rows(client.get(f"/shift/{shift}/laporan.csv"))[1:] if r[0] == PART]
    assert found == want
    book = load_workbook(io.BytesIO(client.get(f"/shift/{shift}/laporan.xlsx").data))
    cells = [(r[1], r[3]) for r in book.active.iter_rows(min_row=2, values_only=True) if r[0] == PART]
    assert cells == [(what, int(amount)) for what, amount in want]
    text = pdf_text(client.get(f"/shift/{shift}/laporan.pdf").data)
    assert "Retur lewat QRIS" in text and "QRIS: setelah retur" in text and "Penjualan setelah retur" in text
