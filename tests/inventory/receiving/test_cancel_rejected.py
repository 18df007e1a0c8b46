"""A delivery rejected whole that was posted by mistake (the goods were in fact taken in, or the
wrong delivery note) could not be undone: it offers no correction (nothing to take back), and a
posted receipt is never edited, so the wrong record stood on the list for good. A manager now
cancels it with a reason: who, when and why are kept and shown on its page, the list and the
audit log; no stock, cost or journal line changes (it never had any); its delivery note may be
used again. A receipt that moved stock is refused: its correction takes its goods back out."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pos import chart as charts
from pos.errors import PosError
from pos.inventory.catalog.models import PriceChange
from pos.inventory.models import StockMovement
from pos.inventory.receiving import cancel, posting, queries, receipts
from pos.inventory.receiving.models import GoodsReceipt, ReceiptStatus
from pos.ledger.journal import day_journal
from pos.reports.audit import audit_log
from tests.factories import login, make_product, outlet_today
from tests.inventory.receiving.test_rejected_delivery import SOAKED, draft, ledger

TODAY = outlet_today()
HX = {"HX-Request": "true"}
ZONE = "Asia/Makassar"


@pytest.fixture
def urea(db):
    with db.transaction() as s:
        product = make_product(s, name="Pupuk Urea Subsidi", base_unit="gram", weighed=True,
                               on_hand=100_000, cost=2_000, price=2_500)
        return product.id


@pytest.fixture
def pupuk(db):
    with db.transaction() as s:
        return receipts.create_supplier(s, "Distributor Pupuk Kaltim", "pupuk")


def posted(db, gr, pupuk, urea, note, packs=0, extra=SOAKED) -> int:
    receipt_id = draft(db, gr, pupuk, note, (urea, None, packs, 2_000, extra))
    with db.transaction() as s:
        posting.post(s, receipt_id, gr["clerk"], TODAY)
    return receipt_id


def writes(db) -> tuple[int, int]:
    with db.reading() as s:
        return (s.scalar(select(func.count()).select_from(StockMovement)),
                s.scalar(select(func.count()).select_from(PriceChange)))


def test_a_manager_cancels_a_rejected_receipt_with_a_reason(app, db, gr, urea, pupuk):
    rejected = posted(db, gr, pupuk, urea, "DO-11")
    before, written = ledger(db, urea), writes(db)
    manager = app.test_client()
    login(manager, gr["manager"])
    page = manager.get(f"/penerimaan/{rejected}").get_data(as_text=True)
    assert 'id="gr-cancel"' in page and "Batalkan penerimaan" in page
    empty = manager.post(f"/penerimaan/{rejected}/batalkan", data={"reason": " "}, headers=HX)
    assert empty.status_code == 422 and "Tulis alasan pembatalan" in empty.get_data(as_text=True)
    done = manager.post(f"/penerimaan/{rejected}/batalkan", headers=HX,
                        data={"reason": "salah posting: pupuknya ternyata diterima"})
    assert done.status_code in (200, 204, 302), done.get_data(as_text=True)
    with db.reading() as s:
        receipt = s.get(GoodsReceipt, rejected)
        assert receipt.status is ReceiptStatus.POSTED and receipt.cancelled_by == gr["manager"]
        assert receipt.cancelled_at is not None
        assert receipt.cancel_reason == "salah posting: pupuknya ternyata diterima"
        journal = day_journal(s, TODAY, zone=ZONE, chart=charts.chart())
        logged = audit_log(s, TODAY, TODAY, zone=ZONE, kind="receipt_cancel").rows
    assert ledger(db, urea) == before and writes(db) == written      # no stock, no cost
    assert journal == []                                             # booked nothing, before or after
    [row] = logged
    assert (row["kind"], row["user"]) == ("Batal penerimaan", "Manajer")
    assert "dibatalkan; alasan: salah posting" in row["detail"]
    page = manager.get(f"/penerimaan/{rejected}").get_data(as_text=True)
    assert 'id="gr-cancelled"' in page and "Manajer" in page and "salah posting: pupuknya" in page
    assert 'id="gr-cancel"' not in page and "Buat koreksi" not in page
    listed = manager.get("/penerimaan").get_data(as_text=True)
    assert '<span class="tag gr-cancelled">dibatalkan</span>' in listed
    again = manager.post(f"/penerimaan/{rejected}/batalkan", data={"reason": "lagi"}, headers=HX)
    assert again.status_code == 422 and "sudah dibatalkan" in again.get_data(as_text=True)
    # its delivery note may be used again for the right receipt, unasked
    right = draft(db, gr, pupuk, "DO-11", (urea, None, 20, 2_000, {}))
    with db.reading() as s:
        assert queries.same_delivery_note(s, s.get(GoodsReceipt, right)) == []


def test_only_a_manager_cancels(app, db, gr, urea, pupuk):
    rejected = posted(db, gr, pupuk, urea, "DO-12")
    clerk = app.test_client()
    login(clerk, gr["clerk"])
    assert 'id="gr-cancel"' not in clerk.get(f"/penerimaan/{rejected}").get_data(as_text=True)
    refused = clerk.post(f"/penerimaan/{rejected}/batalkan", data={"reason": "salah posting"}, headers=HX)
    assert refused.status_code == 403
    with db.reading() as s:
        assert s.get(GoodsReceipt, rejected).cancelled_at is None


def test_a_receipt_that_moved_stock_is_not_cancelled(app, db, gr, urea, pupuk):
    taken = posted(db, gr, pupuk, urea, "DO-13", packs=20, extra={})
    with db.transaction() as s:
        other = receipts.create_draft(s, pupuk, "DO-14", gr["clerk"])
        receipts.add_line(s, other, urea, None, 5, 2_000)
    before, written = ledger(db, urea), writes(db)
    for receipt_id, message in ((taken, "memasukkan barang ke stok"),
                                (other, "Hanya penerimaan yang diposting")):   # a draft
        with pytest.raises(PosError, match=message), db.transaction() as s:
            cancel.cancel_rejected(s, receipt_id, gr["manager"], "salah posting")
    manager = app.test_client()
    login(manager, gr["manager"])
    page = manager.get(f"/penerimaan/{taken}").get_data(as_text=True)
    assert 'id="gr-cancel"' not in page and "Buat koreksi" in page   # the way that exists for it
    refused = manager.post(f"/penerimaan/{taken}/batalkan", data={"reason": "salah posting"}, headers=HX)
    assert refused.status_code == 422 and "buat koreksi" in refused.get_data(as_text=True)
    assert ledger(db, urea) == before and writes(db) == written
    with db.reading() as s:
        assert s.scalars(select(GoodsReceipt.cancelled_at)).all() == [None, None]
