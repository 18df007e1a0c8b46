"""Obat keras, narcotics and bebas terbatas at the till, through HTTP (htmx requests)."""
from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from pos.approvals.models import Override, RefusedApproval
from pos.clock import business_date, utcnow
from pos.sales import cart
from pos.sales.models import CartLine, Sale, SaleLineRx
from tests.factories import login
from tests.pharmacy.conftest import BEBAS, HX, KERAS, NARKOTIKA, PHARMACIST, RX, SIPA, TERBATAS, sealed_rx


@pytest.fixture
def till(client, shop):
    login(client, shop["cashier"], shop["till"])
    return shop


def today(app):
    return business_date(utcnow(), app.config["TIMEZONE"])


def rx(app, **changes):
    return {**RX, "rx_date": f"{today(app):%d-%m-%Y}", **changes}


def scan(client, code, **extra):
    return client.post("/kasir/pindai", data={"code": code, "tare": "0", **extra}, headers=HX)


def approve(client, app, code=KERAS, **changes):
    return client.post("/kasir/resep/pindai", headers=HX, data=sealed_rx(
        app, "/kasir/resep/pindai", {"code": code, "tare": "0", **rx(app), **PHARMACIST, **changes}))


def lines(db):
    with db.reading() as s:
        return [(r.product_id, r.qty, r.rx_number, r.rx_doctor, r.pharmacist_id)
                for r in s.scalars(select(CartLine).order_by(CartLine.id))]


def overrides(db):
    with db.reading() as s:
        return [(o.kind, o.asked_by, o.approved_by) for o in s.scalars(select(Override))]


def test_obat_keras_asks_for_the_prescription_and_adds_nothing(client, db, till):
    answer = scan(client, KERAS)
    page = answer.get_data(as_text=True)
    assert answer.headers["HX-Retarget"] == "#approval-dialog"
    assert 'id="rx-form"' in page and 'hx-post="/kasir/resep/pindai"' in page
    assert f'<input type="hidden" name="code" value="{KERAS}">' in page
    assert 'id="rx-pin"' in page and "Amoxicillin 500 mg" in page
    assert lines(db) == [] and overrides(db) == []
    # the quantity the apoteker's PIN covers is in the dialog
    assert '<b id="rx-qty">2 pcs</b>' in scan(client, f"2*{KERAS}").get_data(as_text=True)


def test_with_prescription_and_pharmacist_the_line_carries_both(client, db, app, till):
    answer = approve(client, app)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200 and 'id="approval-dialog" hx-swap-oob' in page
    assert "Resep No. R-0112 · dr. Sari Wulandari · disetujui apoteker Rina Marlina" in page
    assert lines(db) == [(till["keras"], 1, "R-0112", "Sari Wulandari", till["pharmacist"])]
    assert overrides(db) == [("prescription", till["cashier"], till["pharmacist"])]
    log = client.get(f"/persetujuan?dari={today(app):%d-%m-%Y}")
    assert log.status_code == 403  # the cashier may not see the log; the manager may
    login(client, till["manager"], till["till"])
    assert "Resep obat keras" in client.get("/persetujuan").get_data(as_text=True)


def approved_qty(db):
    with db.reading() as s:
        return s.execute(select(CartLine.qty, CartLine.rx_qty)).one()


def test_more_than_the_apoteker_approved_asks_the_apoteker_again(client, db, app, till):
    """The approval covered the line whatever its quantity: one strip approved, thirty sold (a
    quantity typed past the stock is refused for the stock first, so 3 here)."""
    approve(client, app)
    assert approved_qty(db) == (1, 1)
    again = scan(client, KERAS)     # the same product again: the dialog, nothing added
    assert again.headers["HX-Retarget"] == "#approval-dialog"
    dialog = again.get_data(as_text=True)
    assert "apoteker menyetujui 1; jumlah lebih (diminta 2 pcs) perlu persetujuan apoteker lagi" in dialog
    # the prescription on the line is filled in: the apoteker approves, nobody types it again
    assert f'name="rx_number" value="{RX["rx_number"]}"' in dialog
    assert 'value="Sari Wulandari"' in dialog and f'value="{today(app):%d-%m-%Y}"' in dialog
    assert approved_qty(db) == (1, 1)
    with db.reading() as s:
        line_id = s.scalar(select(CartLine.id))
    typed = client.post(f"/kasir/baris/{line_id}/jumlah", data={"qty": "3"}, headers=HX)
    said = typed.get_data(as_text=True)
    assert typed.status_code == 422 and "apoteker menyetujui 1" in said
    assert "Pindai lagi dengan tambahannya di depan (misalnya 4*kode)" in said   # not: delete the line
    assert "Hapus" not in said
    assert approved_qty(db) == (1, 1)
    assert approve(client, app).status_code == 200   # approved again: for the two now
    assert approved_qty(db) == (2, 2)
    with db.reading() as s:
        logged = s.scalars(select(Override.description).order_by(Override.id)).all()
    assert logged == ["Resep obat keras: Amoxicillin 500 mg x 1",
                      "Resep obat keras: Amoxicillin 500 mg x 2"]
    fewer = client.post(f"/kasir/baris/{line_id}/jumlah", data={"qty": "1"}, headers=HX)
    assert fewer.status_code == 200 and approved_qty(db) == (1, 2)   # fewer needs nobody


def sold_with_rx(client, db, app, **changes) -> str:
    """An obat keras approved with the prescription (``changes`` to its fields) and a bebas line,
    paid: the receipt's text on one line (it wraps at 32 columns)."""
    approve(client, app, **changes)
    scan(client, BEBAS)
    paid = client.post("/kasir/bayar", headers=HX,
                       data={"idempotency_key": str(uuid.uuid4()), "tendered": "20.000"})
    assert paid.status_code == 200, paid.get_data(as_text=True)
    with db.reading() as s:
        sale_id = s.scalar(select(Sale.id))
    return " ".join(client.get(f"/kasir/struk/{sale_id}/teks").get_data(as_text=True).split())


def test_the_sale_records_the_prescription_and_prints_the_pharmacist(client, db, app, till):
    joined = sold_with_rx(client, db, app)
    with db.reading() as s:
        saved = s.scalars(select(SaleLineRx)).one()
        assert (saved.doctor, saved.rx_number, saved.rx_date, saved.pharmacist_id) == (
            "Sari Wulandari", "R-0112", today(app), till["pharmacist"])
    assert f"Resep: No R-0112 dr. Sari Wulandari {today(app):%d-%m-%Y}" in joined
    assert f"Apoteker: Rina Marlina, SIPA {SIPA}" in joined
    assert lines(db) == []


def test_a_dentists_title_is_written_as_typed_not_after_dr(client, db, app, till):
    """"drg. Sari Wulandari, Sp.KG" was printed and listed "dr. drg. Sari …"."""
    joined = sold_with_rx(client, db, app, rx_doctor="drg. Sari Wulandari, Sp.KG")
    assert "Resep: No R-0112 drg. Sari Wulandari, Sp.KG" in joined and "dr. drg." not in joined
    with db.reading() as s:
        assert s.scalars(select(Override.reason)).all() == ["Resep No. R-0112, drg. Sari Wulandari, Sp.KG"]


def test_the_dialog_says_who_may_approve(client, till):
    """A manager's right PIN is refused on purpose; the dialog said nothing of who may approve."""
    page = scan(client, KERAS).get_data(as_text=True)
    assert "Hanya apoteker dengan SIPA yang dapat menyetujui" in page


def test_a_manager_cannot_approve_obat_keras(client, db, app, till):
    """A manager's right PIN is refused in the words of a wrong one, and is in the log of
    refused PINs: the dialog never tells a colleague's right PIN from a wrong one."""
    answer = approve(client, app, approval_user="manajer1", approval_pin="9999")
    assert answer.status_code == 403
    said = answer.get_data(as_text=True)
    assert "PIN apoteker salah" in said and "berhak" not in said
    assert said == approve(client, app, approval_user="manajer1", approval_pin="1234").get_data(as_text=True)
    assert lines(db) == [] and overrides(db) == []
    with db.reading() as s:
        assert s.execute(select(RefusedApproval.username, RefusedApproval.kind)).all() == \
            [("manajer1", "prescription")] * 2


def test_a_wrong_pin_changes_nothing_and_counts_towards_the_lock(client, db, app, till):
    for _ in range(5):
        answer = approve(client, app, approval_pin="1234")
        assert answer.status_code == 403 and "PIN apoteker salah" in answer.get_data(as_text=True)
    assert lines(db) == [] and overrides(db) == []
    locked = approve(client, app)                 # the right PIN, but the user is locked now
    assert locked.status_code == 403 and lines(db) == []
    with db.reading() as s:                       # each refusal is in the audit log's source
        kinds = s.scalars(select(RefusedApproval.kind)).all()
    assert kinds == ["prescription"] * 6


@pytest.mark.parametrize("changes, message", [
    ({"rx_doctor": ""}, "Isi nama dokter"),
    ({"rx_number": " "}, "nomor resep"),
    ({"rx_date": ""}, "Tanggal resep wajib diisi"),
    ({"rx_date": "31-02-2026"}, "tidak ada"),
    ({"approval_user": "", "approval_pin": ""}, "Isi nama pengguna dan PIN apoteker"),
])
def test_missing_or_wrong_fields_are_refused_in_the_dialog(client, db, app, till, changes, message):
    answer = approve(client, app, **changes)
    assert answer.status_code in (403, 422) and message in answer.get_data(as_text=True)
    assert lines(db) == [] and overrides(db) == []


def test_a_future_or_stale_prescription_is_refused(client, db, app, till):
    future = approve(client, app, rx_date=f"{today(app) + timedelta(days=1):%d-%m-%Y}")
    assert future.status_code == 422 and "belum tiba" in future.get_data(as_text=True)
    stale = approve(client, app, rx_date=f"{today(app) - timedelta(days=31):%d-%m-%Y}")
    assert stale.status_code == 422 and "lebih dari 30 hari" in stale.get_data(as_text=True)
    assert approve(client, app, rx_date=f"{today(app) - timedelta(days=30):%d-%m-%Y}").status_code == 200


@pytest.mark.parametrize("changes, field", [
    ({"rx_doctor": ""}, "rx_doctor"), ({"rx_number": " "}, "rx_number"),
    ({"rx_doctor": "", "rx_number": ""}, "rx_doctor"), ({"rx_date": ""}, "rx_date"),
    ({"rx_date": "31-02-2026"}, "rx_date"), ({"rx_number": "R" * 41}, "rx_number"),
    ({"rx_date": "01-01-2000"}, "rx_date"),
])
def test_a_refused_prescription_names_its_field(client, db, app, till, changes, field):
    """The dialog's script put the cashier back in the first empty field, and with the PIN kept
    and none empty, in the PIN: the server names the field refused (``X-Pos-Field``)."""
    answer = approve(client, app, **changes)
    assert answer.status_code == 422 and answer.headers.get("X-Pos-Field") == field
    assert lines(db) == [] and overrides(db) == []


def test_a_refused_pin_names_no_prescription_field(client, db, app, till):
    answer = approve(client, app, approval_pin="0000")
    assert answer.status_code == 403 and "X-Pos-Field" not in answer.headers


def test_a_pharmacist_without_sipa_cannot_approve(client, db, app, till):
    answer = approve(client, app, approval_user="apoteker2", approval_pin="6666")
    assert answer.status_code == 403 and "belum punya nomor SIPA" in answer.get_data(as_text=True)
    assert "Manajer mengisinya di halaman Staf (Nomor SIPA)" in answer.get_data(as_text=True)
    assert lines(db) == []


def test_a_logged_in_pharmacist_approves_without_a_pin(client, db, app, shop):
    login(client, shop["pharmacist"], shop["till"])
    page = scan(client, KERAS).get_data(as_text=True)
    assert 'id="rx-own"' in page and 'id="rx-pin"' not in page
    answer = client.post("/kasir/resep/pindai", headers=HX, data={"code": KERAS, **rx(app)})
    assert answer.status_code == 200
    assert lines(db) == [(shop["keras"], 1, "R-0112", "Sari Wulandari", shop["pharmacist"])]
    assert overrides(db) == [("prescription", shop["pharmacist"], shop["pharmacist"])]


def test_the_apoteker_approves_the_code_and_quantity_the_dialog_showed(client, db, app, till):
    """The dialog carries the scanned code hidden: changed before the PIN is typed (a larger
    quantity, another drug), the PIN approved whatever was sent."""
    page = scan(client, KERAS).get_data(as_text=True)
    drawn = re.search(r'name="approval_seal" value="([0-9a-f]+)"', page).group(1)
    for code in (f"20*{KERAS}", TERBATAS):
        answer = client.post("/kasir/resep/pindai", headers=HX, data={
            "code": code, "tare": "0", **rx(app), **PHARMACIST, "approval_seal": drawn})
        assert answer.status_code == 409 and "berubah sesudah dialog" in answer.get_data(as_text=True)
    assert lines(db) == [] and overrides(db) == []
    answer = client.post("/kasir/resep/pindai", headers=HX, data={
        "code": KERAS, "tare": "0", **rx(app), **PHARMACIST, "approval_seal": drawn})
    assert answer.status_code == 200 and lines(db)[0][:2] == (till["keras"], 1)


def test_a_tampered_prescription_dialog_says_the_apoteker_approves_not_the_manager(client, db, app, till):
    page = scan(client, KERAS).get_data(as_text=True)
    drawn = re.search(r'name="approval_seal" value="([0-9a-f]+)"', page).group(1)
    answer = client.post("/kasir/resep/pindai", headers=HX, data={
        "code": f"5*{KERAS}", "tare": "0", **rx(app), **PHARMACIST, "approval_seal": drawn})
    said = answer.get_data(as_text=True)
    assert answer.status_code == 409 and "agar apoteker melihat yang sebenarnya" in said, said
    assert "manajer" not in said


def test_a_prescription_longer_than_its_fields_is_refused_never_cut(client, db, app, till):
    """A 155-character doctor and a 63-character number (a tampered or scripted form) went on
    the line cut to 100 and 40 characters, approved and logged, with no word."""
    doctor, number = "Sari Wulandari " + "x" * 140, "R-" + "9" * 61
    for changes, words in (({"rx_doctor": doctor}, "Nama dokter terlalu panjang (paling banyak 100 huruf)"),
                           ({"rx_number": number}, "Nomor resep terlalu panjang (paling banyak 40 huruf)")):
        answer = approve(client, app, **changes)
        assert answer.status_code == 422 and words in answer.get_data(as_text=True)
    assert lines(db) == [] and overrides(db) == []
    answer = approve(client, app, rx_doctor=f"dr. {doctor[:100]}", rx_number=number[:40])
    assert answer.status_code == 200                      # as long as the fields hold: kept whole
    assert lines(db) == [(till["keras"], 1, number[:40], doctor[:100], till["pharmacist"])]


def test_a_pick_from_the_search_asks_too(client, db, app, till):
    page = client.post(f"/kasir/tambah/{till['keras']}", headers=HX).get_data(as_text=True)
    assert f'hx-post="/kasir/resep/tambah/{till["keras"]}"' in page
    url = f"/kasir/resep/tambah/{till['keras']}"
    answer = client.post(url, headers=HX, data=sealed_rx(app, url, {**rx(app), **PHARMACIST}))
    assert answer.status_code == 200 and lines(db)[0][2] == "R-0112"


def test_a_prescription_for_a_product_that_needs_none_is_refused(client, db, app, till):
    answer = approve(client, app, code=BEBAS)
    assert answer.status_code == 422 and "bukan obat keras" in answer.get_data(as_text=True)
    assert lines(db) == [] and overrides(db) == []


def test_a_narcotic_is_refused_always(client, db, app, till):
    for answer in (scan(client, NARKOTIKA), client.post(f"/kasir/tambah/{till['narkotika']}", headers=HX),
                   approve(client, app, code=NARKOTIKA)):
        assert answer.status_code == 422
        assert "Narkotika tidak dijual di gerai ini" in answer.get_data(as_text=True)
    assert lines(db) == [] and overrides(db) == []


def test_a_narcotic_with_no_stock_is_refused_as_a_narcotic_not_as_stock(client, db, app, till):
    """Codein with none on the shelf (a gerai keeps none) said "Stok Codein 10 mg tidak cukup
    (tersisa 0)": the cashier read a stock problem."""
    from sqlalchemy import update

    from pos.inventory.models import Batch, StockLevel

    with db.transaction() as s:
        s.execute(update(Batch).where(Batch.product_id == till["narkotika"]).values(on_hand=0))
        s.execute(update(StockLevel).where(StockLevel.product_id == till["narkotika"]).values(on_hand=0))
    answer = scan(client, NARKOTIKA)
    said = answer.get_data(as_text=True)
    assert answer.status_code == 422 and "Narkotika tidak dijual di gerai ini: Codein 10 mg." in said
    assert "tidak cukup" not in said and lines(db) == []
    assert "Stok Paracetamol tidak cukup" not in scan(client, BEBAS).get_data(as_text=True)


def test_bebas_terbatas_above_its_most_per_sale_is_refused(client, db, till):
    assert scan(client, f"2*{TERBATAS}").status_code == 200
    third = scan(client, TERBATAS)
    assert third.status_code == 422
    # the cart holds 2: the refused scan asked for 3 ("di keranjang 49" with an empty cart misled)
    assert "paling banyak 2 per transaksi (diminta 3)." in third.get_data(as_text=True)
    assert lines(db) == [(till["terbatas"], 2, None, None, None)]
    line_id = cart.cart_id_for  # noqa: F841 (the line is read below)
    with db.reading() as s:
        line_id = s.scalar(select(CartLine.id))
    changed = client.post(f"/kasir/baris/{line_id}/jumlah", data={"qty": "3"}, headers=HX)
    assert changed.status_code == 422 and lines(db)[0][1] == 2
    assert client.post(f"/kasir/baris/{line_id}/jumlah", data={"qty": "1"}, headers=HX).status_code == 200


def test_the_checkout_refuses_what_the_till_would_have_refused(client, db, app, till):
    """Lines that got into the cart past the till's checks (a class changed since) are refused
    when paying, and the sale is not made."""
    from pos.inventory.catalog.lookup import lookup_barcode
    from pos.inventory.catalog.models import Product

    with db.transaction() as s:
        for code in (KERAS, TERBATAS, TERBATAS, TERBATAS):
            cart.add(s, till["till"], lookup_barcode(s, code), cashier_id=till["cashier"])
    for expected in ("perlu resep dokter", "paling banyak 2"):
        paid = client.post("/kasir/bayar", headers=HX,
                           data={"idempotency_key": str(uuid.uuid4()), "tendered": "50.000"})
        assert paid.status_code == 422 and expected in paid.get_data(as_text=True)
        with db.transaction() as s:
            s.get(Product, till["keras"]).drug_class = None
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Sale)) == 0
    # the till's page still opens, noting what stands in the way
    page = client.get("/kasir").get_data(as_text=True)
    assert client.get("/kasir").status_code == 200 and "OBH Combi" in page


def test_the_cart_notes_but_does_not_refuse_on_a_page_read(client, db, till):
    from pos.pharmacy.rules import check

    row = type("Row", (), dict(id=1, name="Codein", qty=1, drug_class="narkotika",
                               max_per_sale=None, rx_number=None, pharmacist_id=None))
    assert check([row], strict=False) == ["Narkotika tidak dijual di gerai ini: Codein."]
