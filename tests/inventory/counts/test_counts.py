"""Stock counts (stock opname) on SQLite and PostgreSQL: scope, variances, approval, sales."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select, update

from pos.errors import Forbidden, NotFound, PosError
from pos.inventory import stock
from pos.inventory.catalog.models import Product
from pos.inventory.counts import counting, screens
from pos.inventory.counts.models import CountSession, CountStatus
from pos.inventory.models import Batch, MovementKind, StockMovement
from tests.factories import login, make_product, make_user

TODAY = date(2025, 6, 1)


@pytest.fixture
def shop(db):
    with db.transaction() as s:
        clerk = make_user(s, "gudang1", "clerk")
        manager = make_user(s, "manajer1", "manager")
        cashier = make_user(s, "kasir1", "cashier")
        mie = make_product(s, name="Indomie Goreng", cost=3_000, on_hand=10, category="Mi",
                           barcodes_=["8998866200301"])
        beras = make_product(s, name="Beras curah", base_unit="gram", cost=12_000, price=14_000,
                             on_hand=50_000, category="Beras")
        obat = make_product(s, name="Paracetamol", business_unit="apotek", cost=4_000,
                            batch_tracked=True, on_hand=5, category="Obat")
        mie.shelf, beras.shelf, obat.shelf = "A1", "A1", "B2"
        empty = stock.ensure_batch(s, obat.id, "B-KOSONG", date(2031, 1, 31))
        awal = s.scalar(select(Batch.id).where(Batch.product_id == obat.id,
                                               Batch.batch_no != "B-KOSONG"))
        s.flush()
        ids = {"clerk": clerk.id, "manager": manager.id, "cashier": cashier.id, "mie": mie.id,
               "beras": beras.id, "obat": obat.id, "awal": awal, "empty": empty,
               "cat_mi": mie.category_id}
    return ids


def run(db, fn, *args, **kwargs):
    with db.transaction() as s:
        return fn(s, *args, **kwargs)


def sell(db, product_id, qty, batch_id=None):
    with db.transaction() as s:
        stock.apply(s, [stock.Move(product_id, -qty, True, "uji", batch_id)], MovementKind.SALE)


def on_hand(db, product_id, batch_id=None):
    with db.reading() as s:
        if batch_id:
            return s.scalar(select(Batch.on_hand).where(Batch.id == batch_id))
        return stock.on_hand(s, product_id)


def assert_ledger_balances(db):
    with db.reading() as s:
        assert stock.discrepancies(s) == []
        assert stock.batch_discrepancies(s) == []


def test_category_scope_counts_only_that_category(db, shop):
    count_id = run(db, counting.open_count, "category", shop["clerk"], category_id=shop["cat_mi"])
    with db.reading() as s:
        report = counting.variances(s, count_id)
        assert [u["product_id"] for u in report.uncounted] == [shop["mie"]]
        assert s.get(CountSession, count_id).number == f"SO-{count_id:06d}"
    with pytest.raises(PosError, match="tidak termasuk cakupan"):
        run(db, counting.record, count_id, shop["beras"], 1, shop["clerk"])


def test_shelf_scope_lists_batches_and_refuses_overlap(db, shop):
    first = run(db, counting.open_count, "category", shop["clerk"], category_id=shop["cat_mi"])
    with pytest.raises(PosError, match="masih terbuka"):  # shelf A1 holds the Indomie too
        run(db, counting.open_count, "shelf", shop["clerk"], shelf="A1")
    with pytest.raises(PosError, match="masih terbuka"):
        run(db, counting.open_count, "all", shop["clerk"])
    shelf_b2 = run(db, counting.open_count, "shelf", shop["clerk"], shelf="B2")
    with db.reading() as s:
        uncounted = counting.variances(s, shelf_b2).uncounted
    assert [(u["name"], u["batch_no"], u["on_hand"]) for u in uncounted] == \
        [("Paracetamol", f"AWAL-{_sku(db, shop['obat'])}", 5)]
    with pytest.raises(PosError, match="Tidak ada barang"):
        run(db, counting.open_count, "shelf", shop["clerk"], shelf="Z9")
    assert first != shelf_b2


def test_a_shelf_is_one_shelf_however_its_name_was_typed(db, shop):
    """Saved as "r-01 " it was a shelf of its own: a count of R-01 missed its goods."""
    from pos.inventory.catalog import maintenance
    from pos.inventory.catalog.models import Product
    from pos.inventory.counts.screens import scope_choices

    assert maintenance.clean("shelf", "  b2 ") == "B2"
    with db.transaction() as s:
        s.get(Product, shop["mie"]).shelf = "b2"              # as an earlier version saved it
    with db.reading() as s:
        assert scope_choices(s)["shelves"] == ["A1", "B2"]
    shelf = run(db, counting.open_count, "shelf", shop["clerk"], shelf="b2")
    with db.reading() as s:
        names = {u["name"] for u in counting.variances(s, shelf).uncounted}
    assert names == {"Indomie Goreng", "Paracetamol"}


def _sku(db, product_id):
    from pos.inventory.catalog.models import Product

    with db.reading() as s:
        return s.get(Product, product_id).sku


def test_variances_in_units_and_rupiah(db, shop):
    count_id = run(db, counting.open_count, "all", shop["clerk"])
    run(db, counting.record, count_id, shop["mie"], 12, shop["clerk"])
    run(db, counting.record, count_id, shop["beras"], 49_250, shop["clerk"])
    with db.reading() as s:
        report = counting.variances(s, count_id)
    rows = {r.name: r for r in report.rows}
    assert (rows["Indomie Goreng"].expected, rows["Indomie Goreng"].diff,
            rows["Indomie Goreng"].diff_rupiah) == (10, 2, 6_000)
    beras = rows["Beras curah"]
    assert (beras.diff, beras.diff_rupiah) == (-750, -9_000)  # 0,75 kg x Rp12.000
    assert {u.value: n for u, n in report.units.items()} == {"pcs": 2, "gram": -750}
    assert (report.rupiah, report.shortage, report.surplus) == (-3_000, -9_000, 6_000)
    assert report.uncounted_total == 1  # the Paracetamol batch with stock


def test_approval_posts_count_movements_and_stock_ends_at_counted(db, shop):
    count_id = run(db, counting.open_count, "all", shop["clerk"])
    run(db, counting.record, count_id, shop["mie"], 7, shop["clerk"])
    run(db, counting.record, count_id, shop["beras"], 50_000, shop["clerk"])  # no variance
    assert run(db, counting.approve, count_id, shop["manager"]) == 1
    assert on_hand(db, shop["mie"]) == 7 and on_hand(db, shop["beras"]) == 50_000
    assert on_hand(db, shop["obat"]) == 5  # not counted: unchanged
    with db.reading() as s:
        moves = s.scalars(select(StockMovement)
                          .where(StockMovement.kind == MovementKind.COUNT)).all()
        count = s.get(CountSession, count_id)
    assert [(m.product_id, m.qty, m.ref, m.user_id, m.reason) for m in moves] == \
        [(shop["mie"], -3, f"count:{count_id}", shop["manager"], f"Stok opname {count.number}")]
    assert (count.status, count.approved_by) == (CountStatus.APPROVED, shop["manager"])
    assert count.approved_at is not None
    assert_ledger_balances(db)


def test_sale_after_counting_is_kept_on_approval(db, shop):
    count_id = run(db, counting.open_count, "all", shop["clerk"])
    run(db, counting.record, count_id, shop["mie"], 9, shop["clerk"])  # the system said 10
    sell(db, shop["mie"], 2)
    run(db, counting.approve, count_id, shop["manager"])
    assert on_hand(db, shop["mie"]) == 7  # 9 counted, less the 2 sold afterwards
    assert_ledger_balances(db)


def test_recount_replaces_the_line_with_a_fresh_expected(db, shop):
    count_id = run(db, counting.open_count, "all", shop["clerk"])
    run(db, counting.record, count_id, shop["mie"], 9, shop["clerk"])
    sell(db, shop["mie"], 2)
    run(db, counting.record, count_id, shop["mie"], 7, shop["clerk"])
    with db.reading() as s:
        rows = counting.variances(s, count_id).rows
    assert [(r.expected, r.counted, r.diff) for r in rows] == [(8, 7, -1)]
    run(db, counting.approve, count_id, shop["manager"])
    assert on_hand(db, shop["mie"]) == 7
    assert_ledger_balances(db)


def test_batch_goods_are_counted_per_batch(db, shop):
    count_id = run(db, counting.open_count, "shelf", shop["clerk"], shelf="B2")
    with pytest.raises(PosError, match="pilih batchnya"):
        run(db, counting.record, count_id, shop["obat"], 4, shop["clerk"])
    other = run(db, lambda s: stock.ensure_batch(s, shop["mie"], "X1", None))
    with pytest.raises(PosError, match="bukan milik"):
        run(db, counting.record, count_id, shop["obat"], 4, shop["clerk"], batch_id=other)
    run(db, counting.record, count_id, shop["obat"], 4, shop["clerk"], batch_id=shop["awal"])
    # a batch that had nothing on hand
    run(db, counting.record, count_id, shop["obat"], 3, shop["clerk"], batch_id=shop["empty"])
    run(db, counting.approve, count_id, shop["manager"])
    assert on_hand(db, shop["obat"], shop["awal"]) == 4
    assert on_hand(db, shop["obat"], shop["empty"]) == 3
    assert on_hand(db, shop["obat"]) == 7
    with db.reading() as s:
        moves = s.execute(select(StockMovement.batch_id, StockMovement.qty)
                          .where(StockMovement.kind == MovementKind.COUNT)
                          .order_by(StockMovement.id)).all()
    assert [tuple(m) for m in moves] == [(shop["awal"], -1), (shop["empty"], 3)]
    assert_ledger_balances(db)


def test_shortage_bigger_than_batch_stock_now_is_refused(db, shop):
    count_id = run(db, counting.open_count, "all", shop["clerk"])
    run(db, counting.record, count_id, shop["obat"], 1, shop["clerk"], batch_id=shop["awal"])  # -4
    sell(db, shop["obat"], 3, shop["awal"])  # the batch now holds 2
    with pytest.raises(PosError, match="Paracetamol batch AWAL-.*stok sekarang 2 pcs, selisih -4 pcs"):
        run(db, counting.approve, count_id, shop["manager"])
    with db.reading() as s:
        assert s.get(CountSession, count_id).status is CountStatus.OPEN
    assert on_hand(db, shop["obat"], shop["awal"]) == 2
    # a recount takes the batch as it is now: 2 expected, 1 counted
    run(db, counting.record, count_id, shop["obat"], 1, shop["clerk"], batch_id=shop["awal"])
    run(db, counting.approve, count_id, shop["manager"])
    assert on_hand(db, shop["obat"], shop["awal"]) == 1
    assert_ledger_balances(db)


def test_a_refused_shortage_of_loose_goods_is_said_in_kg(db, shop):
    """It said "stok sekarang 500, selisih -49000" of rice the screen shows in kg."""
    with db.transaction() as s:   # sold only from stock ("tolak penjualan")
        s.execute(update(Product).where(Product.id == shop["beras"]).values(stock_policy="block"))
    count_id = run(db, counting.open_count, "all", shop["clerk"])
    run(db, counting.record, count_id, shop["beras"], 1_000, shop["clerk"])  # 50 kg held: -49 kg
    sell(db, shop["beras"], 49_500)                                          # 0,5 kg left
    with pytest.raises(PosError) as refused:
        run(db, counting.approve, count_id, shop["manager"])
    assert "Beras curah (stok sekarang 0,5 kg, selisih -49 kg)" in str(refused.value)
    assert on_hand(db, shop["beras"]) == 500


def test_clerk_may_not_approve_and_second_approval_is_refused(db, shop):
    count_id = run(db, counting.open_count, "all", shop["clerk"])
    run(db, counting.record, count_id, shop["mie"], 8, shop["clerk"])
    with pytest.raises(Forbidden):
        run(db, counting.approve, count_id, shop["clerk"])
    run(db, counting.approve, count_id, shop["manager"])
    with pytest.raises(PosError, match="sudah disetujui"):
        run(db, counting.approve, count_id, shop["manager"])
    with pytest.raises(PosError, match="sudah disetujui"):
        run(db, counting.record, count_id, shop["mie"], 1, shop["clerk"])
    assert on_hand(db, shop["mie"]) == 8
    assert_ledger_balances(db)


def test_cancelled_count_posts_nothing(db, shop):
    count_id = run(db, counting.open_count, "all", shop["clerk"])
    run(db, counting.record, count_id, shop["mie"], 1, shop["clerk"])
    with pytest.raises(Forbidden):  # neither its creator nor a manager
        run(db, counting.cancel, count_id, shop["cashier"])
    run(db, counting.cancel, count_id, shop["clerk"])
    with pytest.raises(PosError, match="sudah dibatalkan"):
        run(db, counting.approve, count_id, shop["manager"])
    assert on_hand(db, shop["mie"]) == 10
    with db.reading() as s:
        assert s.scalar(select(StockMovement.id)
                        .where(StockMovement.kind == MovementKind.COUNT)) is None
    run(db, counting.open_count, "all", shop["clerk"])  # no longer in the way
    assert_ledger_balances(db)


@pytest.mark.parametrize("counted", [-1, 10_000_001, True, "5"])
def test_bad_counted_quantities_are_refused(db, shop, counted):
    count_id = run(db, counting.open_count, "all", shop["clerk"])
    with pytest.raises(PosError, match="Jumlah dihitung"):
        run(db, counting.record, count_id, shop["mie"], counted, shop["clerk"])


def test_unknown_ids_and_empty_approval(db, shop):
    with pytest.raises(NotFound):
        run(db, counting.record, 999, shop["mie"], 1, shop["clerk"])
    count_id = run(db, counting.open_count, "all", shop["clerk"])
    with pytest.raises(PosError, match="Barang tidak ditemukan"):
        run(db, counting.record, count_id, 999_999, 1, shop["clerk"])
    with pytest.raises(PosError, match="Belum ada barang yang dihitung"):
        run(db, counting.approve, count_id, shop["manager"])
    with pytest.raises(PosError, match="cakupan"):
        run(db, counting.open_count, "gudang", shop["clerk"])


# --- The screens, through HTTP -------------------------------------------------------------

HX = {"HX-Request": "true"}


def test_clerk_counts_and_manager_approves_over_http(app, db, shop):
    clerk, manager = app.test_client(), app.test_client()
    login(clerk, shop["clerk"])
    login(manager, shop["manager"])
    response = clerk.post("/opname", data={"scope": "all"})
    assert response.status_code == 303
    page = clerk.get(response.headers["Location"]).get_data(as_text=True)
    assert "Kode barang" in page and "Belum dihitung" in page and "Setujui" not in page
    count_id = int(response.headers["Location"].rsplit("/", 1)[1])
    entry = clerk.get(f"/opname/{count_id}/pilih?code=8998866200301", headers=HX)
    assert entry.status_code == 200 and "Jumlah dihitung" in entry.get_data(as_text=True)
    saved = clerk.post(f"/opname/{count_id}/hitung", headers=HX,
                       data={"product_id": shop["mie"], "counted": "8"})
    html = saved.get_data(as_text=True)
    assert saved.status_code == 200 and 'id="variances"' in html and "-Rp6.000" in html
    assert 'id="variance-short">kurang Rp6.000' in html and 'id="variance-over"' not in html
    over = clerk.post(f"/opname/{count_id}/hitung", headers=HX,
                      data={"product_id": shop["beras"], "counted": "51"}).get_data(as_text=True)
    assert 'id="variance-over">lebih Rp12.000' in over       # 1 kg more: the total says both
    bad = clerk.post(f"/opname/{count_id}/hitung", headers=HX,
                     data={"product_id": shop["mie"], "counted": "delapan"})
    assert bad.status_code == 422 and "angka bulat" in bad.get_data(as_text=True)
    assert clerk.post(f"/opname/{count_id}/setujui", headers=HX).status_code == 403
    assert "Setujui" in manager.get(f"/opname/{count_id}").get_data(as_text=True)
    assert 'class="tag open">Terbuka' in manager.get(f"/opname/{count_id}").get_data(as_text=True)
    assert manager.post(f"/opname/{count_id}/setujui").status_code == 303
    assert on_hand(db, shop["mie"]) == 8
    # approved green, as a closed day's; not the amber of one still open or a cancelled one's grey
    done = manager.get(f"/opname/{count_id}").get_data(as_text=True)
    assert 'class="tag ok">Disetujui' in done
    # a closed count's record lists no "not counted yet" at today's stock (it did, for ever)
    assert "Belum dihitung" not in done and "Beras curah" in done and "Paracetamol" not in done
    assert clerk.get("/opname").status_code == 200


def test_the_name_search_of_a_shelf_count_finds_only_the_shelfs_goods(app, db, shop):
    """It listed every good of the name, and a pick outside the shelf was then refused."""
    with db.transaction() as s:
        for n in range(12):   # more goods of the name off the shelf than the search shows
            make_product(s, name=f"Indomie Soto {n}", category="Mi").shelf = "C9"
    clerk = app.test_client()
    login(clerk, shop["clerk"])
    count_id = run(db, counting.open_count, "shelf", shop["clerk"], shelf="A1")
    found = clerk.get(f"/opname/{count_id}/cari?q=indomie", headers=HX).get_data(as_text=True)
    assert "Indomie Goreng" in found and "Indomie Soto" not in found
    assert "Tidak ada barang" in clerk.get(f"/opname/{count_id}/cari?q=soto",
                                           headers=HX).get_data(as_text=True)


def test_count_pages_for_unknown_ids_are_404(app, shop):
    client = app.test_client()
    login(client, shop["clerk"])
    assert client.get("/opname/999").status_code == 404
    assert client.post("/opname/999/hitung", headers=HX,
                       data={"product_id": shop["mie"], "counted": "1"}).status_code == 404


@pytest.mark.parametrize("method, url", [
    ("GET", "/opname"), ("POST", "/opname"), ("GET", "/opname/1"), ("POST", "/opname/1/setujui"),
    ("GET", "/penyesuaian"), ("POST", "/penyesuaian/1/setujui")])
def test_cashier_may_not_open_counts_or_adjustments(app, shop, method, url):
    client = app.test_client()
    login(client, shop["cashier"])
    assert client.open(url, method=method, headers=HX).status_code == 403


def test_goods_can_be_counted_in_packs_plus_loose_units(app, db, shop):
    from pos.inventory.catalog.models import PackUnit

    with db.transaction() as s:
        sack = PackUnit(product_id=shop["beras"], name="karung", qty=25_000)
        other = PackUnit(product_id=shop["mie"], name="karton", qty=40)
        s.add_all([sack, other])
        s.flush()
        sack_id, other_id = sack.id, other.id
    clerk = app.test_client()
    login(clerk, shop["clerk"])
    count_id = int(clerk.post("/opname", data={"scope": "all"}).headers["Location"].rsplit("/", 1)[1])
    entry = clerk.get(f"/opname/{count_id}/pilih?product_id={shop['beras']}", headers=HX)
    assert "karung" in entry.get_data(as_text=True)
    saved = clerk.post(f"/opname/{count_id}/hitung", headers=HX, data={
        "product_id": shop["beras"], "pack_id": sack_id, "packs": "1", "counted": "24"})   # kg
    assert saved.status_code == 200
    with db.reading() as s:
        from pos.inventory.counts.models import CountLine
        assert s.scalar(select(CountLine.counted).where(CountLine.product_id == shop["beras"])) == 49_000
    wrong = clerk.post(f"/opname/{count_id}/hitung", headers=HX, data={
        "product_id": shop["beras"], "pack_id": other_id, "packs": "1", "counted": "0"})
    assert wrong.status_code == 422 and "bukan milik" in wrong.get_data(as_text=True)
    for blank in ({"packs": "", "counted": ""}, {"packs": " "}, {}):   # no count is not a count of 0
        empty = clerk.post(f"/opname/{count_id}/hitung", headers=HX, data={
            "product_id": shop["mie"], "pack_id": other_id, **blank})
        assert empty.status_code == 422
        assert "Isi jumlah kemasan utuh atau jumlah lepasan" in empty.get_data(as_text=True)
    with db.reading() as s:
        assert s.scalar(select(CountLine.counted).where(CountLine.product_id == shop["mie"])) is None
    zero = clerk.post(f"/opname/{count_id}/hitung", headers=HX, data={
        "product_id": shop["mie"], "pack_id": other_id, "packs": "0", "counted": ""})
    assert zero.status_code == 200   # a typed 0 is a count
    with db.reading() as s:
        assert s.scalar(select(CountLine.counted).where(CountLine.product_id == shop["mie"])) == 0


def test_one_shelf_is_offered_only_once_a_product_has_a_shelf(app, db, shop):
    """"Satu rak" was offered with an empty list of shelves when no product had one."""
    client = app.test_client()
    login(client, shop["clerk"])
    with db.transaction() as s:
        s.execute(update(Product).values(shelf=None))
    page = client.get("/opname").get_data(as_text=True)
    assert 'value="shelf"' not in page and 'id="no-shelves"' in page
    with db.transaction() as s:
        s.execute(update(Product).where(Product.id == shop["mie"]).values(shelf="A-01"))
    page = client.get("/opname").get_data(as_text=True)
    assert 'value="shelf"' in page and '<option value="A-01">A-01</option>' in page


def test_the_variance_total_adds_no_pieces_of_different_goods_and_keeps_batches_whole(app, db, shop):
    """The total row read "-8 pcs", noodles and Paracetamol added up; a batch broke at its
    hyphen ("PCT-" over "2612A")."""
    with db.transaction() as s:
        count_id = counting.open_count(s, "all", shop["clerk"])
        counting.record(s, count_id, shop["mie"], 7, shop["clerk"])
        counting.record(s, count_id, shop["obat"], 0, shop["clerk"], shop["awal"])
    clerk = app.test_client()
    login(clerk, shop["clerk"])
    page = " ".join(clerk.get(f"/opname/{count_id}").get_data(as_text=True).split())
    total = page.split('<tr class="total">')[1].split("</tr>")[0]
    assert "pcs" not in total and "-8" not in total and "Rp" in total
    assert '<th colspan="3">Jumlah (2 baris)</th>' in total
    batch = page.split('data-line=')[2].split("</tr>")[0]
    assert re.search(r'<span class="code">[^<]+</span> · ', batch)


def test_an_open_counts_variances_show_the_stock_now_and_after_approval(app, db, shop):
    """The manager saw only the stock when counted; sales go on while a count is open and only
    the difference is posted, so the table shows the stock now and what approval leaves."""
    with db.transaction() as s:
        count_id = counting.open_count(s, "all", shop["clerk"])
        counting.record(s, count_id, shop["mie"], 7, shop["clerk"])          # 10 on record: -3
        counting.record(s, count_id, shop["obat"], 0, shop["clerk"], shop["awal"])   # 5: -5
    sell(db, shop["mie"], 2)                                                 # sold since
    with db.reading() as s:
        now = screens.stock_now(s, count_id)
    assert sorted(now.values()) == [(5, 0, False), (8, 5, False)]
    manager = app.test_client()
    login(manager, shop["manager"])
    page = " ".join(manager.get(f"/opname/{count_id}").get_data(as_text=True).split())
    assert "<th class=\"num\">Stok sekarang</th>" in page and "Setelah disetujui" in page
    mie = page.split('data-line=')[1].split("</tr>")[0]
    assert '<td class="num now">8</td>' in mie and '<td class="num after">5</td>' in mie
    with db.transaction() as s:
        counting.approve(s, count_id, shop["manager"])
    closed = manager.get(f"/opname/{count_id}").get_data(as_text=True)
    assert "Stok sekarang" not in closed and "Setelah disetujui" not in closed
