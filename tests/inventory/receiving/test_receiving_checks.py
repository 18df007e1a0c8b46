"""Receiving checks on SQLite and PostgreSQL: a delivery note used twice for one supplier,
the line a posting refuses (marked for the screen), dates typed day first, and the form's
word on what *Diterima* counts."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from pos.errors import PosError
from pos.inventory import stock
from pos.inventory.models import Batch
from pos.inventory.receiving import posting, queries, receipts, reversal
from pos.inventory.receiving.models import GoodsReceipt, GoodsReceiptLine
from tests.factories import login, make_product, make_user, outlet_today

HX = {"HX-Request": "true"}
TODAY = outlet_today()


@pytest.fixture
def gr(db):
    with db.transaction() as s:
        return dict(clerk=make_user(s, "gudang", "clerk", "2222").id,
                    manager=make_user(s, "manajer", "manager", "9999").id,
                    bulog=receipts.create_supplier(s, "Bulog Sub Divre", "bulog"),
                    pupuk=receipts.create_supplier(s, "Distributor Pupuk", "pupuk"),
                    mie=make_product(s, name="Mie Sedap", on_hand=0, cost=2_000).id,
                    obat=make_product(s, name="Amoxicillin", business_unit="apotek",
                                      batch_tracked=True, on_hand=0).id)


def run(db, fn, *args, **kwargs):
    with db.transaction() as s:
        return fn(s, *args, **kwargs)


def draft(db, gr, supplier, note, *products) -> int:
    with db.transaction() as s:
        receipt_id = receipts.create_draft(s, gr[supplier], note, gr["clerk"])
        for product_id in products:
            receipts.add_line(s, receipt_id, product_id, None, 3, 2_500)
    return receipt_id


def same_note(db, receipt_id):
    with db.reading() as s:
        return [r.number for r in queries.receipt_detail(s, receipt_id).same_note]


def on_hand(db, product_id):
    with db.reading() as s:
        return stock.on_hand(s, product_id)


# --- The same delivery note twice ---------------------------------------------------------------

def test_a_delivery_note_used_before_for_the_supplier_is_flagged(db, gr):
    first = draft(db, gr, "bulog", "DO-2026/0412", gr["mie"])
    other_supplier = draft(db, gr, "pupuk", "DO-2026/0412", gr["mie"])
    again = draft(db, gr, "bulog", "  do-2026/0412 ", gr["mie"])   # case and spaces do not matter
    assert same_note(db, again) == [f"GR-{first:06d}"]
    assert same_note(db, first) == [f"GR-{again:06d}"]
    assert same_note(db, other_supplier) == []


def test_posting_a_reused_note_needs_a_confirmation_and_records_it(db, gr):
    first = draft(db, gr, "bulog", "DO-77", gr["mie"])
    run(db, posting.post, first, gr["clerk"], TODAY)
    split = draft(db, gr, "bulog", "DO-77", gr["mie"])
    with pytest.raises(posting.ReusedDeliveryNote, match=r"Surat jalan DO-77 sudah dipakai untuk "
                                                          r"pemasok ini \(GR-000001\)"):
        run(db, posting.post, split, gr["clerk"], TODAY)
    assert on_hand(db, gr["mie"]) == 3
    run(db, posting.post, split, gr["clerk"], TODAY, confirm_reuse=True)
    assert on_hand(db, gr["mie"]) == 6
    with db.reading() as s:
        assert (s.get(GoodsReceipt, first).delivery_note_reused,
                s.get(GoodsReceipt, split).delivery_note_reused) == (False, True)


def test_a_cancelled_receipt_does_not_block_entering_it_again(db, gr):
    wrong = draft(db, gr, "bulog", "DO-88", gr["mie"])
    run(db, posting.post, wrong, gr["clerk"], TODAY)
    correction = run(db, reversal.create_reversal, wrong, gr["clerk"], "Jumlah salah ketik")
    run(db, reversal.post_reversal, correction, gr["manager"], day=TODAY)
    right = draft(db, gr, "bulog", "DO-88", gr["mie"])
    assert same_note(db, right) == []
    run(db, posting.post, right, gr["clerk"], TODAY)
    assert on_hand(db, gr["mie"]) == 3


# --- The line a posting refuses -----------------------------------------------------------------

def line_id(db, receipt_id, n=0):
    with db.reading() as s:
        return s.get(GoodsReceipt, receipt_id).lines[n].id


def test_a_refused_posting_names_the_line_and_the_field(db, gr):
    receipt_id = draft(db, gr, "bulog", "DO-1", gr["mie"], gr["obat"])
    bad = line_id(db, receipt_id, 1)
    with pytest.raises(posting.LineProblem) as refused:
        run(db, posting.post, receipt_id, gr["clerk"], TODAY)
    assert (refused.value.line_id, refused.value.field) == (bad, "batch_no")
    with db.transaction() as s:
        s.get(GoodsReceiptLine, bad).batch_no = "B1"
    with pytest.raises(posting.LineProblem) as refused:
        run(db, posting.post, receipt_id, gr["clerk"], TODAY)
    assert (refused.value.line_id, refused.value.field) == (bad, "expiry")
    with db.transaction() as s:
        s.get(GoodsReceiptLine, bad).expiry = TODAY
    with pytest.raises(posting.LineProblem, match="sudah lewat") as refused:
        run(db, posting.post, receipt_id, gr["clerk"], TODAY)
    assert refused.value.field == "expiry"
    with db.transaction() as s:
        line = s.get(GoodsReceiptLine, line_id(db, receipt_id, 0))
        line.damaged_packs = 1
    with pytest.raises(posting.LineProblem, match="tulis alasan") as refused:
        run(db, posting.post, receipt_id, gr["clerk"], TODAY)
    assert (refused.value.line_id, refused.value.field) == (line_id(db, receipt_id, 0), "reason")
    assert on_hand(db, gr["mie"]) == 0


def test_one_batch_on_two_lines_with_two_expiry_dates_is_named_as_such(db, gr):
    """It was refused as 'Batch AMX-NEW sudah tercatat dengan tanggal kedaluwarsa 31-03-2027':
    the batch was nowhere in stock, only on the receipt's other line."""
    receipt_id = draft(db, gr, "bulog", "DO-AMX", gr["obat"], gr["obat"])
    first, second = line_id(db, receipt_id, 0), line_id(db, receipt_id, 1)
    with db.transaction() as s:
        for line, year in ((first, 2027), (second, 2029)):
            s.get(GoodsReceiptLine, line).batch_no = "AMX-NEW"
            s.get(GoodsReceiptLine, line).expiry = date(year, 3, 31)
    with pytest.raises(posting.LineProblem) as refused:
        run(db, posting.post, receipt_id, gr["clerk"], TODAY)
    assert (refused.value.line_id, refused.value.field) == (second, "expiry")
    assert refused.value.message == (
        "Amoxicillin: batch AMX-NEW ada di dua baris penerimaan ini dengan tanggal kedaluwarsa "
        "berbeda (31-03-2027 dan 31-03-2029); satu batch hanya punya satu tanggal kedaluwarsa.")
    with db.transaction() as s:
        s.get(GoodsReceiptLine, second).expiry = date(2027, 3, 31)
    run(db, posting.post, receipt_id, gr["clerk"], TODAY)     # the same date: one batch of 6
    assert on_hand(db, gr["obat"]) == 6


def test_the_screen_marks_and_names_the_refused_line(client, db, gr):
    login(client, gr["clerk"])
    receipt_id = draft(db, gr, "bulog", "DO-5", gr["mie"], gr["obat"])
    bad = line_id(db, receipt_id, 1)
    refused = client.post(f"/penerimaan/{receipt_id}/posting", headers=HX)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert (refused.headers["HX-Retarget"], refused.headers["HX-Reswap"]) == ("#gr-lines", "outerHTML")
    assert f'id="line-{bad}" class="gr-line bad"' in html
    assert re.search(rf'id="l{bad}-batch" name="batch_no"[^>]* aria-invalid="true" data-bad-field', html)
    assert "nomor batch dan tanggal kedaluwarsa wajib diisi" in html
    assert html.count("data-bad-field") == 1
    # a line save the server refused is reloaded the same way
    reloaded = client.get(f"/penerimaan/{receipt_id}/baris?baris={bad}&isian=expiry", headers=HX)
    assert re.search(r'name="expiry"[^>]* aria-invalid="true" data-bad-field',
                     reloaded.get_data(as_text=True))


def test_the_screen_warns_of_a_reused_note_and_posts_once_confirmed(client, db, gr):
    login(client, gr["clerk"])
    run(db, posting.post, draft(db, gr, "bulog", "DO-9", gr["mie"]), gr["clerk"], TODAY)
    made = client.post("/penerimaan", data={"supplier_id": gr["bulog"], "delivery_note": "DO-9"})
    receipt_id = int(made.headers["Location"].rsplit("/", 1)[1])
    client.post(f"/penerimaan/{receipt_id}/tambah/{gr['mie']}", headers=HX)
    page = client.get(f"/penerimaan/{receipt_id}").get_data(as_text=True)
    assert "sudah dipakai untuk Bulog Sub Divre" in page and 'name="confirm_reuse"' in page
    refused = client.post(f"/penerimaan/{receipt_id}/posting", headers=HX)
    assert refused.status_code == 422 and "sudah dipakai" in refused.get_data(as_text=True)
    assert 'id="gr-note-warning" hx-swap-oob="true"' in refused.get_data(as_text=True)
    posted = client.post(f"/penerimaan/{receipt_id}/posting", data={"confirm_reuse": "1"}, headers=HX)
    assert posted.headers["HX-Redirect"] == f"/penerimaan/{receipt_id}"
    assert "dipakai lagi, dikonfirmasi" in client.get(f"/penerimaan/{receipt_id}").get_data(as_text=True)
    assert on_hand(db, gr["mie"]) == 4


# --- Dates and the words on the form ------------------------------------------------------------

def test_an_expiry_typed_day_first_is_stored_as_typed(client, db, gr):
    login(client, gr["clerk"])
    receipt_id = draft(db, gr, "bulog", "DO-3", gr["obat"])
    line = line_id(db, receipt_id)
    expiry = TODAY + timedelta(days=400)
    form = {"pack_name": "pcs", "qty_packs": "3", "damaged_packs": "0", "cost_per_pack": "2500",
            "batch_no": "b7", "reason": ""}
    for typed in (expiry.strftime("%d%m%Y"), expiry.strftime("%d/%m/%Y"), expiry.isoformat()):
        saved = client.post(f"/penerimaan/{receipt_id}/baris/{line}", data={**form, "expiry": typed},
                            headers=HX)
        assert saved.status_code == 200
        with db.reading() as s:
            assert s.get(GoodsReceiptLine, line).expiry == expiry
    refused = client.post(f"/penerimaan/{receipt_id}/baris/{line}",
                          data={**form, "expiry": "31022030"}, headers=HX)
    assert refused.status_code == 422
    assert "Tanggal kedaluwarsa 31-02-2030 tidak ada: Februari 2030 hanya 28 hari." in \
        refused.get_data(as_text=True)
    page = client.get(f"/penerimaan/{receipt_id}").get_data(as_text=True)
    assert f'value="{expiry:%d-%m-%Y}"' in page and 'type="date"' not in page
    months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
              "Oktober", "November", "Desember"]
    assert f">{expiry.day} {months[expiry.month - 1]} {expiry.year}</output>" in page
    assert 'inputmode="numeric"' in page and "data-date" in page


def test_an_expired_batch_rejected_whole_is_recorded_and_one_taken_in_is_refused(client, db, gr):
    """Diterima 0, Dipesan 20, Rusak 20, "kedaluwarsa, diretur ke PBF", expiry three weeks ago:
    nothing goes into stock, and the date is why the goods went back, so it is recorded (the
    save was refused as 'tidak boleh diterima'). Any of it received is still refused, on the
    line and at posting."""
    login(client, gr["clerk"])
    receipt_id = draft(db, gr, "bulog", "DO-ED", gr["mie"], gr["obat"])
    line = line_id(db, receipt_id, 1)
    past = TODAY - timedelta(days=21)
    rejected = {"pack_name": "pcs", "qty_packs": "0", "ordered_packs": "20", "damaged_packs": "20",
                "cost_per_pack": "2500", "batch_no": "PCT27021", "expiry": f"{past:%d-%m-%Y}",
                "reason": "kedaluwarsa, diretur ke PBF"}
    saved = client.post(f"/penerimaan/{receipt_id}/baris/{line}", data=rejected, headers=HX)
    assert saved.status_code == 200, saved.get_data(as_text=True)
    for taken in ({"qty_packs": "5", "damaged_packs": "15"}, {"qty_packs": "20", "damaged_packs": "0"}):
        refused = client.post(f"/penerimaan/{receipt_id}/baris/{line}", data={**rejected, **taken},
                              headers=HX)
        assert refused.status_code == 422 and "sudah lewat" in refused.get_data(as_text=True)
    with db.reading() as s:
        stored = s.get(GoodsReceiptLine, line)
        assert (stored.qty_packs, stored.damaged_packs, stored.batch_no, stored.expiry) == (
            0, 20, "PCT27021", past)
    posted = client.post(f"/penerimaan/{receipt_id}/posting", headers=HX)
    assert posted.headers["HX-Redirect"] == f"/penerimaan/{receipt_id}"
    assert on_hand(db, gr["obat"]) == 0 and on_hand(db, gr["mie"]) == 3
    with db.reading() as s:
        assert stock.batch_discrepancies(s) == [] and not s.scalars(
            select(Batch).where(Batch.product_id == gr["obat"])).all()
    page = client.get(f"/penerimaan/{receipt_id}").get_data(as_text=True)
    assert "PCT27021" in page and f"{past:%d-%m-%Y}" in page and "kedaluwarsa, diretur ke PBF" in page
    # posting refuses it whenever any of it would go into stock
    again = draft(db, gr, "bulog", "DO-ED2", gr["obat"])
    with db.transaction() as s:
        stored = s.get(GoodsReceiptLine, line_id(db, again))
        stored.batch_no, stored.expiry, stored.qty_packs, stored.damaged_packs = "PCT27021", past, 1, 19
    with pytest.raises(posting.LineProblem, match="sudah lewat") as refused:
        run(db, posting.post, again, gr["clerk"], TODAY)
    assert refused.value.field == "expiry" and on_hand(db, gr["obat"]) == 0


def test_the_form_says_received_does_not_include_damaged(client, db, gr):
    login(client, gr["clerk"])
    receipt_id = draft(db, gr, "bulog", "DO-4", gr["mie"])
    page = client.get(f"/penerimaan/{receipt_id}").get_data(as_text=True)
    assert "<b>Diterima</b> = kemasan yang baik dan masuk stok, <b>tidak termasuk</b> yang rusak." in page
    assert ">Diterima (baik)</label>" in page and ">Rusak (tidak masuk stok)</label>" in page


def test_the_waiting_corrections_list(client, db, gr):
    receipt_id = draft(db, gr, "bulog", "DO-6", gr["mie"])
    run(db, posting.post, receipt_id, gr["clerk"], TODAY)
    correction = run(db, reversal.create_reversal, receipt_id, gr["clerk"], "Salah pemasok")
    login(client, gr["manager"])
    listed = client.get("/penerimaan?status=koreksi").get_data(as_text=True)
    assert f"GR-{correction:06d}" in listed and f">GR-{receipt_id:06d}<" not in listed
    # as its own page says: waiting for a manager, not a draft the clerk could still edit
    for page in (listed, client.get("/penerimaan").get_data(as_text=True)):
        assert ">Menunggu persetujuan</span>" in page and ">Draf</span>" not in page
    with db.reading() as s:
        assert s.scalar(select(GoodsReceipt.id).where(queries.waiting_correction())) == correction


def test_posting_with_nothing_received_is_still_a_plain_refusal(db, gr):
    receipt_id = draft(db, gr, "bulog", "DO-10")
    with pytest.raises(PosError, match="Belum ada barang yang diterima"):
        run(db, posting.post, receipt_id, gr["clerk"], TODAY)
