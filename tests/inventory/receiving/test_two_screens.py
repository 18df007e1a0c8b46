"""Two screens on one draft (QA walkthrough): a save from a screen that drew the line before it
was changed elsewhere overwrote it silently (tab B, still showing 1 pcs, changed only the cost:
the 10 pcs tab A had saved went back to 1), and F9 on tab A then posted 1 pcs, which neither
screen showed.  A line save carries the line as drawn (``version``) and a posting the receipt
as drawn (``receipt_version``); either is refused (409) when it changed since.  And a stale
screen whose receipt was posted elsewhere is reloaded (the badge then says Diposting)."""
from __future__ import annotations

import re
from datetime import date

from pos.inventory.receiving import posting, receipts, versions
from pos.inventory.receiving.models import GoodsReceipt, GoodsReceiptLine, ReceiptStatus
from tests.factories import login
from tests.inventory.receiving.test_receiving import HX, TODAY, draft, product


def _setup(client, db, gr):
    oil = product(db, name="Minyak Goreng 1 L", price=60_000, cost=50_000, on_hand=0)
    receipt_id = draft(db, gr, (oil, "pcs", 1, 50_000, {}))
    with db.reading() as s:
        line_id = s.get(GoodsReceipt, receipt_id).lines[0].id
    login(client, gr["clerk"])
    return receipt_id, line_id


def _drawn(client, receipt_id, line_id) -> tuple[str, str]:
    """(line version, receipt version) as the draft page draws them."""
    page = client.get(f"/penerimaan/{receipt_id}").get_data(as_text=True)
    line = re.search(rf'id="l{line_id}-version" name="version" value="([0-9a-f]+)"', page).group(1)
    whole = re.search(r'id="gr-version" name="receipt_version" value="([0-9a-f]+)"', page).group(1)
    return line, whole


def _form(qty: str, cost: str, version: str, receipt_version: str) -> dict:
    return {"pack_name": "pcs", "qty_packs": qty, "ordered_packs": "", "damaged_packs": "0",
            "cost_per_pack": cost, "reason": "", "version": version, "receipt_version": receipt_version}


def _stored(db, line_id):
    with db.reading() as s:
        line = s.get(GoodsReceiptLine, line_id)
        return line.qty_packs, line.cost_per_pack


def test_a_save_against_a_line_changed_on_another_screen_is_refused_with_what_is_stored(client, db, gr):
    receipt_id, line_id = _setup(client, db, gr)
    line_v, receipt_v = _drawn(client, receipt_id, line_id)      # both tabs open: 1 pcs at Rp50.000
    a = client.post(f"/penerimaan/{receipt_id}/baris/{line_id}",
                    data=_form("10", "52.500", line_v, receipt_v), headers=HX)
    assert a.status_code == 200
    text = a.get_data(as_text=True)
    assert "= 10 pcs · Rp525.000" in text
    new_line_v = re.search(rf'id="l{line_id}-version" name="version" value="([0-9a-f]+)"', text).group(1)
    assert new_line_v != line_v and 'id="gr-version"' in text    # tab A's screen moves on
    b = client.post(f"/penerimaan/{receipt_id}/baris/{line_id}",   # tab B: only the cost changed
                    data=_form("1", "50.000", line_v, receipt_v), headers=HX)
    assert b.status_code == 409
    said = " ".join(b.get_data(as_text=True).split())
    assert "Minyak Goreng 1 L: baris ini sudah diubah di layar lain" in said
    assert "Yang tersimpan sekarang: diterima 10 pcs, harga beli Rp52.500 per pcs." in said
    assert "Muat ulang halaman" in said
    assert _stored(db, line_id) == (10, 52_500)                  # nothing of tab B's save
    again = client.post(f"/penerimaan/{receipt_id}/baris/{line_id}",   # tab A saves again: its own
                        data=_form("12", "52.500", new_line_v, receipt_v), headers=HX)
    assert again.status_code == 200 and _stored(db, line_id) == (12, 52_500)


def test_posting_a_receipt_changed_since_the_screen_was_drawn_is_refused(client, db, gr):
    receipt_id, line_id = _setup(client, db, gr)
    line_v, receipt_v = _drawn(client, receipt_id, line_id)      # tab A, drawn at 1 pcs
    changed = client.post(f"/penerimaan/{receipt_id}/baris/{line_id}",   # tab B (drawn too) saves 10
                          data=_form("10", "50.000", line_v, receipt_v), headers=HX)
    assert changed.status_code == 200
    refused = client.post(f"/penerimaan/{receipt_id}/posting", data={"receipt_version": receipt_v},
                          headers=HX)
    assert refused.status_code == 409
    text = " ".join(refused.get_data(as_text=True).split())
    assert "tidak diposting: barisnya sudah diubah di layar lain" in text
    assert "= 10 pcs · Rp500.000" in text                         # the lines as stored now
    with db.reading() as s:
        assert s.get(GoodsReceipt, receipt_id).status is ReceiptStatus.DRAFT
    now = re.search(r'id="gr-version" name="receipt_version" value="([0-9a-f]+)"', text).group(1)
    posted = client.post(f"/penerimaan/{receipt_id}/posting", data={"receipt_version": now}, headers=HX)
    assert posted.headers["HX-Redirect"] == f"/penerimaan/{receipt_id}"
    with db.reading() as s:
        assert s.get(GoodsReceipt, receipt_id).status is ReceiptStatus.POSTED


def test_a_save_from_a_screen_behind_on_another_line_keeps_its_posting_refused(client, db, gr):
    """Tab A saves line 1 while tab B changed line 2: A's save goes in, but A's screen still
    shows line 2 as it was, so its posting carries the receipt as first drawn and is refused."""
    receipt_id, first = _setup(client, db, gr)
    sugar = product(db, name="Gula Pasir 1 kg", price=18_000, cost=15_000, on_hand=0)
    with db.transaction() as s:
        second = receipts.add_line(s, receipt_id, sugar, "pcs", 1, 15_000)
    first_v, receipt_v = _drawn(client, receipt_id, first)
    second_v, _ = _drawn(client, receipt_id, second)
    b = client.post(f"/penerimaan/{receipt_id}/baris/{second}",
                    data=_form("5", "15.000", second_v, receipt_v),
                    headers=HX)
    assert b.status_code == 200
    a = client.post(f"/penerimaan/{receipt_id}/baris/{first}", data=_form("3", "50.000", first_v, receipt_v),
                    headers=HX)
    assert a.status_code == 200 and 'id="gr-version"' not in a.get_data(as_text=True)
    refused = client.post(f"/penerimaan/{receipt_id}/posting", data={"receipt_version": receipt_v},
                          headers=HX)
    assert refused.status_code == 409


def test_the_receipt_version_follows_every_line_value(db, gr):
    oil = product(db, name="Minyak", on_hand=0)
    receipt_id = draft(db, gr, (oil, "pcs", 1, 50_000, {}))
    with db.transaction() as s:
        receipt = s.get(GoodsReceipt, receipt_id)
        before = versions.receipt_version(receipt), versions.line_version(receipt.lines[0])
        receipt.lines[0].cost_per_pack = 50_001
        assert (versions.receipt_version(receipt), versions.line_version(receipt.lines[0])) != before
        receipt.lines[0].cost_per_pack = 50_000
        assert (versions.receipt_version(receipt), versions.line_version(receipt.lines[0])) == before
        receipt.lines[0].expiry = date(2030, 1, 1)
        assert versions.receipt_version(receipt) != before[0]


def test_a_stale_screen_of_a_receipt_posted_elsewhere_is_reloaded(client, db, gr):
    """The other tab posted: this one's save and F9 were refused with the right message, but
    its badge still said Draf. The refusal now reloads the page (posted, with the message)."""
    receipt_id, line_id = _setup(client, db, gr)
    with db.transaction() as s:
        posting.post(s, receipt_id, gr["clerk"], TODAY)
    for url, data in ((f"/penerimaan/{receipt_id}/baris/{line_id}", _form("2", "50.000", "", "")),
                      (f"/penerimaan/{receipt_id}/posting", {}),
                      (f"/penerimaan/{receipt_id}/hapus", {})):
        refused = client.post(url, data=data, headers=HX)
        assert refused.status_code == 422 and refused.headers.get("HX-Refresh") == "true"
        said = refused.get_data(as_text=True)
        assert "sudah diposting dan tidak bisa di" in said
        page = client.get(f"/penerimaan/{receipt_id}").get_data(as_text=True)
        assert 'class="gr-status gr-posted">Diposting<' in page
        assert said.split("sudah diposting")[1].split(".")[0] in page   # the message on the reloaded page
