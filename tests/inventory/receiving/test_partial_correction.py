"""A correction of chosen lines and quantities (a partial correction).

A stock clerk's walk-through: GR-000001 from Bulog brought five lines, one a wrong item (40
Indomie Soto never ordered).  The till had meanwhile sold 10 of its eggs, and the correction
copied every line, so the manager's approval was refused on the eggs ("stok Telur ... tinggal
260 pcs, diterima 270 pcs") and only a Penyesuaian was left, Utang usaha staying too high.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from pos.errors import PosError
from pos.inventory import stock
from pos.inventory.models import MovementKind
from pos.inventory.receiving import reversal
from pos.inventory.receiving.models import GoodsReceipt, GoodsReceiptLine, ReceiptStatus
from tests.factories import login
from tests.inventory.receiving.test_receiving import HX, TODAY, draft, post, product, state


@pytest.fixture
def delivery(db, gr):
    """Five lines received: eggs (270), the wrong Indomie Soto (40) and three more; 10 eggs
    sold since.  (receipt id, {name: product id}, {name: line id})"""
    names = {"telur": (270, 1_800), "soto": (40, 3_100), "beras": (20, 62_000),
             "gula": (30, 17_500), "minyak": (24, 19_000)}
    ids = {name: product(db, name=name, cost=cost, price=cost + 1_000, on_hand=0)
           for name, (_qty, cost) in names.items()}
    receipt_id = draft(db, gr, *[(ids[n], "pcs", qty, cost, {}) for n, (qty, cost) in names.items()])
    post(db, gr, receipt_id)
    with db.transaction() as s:
        stock.apply(s, [stock.Move(ids["telur"], -10)], MovementKind.SALE)
        lines = {name: s.scalar(select(GoodsReceiptLine.id).where(
            GoodsReceiptLine.receipt_id == receipt_id, GoodsReceiptLine.product_id == pid))
            for name, pid in ids.items()}
    return receipt_id, ids, lines


def test_only_the_wrong_line_is_corrected_after_other_goods_were_sold(db, gr, delivery):
    receipt_id, ids, lines = delivery
    with pytest.raises(PosError) as refused, db.transaction() as s:   # the whole receipt: refused
        reversal.create_reversal(s, receipt_id, gr["clerk"], "soto tidak dipesan")
    message = refused.value.message
    assert "tinggal 260 pcs, diterima 270 pcs." in message
    assert "hapus centang baris yang benar atau kurangi jumlahnya" in message
    assert "Penyesuaian stok" in message
    with db.transaction() as s:
        fix = reversal.create_reversal(s, receipt_id, gr["clerk"], "soto tidak dipesan",
                                       take={lines["soto"]: 40})
    with db.transaction() as s:
        reversal.post_reversal(s, fix, gr["manager"], day=TODAY)
    assert state(db, ids["soto"])[:2] == (0, 3_100)
    assert state(db, ids["telur"])[0] == 260                 # the eggs as the till left them
    assert all(state(db, ids[n])[0] == q for n, q in (("beras", 20), ("gula", 30), ("minyak", 24)))
    with db.reading() as s:
        correction = s.get(GoodsReceipt, fix)
        assert [(x.product_id, x.qty_packs, x.cost_per_pack) for x in correction.lines] == [
            (ids["soto"], 40, 3_100)]
        assert correction.status is ReceiptStatus.POSTED
        original = s.get(GoodsReceipt, receipt_id)
        assert original.status is ReceiptStatus.POSTED          # the rest of it stands
        left = reversal.remaining(s, original)
        assert left[lines["soto"]] == 0 and left[lines["telur"]] == 270


def test_a_chosen_quantity_above_what_remains_is_refused_changing_nothing(db, gr, delivery):
    receipt_id, ids, lines = delivery
    for take, words in (({lines["soto"]: 41}, "jumlah yang dikoreksi 1 sampai 40 pcs"),
                        ({lines["soto"]: 0}, "jumlah yang dikoreksi 1 sampai 40 pcs"),
                        ({lines["telur"]: 261}, "tinggal 260 pcs, dikoreksi 261 pcs."),
                        ({999_999: 1}, "bukan baris"), ({}, "Pilih baris")):
        with pytest.raises(PosError) as refused, db.transaction() as s:
            reversal.create_reversal(s, receipt_id, gr["clerk"], "salah", take=take)
        assert words in refused.value.message
    with db.reading() as s:
        assert reversal.pending_reversal(s, receipt_id) is None
    assert state(db, ids["telur"])[0] == 260 and state(db, ids["soto"])[0] == 40
    with db.transaction() as s:   # part of a line: 260 of the eggs still on hand may go back
        fix = reversal.create_reversal(s, receipt_id, gr["clerk"], "telur retak",
                                       take={lines["telur"]: 260})
        reversal.post_reversal(s, fix, gr["manager"], day=TODAY)
    assert state(db, ids["telur"])[0] == 0
    for qty, words in ((11, "jumlah yang dikoreksi 1 sampai 10 pcs"),   # 10 sold, not corrected
                       (10, "tinggal 0 pcs, dikoreksi 10 pcs.")):
        with pytest.raises(PosError) as refused, db.transaction() as s:
            reversal.create_reversal(s, receipt_id, gr["clerk"], "lagi", take={lines["telur"]: qty})
        assert words in refused.value.message


def test_corrections_of_every_line_in_turn_reverse_the_receipt(db, gr, delivery):
    """A second correction may take what the first left; when nothing is left the receipt is
    REVERSED, as after a full correction."""
    receipt_id, ids, lines = delivery
    with db.transaction() as s:
        stock.apply(s, [stock.Move(ids["telur"], 10)], MovementKind.ADJUSTMENT)   # found again
        first = reversal.create_reversal(s, receipt_id, gr["clerk"], "soto", take={lines["soto"]: 40})
        reversal.post_reversal(s, first, gr["manager"], day=TODAY)
        rest = reversal.create_reversal(s, receipt_id, gr["clerk"], "semua salah kirim")
        assert sorted(x.product_id for x in s.get(GoodsReceipt, rest).lines) == sorted(
            ids[n] for n in ("telur", "beras", "gula", "minyak"))
        reversal.post_reversal(s, rest, gr["manager"], day=TODAY)
    with db.reading() as s:
        assert s.get(GoodsReceipt, receipt_id).status is ReceiptStatus.REVERSED
    assert all(state(db, pid)[0] == 0 for pid in ids.values())


def test_the_screen_offers_each_line_and_takes_only_the_chosen_ones(client, db, gr, delivery):
    receipt_id, ids, lines = delivery
    login(client, gr["clerk"])
    page = client.get(f"/penerimaan/{receipt_id}").get_data(as_text=True)
    assert page.count('name="line"') == 5 and 'name="pilih" value="1"' in page
    assert f'name="qty_{lines["soto"]}"' in page and 'value="40"' in page
    url = f"/penerimaan/{receipt_id}/koreksi"
    base = {"reason": "soto tidak dipesan", "pilih": "1"}
    for form, words in (({"line": str(lines["soto"]), f"qty_{lines['soto']}": "41"}, "1 sampai 40 pcs"),
                        ({"line": str(lines["soto"]), f"qty_{lines['soto']}": "empat"}, "angka bulat"),
                        ({"line": "x1"}, "Baris yang dipilih"),
                        ({}, "Pilih baris")):
        refused = client.post(url, data=base | form, headers=HX)
        assert refused.status_code == 422 and words in refused.get_data(as_text=True), form
    with db.reading() as s:
        assert reversal.pending_reversal(s, receipt_id) is None
    made = client.post(url, data=base | {"line": str(lines["soto"]), f"qty_{lines['soto']}": "40"},
                       headers=HX)
    fix = int(made.headers["HX-Redirect"].rsplit("/", 1)[1])
    with db.reading() as s:
        assert [(x.product_id, x.qty_packs) for x in s.get(GoodsReceipt, fix).lines] == [(ids["soto"], 40)]
    login(client, gr["manager"])
    approved = client.post(f"/penerimaan/{fix}/setujui", headers=HX)
    assert approved.headers["HX-Redirect"] == f"/penerimaan/{fix}"
    assert state(db, ids["soto"])[0] == 0 and state(db, ids["telur"])[0] == 260


def test_a_line_rejected_whole_is_refused_for_its_own_reason(client, db, gr):
    """A line received 0 (all 6 packs damaged, sent back) chosen for a correction was refused as
    'sudah dikoreksi seluruhnya', though nothing of it ever came in or was corrected."""
    kept, soaked = product(db, name="Teh Celup", cost=5_000, on_hand=0), \
        product(db, name="Kopi Bubuk", cost=9_000, on_hand=0)
    receipt_id = draft(db, gr, (kept, "pcs", 12, 5_000, {}),
                       (soaked, "pcs", 0, 9_000, {"damaged_packs": 6, "reason": "basah, ditolak"}))
    post(db, gr, receipt_id)
    with db.reading() as s:
        line = s.scalar(select(GoodsReceiptLine.id).where(GoodsReceiptLine.product_id == soaked))
    login(client, gr["clerk"])
    refused = client.post(f"/penerimaan/{receipt_id}/koreksi", headers=HX,
                          data={"reason": "kopi salah", "pilih": "1", "line": str(line), f"qty_{line}": "1"})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert ("Kopi Bubuk: baris ini ditolak seluruhnya: tidak ada barang yang masuk stok, jadi tidak ada "
            "yang dikoreksi.") in text and "sudah dikoreksi seluruhnya" not in text
    with db.reading() as s:
        assert reversal.pending_reversal(s, receipt_id) is None
