"""Manual adjustments and write-offs on SQLite and PostgreSQL: reason, batch, manager approval."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from pos.errors import Forbidden, NotFound, PosError
from pos.inventory import stock
from pos.inventory.catalog.models import Product
from pos.inventory.counts import adjustment_lists, adjustments
from pos.inventory.counts.models import AdjustmentKind, ApprovalStatus, StockAdjustment
from pos.inventory.models import Batch, MovementKind, StockMovement
from tests.factories import login, make_product, make_user

TODAY = date(2025, 6, 1)


@pytest.fixture
def shop(db):
    with db.transaction() as s:
        clerk = make_user(s, "gudang1", "clerk")
        manager = make_user(s, "manajer1", "manager")
        mie = make_product(s, name="Indomie Goreng", on_hand=10, barcodes_=["8998866200301"])
        gula = make_product(s, name="Gula pasir", on_hand=5, stock_policy="block")
        obat = make_product(s, name="Paracetamol", business_unit="apotek", batch_tracked=True,
                            on_hand=6, expiry=date(2025, 5, 31))
        fresh = stock.ensure_batch(s, obat.id, "B-BARU", date(2030, 1, 31))
        stock.move(s, obat, 4, MovementKind.RECEIPT, batch_id=fresh)
        expired = s.scalar(select(Batch.id).where(Batch.product_id == obat.id, Batch.id != fresh))
        return {"clerk": clerk.id, "manager": manager.id, "mie": mie.id, "gula": gula.id,
                "obat": obat.id, "expired": expired, "fresh": fresh}


def run(db, fn, *args, **kwargs):
    with db.transaction() as s:
        return fn(s, *args, **kwargs)


def on_hand(db, product_id, batch_id=None):
    with db.reading() as s:
        if batch_id:
            return s.scalar(select(Batch.on_hand).where(Batch.id == batch_id))
        return stock.on_hand(s, product_id)


def stored(db, adjustment_id):
    with db.reading() as s:
        return s.get(StockAdjustment, adjustment_id)


def movements(db, kind):
    with db.reading() as s:
        return s.execute(select(StockMovement).where(StockMovement.kind == kind)
                         .order_by(StockMovement.id)).scalars().all()


def assert_ledger_balances(db):
    with db.reading() as s:
        assert stock.discrepancies(s) == []
        assert stock.batch_discrepancies(s) == []


def request(db, shop, product, qty, reason="Kemasan rusak", **kw):
    return run(db, adjustments.request_adjustment, shop[product], qty, reason, shop["clerk"],
               **kw).id


@pytest.mark.parametrize("reason", ["", "   ", "rus", None])
def test_a_reason_is_required(db, shop, reason):
    with pytest.raises(PosError, match="alasan"):
        request(db, shop, "mie", -2, reason=reason)
    with db.reading() as s:
        assert s.scalar(select(StockAdjustment.id)) is None


def test_batch_is_required_for_batch_tracked_goods(db, shop):
    with pytest.raises(PosError, match="pilih batchnya"):
        request(db, shop, "obat", -1)
    other = run(db, lambda s: stock.ensure_batch(s, shop["mie"], "X1", None))
    with pytest.raises(PosError, match="bukan milik"):
        request(db, shop, "obat", -1, batch_id=other)
    with pytest.raises(PosError, match="tidak dicatat per batch"):
        request(db, shop, "mie", -1, batch_id=shop["fresh"])


@pytest.mark.parametrize("qty", [0, 10_000_001, 100_001, True])
def test_bad_quantities_are_refused(db, shop, qty):
    """100.001 pieces in one request is a typo (9.999.999 pieces of Indomie was asked for)."""
    with pytest.raises(PosError, match="Jumlah"):
        request(db, shop, "mie", qty)


def test_approval_posts_one_adjustment_movement(db, shop):
    adjustment_id = request(db, shop, "mie", -3, reason="Dimakan tikus di gudang")
    assert on_hand(db, shop["mie"]) == 10  # a request changes nothing
    run(db, adjustments.approve, adjustment_id, shop["manager"])
    assert on_hand(db, shop["mie"]) == 7
    [move] = movements(db, MovementKind.ADJUSTMENT)
    assert (move.qty, move.ref, move.user_id, move.reason) == \
        (-3, f"adjustment:{adjustment_id}", shop["manager"], "Dimakan tikus di gudang")
    row = stored(db, adjustment_id)
    assert (row.status, row.decided_by, row.requested_by) == \
        (ApprovalStatus.APPROVED, shop["manager"], shop["clerk"])
    assert_ledger_balances(db)


def test_rejection_posts_nothing_and_deciding_twice_is_refused(db, shop):
    first = request(db, shop, "mie", 5, reason="Salah hitung saat terima")
    run(db, adjustments.reject, first, shop["manager"], "Cek ulang faktur")
    assert on_hand(db, shop["mie"]) == 10 and movements(db, MovementKind.ADJUSTMENT) == []
    assert stored(db, first).status is ApprovalStatus.REJECTED
    assert stored(db, first).reason.endswith("Ditolak: Cek ulang faktur")
    with pytest.raises(PosError, match="sudah ditolak"):
        run(db, adjustments.approve, first, shop["manager"])
    second = request(db, shop, "mie", 1)
    run(db, adjustments.approve, second, shop["manager"])
    with pytest.raises(PosError, match="sudah disetujui"):
        run(db, adjustments.reject, second, shop["manager"], "")
    with pytest.raises(PosError, match="sudah disetujui"):
        run(db, adjustments.approve, second, shop["manager"])
    assert on_hand(db, shop["mie"]) == 11
    assert_ledger_balances(db)


def test_only_managers_decide(db, shop):
    adjustment_id = request(db, shop, "mie", -1)
    with pytest.raises(Forbidden):
        run(db, adjustments.approve, adjustment_id, shop["clerk"])
    with pytest.raises(Forbidden):
        run(db, adjustments.reject, adjustment_id, shop["clerk"], "")
    with pytest.raises(NotFound):
        run(db, adjustments.approve, 999, shop["manager"])
    assert stored(db, adjustment_id).status is ApprovalStatus.PENDING


def test_expired_batch_is_written_off_to_zero(db, shop):
    with db.reading() as s:
        expired = adjustment_lists.expired_batches(s, TODAY)
    assert [(b.batch_id, b.on_hand, b.requested) for b in expired] == [(shop["expired"], 6, False)]
    with pytest.raises(PosError, match="belum kedaluwarsa"):
        run(db, adjustments.request_expired_writeoff, shop["fresh"], shop["clerk"], TODAY)
    writeoff = run(db, adjustments.request_expired_writeoff, shop["expired"], shop["clerk"], TODAY)
    assert (writeoff.kind, writeoff.qty, writeoff.reason) == \
        (AdjustmentKind.WRITEOFF, -6, "Kedaluwarsa 31-05-2025")
    with pytest.raises(PosError, match="sudah diajukan"):
        run(db, adjustments.request_expired_writeoff, shop["expired"], shop["clerk"], TODAY)
    run(db, adjustments.approve, writeoff.id, shop["manager"])
    assert on_hand(db, shop["obat"], shop["expired"]) == 0
    assert on_hand(db, shop["obat"]) == 4
    [move] = movements(db, MovementKind.WRITEOFF)
    assert (move.batch_id, move.qty, move.user_id) == (shop["expired"], -6, shop["manager"])
    with db.reading() as s:
        assert adjustment_lists.expired_batches(s, TODAY) == []
    assert_ledger_balances(db)


def test_writeoff_larger_than_stock_is_refused(db, shop):
    with pytest.raises(PosError, match="tidak bisa dikurangi 7"):
        run(db, adjustments.request_writeoff, shop["obat"], 7, "Botol pecah", shop["clerk"],
            batch_id=shop["expired"])
    writeoff = run(db, adjustments.request_writeoff, shop["obat"], 3, "Botol pecah", shop["clerk"],
                   batch_id=shop["fresh"]).id
    with db.transaction() as s:  # sold meanwhile: the batch holds 2
        stock.apply(s, [stock.Move(shop["obat"], -2, True, "uji", shop["fresh"])],
                    MovementKind.SALE)
    with pytest.raises(PosError, match="sekarang 2"):
        run(db, adjustments.approve, writeoff, shop["manager"])
    assert on_hand(db, shop["obat"], shop["fresh"]) == 2
    assert stored(db, writeoff).status is ApprovalStatus.PENDING
    with pytest.raises(PosError, match="lebih dari nol"):
        run(db, adjustments.request_writeoff, shop["mie"], -1, "Botol pecah", shop["clerk"])
    assert_ledger_balances(db)


def test_negative_stock_only_where_the_product_allows_it(db, shop):
    with pytest.raises(PosError, match="Gula pasir sekarang 5"):
        request(db, shop, "gula", -6)
    adjustment_id = request(db, shop, "mie", -12, reason="Hilang saat banjir")
    run(db, adjustments.approve, adjustment_id, shop["manager"])
    assert on_hand(db, shop["mie"]) == -2  # this product sells below zero, with a warning
    assert_ledger_balances(db)


# --- The screen, through HTTP --------------------------------------------------------------

HX = {"HX-Request": "true"}


def test_clerk_requests_and_manager_approves_over_http(app, db, shop):
    clerk, manager = app.test_client(), app.test_client()
    login(clerk, shop["clerk"])
    login(manager, shop["manager"])
    page = clerk.get("/penyesuaian").get_data(as_text=True)
    assert "Ajukan pemusnahan" in page and "Kode barang" in page
    form = clerk.get("/penyesuaian/pilih?code=8998866200301", headers=HX)
    assert form.status_code == 200 and "Alasan" in form.get_data(as_text=True)
    bad = clerk.post("/penyesuaian", headers=HX, data={
        "kind": "adjustment", "product_id": shop["mie"], "qty": "-2", "reason": "x"})
    assert bad.status_code == 422
    sent = clerk.post("/penyesuaian", headers=HX, data={
        "kind": "writeoff", "product_id": shop["mie"], "qty": "2", "reason": "Kemasan sobek"})
    assert sent.status_code == 200 and 'id="pending"' in sent.get_data(as_text=True)
    with db.reading() as s:
        adjustment_id = s.scalar(select(StockAdjustment.id))
    listed = manager.get("/penyesuaian").get_data(as_text=True)   # Tolak asks first, as Setujui
    assert f'data-confirm="Tolak pemusnahan #{adjustment_id}: ' in listed
    assert 'placeholder="alasan penolakan"' in listed
    assert clerk.post(f"/penyesuaian/{adjustment_id}/setujui", headers=HX).status_code == 403
    assert manager.post(f"/penyesuaian/{adjustment_id}/setujui").status_code == 303
    assert on_hand(db, shop["mie"]) == 8
    assert clerk.post(f"/penyesuaian/batch/{shop['expired']}/musnahkan").status_code == 303
    assert "sudah diajukan" in clerk.get("/penyesuaian").get_data(as_text=True)


def test_the_approval_list_says_how_many_wait_beyond_the_fifty_it_shows(app, db, shop):
    """53 waiting, "Menunggu persetujuan (50)" and nothing more said; the home page said 53."""
    for n in range(53):
        request(db, shop, "mie", 1, reason=f"Salah hitung {n}")
    client = app.test_client()
    login(client, shop["manager"])
    page = client.get("/penyesuaian").get_data(as_text=True)
    assert "Menunggu persetujuan (53)" in page
    assert 'id="pending-more">Tampil 50 yang paling lama dari 53' in page


EXPIRED_SAID = ("Batch AWAL-{sku} sudah kedaluwarsa (31-05-2025): stok tidak bisa ditambah ke batch ini. "
                "Jika tanggalnya salah, perbaiki kedaluwarsanya dulu.")


def test_stock_is_never_added_to_an_expired_batch(app, db, shop):
    """+5 into a batch expired since 31-05-2025 was accepted: stock the till will never sell.
    Taken out of it (a loss, a write-off) and added to a good batch still go ahead."""
    with db.reading() as s:
        said = EXPIRED_SAID.format(sku=s.get(Product, shop["obat"]).sku)
    clerk = app.test_client()
    login(clerk, shop["clerk"])
    sent = clerk.post("/penyesuaian", headers=HX, data={
        "kind": "adjustment", "product_id": shop["obat"], "batch_id": shop["expired"], "qty": "5",
        "reason": "ketemu di gudang"})
    assert sent.status_code == 422 and said in sent.get_data(as_text=True)
    with pytest.raises(PosError) as refused:
        run(db, adjustments.request_adjustment, shop["obat"], 5, "ketemu di gudang", shop["clerk"],
            batch_id=shop["expired"], today=TODAY)
    assert refused.value.message.startswith(said)
    run(db, adjustments.request_adjustment, shop["obat"], -1, "pecah di rak", shop["clerk"],
        batch_id=shop["expired"], today=TODAY)
    run(db, adjustments.request_adjustment, shop["obat"], 5, "ketemu di gudang", shop["clerk"],
        batch_id=shop["fresh"], today=TODAY)
    with db.reading() as s:
        assert sorted(s.scalars(select(StockAdjustment.qty))) == [-1, 5]


def test_a_request_to_add_is_refused_at_approval_once_the_batch_expired(db, shop):
    """Asked while B-BARU was good, approved after its expiry: refused then, nothing moved."""
    asked = run(db, adjustments.request_adjustment, shop["obat"], 3, "ketemu di gudang", shop["clerk"],
                batch_id=shop["fresh"], today=TODAY)
    with pytest.raises(PosError, match=r"Batch B-BARU sudah kedaluwarsa \(31-01-2030\)"):
        run(db, adjustments.approve, asked.id, shop["manager"], day=date(2030, 1, 31))
    assert on_hand(db, shop["obat"], shop["fresh"]) == 4
    assert stored(db, asked.id).status is ApprovalStatus.PENDING
