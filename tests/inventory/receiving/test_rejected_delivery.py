"""A delivery rejected whole on SQLite and PostgreSQL: every line received 0 and its packs under
Rusak (a fertiliser delivery soaked by rain). Posting it was refused ("Belum ada barang yang
diterima"), so nothing recorded the delivery note and the damaged packs the cooperative claims
from the supplier. It posts now with no stock or cost change, its screens say nothing went into
stock, and there is nothing to correct; a correction that would take nothing out is refused."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pos.errors import PosError
from pos.inventory import stock
from pos.inventory.catalog.models import PriceChange, Product
from pos.inventory.catalog.packs import add_pack
from pos.inventory.models import StockMovement
from pos.inventory.receiving import posting, receipts, reversal
from pos.inventory.receiving.models import GoodsReceipt, ReceiptStatus
from tests.factories import login, make_product, outlet_today

TODAY = outlet_today()
HX = {"HX-Request": "true"}
SOAKED = {"ordered_packs": 20, "damaged_packs": 20, "reason": "basah kena hujan, ditolak"}


@pytest.fixture
def urea(db):
    """Subsidised urea kept in grams, 100 kg on hand at Rp2.000 per kg, sold by the karung."""
    with db.transaction() as s:
        product = make_product(s, name="Pupuk Urea Subsidi", base_unit="gram", weighed=True,
                               on_hand=100_000, cost=2_000, price=2_500)
        add_pack(s, product.id, "karung 50 kg", 50_000)
        return product.id


@pytest.fixture
def pupuk(db):
    with db.transaction() as s:
        return receipts.create_supplier(s, "Distributor Pupuk Kaltim", "pupuk")


def draft(db, gr, supplier, note, *lines) -> int:
    """A draft with ``lines`` = (product id, pack, packs received, cost per pack, extra)."""
    with db.transaction() as s:
        receipt_id = receipts.create_draft(s, supplier, note, gr["clerk"])
        for product_id, pack, packs, cost, extra in lines:
            receipts.add_line(s, receipt_id, product_id, pack, packs, cost, **extra)
    return receipt_id


def run(db, fn, *args, **kwargs):
    with db.transaction() as s:
        return fn(s, *args, **kwargs)


def ledger(db, product_id):
    """(on hand, cost, movements, cost changes) of a product; the stock ledger adds up."""
    with db.reading() as s:
        assert stock.discrepancies(s) == [] and stock.batch_discrepancies(s) == []
        moves = s.scalar(select(func.count()).select_from(StockMovement)
                         .where(StockMovement.product_id == product_id))
        costs = s.scalar(select(func.count()).select_from(PriceChange)
                         .where(PriceChange.product_id == product_id, PriceChange.field == "cost"))
        return stock.on_hand(s, product_id), s.get(Product, product_id).cost, moves, costs


def receipts_written(db) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(GoodsReceipt))


def status(db, receipt_id) -> ReceiptStatus:
    with db.reading() as s:
        return s.get(GoodsReceipt, receipt_id).status


def test_a_delivery_rejected_whole_posts_with_no_stock_or_cost_change(db, gr, urea, pupuk):
    """Its damaged packs and reasons are kept on the posted receipt; a batch-tracked line
    rejected whole needs no batch either (nothing of it goes into a batch)."""
    with db.transaction() as s:
        obat = make_product(s, name="Amoxicillin", business_unit="apotek", batch_tracked=True,
                            on_hand=0).id
    before = ledger(db, urea), ledger(db, obat)
    receipt_id = draft(db, gr, pupuk, "DO-PPK-0412", (urea, "karung 50 kg", 0, 112_500, SOAKED),
                       (obat, "pcs", 0, 5_000, {"damaged_packs": 4, "reason": "dus hancur"}))
    run(db, posting.post, receipt_id, gr["clerk"], TODAY)
    assert (ledger(db, urea), ledger(db, obat)) == before
    with db.reading() as s:
        posted = s.get(GoodsReceipt, receipt_id)
        assert (posted.status, posted.posted_by, posted.rejected_whole) == (
            ReceiptStatus.POSTED, gr["clerk"], True)
        assert [(line.qty_packs, line.ordered_packs, line.damaged_packs, line.reason)
                for line in posted.lines] == [(0, 20, 20, "basah kena hujan, ditolak"),
                                              (0, None, 4, "dus hancur")]
        assert not s.scalars(select(StockMovement).where(
            StockMovement.ref == f"receipt:{receipt_id}")).all()


def test_a_receipt_of_nothing_or_only_shortages_is_still_refused(db, gr, urea, pupuk):
    """No lines, lines that only say what never came, or a stray line beside the rejected ones:
    refused as before, the draft left as it was."""
    with pytest.raises(PosError, match="Belum ada barang yang diterima: isi jumlah diterima"):
        run(db, posting.post, draft(db, gr, pupuk, "DO-0"), gr["clerk"], TODAY)
    short = draft(db, gr, pupuk, "DO-1", (urea, "karung 50 kg", 0, 112_500,
                                          {"ordered_packs": 20, "reason": "belum dikirim"}))
    with pytest.raises(PosError, match="Belum ada barang yang diterima atau ditolak: isi jumlah "
                       "diterima, atau jumlah rusak bila barangnya ditolak, minimal satu baris."):
        run(db, posting.post, short, gr["clerk"], TODAY)
    with db.transaction() as s:
        rice = make_product(s, name="Beras Curah", on_hand=0).id
    stray = draft(db, gr, pupuk, "DO-2", (urea, "karung 50 kg", 0, 112_500, SOAKED),
                  (rice, "pcs", 0, 9_000, {}))
    with pytest.raises(posting.LineProblem, match="Beras Curah: jumlah diterima 0, tidak ada yang "
                       "rusak dan tidak dipesan") as refused:
        run(db, posting.post, stray, gr["clerk"], TODAY)
    assert refused.value.field == "qty_packs"
    assert status(db, short) is status(db, stray) is ReceiptStatus.DRAFT


def test_a_rejected_receipt_has_nothing_to_correct(db, gr, urea, pupuk):
    """Its correction would take nothing out of stock and only mark the delivery's record
    "Dikoreksi", freeing its delivery note: refused, nothing written."""
    receipt_id = draft(db, gr, pupuk, "DO-PPK-0413", (urea, "karung 50 kg", 0, 112_500, SOAKED))
    run(db, posting.post, receipt_id, gr["clerk"], TODAY)
    before, written = ledger(db, urea), receipts_written(db)
    with pytest.raises(PosError) as refused:
        run(db, reversal.create_reversal, receipt_id, gr["clerk"], "salah catat")
    number = f"GR-{receipt_id:06d}"
    assert refused.value.message == (
        f"{number} ditolak seluruhnya: tidak ada barang yang masuk stok, jadi tidak ada yang "
        "dikoreksi. Catatan barang rusak dan surat jalannya tetap disimpan untuk klaim ke pemasok.")
    assert (receipts_written(db), status(db, receipt_id), ledger(db, urea)) == (
        written, ReceiptStatus.POSTED, before)


def test_an_empty_correction_is_never_posted(db, gr, urea, pupuk):
    """A correction without a line to take out (one of a receipt that took nothing in, made
    before that was refused) marked its receipt "Dikoreksi" while its goods stayed in stock."""
    receipt_id = draft(db, gr, pupuk, "DO-PPK-0414", (urea, "karung 50 kg", 2, 112_500, {}))
    run(db, posting.post, receipt_id, gr["clerk"], TODAY)
    with db.transaction() as s:
        empty = receipts.new_receipt(s, gr["clerk"], supplier_id=pupuk, delivery_note="DO-PPK-0414",
                                     reverses_id=receipt_id, note="salah catat").id
    before = ledger(db, urea)
    with pytest.raises(PosError) as refused:
        run(db, reversal.post_reversal, empty, gr["manager"], day=TODAY)
    assert refused.value.message == (
        f"Koreksi GR-{empty:06d} kosong: tidak ada barang yang dikeluarkan dari stok, jadi tidak "
        "ada yang diposting. Batalkan koreksi ini.")
    assert (status(db, receipt_id), status(db, empty)) == (ReceiptStatus.POSTED, ReceiptStatus.DRAFT)
    assert ledger(db, urea) == before and before[0] == 200_000


def test_a_partly_rejected_receipts_correction_takes_back_only_what_came_in(db, gr, urea, pupuk):
    """The rejected line never reached stock, so its correction leaves the urea as it was and
    never takes it below what its movements hold."""
    with db.transaction() as s:
        mie = make_product(s, name="Mie Sedap", on_hand=0, cost=2_000).id
    receipt_id = draft(db, gr, pupuk, "DO-PPK-0415", (mie, "pcs", 5, 2_500, {}),
                       (urea, "karung 50 kg", 0, 112_500, SOAKED))
    urea_before = ledger(db, urea)
    run(db, posting.post, receipt_id, gr["clerk"], TODAY)
    with db.transaction() as s:
        correction = reversal.create_reversal(s, receipt_id, gr["clerk"], "salah pemasok")
        assert [(line.product_id, line.qty_packs, line.damaged_packs)
                for line in s.get(GoodsReceipt, correction).lines] == [(mie, 5, 0)]
        reversal.post_reversal(s, correction, gr["manager"], day=TODAY)
    assert ledger(db, mie)[:2] == (0, 2_000) and ledger(db, urea) == urea_before


def test_the_screens_post_it_and_say_nothing_went_into_stock(client, db, gr, urea, pupuk):
    login(client, gr["clerk"])
    taken = draft(db, gr, pupuk, "DO-PPK-0416", (urea, "karung 50 kg", 2, 112_500, {}))
    run(db, posting.post, taken, gr["clerk"], TODAY)
    rejected = draft(db, gr, pupuk, "DO-PPK-0417", (urea, "karung 50 kg", 0, 112_500, SOAKED))
    before = ledger(db, urea)
    asked = client.get(f"/penerimaan/{rejected}").get_data(as_text=True)  # the draft's Posting dialog
    assert "yang ditolak dicatat saja" in asked and "Stok dan harga pokok berubah" not in asked
    posted = client.post(f"/penerimaan/{rejected}/posting", headers=HX)
    assert posted.headers["HX-Redirect"] == f"/penerimaan/{rejected}"
    assert ledger(db, urea) == before
    page = client.get(f"/penerimaan/{rejected}").get_data(as_text=True)
    assert '<span class="tag gr-rejected">Ditolak seluruhnya</span> Tidak ada barang masuk stok' in page
    assert "basah kena hujan, ditolak" in page and "Buat koreksi" not in page
    other = client.get(f"/penerimaan/{taken}").get_data(as_text=True)
    assert "Buat koreksi" in other and "Ditolak seluruhnya" not in other
    listed = client.get("/penerimaan").get_data(as_text=True)
    assert listed.count('<span class="tag gr-rejected">ditolak seluruhnya</span>') == 1
    row = listed.split(f">GR-{rejected:06d}</a>", 1)[1].split("</tr>", 1)[0]
    assert "ditolak seluruhnya" in row and ">Rp0<" in row
    written = receipts_written(db)
    refused = client.post(f"/penerimaan/{rejected}/koreksi", data={"reason": "salah catat"},
                          headers=HX)
    assert refused.status_code == 422 and "ditolak seluruhnya: tidak ada barang yang masuk stok" \
        in refused.get_data(as_text=True)
    assert receipts_written(db) == written and status(db, rejected) is ReceiptStatus.POSTED


def test_a_manager_cannot_approve_an_empty_correction_on_screen(client, db, gr, urea, pupuk):
    receipt_id = draft(db, gr, pupuk, "DO-PPK-0418", (urea, "karung 50 kg", 1, 112_500, {}))
    run(db, posting.post, receipt_id, gr["clerk"], TODAY)
    with db.transaction() as s:
        empty = receipts.new_receipt(s, gr["clerk"], supplier_id=pupuk, delivery_note="DO-PPK-0418",
                                     reverses_id=receipt_id, note="salah catat").id
    before = ledger(db, urea)
    login(client, gr["manager"])
    refused = client.post(f"/penerimaan/{empty}/setujui", headers=HX)
    assert refused.status_code == 422 and f"Koreksi GR-{empty:06d} kosong" in refused.get_data(as_text=True)
    assert (status(db, receipt_id), status(db, empty)) == (ReceiptStatus.POSTED, ReceiptStatus.DRAFT)
    assert ledger(db, urea) == before
