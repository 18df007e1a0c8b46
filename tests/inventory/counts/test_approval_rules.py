"""The below-zero rule for adjustments and write-offs, and the one approver rule (no
self-approval unless POS_SELF_APPROVAL) for adjustments, counts and receipt corrections,
on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from pos.db import get_db
from pos.errors import Forbidden, PosError
from pos.inventory import stock
from pos.inventory.catalog.models import Product
from pos.inventory.counts import adjustment_lists, adjustments, checks, counting
from pos.inventory.counts.models import ApprovalStatus, CountSession, StockAdjustment
from pos.inventory.models import Batch, MovementKind
from pos.inventory.receiving import posting, receipts, reversal
from pos.inventory.receiving.models import GoodsReceipt
from tests.factories import login, make_product, make_user


@pytest.fixture
def shop(db):
    with db.transaction() as s:
        clerk = make_user(s, "gudang1", "clerk")
        manager = make_user(s, "manajer1", "manager")
        boss = make_user(s, "manajer2", "manager")
        mie = make_product(s, name="Indomie Goreng", on_hand=10, cost=3_000)      # may go below zero
        beras = make_product(s, name="Beras curah", base_unit="gram", price=14_000, cost=12_000,
                             on_hand=5_000)                                       # may go below zero
        gula = make_product(s, name="Gula pasir", on_hand=5, stock_policy="block")
        obat = make_product(s, name="Paracetamol", business_unit="apotek", batch_tracked=True,
                            on_hand=6, cost=4_000, expiry=date(2030, 5, 31))
        batch = s.scalar(select(Batch.id).where(Batch.product_id == obat.id))
        return {"clerk": clerk.id, "manager": manager.id, "boss": boss.id, "mie": mie.id,
                "beras": beras.id, "gula": gula.id, "obat": obat.id, "batch": batch}


def run(db, fn, *args, **kwargs):
    with db.transaction() as s:
        return fn(s, *args, **kwargs)


def on_hand(db, product_id):
    with db.reading() as s:
        return stock.on_hand(s, product_id)


def sell(db, product_id, qty):
    with db.transaction() as s:
        stock.apply(s, [stock.Move(product_id, -qty, False, "uji")], MovementKind.SALE)


def writeoff(db, shop, product, qty, user="clerk", **kw):
    return run(db, adjustments.request_writeoff, shop[product], qty, "Karung basah kena hujan",
               shop[user], **kw).id


def adjust(db, shop, product, qty, user="clerk", **kw):
    return run(db, adjustments.request_adjustment, shop[product], qty, "Selisih hitung gudang",
               shop[user], **kw).id


def balanced(db):
    with db.reading() as s:
        return stock.discrepancies(s) == [] and stock.batch_discrepancies(s) == []


# --- Never below zero -------------------------------------------------------------------------

def test_a_writeoff_never_takes_a_product_below_zero_whatever_its_policy(db, shop):
    # The reported case: 14,945 kg of rice written off with 5 kg on hand left -9,945 kg.
    with pytest.raises(PosError, match=r"Beras curah sekarang 5 kg; tidak bisa dikurangi 14,945 kg\. "
                                       r"Barang yang tidak ada tidak bisa dimusnahkan"):
        writeoff(db, shop, "beras", 14_945)
    with db.reading() as s:
        assert s.scalar(select(StockAdjustment.id)) is None
    # A correction of the same product may still go below zero: it is sold below zero too.
    run(db, adjustments.approve, adjust(db, shop, "beras", -6_000), shop["manager"])
    assert on_hand(db, shop["beras"]) == -1_000 and balanced(db)


def test_a_writeoff_is_checked_again_at_approval_against_the_stock_then(db, shop):
    request_id = writeoff(db, shop, "mie", 4)
    sell(db, shop["mie"], 8)   # two left
    with pytest.raises(PosError, match="Indomie Goreng sekarang 2 pcs; tidak bisa dikurangi 4 pcs"):
        run(db, adjustments.approve, request_id, shop["manager"])
    assert on_hand(db, shop["mie"]) == 2
    with db.reading() as s:
        assert s.get(StockAdjustment, request_id).status is ApprovalStatus.PENDING
    assert balanced(db)


def test_the_stock_update_of_a_writeoff_is_guarded_in_sql(db, shop):
    """Even past the check (a sale between check and update), SQL refuses to go below zero."""
    with db.reading() as s:
        mie = s.get(Product, shop["mie"])
        assert checks.stock_move(mie, -3, None, writeoff=True, unit_cost=1).block_negative is True
        assert checks.stock_move(mie, -3, None, unit_cost=1).block_negative is False
    with pytest.raises(stock.OutOfStock), db.transaction() as s:
        product = s.get(Product, shop["mie"])
        stock.apply(s, [checks.stock_move(product, -11, None, writeoff=True, unit_cost=1)],
                    MovementKind.WRITEOFF)
    assert on_hand(db, shop["mie"]) == 10


def test_the_requests_waiting_are_counted_at_request_time(db, shop):
    writeoff(db, shop, "gula", 3)
    with pytest.raises(PosError, match="Gula pasir sekarang 5 pcs, 3 pcs sudah diajukan untuk dikurangi; "
                                       "tidak bisa dikurangi 3 pcs lagi"):
        adjust(db, shop, "gula", -3)
    adjust(db, shop, "gula", -2)             # exactly what is left
    with pytest.raises(PosError, match="sekarang 6 pcs; tidak bisa dikurangi 7 pcs"):
        writeoff(db, shop, "obat", 7, batch_id=shop["batch"])
    writeoff(db, shop, "obat", 4, batch_id=shop["batch"])
    with pytest.raises(PosError, match=r"Paracetamol batch AWAL-.* sekarang 6 pcs, 4 pcs sudah diajukan"):
        writeoff(db, shop, "obat", 3, batch_id=shop["batch"])
    adjust(db, shop, "obat", 5, batch_id=shop["batch"])  # an increase is never refused


def test_the_approval_list_shows_stock_change_value_and_a_shortfall(db, shop):
    writeoff(db, shop, "beras", 750)
    adjust(db, shop, "mie", 2)
    short = writeoff(db, shop, "obat", 5, batch_id=shop["batch"])
    with db.transaction() as s:   # sold from the batch meanwhile: 1 left
        stock.apply(s, [stock.Move(shop["obat"], -5, True, "uji", shop["batch"])], MovementKind.SALE)
    with db.reading() as s:
        rows = {r["name"]: r for r in adjustment_lists.requests(s, pending=True)}
    beras, mie, obat = rows["Beras curah"], rows["Indomie Goreng"], rows["Paracetamol"]
    assert (beras["on_hand"], beras["qty"], beras["after"], beras["value"], beras["short"]) == \
        (5_000, -750, 4_250, -9_000, False)                 # 0,75 kg x Rp12.000
    assert (mie["on_hand"], mie["after"], mie["value"], mie["short"]) == (10, 12, 6_000, False)
    assert (obat["id"], obat["on_hand"], obat["after"], obat["value"], obat["short"]) == \
        (short, 1, -4, -20_000, True)


# --- One approver rule ------------------------------------------------------------------------

def test_nobody_approves_their_own_adjustment(db, shop):
    own = adjust(db, shop, "mie", -1, user="manager")
    with pytest.raises(Forbidden, match="Anda buat sendiri"):
        run(db, adjustments.approve, own, shop["manager"])
    assert on_hand(db, shop["mie"]) == 10
    run(db, adjustments.approve, own, shop["boss"])
    with db.reading() as s:
        row = s.get(StockAdjustment, own)
        assert (row.status, row.decided_by, row.self_approved) == \
            (ApprovalStatus.APPROVED, shop["boss"], False)


def test_self_approval_when_the_outlet_allows_it_is_recorded(db, shop):
    own = adjust(db, shop, "mie", -1, user="manager")
    run(db, adjustments.approve, own, shop["manager"], allow_self=True)
    other = adjust(db, shop, "mie", -1)
    run(db, adjustments.approve, other, shop["manager"], allow_self=True)
    with db.reading() as s:
        assert s.get(StockAdjustment, own).self_approved is True
        assert s.get(StockAdjustment, other).self_approved is False
        history = {r["id"]: r["self_approved"] for r in adjustment_lists.requests(s, pending=False)}
    assert history == {own: True, other: False}
    assert on_hand(db, shop["mie"]) == 8


def test_a_count_is_not_approved_by_who_opened_or_counted_it(db, shop):
    opened = run(db, counting.open_count, "all", shop["manager"])
    run(db, counting.record, opened, shop["mie"], 9, shop["clerk"])
    with pytest.raises(Forbidden, match="Anda membuka atau ikut menghitung opname ini"):
        run(db, counting.approve, opened, shop["manager"])
    run(db, counting.record, opened, shop["gula"], 5, shop["boss"])
    with pytest.raises(Forbidden, match="ikut menghitung"):   # the boss counted a line, asked nothing
        run(db, counting.approve, opened, shop["boss"])
    run(db, counting.approve, opened, shop["boss"], allow_self=True)
    with db.reading() as s:
        count = s.get(CountSession, opened)
        assert (count.approved_by, count.self_approved) == (shop["boss"], True)
    assert on_hand(db, shop["mie"]) == 9
    other = run(db, counting.open_count, "all", shop["clerk"])
    run(db, counting.record, other, shop["mie"], 8, shop["clerk"])
    run(db, counting.approve, other, shop["manager"])
    with db.reading() as s:
        assert s.get(CountSession, other).self_approved is False


def test_a_receipt_correction_is_not_approved_by_who_made_it(db, shop):
    with db.transaction() as s:
        supplier = receipts.create_supplier(s, "Toko Grosir", "lainnya")
        receipt_id = receipts.create_draft(s, supplier, "SJ-9", shop["clerk"])
        receipts.add_line(s, receipt_id, shop["mie"], None, 5, 3_000)
        posting.post(s, receipt_id, shop["clerk"], date(2026, 1, 5))
    correction = run(db, reversal.create_reversal, receipt_id, shop["manager"], "Salah pemasok")
    with pytest.raises(Forbidden, match="Anda buat sendiri"):
        run(db, reversal.post_reversal, correction, shop["manager"], day=date(2026, 1, 5))
    assert on_hand(db, shop["mie"]) == 15
    run(db, reversal.post_reversal, correction, shop["manager"], allow_self=True,
        day=date(2026, 1, 5))
    with db.reading() as s:
        row = s.get(GoodsReceipt, correction)
        assert (row.approved_by, row.self_approved) == (shop["manager"], True)
    assert on_hand(db, shop["mie"]) == 10


# --- The screens ------------------------------------------------------------------------------

def test_the_approval_list_asks_first_and_refuses_own_requests(app_factory):
    app = app_factory()
    database = get_db(app)
    with database.transaction() as s:
        manager = make_user(s, "manajer1", "manager").id
        clerk = make_user(s, "gudang1", "clerk").id
        mie = make_product(s, name="Indomie Goreng", on_hand=10, cost=3_000).id
        obat = make_product(s, name="Paracetamol", batch_tracked=True, on_hand=8, cost=500)
        batch = s.scalar(select(Batch.id).where(Batch.product_id == obat.id))
        stock.move(s, obat, 5, MovementKind.OPENING, batch_id=stock.ensure_batch(s, obat.id, "B2", None))
    run(database, adjustments.request_writeoff, mie, 2, "Kemasan sobek", clerk)
    own = run(database, adjustments.request_adjustment, mie, -1, "Dipakai contoh", manager).id
    run(database, adjustments.request_writeoff, obat.id, 8, "Kedaluwarsa", clerk, batch_id=batch)
    client = app.test_client()
    login(client, manager)
    page = client.get("/penyesuaian").get_data(as_text=True)
    assert "Stok sekarang" in page and "-Rp6.000" in page and "Nilai (harga pokok)" in page
    assert 'data-confirm="Setujui pemusnahan #1: Indomie Goreng -2 (-Rp6.000)? Stok 10 menjadi 8.' in page
    # a batch's write-off: the batch's 8 become 0 (the product keeps the other batch's 5)
    assert f"? Stok batch AWAL-{obat.sku} 8 menjadi 0." in page
    assert "pengajuan Anda sendiri" in page
    assert client.post(f"/penyesuaian/{own}/setujui", headers={"HX-Request": "true"}).status_code == 403


def test_the_self_approval_setting_shows_on_the_screens(app_factory):
    app = app_factory(SELF_APPROVAL=True)
    database = get_db(app)
    with database.transaction() as s:
        manager = make_user(s, "manajer1", "manager").id
        mie = make_product(s, name="Indomie Goreng", on_hand=10).id
    own = run(database, adjustments.request_adjustment, mie, -1, "Dipakai contoh", manager).id
    client = app.test_client()
    login(client, manager)
    assert "dicatat sebagai persetujuan sendiri" in client.get("/penyesuaian").get_data(as_text=True)
    response = client.post(f"/penyesuaian/{own}/setujui", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "persetujuan sendiri, dicatat" in page and 'class="tag self-approved"' in page


def test_the_count_and_correction_screens_follow_the_approver_rule(app_factory):
    app = app_factory()
    database = get_db(app)
    with database.transaction() as s:
        manager = make_user(s, "manajer1", "manager").id
        clerk = make_user(s, "gudang1", "clerk").id
        mie = make_product(s, name="Indomie Goreng", on_hand=10).id
        supplier = receipts.create_supplier(s, "Toko Grosir", "lainnya")
        receipt_id = receipts.create_draft(s, supplier, "SJ-9", clerk)
        receipts.add_line(s, receipt_id, mie, None, 5, 3_000)
        posting.post(s, receipt_id, clerk, date(2026, 1, 5))
        own_count = counting.open_count(s, "all", manager)
    correction = run(database, reversal.create_reversal, receipt_id, manager, "Salah pemasok")
    client = app.test_client()
    login(client, manager)
    count_page = client.get(f"/opname/{own_count}").get_data(as_text=True)
    assert 'id="own-count"' in count_page
    assert f'action="/opname/{own_count}/setujui"' not in count_page
    receipt_page = client.get(f"/penerimaan/{correction}").get_data(as_text=True)
    assert 'id="own-correction"' in receipt_page and "Setujui &amp; posting" not in receipt_page
    refused = client.post(f"/penerimaan/{correction}/setujui", headers={"HX-Request": "true"})
    assert refused.status_code == 403 and "Anda buat sendiri" in refused.get_data(as_text=True)
    app.config["SELF_APPROVAL"] = True
    count_page = client.get(f"/opname/{own_count}").get_data(as_text=True)
    assert f'action="/opname/{own_count}/setujui"' in count_page
    assert "dicatat sebagai persetujuan sendiri" in count_page
    assert client.post(f"/penerimaan/{correction}/setujui", headers={"HX-Request": "true"}).status_code == 200
    assert "persetujuan sendiri" in client.get(f"/penerimaan/{correction}").get_data(as_text=True)
