"""Voids and returns through HTTP: the void log, the return form found by number or QR, the
manager's PIN inline, bad input refused, the slip printed, the lists and the day report."""
from __future__ import annotations

import json
import re
import uuid

import pytest
from sqlalchemy import func, select

from pos.clock import business_date, utcnow
from pos.days.models import BusinessDay
from pos.hardware import Hardware, build_printer
from pos.hardware.fakes import FailingPrinter
from pos.inventory import stock
from pos.inventory.catalog.models import ProductBarcode
from pos.inventory.models import Batch
from pos.money import format_rupiah
from pos.returns.models import CartVoid, SaleReturn
from pos.sales.models import CartLine, SaleLine
from tests.factories import login, sealed
from tests.returns.conftest import MEDICINE, SOAP, line_ids, sell, till_today

HX = {"HX-Request": "true"}
MANAGER = {"approval_user": "manajer1", "approval_pin": "2222", "approval_reason": "cacat"}


def approved(client, sale, data: dict) -> dict:
    """``data`` as the approval dialog of the return of ``sale`` sends it."""
    return sealed(client, f"/retur/struk/{sale.id}", data)


def fresh() -> dict:
    """The key a freshly loaded return form carries."""
    return {"idempotency_key": str(uuid.uuid4())}


@pytest.fixture
def as_cashier(client, shop):
    login(client, shop["cashier"], shop["till"])
    return client


def test_removing_a_line_and_emptying_the_cart_are_logged_with_who_and_why(db, as_cashier, shop):
    for code in (SOAP, SOAP, MEDICINE):
        as_cashier.post("/kasir/pindai", data={"code": code}, headers=HX)
    with db.reading() as s:
        soap_line, medicine_line = s.scalars(select(CartLine.id).order_by(CartLine.id)).all()
    gone = as_cashier.post(f"/kasir/baris/{soap_line}/hapus", data={"reason": "Salah pindai"},
                           headers=HX)
    assert gone.status_code == 200 and "Sabun Mandi" not in gone.get_data(as_text=True)
    as_cashier.post("/kasir/kosongkan", data={"reason_text": "pembeli lupa dompet"}, headers=HX)
    as_cashier.post("/kasir/kosongkan", headers=HX)  # already empty: nothing to log
    with db.reading() as s:
        rows = s.execute(select(CartVoid.product_id, CartVoid.qty, CartVoid.amount,
                                CartVoid.whole_cart, CartVoid.reason, CartVoid.cashier_id,
                                CartVoid.till_id).order_by(CartVoid.id)).all()
        assert s.scalar(select(func.count()).select_from(CartLine)) == 0
    assert rows == [
        (shop["soap"], 2, 6_000, False, "Salah pindai", shop["cashier"], shop["till"]),
        (shop["medicine"], 1, 5_000, True, "pembeli lupa dompet", shop["cashier"], shop["till"])]


def test_a_remove_without_a_reason_is_logged_as_such(db, as_cashier):
    as_cashier.post("/kasir/pindai", data={"code": SOAP}, headers=HX)
    with db.reading() as s:
        line = s.scalar(select(CartLine.id))
    as_cashier.post(f"/kasir/baris/{line}/hapus", headers=HX)
    with db.reading() as s:
        assert s.scalar(select(CartVoid.reason)) == "Tanpa alasan"


def test_the_till_has_the_void_prompt_with_its_quick_reasons(as_cashier):
    page = as_cashier.get("/kasir").get_data(as_text=True)
    assert 'id="void-template"' in page and "js/voids.js" in page
    for reason in ("Salah pindai", "Pembeli batal", "Harga tidak sesuai"):
        assert reason in page
    assert "hx-confirm" not in page.split('id="clear-cart"')[1].split(">")[0]


def test_a_receipt_is_found_by_number_or_qr_and_its_form_shows_what_is_left(db, as_cashier, shop):
    sale = sell(db, shop, (SOAP, 3), now=utcnow())  # today, so Riwayat lists it
    found = as_cashier.get(f"/retur?q={sale.receipt_no.lower()}")
    assert found.status_code == 303 and found.headers["Location"].endswith(f"/retur/struk/{sale.id}")
    qr = as_cashier.get(f"/retur?q=GERAIPOS:{sale.receipt_no}:9000:ABCD-EFGH")
    assert qr.headers["Location"].endswith(f"/retur/struk/{sale.id}")
    missing = as_cashier.get("/retur?q=TST01-9999999").get_data(as_text=True)
    assert "tidak ditemukan" in missing
    form = as_cashier.get(f"/retur/struk/{sale.id}").get_data(as_text=True)
    line = line_ids(db, sale.id)[0]
    assert f'name="qty_{line}"' in form and f'name="rusak_{line}"' in form
    history = as_cashier.get("/kasir/riwayat").get_data(as_text=True)
    assert f"/retur/struk/{sale.id}" in history


def test_the_form_knows_which_codes_add_one_piece_to_a_line(db, as_cashier, shop):
    """The return form's scan (static/js/returns.js) adds one piece for a code of one piece of a
    line and refuses a pack's code: each quantity box carries its line's codes by kind."""
    with db.transaction() as s:
        s.add(ProductBarcode(code="8990000700036", product_id=shop["soap"], qty=12))   # a dozen
    sale = sell(db, shop, (SOAP, 2), now=utcnow())
    form = as_cashier.get(f"/retur/struk/{sale.id}").get_data(as_text=True)
    line = line_ids(db, sale.id)[0]
    box = form.split(f'id="qty-{line}"')[1].split(">")[0]
    assert f'data-codes="{SOAP}"' in box and 'data-other-codes="8990000700036"' in box
    assert 'data-left="2"' in box and 'data-name="Sabun Mandi"' in box


def test_a_receipt_is_found_by_the_short_number_a_customer_reads_out(db, as_cashier, shop):
    """"280" or "0000280" only narrowed the list: Enter opened nothing, even with one receipt
    listed.  The outlet's receipt of that number opens; of several listed, none is chosen."""
    first = sell(db, shop, (SOAP, 1), now=utcnow())          # TST01-0000001
    second = sell(db, shop, (SOAP, 2), now=utcnow())         # TST01-0000002
    for typed in ("2", "0000002", " 02 "):
        found = as_cashier.get(f"/retur?q={typed}")
        assert found.status_code == 303 and found.headers["Location"].endswith(f"/retur/struk/{second.id}")
        opened = as_cashier.get(f"/kasir/riwayat?q={typed}&buka=1")
        assert opened.status_code == 303 and opened.headers["Location"].endswith(f"/kasir/struk/{second.id}")
    assert "tidak ditemukan" in as_cashier.get("/retur?q=3").get_data(as_text=True)
    listed = as_cashier.get("/kasir/riwayat?q=TST01-000000&buka=1")    # both listed: a list
    assert listed.status_code == 200 and first.receipt_no in listed.get_data(as_text=True)
    only = as_cashier.get("/kasir/riwayat?q=T01-0000001&buka=1")        # one listed: opened
    assert only.status_code == 303 and only.headers["Location"].endswith(f"/kasir/struk/{first.id}")


def test_a_cashiers_return_asks_for_the_manager_then_prints_the_slip(db, as_cashier, shop,
                                                                       printer):
    sale = sell(db, shop, (SOAP, 3))
    till_today(db, shop)
    line = line_ids(db, sale.id)[0]
    form = {f"qty_{line}": "2", "refund": "asal", "reason": "Kemasan bocor", **fresh()}
    asked = as_cashier.post(f"/retur/struk/{sale.id}", data=form,
                            headers={**HX, "HX-Target": "return-area"})
    assert "Perlu persetujuan manajer" in asked.get_data(as_text=True)
    assert asked.headers["HX-Retarget"] == "#approval-dialog"
    wrong = as_cashier.post(f"/retur/struk/{sale.id}",
                            data=approved(as_cashier, sale, {**form, **MANAGER, "approval_pin": "0000"}),
                            headers=HX)
    assert wrong.status_code == 403
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(SaleReturn)) == 0
        assert s.scalar(select(SaleLine.returned_qty)) == 0
        before = stock.on_hand(s, shop["soap"])
    printed = len(printer.receipts)
    done = as_cashier.post(f"/retur/struk/{sale.id}", data=approved(as_cashier, sale, {**form, **MANAGER}),
                           headers=HX)
    html = done.get_data(as_text=True)
    assert done.status_code == 200 and "R-TST01-000001" in html and "NOTA RETUR" in html
    assert "Rp6.000" in html
    assert len(printer.receipts) == printed + 1
    slip = printer.receipts[-1]
    assert slip.receipt_no == "R-TST01-000001" and slip.open_drawer  # cash back: the drawer opens
    assert any(line.startswith("  2 pcs ") and line.endswith("-Rp6.000") for line in slip.text.splitlines())
    with db.reading() as s:
        assert stock.on_hand(s, shop["soap"]) == before + 2
    listed = as_cashier.get(f"/retur/struk/{sale.id}/daftar").get_data(as_text=True)
    assert "R-TST01-000001" in listed and "Kemasan bocor" in listed
    receipt = as_cashier.get(f"/kasir/struk/{sale.id}").get_data(as_text=True)
    assert f"/retur/struk/{sale.id}/daftar" in receipt and 'id="return-action"' in receipt
    with db.reading() as s:
        return_id = s.scalar(select(SaleReturn.id))
    page = as_cashier.get(f"/retur/{return_id}").get_data(as_text=True)
    assert "NOTA RETUR" in page and sale.receipt_no in page
    copy = as_cashier.post(f"/retur/{return_id}/cetak", headers=HX)
    assert copy.status_code == 200 and printer.receipts[-1].copy
    assert not printer.receipts[-1].open_drawer
    again = as_cashier.post(f"/retur/struk/{sale.id}",
                            data=approved(as_cashier, sale, {**form, **MANAGER, **fresh()}),
                            headers=HX)   # the form loaded again, asking for 2 more
    assert again.status_code == 409 and "paling banyak 1" in again.get_data(as_text=True)


@pytest.mark.parametrize("fields, status, text", [
    ({"qty_abc": "1"}, 422, "tidak sah"),
    ({"qty_{line}": "1,5"}, 422, "Jumlah retur Sabun Mandi harus angka bulat, misalnya 3."),
    ({"qty_{line}": "-1"}, 422, "Jumlah retur Sabun Mandi harus lebih dari nol, tanpa tanda"),
    ({"qty_{other}": "1"}, 422, "bukan dari struk ini"),
    ({"qty_{line}": "4"}, 409, "paling banyak 3"),
    ({}, 422, "Pilih barang"),
    ({"qty_{line}": "1", "refund": "emas"}, 422, "tidak dikenal"),
    ({"qty_{line}": "1", "idempotency_key": ""}, 400, "Kunci formulir retur tidak sah"),
    ({"qty_{line}": "1", "idempotency_key": "dua-kali"}, 400, "Muat ulang halaman retur"),
])
def test_bad_return_input_is_refused_and_changes_nothing(db, client, shop, fields, status, text):
    login(client, shop["manager"], shop["till"])
    sale = sell(db, shop, (SOAP, 3))
    other = sell(db, shop, (SOAP, 1))
    line, other_line = line_ids(db, sale.id)[0], line_ids(db, other.id)[0]
    data = {k.format(line=line, other=other_line): v for k, v in fields.items()}
    answer = client.post(f"/retur/struk/{sale.id}", data={"reason": "x", **fresh(), **data},
                         headers=HX)
    assert answer.status_code == status and text in answer.get_data(as_text=True)
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(SaleReturn)) == 0


def test_a_printer_failure_never_loses_the_return(app, db, client, shop):
    app.extensions["pos_hardware"] = Hardware(printer=FailingPrinter("Printer mati"))
    login(client, shop["manager"], shop["till"])
    sale = sell(db, shop, (SOAP, 1))
    till_today(db, shop)
    done = client.post(f"/retur/struk/{sale.id}", headers=HX, data={
        f"qty_{line_ids(db, sale.id)[0]}": "1", "reason": "rusak", "refund": "tunai", **fresh()})
    assert done.status_code == 200 and "belum tercetak" in done.get_data(as_text=True)
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(SaleReturn)) == 1


def test_a_cash_refund_on_dummy_records_the_drawer_as_not_opened_as_kas_keluar_does(app, db, client,
                                                                                 shop):
    """The drawer's log said a cash refund opened the drawer ("Retur tunai R-…", opened, no
    error) on a gerai with no printer, where no drawer answers the kick."""
    from sqlalchemy import text

    app.extensions["pos_hardware"] = Hardware(printer=build_printer("dummy://", 32))
    login(client, shop["manager"], shop["till"])
    sale = sell(db, shop, (SOAP, 1))
    till_today(db, shop)
    done = client.post(f"/retur/struk/{sale.id}", headers=HX, data={
        f"qty_{line_ids(db, sale.id)[0]}": "1", "reason": "rusak", "refund": "tunai", **fresh()})
    assert done.status_code == 200
    with db.reading() as s:
        assert s.execute(text("SELECT reason, opened, error FROM drawer_event")).one() == \
            ("Retur tunai R-TST01-000001", False, "printer belum diatur di Perangkat")


def test_managers_list_returns_by_date_and_the_day_report_counts_them(db, client, runner, shop):
    login(client, shop["manager"], shop["till"])
    sale = sell(db, shop, (SOAP, 2))
    till_today(db, shop)
    client.post(f"/retur/struk/{sale.id}", headers=HX, data={
        f"qty_{line_ids(db, sale.id)[0]}": "1", "reason": "salah beli", **fresh()})
    with db.reading() as s:
        booked = s.scalar(select(SaleReturn.business_date))
    page = client.get(f"/retur/daftar?dari={booked:%d-%m-%Y}").get_data(as_text=True)
    assert "R-TST01-000001" in page and sale.receipt_no in page and "Rp3.000" in page
    result = runner.invoke(args=["report", "day", "--date", booked.isoformat(), "--json"])
    returns = json.loads(result.output)["returns"]
    assert (returns["count"], returns["amount"], returns["refunds"]) == (1, 3_000, {"cash": 3_000})
    day_page = client.get(f"/laporan/harian?tanggal={booked:%d-%m-%Y}").get_data(as_text=True)
    assert re.search(r'<dt>Retur \(1\)</dt><dd id="day-returns">Rp3\.000</dd>', day_page)
    total = int(re.search(r'id="day-total">Rp([0-9.]+)<', day_page).group(1).replace(".", ""))
    assert f'<dt>Total setelah retur</dt><dd id="day-net">{format_rupiah(total - 3_000)}</dd>' in day_page


def test_a_cashier_may_not_open_the_managers_list(as_cashier):
    assert as_cashier.get("/retur/daftar").status_code in (302, 303, 403)


def test_emptying_a_cart_left_by_another_cashier_logs_its_lines(db, client, shop):
    login(client, shop["cashier"], shop["till"])
    client.post("/kasir/pindai", data={"code": SOAP}, headers=HX)
    login(client, shop["manager"], shop["till"])
    assert client.post("/kasir/keranjang/ambil", data={"pilihan": "kosongkan"}).status_code == 303
    with db.reading() as s:
        row = s.execute(select(CartVoid.cashier_id, CartVoid.whole_cart, CartVoid.reason)).one()
    assert tuple(row) == (shop["manager"], True, "Keranjang kasir lain dikosongkan")


def test_the_command_line_lists_returns_and_voids(db, client, runner, shop):
    sale = sell(db, shop, (SOAP, 1))
    till_today(db, shop)
    login(client, shop["cashier"], shop["till"])   # in the cashier's shift: a line, then none
    assert client.post("/kasir/pindai", data={"code": SOAP}, headers=HX).status_code == 200
    client.post("/kasir/kosongkan", data={"reason": "Pembeli batal"}, headers=HX)
    login(client, shop["manager"], shop["till"])
    client.post(f"/retur/struk/{sale.id}", headers=HX, data={
        f"qty_{line_ids(db, sale.id)[0]}": "1", "reason": "salah beli", **fresh()})
    with db.reading() as s:
        booked = s.scalar(select(SaleReturn.business_date))
        voided = s.scalar(select(CartVoid.created_at))
    listed = json.loads(runner.invoke(args=["returns", "list", "--from", booked.isoformat(),
                                            "--json"]).output)
    assert [(r["return_no"], r["refund_total"]) for r in listed] == [("R-TST01-000001", 3_000)]
    from pos.clock import to_local
    day = to_local(voided, "Asia/Makassar").date().isoformat()
    voids = json.loads(runner.invoke(args=["returns", "voids", "--from", day, "--json"]).output)
    assert [(v["name"], v["reason"], v["whole_cart"], v["qty"], v["base_unit"]) for v in voids] == [
        ("Sabun Mandi", "Pembeli batal", True, 1, "pcs")]
    text = runner.invoke(args=["returns", "voids", "--from", day]).output
    assert "Sabun Mandi x 1  Rp3.000" in text
    from pos.returns.records import Voided
    weighed = Voided(voided, None, None, "Gula Pasir Curah", 1_333, 23_994, False, "salah", "gram")
    assert weighed.qty_text == "1,333 kg"     # was printed x1333
    bad = runner.invoke(args=["returns", "list", "--from", "31-11-2026"])
    assert bad.exit_code == 2 and "31-11-2026 tidak ada" in bad.output


def test_a_sale_paid_by_qris_and_transfer_asks_each_refunds_reference(db, as_cashier, shop):
    from pos.returns.models import ReturnRefund
    from pos.sales import checkout
    from pos.sales.models import PaymentMethod

    paid = [checkout.Tender(PaymentMethod.QRIS, 3_000, confirmed=True),
            checkout.Tender(PaymentMethod.TRANSFER, 3_000, reference="BRI 1")]
    sale = sell(db, shop, (SOAP, 2), tenders=paid)
    page = as_cashier.get(f"/retur/struk/{sale.id}").get_data(as_text=True)
    assert 'name="referensi_qris"' in page and 'name="referensi_transfer"' in page
    assert 'name="referensi"' not in page
    line = line_ids(db, sale.id)[0]
    form = {f"qty_{line}": "2", "refund": "asal", "reason": "Kemasan bocor", "referensi_qris": "QR-9",
            "referensi_transfer": "TRF-9", **fresh(), **MANAGER}
    answer = as_cashier.post(f"/retur/struk/{sale.id}", data=approved(as_cashier, sale, form), headers=HX)
    assert answer.status_code == 200
    with db.reading() as s:
        assert dict(s.execute(select(ReturnRefund.method, ReturnRefund.reference)).all()) == {
            PaymentMethod.QRIS: "QR-9", PaymentMethod.TRANSFER: "TRF-9"}
    one = sell(db, shop, (SOAP, 1), tenders=[checkout.Tender(PaymentMethod.TRANSFER, 3_000, reference="BR2")])
    assert 'name="referensi"' in as_cashier.get(f"/retur/struk/{one.id}").get_data(as_text=True)


def test_a_cash_sales_return_form_asks_no_bank_reference(db, as_cashier, shop):
    """On a cash sale, Tab from the last line's Rusak and the refund choice went into Referensi
    bank, so the reason typed there was lost ("Tulis alasan retur."): no bank refund can come of
    a cash sale, so no reference field; on a transfer sale it is there, marked for returns.js to
    disable while Tunai is chosen."""
    cash = sell(db, shop, (SOAP, 2))
    page = as_cashier.get(f"/retur/struk/{cash.id}").get_data(as_text=True)
    assert 'name="referensi' not in page and "Referensi bank" not in page and "data-bank-refs" not in page
    from pos.sales import checkout
    from pos.sales.models import PaymentMethod

    banked = sell(db, shop, (SOAP, 1), tenders=[checkout.Tender(PaymentMethod.TRANSFER, 3_000,
                                                                reference="BRI 3")])
    page = as_cashier.get(f"/retur/struk/{banked.id}").get_data(as_text=True)
    assert re.search(r'data-bank-refs[^>]*>\s*<label for="return-ref">Referensi bank', page), page


def test_the_return_form_of_a_closed_day_says_so_before_it_is_filled_in(db, as_cashier, shop):
    """After the day was closed the whole form was shown and filled in, and only its submit
    said the day was closed and nothing was saved."""
    sale = sell(db, shop, (SOAP, 2), now=utcnow())
    today = business_date(utcnow(), "Asia/Makassar")
    with db.transaction() as s:
        s.add(BusinessDay(business_date=today, closed_by=shop["manager"], summary="{}",
                          summary_hash="0" * 64))
    form = as_cashier.get(f"/retur/struk/{sale.id}").get_data(as_text=True)
    assert f"Hari {today:%d-%m-%Y} sudah ditutup" in form and 'id="return-day-closed"' in form
    assert 'id="return-form"' not in form


def test_a_return_into_an_expired_batch_says_it_is_not_put_back(db, as_cashier, shop, printer):
    """Units returned into a batch expired by today went back on the shelf with no word."""
    from tests.factories import outlet_today

    sale = sell(db, shop, (MEDICINE, 2))          # from batch AWAL, expiring 31-01-2027
    till_today(db, shop)
    with db.transaction() as s:                   # its expiry corrected to today: expired now
        awal = s.scalar(select(Batch.id).where(Batch.batch_no.like("AWAL%")))
        stock.set_expiry(s, awal, outlet_today())
        before = stock.on_hand(s, shop["medicine"])
    line = line_ids(db, sale.id)[0]
    form = {f"qty_{line}": "2", "refund": "asal", "reason": "Tidak jadi", **fresh(), **MANAGER}
    done = as_cashier.post(f"/retur/struk/{sale.id}", data=approved(as_cashier, sale, form), headers=HX)
    html = done.get_data(as_text=True)
    assert done.status_code == 200 and 'id="return-expired"' in html
    assert re.search(r"Paracetamol 500 mg: batch AWAL-\S+ sudah kedaluwarsa: tidak dikembalikan ke rak", html)
    assert "Rp10.000" in html                     # the refund unchanged
    assert "sudah kedaluwarsa: tidak dikembalikan ke rak" in " ".join(printer.receipts[-1].text.split())
    with db.reading() as s:
        assert stock.on_hand(s, shop["medicine"]) == before


def test_a_booked_return_swaps_the_receipts_returns_list_with_itself_in_it(db, client, shop):
    """The answer to a booked return carries "Retur struk ini" out of band, listing every return
    of the receipt, the one just booked too (it listed the earlier ones only)."""
    login(client, shop["manager"], shop["till"])
    sale = sell(db, shop, (SOAP, 2))
    till_today(db, shop)
    line = line_ids(db, sale.id)[0]
    listed = []
    for reason in ("Kemasan penyok", "Salah beli"):
        done = client.post(f"/retur/struk/{sale.id}", headers=HX, data={
            f"qty_{line}": "1", "reason": reason, "refund": "tunai", **fresh()})
        html = done.get_data(as_text=True)
        assert done.status_code == 200
        assert re.search(r'<div id="sale-returns" hx-swap-oob="true">', html)
        listed.append(html.split('id="sale-returns"')[1])
    assert "Kemasan penyok" in listed[0] and listed[0].count('class="sale-return"') == 1
    assert "Salah beli" in listed[1] and listed[1].count('class="sale-return"') == 2
