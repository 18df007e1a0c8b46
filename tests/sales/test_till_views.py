"""The till through HTTP (htmx requests): scan, search, edit, pay, print failures."""
from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import func, select

from pos.hardware import Hardware
from pos.hardware.fakes import FailingPrinter, RecordingPrinter
from pos.inventory import stock
from pos.sales.models import CartLine, Sale
from tests.factories import login, make_product, make_till, make_user, move_to_till

HX = {"HX-Request": "true"}


@pytest.fixture
def till(db, client):
    with db.transaction() as s:
        till = make_till(s)
        user = make_user(s)
        make_product(s, name="Indomie Goreng", price=3_500, barcodes_=["8998866200301"])
        make_product(s, name="Gula Pasir Gulaku 1 kg", price=18_500, tax_class="bebas",
                     barcodes_=["8991002101012"])
        make_product(s, name="Beras curah medium", price=14_000, base_unit="gram",
                     tax_class="bebas", on_hand=100_000, barcodes_=[("2000000000015", 1000)])
    login(client, user.id, till.id)
    return till.id


def lines(db):
    with db.reading() as s:
        return s.execute(select(CartLine.product_id, CartLine.qty).order_by(CartLine.id)).all()


def sales(db):
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(Sale))


def scan(client, code):
    return client.post("/kasir/pindai", data={"code": code}, headers=HX)


def pay(client, tendered, key=None, **extra):
    data = {"tendered": tendered, "idempotency_key": key or str(uuid.uuid4()), **extra}
    return client.post("/kasir/bayar", data=data, headers=HX)


def test_till_page_has_labelled_controls_and_keys(client, till):
    page = client.get("/kasir").get_data(as_text=True)
    for label in ('for="scan">Kode barang', 'for="tendered">Uang diterima', ">Bayar <kbd>F9",
                  ">Selesai <kbd>Enter"):
        assert label in page
    # scans go through the queue in static/js/pos.js; no inline script for the CSP to refuse
    assert 'data-scan-form data-include="#tare, #cart-shown"' in page
    assert "hx-on" not in page and "<script>" not in page


def test_scans_add_lines_and_repeat_scans_raise_quantity(client, db, till):
    assert scan(client, "8998866200301").status_code == 200
    response = scan(client, "8998866200301")
    assert "Indomie Goreng" in response.get_data(as_text=True)
    scan(client, "3*8991002101012")
    assert [qty for _, qty in lines(db)] == [2, 3]
    assert 'data-total="76500"' in scan(client, "2000000000015").get_data(as_text=True)


@pytest.mark.parametrize("code, message", [
    ("8998866200302", "angka periksa"),       # wrong check digit
    ("8990000000013", "tidak ditemukan"),     # valid but unknown
    ("12345678901234567890", "tergabung"),    # two scans merged
    ("<b>", "tidak dikenali"),
    ("0*8998866200301", "lebih dari nol"),
    ("10001*8998866200301", "Jumlah 10.001 pcs terlalu besar (paling banyak 10.000 pcs)."),
    ("-1*8998866200301", "Jumlah sebelum * harus angka bulat"),
    ("99999*8998866200301", "Jumlah 99.999 pcs terlalu besar (paling banyak 10.000 pcs)."),
    ("9" * 13 + "*8998866200301", "Jumlah sebelum * terlalu besar (paling banyak 10.000 pcs)."),
    ("８*8998866200301", "Jumlah sebelum *"),
    ("3**8998866200301", "Tulis tanda * sekali"),   # not "only at the till", which it is
    ("2*3*8998866200301", "Tulis tanda * sekali"),
])
def test_bad_codes_show_a_message_and_add_nothing(client, db, till, code, message):
    response = scan(client, code)
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == "#messages"
    assert message in response.get_data(as_text=True)
    assert lines(db) == []


def test_a_count_before_star_has_the_limit_and_the_words_of_f3(client, db, till):
    """9999*code was refused ("1 sampai 999") while F3 took 10.000 pcs: one limit, one message."""
    assert scan(client, "9999*8998866200301").status_code == 200
    assert lines(db)[0][1] == 9_999
    with db.reading() as s:
        line = s.scalar(select(CartLine.id))
    by_star = scan(client, "10001*8991002101012").get_data(as_text=True)
    by_f3 = client.post(f"/kasir/baris/{line}/jumlah", data={"qty": "10001"}, headers=HX)
    by_f3 = by_f3.get_data(as_text=True)
    said = "Jumlah 10.001 pcs terlalu besar (paling banyak 10.000 pcs)."
    assert said in by_star and said in by_f3
    assert client.post(f"/kasir/baris/{line}/jumlah", data={"qty": "10000"}, headers=HX).status_code == 200
    assert scan(client, "2*8998866200301").status_code == 422   # the line's 10.002 over the same limit
    assert lines(db) == [(lines(db)[0][0], 10_000)]


def test_search_finds_names_in_other_scripts(client, db, till):
    with db.transaction() as s:
        for name in ("Беляш Русский 250 g", "ข้าวหอมมะลิ 5 kg", "田中 大米 5kg", "Budi Ташкент 田中"):
            make_product(s, name=name)
    for typed, name in (("Беляш", "Беляш Русский 250 g"), ("ข้าวหอม", "ข้าวหอมมะลิ 5 kg"),
                        ("大米", "田中 大米 5kg"), ("budi ташкент", "Budi Ташкент 田中")):
        found = client.get("/kasir/cari", query_string={"q": typed}, headers=HX).get_data(as_text=True)
        assert name in found and "Tidak ada barang" not in found, typed


def test_search_by_name_then_add(client, db, till):
    found = client.get("/kasir/cari", query_string={"q": "gula"}, headers=HX).get_data(as_text=True)
    assert "Gula Pasir Gulaku 1 kg" in found and "Indomie" not in found
    assert "Tidak ada barang" in client.get("/kasir/cari?q=zzzz", headers=HX).get_data(as_text=True)
    assert client.get("/kasir/cari?q=g", headers=HX).get_data(as_text=True).strip() == ""
    with db.reading() as s:
        from pos.inventory.catalog.models import Product
        gula = s.scalar(select(Product.id).where(Product.name.like("Gula%")))
    assert client.post(f"/kasir/tambah/{gula}", headers=HX).status_code == 200
    assert lines(db) == [(gula, 1)]


def test_change_quantity_remove_and_clear(client, db, till):
    scan(client, "8998866200301")
    scan(client, "8991002101012")
    with db.reading() as s:
        first, second = s.execute(select(CartLine.id).order_by(CartLine.id)).scalars().all()
    assert client.post(f"/kasir/baris/{first}/jumlah", data={"qty": "5"}, headers=HX).status_code == 200
    assert lines(db)[0][1] == 5
    too_many = client.post(f"/kasir/baris/{first}/jumlah", data={"qty": "10001"}, headers=HX)
    assert too_many.status_code == 422 and "terlalu besar" in too_many.get_data(as_text=True)
    for bad in ("0", "-1", "abc", "1.5", "99999999999999"):
        response = client.post(f"/kasir/baris/{first}/jumlah", data={"qty": bad}, headers=HX)
        assert response.status_code == 422, bad
    assert lines(db)[0][1] == 5
    client.post(f"/kasir/baris/{second}/hapus", headers=HX)
    assert len(lines(db)) == 1
    assert client.post(f"/kasir/baris/{second}/hapus", headers=HX).status_code == 404
    client.post("/kasir/kosongkan", headers=HX)
    assert lines(db) == []


def test_another_tills_line_cannot_be_touched(client, db, till):
    scan(client, "8998866200301")
    with db.transaction() as s:
        other = make_till(s, "KASIR-2").id
    move_to_till(client, other)
    with db.reading() as s:
        line_id = s.scalar(select(CartLine.id))
    assert client.post(f"/kasir/baris/{line_id}/hapus", headers=HX).status_code == 404
    assert len(lines(db)) == 1


def test_cart_survives_a_reload(client, till):
    scan(client, "8998866200301")
    assert "Indomie Goreng" in client.get("/kasir").get_data(as_text=True)


def test_pay_cash_shows_change_and_receipt_and_prints(client, db, till, printer):
    scan(client, "8998866200301")
    scan(client, "2000000000015")
    response = pay(client, "Rp20.000", expected_total="17500")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["HX-Trigger"] == "sale-done"
    assert 'id="change-due">Rp2.500<' in body
    assert "TST01-0000001" in body and 'data-count="0"' in body
    assert printer.receipts[-1].receipt_no == "TST01-0000001"
    assert printer.raw[-1].startswith(b"\x1b@") and printer.receipts[-1].open_drawer
    assert sales(db) == 1 and lines(db) == []


def test_double_submit_with_one_key_makes_one_sale_and_prints_once(client, db, till, printer):
    scan(client, "8998866200301")
    key = str(uuid.uuid4())
    first, second = pay(client, "5000", key=key), pay(client, "5000", key=key)
    assert first.status_code == second.status_code == 200
    assert "TST01-0000001" in second.get_data(as_text=True)
    assert sales(db) == 1 and len(printer.receipts) == 1


@pytest.mark.parametrize("tendered, message", [
    ("3000", "kurang"), ("abc", "tidak valid"), ("-5000", "tidak valid"), ("3.500,50", "tidak valid"),
    ("", "tulis uang diterima (sisa rp3.500), f5 untuk uang pas"),   # nothing typed: what remains
    ("99.999.999.999", "terlalu besar"),
])
def test_bad_cash_is_refused_and_changes_nothing(client, db, till, tendered, message):
    scan(client, "8998866200301")
    response = pay(client, tendered)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True).lower()
    assert sales(db) == 0 and len(lines(db)) == 1


def test_tampered_key_and_total_are_refused(client, db, till):
    scan(client, "8998866200301")
    assert pay(client, "5000", key="1; DROP TABLE sale").status_code == 400
    assert pay(client, "5000", expected_total="1").status_code == 422
    assert pay(client, "5000", expected_total="-3500").status_code == 422
    assert sales(db) == 0


def test_a_changed_cart_is_refused_with_the_cart_as_it_is_now(client, db, till):
    scan(client, "8998866200301")
    scan(client, "8998866200301")  # the till showed one piece; the cart holds two
    response = pay(client, "5000", expected_total="3500")
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "Isi keranjang berubah" in body
    assert response.headers["HX-Retarget"] == "#messages"
    assert response.headers["HX-Trigger"] == "cart-changed"  # pos.js shuts the pay panel
    assert re.search(r'<section id="cart"[^>]*data-total="7000"[^>]*hx-swap-oob="outerHTML"', body)
    assert sales(db) == 0 and len(lines(db)) == 1


def test_printer_failure_keeps_the_sale_and_offers_a_reprint(app_factory, tmp_path, db_url_hint=None):
    failing = FailingPrinter("Printer mati")
    app = app_factory()
    app.extensions["pos_hardware"] = Hardware(printer=failing)
    from pos.db import get_db
    database = get_db(app)
    with database.transaction() as s:
        till_id = make_till(s).id
        user_id = make_user(s).id
        product = make_product(s, price=3_500, barcodes_=["8998866200301"])
    client = app.test_client()
    login(client, user_id, till_id)
    scan(client, "8998866200301")
    response = pay(client, "5000")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "Struk belum tercetak" in body and "Cetak ulang" in body
    assert failing.attempts == 1
    assert sales(database) == 1
    with database.reading() as s:
        assert stock.on_hand(s, product.id) == 99
    reprint = client.post("/kasir/struk/1/cetak", headers=HX)
    assert reprint.status_code == 503 and failing.attempts == 2
    # A reload keeps the receipt that did not print in sight, with its number and Cetak ulang,
    # until it prints.
    till_page = client.get("/kasir").get_data(as_text=True)
    assert re.search(r'id="last-sale".*Kembali <b>Rp1.500</b>.*</p>\s*<div id="print-status"[^>]*>\s*'
                     r'<p>Struk TST01-0000001 belum tercetak: Printer mati', till_page, re.S)
    assert 'hx-post="/kasir/struk/1/cetak"' in till_page
    working = RecordingPrinter(columns=32)
    app.extensions["pos_hardware"] = Hardware(printer=working)
    assert client.post("/kasir/struk/1/cetak", headers=HX).status_code == 200
    assert len(working.receipts) == 1 and not working.receipts[0].copy
    assert "belum tercetak" not in client.get("/kasir").get_data(as_text=True)


def test_a_reload_just_after_a_sale_says_it_was_made_with_its_change(client, db, till):
    """Reloaded during the payment, the sale was saved and the till showed an empty cart and
    nothing else: the cashier could not tell whether to charge again, nor the change."""
    from datetime import timedelta

    from pos.sales.models import Sale

    scan(client, "8998866200301")
    pay(client, "5000")
    page = " ".join(client.get("/kasir").get_data(as_text=True).split())
    assert ('Penjualan terakhir tersimpan: struk <b>TST01-0000001</b> · Total Rp3.500 · Kembali '
            '<b>Rp1.500</b>') in page
    scan(client, "8998866200301")                 # the next customer: not that sale's strip
    assert "Penjualan terakhir tersimpan" not in client.get("/kasir").get_data(as_text=True)
    assert client.post("/kasir/kosongkan", data={"reason": "salah"}, headers=HX).status_code == 200
    assert "Penjualan terakhir tersimpan" in client.get("/kasir").get_data(as_text=True)
    with db.transaction() as s:                   # minutes later the strip has done its work
        sale = s.get(Sale, 1)
        sale.created_at = sale.created_at - timedelta(minutes=3)
    assert "Penjualan terakhir tersimpan" not in client.get("/kasir").get_data(as_text=True)


def cut_off(db, sale_id, attempts):
    """The sale's receipt job as a power cut left it: never run (0), or claimed and cut off
    before its result was written (1)."""
    from sqlalchemy import update

    from pos.sales.models import PrintJob, PrintStatus
    with db.transaction() as s:
        s.execute(update(PrintJob).where(PrintJob.sale_id == sale_id).values(
            status=PrintStatus.PENDING, attempts=attempts, printed_at=None, last_error=None))


@pytest.mark.parametrize("attempts", [0, 1])
def test_a_restart_after_a_power_cut_shows_the_sale_and_its_change_and_does_not_blame_the_printer(
        client, db, till, printer, attempts):
    """Killed right after the payment, the server restarted and the till reloaded: it showed
    only "Struk … belum tercetak: printer bermasalah. [Cetak ulang]", and the change nowhere."""
    scan(client, "8998866200301")
    assert pay(client, "Rp10.000").status_code == 200
    cut_off(db, 1, attempts)
    page = " ".join(client.get("/kasir").get_data(as_text=True).split())
    assert ('Penjualan terakhir tersimpan: struk <b>TST01-0000001</b> · Total Rp3.500 · Kembali '
            '<b>Rp6.500</b>') in page
    assert "Struk TST01-0000001 belum dicetak." in page and 'hx-post="/kasir/struk/1/cetak"' in page
    assert "bermasalah" not in page and "tercetak" not in page
    # Cetak ulang prints that receipt itself; then nothing is left to say of the printer.
    assert client.post("/kasir/struk/1/cetak", headers=HX).status_code == 200
    assert [r.copy for r in printer.receipts] == [False, False]
    page = client.get("/kasir").get_data(as_text=True)
    assert "Penjualan terakhir tersimpan" in page and "belum dicetak" not in page


def test_a_receipt_cut_off_is_not_blamed_on_the_printer_while_the_till_polls_it(client, db, till):
    scan(client, "8998866200301")
    pay(client, "5000")
    cut_off(db, 1, 1)
    status = client.get("/kasir/cetak/1", headers=HX).get_data(as_text=True)
    assert "Struk belum dicetak." in status and "bermasalah" not in status and "Cetak ulang" in status


def test_a_second_tab_of_a_till_paying_a_cart_the_first_paid_is_told_so(client, db, till):
    """Two tabs on one till: the first paid; the second, still showing the goods, paid them and
    was told "Keranjang masih kosong." with its old lines left on screen."""
    scan(client, "8998866200301")
    assert pay(client, "5000", expected_total="3500").status_code == 200
    second = pay(client, "5000", expected_total="3500")     # the other tab, its own key
    body = second.get_data(as_text=True)
    assert second.status_code == 422 and second.headers["HX-Trigger"] == "cart-changed"
    assert "Keranjang ini sudah dibayar di layar lain (struk TST01-0000001)." in body
    assert re.search(r'id="cart"[^>]*\s+data-count="0"', body)     # the cart redrawn: empty
    assert "Keranjang masih kosong" not in body and sales(db) == 1

    scan(client, "8998866200301")                     # emptied (not paid) in the other tab
    assert client.post("/kasir/kosongkan", data={"reason": "salah"}, headers=HX).status_code == 200
    refused = pay(client, "5000", expected_total="3500")
    assert refused.status_code == 422 and "sudah dikosongkan atau ditahan di layar lain" in \
        refused.get_data(as_text=True) and sales(db) == 1
    # Nothing shown and nothing on the cart: as before.
    assert "Keranjang masih kosong." in pay(client, "5000").get_data(as_text=True)


def drawn_at(answer) -> str:
    """When the server drew the cart an answer carries (``data-shown-at``), as the pay panel sends it."""
    stamps = re.findall(r'data-shown-at="([^"]+)"', answer.get_data(as_text=True))
    assert stamps, "the cart's answer says when it was drawn"
    return stamps[-1]


def test_a_second_tab_is_told_paid_when_the_first_added_goods_and_paid(client, db, till):
    """Tab A scanned Indomie (Rp3.500); tab B reloaded, scanned Gula and paid both (Rp22.000);
    tab A, its panel still at Rp3.500, paid and was told the cart was emptied or held and nothing
    paid, with the cart drawn empty: the cashier could scan again and charge twice."""
    assert 'data-shown-at="' in client.get("/kasir").get_data(as_text=True)
    tab_a = drawn_at(scan(client, "8998866200301"))
    tab_b = drawn_at(scan(client, "8991002101012"))
    assert pay(client, "22000", expected_total="22000", shown_at=tab_b).status_code == 200
    second = pay(client, "3500", expected_total="3500", shown_at=tab_a)
    body = second.get_data(as_text=True)
    assert second.status_code == 422 and second.headers["HX-Trigger"] == "cart-changed"
    assert "Keranjang ini sudah dibayar di layar lain (struk TST01-0000001)." in body
    assert "tidak ada yang dibayar" not in body and sales(db) == 1

    tab_a = drawn_at(scan(client, "8998866200301"))   # emptied in tab B, which then sells Gula
    assert client.post("/kasir/kosongkan", data={"reason": "salah"}, headers=HX).status_code == 200
    scan(client, "8991002101012")
    assert pay(client, "18500", expected_total="18500").status_code == 200
    refused = pay(client, "3500", expected_total="3500", shown_at=tab_a)
    assert refused.status_code == 422 and "sudah dikosongkan atau ditahan di layar lain" in \
        refused.get_data(as_text=True) and sales(db) == 2


def test_receipt_page_and_copy(client, db, till, printer):
    scan(client, "8998866200301")
    pay(client, "5000")
    page = client.get("/kasir/struk/1").get_data(as_text=True)
    assert "TST01-0000001" in page and "Rp3.500" in page
    assert client.post("/kasir/struk/1/cetak", headers=HX).status_code == 200
    assert printer.receipts[-1].copy and "SALINAN" in printer.receipts[-1].text
    assert client.get("/kasir/struk/99").status_code == 404


def test_a_browser_without_a_till_is_told_what_to_do(client, db, till):
    move_to_till(client, None)
    response = scan(client, "8998866200301")
    assert response.status_code == 422 and "belum memilih mesin kasir" in response.get_data(as_text=True)


def test_receipt_text_follows_the_change(client, db, till):
    scan(client, "8998866200301")
    body = pay(client, "5000").get_data(as_text=True)
    assert 'id="change-due">Rp1.500<' in body and "/kasir/struk/1/teks" in body
    text = client.get("/kasir/struk/1/teks", headers=HX).get_data(as_text=True)
    assert "TST01-0000001" in text and "Kembali" in text and "Rp1.500" in text
    assert client.get("/kasir/struk/42/teks", headers=HX).status_code == 404
