"""A batch number of batch-tracked goods names a strip: "-", "/", "." or an invisible character
(U+200B, a zero-width space pasted from a PDF) was taken as one at receiving, in the opening
stock and by the manager's renumbering, leaving a batch no recall or count can find.  Format
characters (Unicode Cf) are dropped as control characters are (``stock.batch_number``), and every
writer refuses a number without a letter or digit.  A batch stored so before is still shown and
sold: only new writes are refused."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert, select, update

from pos.errors import PosError
from pos.inventory import stock
from pos.inventory.catalog.models import Product
from pos.inventory.catalog.spreadsheets import read_csv
from pos.inventory.counts import batch_fix
from pos.inventory.models import Batch, MovementKind
from pos.inventory.opening import rows, service
from pos.inventory.receiving import posting, receipts
from pos.inventory.receiving.models import GoodsReceiptLine
from tests.factories import make_product
from tests.inventory.receiving.test_receiving import TODAY, draft, product

EXPIRY = TODAY + timedelta(days=500)
SAID = "Nomor batch harus berisi huruf atau angka (bukan hanya tanda baca)."


@pytest.fixture
def drug(db):
    return product(db, name="Amoksisilin 500 mg", business_unit="apotek", batch_tracked=True,
                   on_hand=0, cost=2_000, sku="APT-0101")


@pytest.mark.parametrize("text, stored", [
    ("b\u200b99001", "B99001"), ("\ufeffB99001", "B99001"), ("B99\u2060001", "B99001"),
    ("B\u00ad99001", "B99001"), (" pct-777 ", "PCT-777"),
])
def test_format_characters_are_dropped_from_a_batch_number(text, stored):
    assert stock.batch_number(text) == stored
    assert stock.batch_key(text) == stock.batch_key(stored)


@pytest.mark.parametrize("typed", ["-", "/", ".", " - / . ", "-\u200b-"])
def test_receiving_refuses_a_number_of_marks_alone(db, gr, drug, typed):
    with db.transaction() as s:
        receipt_id = receipts.create_draft(s, gr["supplier"], "SJ-1", gr["clerk"])
    with pytest.raises(receipts.ReceivingError, match=r"Amoksisilin 500 mg: Nomor batch harus berisi huruf "
                       r"atau angka \(bukan hanya tanda baca\)\."), db.transaction() as s:
        receipts.add_line(s, receipt_id, drug, "pcs", 10, 2_000, batch_no=typed, expiry=EXPIRY)
    with db.reading() as s:
        assert s.scalar(select(GoodsReceiptLine.id)) is None


@pytest.mark.parametrize("typed", ["\u200b", "\u2060", "\ufeff", " \u200b "])
def test_an_invisible_number_is_no_number_and_posting_asks_for_one(db, gr, drug, typed):
    receipt_id = draft(db, gr, (drug, "pcs", 10, 2_000, {"batch_no": typed, "expiry": EXPIRY}))
    with db.reading() as s:
        assert s.scalar(select(GoodsReceiptLine.batch_no)) is None
    with pytest.raises(posting.LineProblem, match="nomor batch dan tanggal kedaluwarsa wajib") as refused, \
            db.transaction() as s:
        posting.post(s, receipt_id, gr["clerk"], TODAY)
    assert refused.value.field == "batch_no"


def test_a_draft_saved_with_a_dash_before_is_refused_at_posting_naming_the_batch_box(db, gr, drug):
    receipt_id = draft(db, gr, (drug, "pcs", 10, 2_000, {"batch_no": "B1", "expiry": EXPIRY}))
    with db.transaction() as s:
        s.execute(update(GoodsReceiptLine).values(batch_no="-"))
    with pytest.raises(posting.LineProblem) as refused, db.transaction() as s:
        posting.post(s, receipt_id, gr["clerk"], TODAY)
    assert refused.value.field == "batch_no" and SAID in refused.value.message
    with db.reading() as s:
        assert s.scalar(select(Batch.id)) is None


@pytest.mark.parametrize("typed", ["-", "/", "\u200b"])
def test_no_batch_is_made_of_marks_alone(db, drug, typed):
    with pytest.raises(PosError), db.transaction() as s:
        stock.ensure_batch(s, drug, typed, EXPIRY)
    with db.reading() as s:
        assert s.scalar(select(Batch.id)) is None


@pytest.mark.parametrize("typed, said", [
    ("-", "nomor batch harus berisi huruf atau angka (bukan hanya tanda baca)."),
    ("./.", "nomor batch harus berisi huruf atau angka (bukan hanya tanda baca)."),
    ("\u200b", "batch wajib diisi untuk barang ber-batch."),
])
def test_the_opening_stock_refuses_it_by_its_row(db, drug, typed, said):
    found = read_csv(("sku,nama,satuan,jumlah,harga_pokok,batch,kedaluwarsa\n"
                      f"APT-0101,,pcs,10,9500,{typed},{EXPIRY:%d-%m-%Y}\n").encode(), rows.COLUMNS, rows.KEY)
    with db.reading() as s:
        assert service.validate(s, found, today=TODAY) == [f"Baris 2: {said}"]


@pytest.mark.parametrize("typed, said", [("-", SAID), ("\u200b", "Tulis nomor batch yang benar.")])
def test_the_manager_cannot_renumber_a_batch_to_marks_alone(db, gr, drug, typed, said):
    with db.transaction() as s:
        batch = stock.ensure_batch(s, drug, "B99001", EXPIRY)
    with pytest.raises(PosError, match=said.replace("(", r"\(").replace(")", r"\)")), db.transaction() as s:
        batch_fix.correct_number(s, product_id=drug, batch_id=batch, batch_no=typed, reason="salah ketik",
                                 user_id=gr["manager"])
    with db.reading() as s:
        assert s.get(Batch, batch).batch_no == "B99001"


def test_a_batch_stored_as_a_dash_before_is_still_shown_and_sold(db, gr, drug):
    with db.transaction() as s:
        batch = s.execute(insert(Batch).values(product_id=drug, batch_no="-", expiry=EXPIRY, on_hand=0)
                          .returning(Batch.id)).scalar_one()
        stock.move(s, s.get(Product, drug), 5, MovementKind.OPENING, batch_id=batch)
        stock.apply(s, stock.fefo_moves(s, drug, 2, TODAY), MovementKind.SALE)
        assert s.get(Batch, batch).on_hand == 3
        make_product(s, sku="LAIN-1")
        # its expiry still corrected, and a new number given to it
        batch_fix.correct_expiry(s, product_id=drug, batch_id=batch, expiry=EXPIRY + timedelta(days=1),
                                 reason="salah ketik", user_id=gr["manager"], today=TODAY)
        batch_fix.correct_number(s, product_id=drug, batch_id=batch, batch_no="K9", reason="salah ketik",
                                 user_id=gr["manager"])
        assert s.get(Batch, batch).batch_no == "K9"
