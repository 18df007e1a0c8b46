"""Stok awal's page: a clerk downloads the list, checks the filled file (Periksa saja: nothing
saved), uploads it, and the day's Laporan harian and Tutup hari say the value brought in."""
from __future__ import annotations

import io

import pytest

from pos.inventory import stock
from tests.factories import csv_rows, login, make_product, make_user, poll_until_finished

HX = {"HX-Request": "true"}


@pytest.fixture
def clerk(db, client):
    with db.transaction() as s:
        make_product(s, on_hand=0, sku="GULA-1", name="Gula Pasir 1 kg", price=18_000, cost=15_000)
        make_product(s, on_hand=5, sku="LAMA-1")          # moved already: not listed
        clerk = make_user(s, "gudang", "clerk", "2222")
        boss = make_user(s, "bos", "manager", "9999")
    login(client, clerk.id)
    return {"clerk": clerk.id, "boss": boss.id}


def uploaded(client, data: bytes, **form) -> str:
    answer = client.post("/stok-awal/impor", content_type="multipart/form-data",
                         data={"file": (io.BytesIO(data), "stok.csv"), **form}, headers=HX)
    return poll_until_finished(client, answer.get_data(as_text=True))


def test_download_check_and_upload(app, db, client, clerk):
    page = client.get("/stok-awal")
    assert page.status_code == 200 and "Stok awal" in page.get_data(as_text=True)
    assert "/stok-awal" in client.get("/").get_data(as_text=True)      # on the menu
    listed = csv_rows(client.get("/stok-awal/daftar.csv"))
    assert listed[0] == ["sku", "nama", "satuan", "jumlah", "harga_pokok", "batch", "kedaluwarsa"]
    assert listed[1:] == [["GULA-1", "Gula Pasir 1 kg", "pcs", "", "15000", "", ""]]
    filled = b"sku,nama,satuan,jumlah,harga_pokok,batch,kedaluwarsa\nGULA-1,Gula,pcs,24,15000,,\n"
    checked = uploaded(client, filled, check_only="1")
    assert "tanpa kesalahan" in checked
    with db.reading() as s:
        assert stock.on_hand(s, 1) == 0                          # Periksa saja: nothing saved
    refused = uploaded(client, filled.replace(b"24,", b"-1,"))
    assert "Baris 2: jumlah harus 0 atau lebih" in refused and "Tidak ada yang disimpan" in refused
    done = uploaded(client, filled)
    assert "Impor selesai" in done and "Rp360.000" in done
    login(client, clerk["boss"])
    day = client.get("/laporan/harian").get_data(as_text=True)
    assert "Stok awal dari buku lama diimpor hari ini" in " ".join(day.split())
    assert "Rp360.000" in day
    closing = " ".join(client.get("/tutup-hari").get_data(as_text=True).split())
    assert 'id="closing-opening-stock"' in closing and "nilai pokok Rp360.000" in closing


def test_a_cashier_may_not_open_it(db, client):
    with db.transaction() as s:
        cashier = make_user(s)
    login(client, cashier.id)
    assert client.get("/stok-awal").status_code in (302, 403)


def test_the_value_per_business_unit_is_shown_with_its_account(app, db, client, clerk):
    """The hub keeps Persediaan per unit: the page, Laporan harian, Tutup hari and its export
    name each unit's account and value (the accounts as POS_LEDGER_ACCOUNTS says)."""
    from pos.closing import export
    from pos.closing.summary import build
    from tests.factories import outlet_today

    app.config["LEDGER_ACCOUNTS"] = {"inventory:apotek": ["114135", "Persediaan Obat"]}
    with db.transaction() as s:
        make_product(s, on_hand=0, sku="OBT-1", price=5_000, cost=0, business_unit="apotek")
    filled = (b"sku,nama,satuan,jumlah,harga_pokok,batch,kedaluwarsa\nGULA-1,Gula,pcs,24,15000,,\n"
              b"OBT-1,Obat,pcs,10,2000,,\n")
    assert "Impor selesai" in uploaded(client, filled)
    page = " ".join(client.get("/stok-awal").get_data(as_text=True).split())
    assert "114110" in page and "Persediaan Sembako" in page and "Rp360.000" in page
    assert "114135" in page and "Persediaan Obat" in page and "Rp20.000" in page
    login(client, clerk["boss"])
    for url in ("/laporan/harian", "/tutup-hari"):
        shown = " ".join(client.get(url).get_data(as_text=True).split())
        assert "114110 Persediaan Sembako: Rp360.000" in shown, url
        assert "114135 Persediaan Obat: Rp20.000" in shown, url
    with db.reading() as s:
        summary = build(s, outlet_today(), accounts=app.config["LEDGER_ACCOUNTS"])
    rows = [(r["item"], r["count"], r["amount"]) for r in export.lines(summary)
            if r["section"] == "Stok awal (buku lama)"]
    assert rows == [("Nilai pokok (Saldo awal Persediaan, tanpa jurnal)", 2, 380_000),
                    ("Saldo awal 114110 Persediaan Sembako", 1, 360_000),
                    ("Saldo awal 114135 Persediaan Obat", 1, 20_000)]
    summary["opening_stock"] = {"products": 2, "value": 380_000}   # a day closed before: no units
    old = [r["amount"] for r in export.lines(summary) if r["section"] == "Stok awal (buku lama)"]
    assert old == [380_000]


def test_a_closed_day_is_refused_by_the_check_and_the_page_says_so(db, client, clerk):
    """"Periksa saja" said the file was fine on a closed day, then the upload was refused."""
    from pos.clock import utcnow
    from pos.days.models import BusinessDay
    from pos.days.service import closed_message
    from pos.inventory.catalog.spreadsheets import read_csv
    from pos.inventory.opening import rows, service
    from tests.factories import outlet_today

    with db.transaction() as s:
        s.add(BusinessDay(business_date=outlet_today(), closed_by=clerk["boss"], closed_at=utcnow(),
                          summary="{}", summary_hash="x" * 64))
    found = read_csv(b"sku,nama,satuan,jumlah,harga_pokok,batch,kedaluwarsa\nGULA-1,Gula,pcs,24,15000,,\n",
                     rows.COLUMNS, rows.KEY)
    with db.reading() as s:
        assert service.OpeningStockFile(outlet_today()).validate(s, found) == [closed_message(outlet_today())]
    page = " ".join(client.get("/stok-awal").get_data(as_text=True).split())
    assert 'id="import-closed"' in page and "sudah ditutup" in page and 'id="import-file"' not in page


def test_the_page_says_empty_rows_were_skipped(db, client, clerk):
    filled = (b"sku,nama,satuan,jumlah,harga_pokok,batch,kedaluwarsa\n"
              b"GULA-1,Gula,pcs,24,15000,,\nGULA-2,,pcs,,,,\n")
    done = uploaded(client, filled)
    assert "1 barang baru, 0 diperbarui, 0 tidak berubah, 1 baris kosong dilewati." in done, done
