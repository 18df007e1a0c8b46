"""Kartu stok: a product's movements with their documents, who, why and the balance after each,
on the page (open to the stock clerk), in its CSV and from ``pos report stock-card``."""
from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from pos.clock import business_date
from pos.inventory import stock
from pos.inventory.catalog.models import Product
from pos.inventory.counts import adjustments, counting
from pos.inventory.models import MovementKind, StockMovement
from pos.inventory.receiving import posting, receipts, reversal
from pos.inventory.receiving.models import GoodsReceipt
from pos.reports.stock_card import stock_card
from pos.sales.models import Sale
from tests.factories import csv_rows, login, make_product, make_till, make_user
from tests.reports.helpers import insert_sale

ZONE = "Asia/Makassar"


@pytest.fixture
def card(db):
    """A product with 100 opened 40 days ago, a delivery of 2 x 12 received, a sale of 3
    and a write-off of 1: (product, sale's receipt number, goods receipt's number)."""
    long_ago = datetime.utcnow() - timedelta(days=40)
    with db.transaction() as s:
        clerk = make_user(s, "gudang1", "clerk", "2222")
        till = make_till(s)
        product = make_product(s, on_hand=100, name="Gula Pasir 1 kg")
        s.execute(update(StockMovement).where(StockMovement.product_id == product.id)
                  .values(created_at=long_ago))
        supplier = receipts.create_supplier(s, "Bulog Samarinda", "bulog", "0541111111")
        receipt_id = receipts.create_draft(s, supplier, "SJ-777", clerk.id)
        receipts.add_line(s, receipt_id, product.id, None, 24, 8_000)
        posting.post(s, receipt_id, clerk.id, business_date(datetime.utcnow(), ZONE))
        now = datetime.utcnow()
        sale_id = insert_sale(s, till_id=till.id, cashier_id=clerk.id, products=[product], when=now,
                              day=business_date(now, ZONE), lines=[(0, 3, 30_000, 0)],
                              tenders=[("cash", 30_000)])
        stock.apply(s, [stock.Move(product.id, -3, False, product.name)], MovementKind.SALE,
                    user_id=clerk.id, sale_id=sale_id)
        stock.move(s, product, -1, MovementKind.WRITEOFF, user_id=clerk.id, reason="Karung sobek",
                   ref="adjustment:7")
        return {"sku": product.sku, "barcode": product.barcodes[0].code, "id": product.id,
                "sale": s.get(Sale, sale_id).receipt_no,
                "receipt": s.get(GoodsReceipt, receipt_id).number, "clerk": clerk.id}


def _today():
    return business_date(datetime.utcnow(), ZONE)


def test_the_card_lists_each_movement_with_its_document_and_balance(db, client, card):
    login(client, card["clerk"])                       # a stock clerk, who cannot open Laporan
    start = (_today() - timedelta(days=60)).strftime("%d-%m-%Y")
    page = client.get("/laporan/kartu-stok", query_string={"barang": card["barcode"], "dari": start})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Kartu stok: Gula Pasir 1 kg" in html
    rows = [r for r in html.split('id="report-rows"')[1].split("<tbody>")[1].split("</tbody>")[0]
            .split("<tr>")[1:]]
    assert len(rows) == 5
    assert "Saldo awal" in rows[0] and ">0<" in rows[0]                    # the balance it starts from
    assert "Stok awal" in rows[1] and ">100<" in rows[1]
    assert "Penerimaan" in rows[2] and card["receipt"] in rows[2] and ">124<" in rows[2]
    assert "Penjualan" in rows[3] and card["sale"] in rows[3] and ">121<" in rows[3]
    assert "Pemusnahan" in rows[4] and "Pemusnahan #7" in rows[4] and "Karung sobek" in rows[4]
    assert ">120<" in rows[4]
    totals = html.split('id="report-totals"')[1].split("</tr>")[0]
    assert ">124<" in totals and ">4<" in totals and ">120<" in totals      # in, out, closing


def test_a_range_starts_from_the_balance_before_it(db, client, card):
    """The opening 40 days ago is outside this month's range: the card starts from it."""
    login(client, card["clerk"])
    html = client.get("/laporan/kartu-stok", query_string={"barang": card["sku"]}).get_data(as_text=True)
    assert "Stok awal" not in html.split('id="report-rows"')[1]
    assert f"Saldo awal {_today().replace(day=1).strftime('%d-%m-%Y')}: 100 pcs" in html
    assert "saldo akhir" in html and ": 120 pcs." in html


def test_a_later_page_carries_the_balance_of_the_rows_before_it(db, card):
    with db.reading() as s:
        product = s.get(Product, card["id"])
        whole = stock_card(s, product, date(2000, 1, 1), _today(), zone=ZONE, page=None)
        second = stock_card(s, product, date(2000, 1, 1), _today(), zone=ZONE, page=2, per_page=3)
    assert [r["balance"] for r in whole.rows] == [0, 100, 124, 121, 120]   # from Saldo awal
    assert whole.row_count == 4 and second.pages == 2
    assert [r["balance"] for r in second.rows] == [120]       # 100 + 24 - 3 before it


def test_the_csv_holds_every_row(db, client, card):
    login(client, card["clerk"])
    got = client.get("/laporan/kartu-stok", query_string={"barang": card["sku"], "dari": "01-01-2000",
                                                         "unduh": "csv"})
    rows = csv_rows(got)
    assert f'filename="kartu-stok-{card["sku"]}-2000-01-01-' in got.headers["Content-Disposition"]
    assert rows[0] == ["Waktu", "Jenis", "Dokumen", "Masuk (pcs)", "Keluar (pcs)", "Saldo (pcs)", "Oleh",
                       "Keterangan"]   # the unit said, as a weighed good's files say gram
    assert [r[5] for r in rows[1:]] == ["0", "100", "124", "121", "120", "120"]   # totals row last
    assert rows[1][1] == "Saldo awal" and rows[3][2].startswith("GR") and rows[4][3:5] == ["", "3"]


def test_the_xlsx_and_a_weighed_good_s_units(db, client, card):
    """The XLSX was a server error (a moment with its zone); a weighed good's files are in
    grams and say so, as the screen says kg."""
    from openpyxl import load_workbook

    with db.transaction() as s:
        rice = make_product(s, on_hand=25_000, base_unit="gram", weighed=True, name="Beras Curah")
        sku = rice.sku.lower()                         # typed in small letters: found all the same
    login(client, card["clerk"])
    page = client.get("/laporan/kartu-stok", query_string={"barang": sku, "dari": "01-01-2000"})
    assert page.status_code == 200 and ">25 kg<" in page.get_data(as_text=True)
    got = client.get("/laporan/kartu-stok", query_string={"barang": sku, "dari": "01-01-2000",
                                                         "unduh": "xlsx"})
    assert got.status_code == 200
    sheet = load_workbook(io.BytesIO(got.data)).active
    values = list(sheet.values)
    assert values[0][3:6] == ("Masuk (gram)", "Keluar (gram)", "Saldo (gram)")
    assert values[2][1] == "Stok awal" and values[2][3] == 25_000 and values[2][0].year >= 2026


def test_a_batch_tracked_product_shows_each_movement_s_batch(db, client, card):
    with db.transaction() as s:
        drug = make_product(s, on_hand=40, batch_tracked=True, business_unit="apotek")
        sku = drug.sku
    login(client, card["clerk"])
    html = client.get("/laporan/kartu-stok", query_string={"barang": sku}).get_data(as_text=True)
    assert '<span class="line">Batch</span></th>' in html   # on screen under the document
    assert f'<span class="line code">AWAL-{sku}</span>' in html


@pytest.mark.parametrize("typed", ["TIDAK-ADA", "<b>x</b>"])
def test_an_unknown_product_is_said_by_its_field(db, client, card, typed):
    login(client, card["clerk"])
    page = client.get("/laporan/kartu-stok", query_string={"barang": typed})
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert 'id="product-problem">Barang dengan SKU atau barcode' in html
    assert 'name="barang" value="' in html and "<b>x</b>" not in html
    assert 'aria-invalid="true"' in html and 'id="report-rows"' not in html
    file = client.get("/laporan/kartu-stok", query_string={"barang": typed, "unduh": "csv"})
    assert file.status_code == 400 and "tidak ditemukan" in file.get_data(as_text=True)


def test_without_a_product_the_page_asks_for_one(db, client, card):
    login(client, card["clerk"])
    page = client.get("/laporan/kartu-stok")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="pick-product"' in html and 'id="report-rows"' not in html
    assert client.get("/laporan/kartu-stok?unduh=csv").status_code == 400


def test_a_cashier_may_not_read_it(db, client, card):
    with db.transaction() as s:
        cashier = make_user(s, "kasir1", "cashier", "1111").id
    login(client, cashier)
    assert client.get("/laporan/kartu-stok", query_string={"barang": card["sku"]}).status_code == 403


def test_the_command_prints_the_card(db, runner, card):
    out = runner.invoke(args=["report", "stock-card", card["sku"], "--from", "01-01-2000",
                              "--to", _today().strftime("%d-%m-%Y")])
    assert out.exit_code == 0, out.output
    assert card["receipt"] in out.output and card["sale"] in out.output
    assert "Saldo awal 01-01-2000: 0 pcs" in out.output and ": 120 pcs." in out.output
    lines = out.output.splitlines()
    header = lines[1]                                   # under the title: the column names
    assert header.split() == ["Waktu", "Jenis", "Dokumen", "Masuk", "Keluar", "Saldo", "Oleh", "Keterangan"]
    sale = next(line for line in lines if "Penjualan" in line)
    assert sale.index(card["sale"]) == header.index("Dokumen")           # the columns line up
    machine = runner.invoke(args=["report", "stock-card", card["sku"], "--from", "01-01-2000",
                                  "--to", _today().strftime("%d-%m-%Y"), "--json"])
    assert machine.exit_code == 0, machine.output
    as_json = json.loads(machine.output)
    moment = next(row["at"] for row in as_json["rows"] if row["document"] == card["sale"])
    assert moment.endswith("+08:00")   # the outlet's time (WITA), its zone said
    bad = runner.invoke(args=["report", "stock-card", "TIDAK-ADA", "--from", "01-01-2000"])
    assert bad.exit_code != 0 and "tidak ditemukan" in bad.output


def test_the_commands_json_names_the_product_its_unit_and_its_balances(db, runner, card):
    """The JSON had the rows and totals but not which product, nor the balances the screen and
    the CSV start from and end at."""
    first = _today() - timedelta(days=10)          # after the opening stock of 100, 40 days ago
    machine = runner.invoke(args=["report", "stock-card", card["barcode"], "--from",
                                  first.strftime("%d-%m-%Y"), "--to", _today().strftime("%d-%m-%Y"),
                                  "--json"])
    assert machine.exit_code == 0, machine.output
    as_json = json.loads(machine.output)
    assert {k: as_json[k] for k in ("sku", "name", "unit", "opening", "closing")} == {
        "sku": card["sku"], "name": "Gula Pasir 1 kg", "unit": "pcs", "opening": 100, "closing": 120}
    assert as_json["rows"][0]["balance"] == 100 and as_json["totals"]["balance"] == 120


def test_the_command_writes_the_xlsx(db, runner, card, tmp_path):
    out = tmp_path / "kartu.xlsx"
    made = runner.invoke(args=["report", "stock-card", card["sku"], "--from", "01-01-2000",
                               "--to", _today().strftime("%d-%m-%Y"), "--xlsx", str(out)])
    assert made.exit_code == 0, made.output
    assert out.read_bytes()[:2] == b"PK" and ": 4 baris ditulis." in made.output


def test_a_page_past_the_last_goes_to_the_last(db, client, card):
    """hal=4 of a card of 1 page said "Tidak ada data pada periode ini" under "Halaman 4 dari 1"."""
    login(client, card["clerk"])
    got = client.get("/laporan/kartu-stok", query_string={"barang": card["sku"], "dari": "01-01-2000",
                                                         "hal": "4"})
    assert got.status_code == 303 and "hal=1" in got.headers["Location"]
    assert "barang=" in got.headers["Location"] and got.headers["Location"].startswith("/laporan/kartu-stok")



def test_who_did_an_approved_change_is_named_with_who_approved_it(db, card):
    """"Oleh" named the approving manager for a write-off and a count, not the clerk who asked
    for the write-off or counted the goods."""
    with db.transaction() as s:
        manager = make_user(s, "manajer1", "manager", "9999").id
        asked = adjustments.request_writeoff(s, card["id"], 2, "Kemasan bocor", card["clerk"]).id
        adjustments.approve(s, asked, manager, day=_today())
        count = counting.open_count(s, "all", card["clerk"])
        counting.record(s, count, card["id"], 110, card["clerk"])
        counting.approve(s, count, manager, day=_today())
        product = s.get(Product, card["id"])
        rows = stock_card(s, product, _today() - timedelta(days=60), _today(), zone=ZONE).rows
    assert rows[-2]["document"] == f"Pemusnahan #{asked}"
    assert rows[-2]["user"] == "Gudang1 (disetujui Manajer1)"
    assert rows[-1]["kind"] == "Stok opname" and rows[-1]["user"] == "Gudang1 (disetujui Manajer1)"
    assert rows[3]["user"] == "Gudang1"                          # a sale: its cashier alone


def test_a_receipt_correction_names_the_clerk_who_asked_and_the_manager(db, card):
    """The correction's row named only the approving manager."""
    with db.transaction() as s:
        manager = make_user(s, "manajer1", "manager", "9999").id
        first = s.scalar(select(GoodsReceipt.id).where(GoodsReceipt.number == card["receipt"]))
        fix = reversal.create_reversal(s, first, card["clerk"], "Jumlah salah ketik")
        reversal.post_reversal(s, fix, manager, day=_today())
        rows = stock_card(s, s.get(Product, card["id"]), _today() - timedelta(days=60), _today(),
                          zone=ZONE).rows
    received, corrected = next(r for r in rows if r["kind"] == "Penerimaan"), rows[-1]
    assert received["user"] == "Gudang1"                          # posted: the clerk alone
    assert (corrected["kind"], corrected["user"]) == ("Koreksi penerimaan", "Gudang1 (disetujui Manajer1)")
