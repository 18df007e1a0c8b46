"""The receiving screens' smaller fixes from the QA walkthrough: a correction's reason said once,
not again on every line; an expiry pasted with spaces around it is read, not cut to fit."""
from __future__ import annotations

from datetime import date

from pos.inventory.receiving import reversal
from pos.inventory.receiving.models import GoodsReceipt, GoodsReceiptLine
from tests.factories import login
from tests.inventory.receiving.test_receiving import HX, TODAY, draft, post, product


def test_a_corrections_reason_is_shown_once_not_on_every_line(client, db, gr):
    tea, coffee = product(db, name="Teh Celup", on_hand=0), product(db, name="Kopi Bubuk", on_hand=0)
    receipt_id = draft(db, gr, (tea, "pcs", 4, 3_000, {}),
                       (coffee, "pcs", 6, 9_000, {"ordered_packs": 7, "reason": "satu kurang"}))
    post(db, gr, receipt_id)
    with db.transaction() as s:
        correction = reversal.create_reversal(s, receipt_id, gr["clerk"], "salah pemasok sama sekali")
    login(client, gr["clerk"])
    page = " ".join(client.get(f"/penerimaan/{correction}").get_data(as_text=True).split())
    assert "<dt>Alasan koreksi</dt><dd>salah pemasok sama sekali</dd>" in page
    assert page.count("salah pemasok sama sekali") == 1
    assert 'class="gr-aside">Alasan' not in page                     # no column for it either
    original = client.get(f"/penerimaan/{receipt_id}").get_data(as_text=True)   # a line's own reason
    assert "Alasan: satu kurang" in original and 'class="gr-aside">Alasan' in original


def test_an_expiry_pasted_with_spaces_fits_the_box_and_is_read(client, db, gr):
    drug = product(db, name="Antasida", business_unit="apotek", batch_tracked=True, on_hand=0)
    receipt_id = draft(db, gr, (drug, "pcs", 2, 2_000, {}))
    with db.reading() as s:
        line_id = s.get(GoodsReceipt, receipt_id).lines[0].id
    login(client, gr["clerk"])
    page = client.get(f"/penerimaan/{receipt_id}").get_data(as_text=True)
    box = next(tag for tag in page.split("<input") if f'id="l{line_id}-expiry"' in tag)
    expiry = date(TODAY.year + 1, 6, 15)
    pasted = f"  {expiry:%d-%m-%Y}  "
    maxlength = int(box.split('maxlength="')[1].split('"')[0])
    assert maxlength >= len(pasted)                                   # 10 cut it to "  15-06-20"
    saved = client.post(f"/penerimaan/{receipt_id}/baris/{line_id}", headers=HX, data={
        "pack_name": "pcs", "qty_packs": "2", "damaged_packs": "0", "cost_per_pack": "2000",
        "batch_no": "ANT1", "reason": "", "expiry": pasted[:maxlength]})
    assert saved.status_code == 200
    with db.reading() as s:
        assert s.get(GoodsReceiptLine, line_id).expiry == expiry
