"""A batch's expiry or number recorded wrong at receiving, corrected by a manager once some of it
is sold (the receipt's own correction is refused then): the date or the number alone changes,
logged with who, why and what it was; a date already past makes the batch expired at once; the
receipts that brought a renumbered batch in follow it."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from pos.approvals.models import Override
from pos.errors import Forbidden, PosError
from pos.inventory import stock
from pos.inventory.catalog.models import Product
from pos.inventory.counts import batch_fix
from pos.inventory.models import Batch, MovementKind, StockMovement
from pos.inventory.receiving import posting, receipts, reversal
from pos.inventory.receiving.models import GoodsReceiptLine
from tests.factories import login, make_product, make_user

TODAY = date(2026, 12, 5)
HX = {"HX-Request": "true"}


@pytest.fixture
def shop(db):
    """Paracetamol batch B99001 received as expiring 06-12-2028 (it says 2026 on the strip), 12 of
    its 20 sold."""
    with db.transaction() as s:
        clerk = make_user(s, "gudang1", "clerk", "2222").id
        manager = make_user(s, "manajer1", "manager", "9999").id
        obat = make_product(s, name="Paracetamol 500 mg", business_unit="apotek", batch_tracked=True,
                            on_hand=0)
        batch = stock.ensure_batch(s, obat.id, "B99001", date(2028, 12, 6))
        stock.move(s, obat, 20, MovementKind.RECEIPT, batch_id=batch)
        stock.apply(s, stock.fefo_moves(s, obat.id, 12, TODAY), MovementKind.SALE)
    return {"clerk": clerk, "manager": manager, "obat": obat.id, "batch": batch}


def fix(db, shop, expiry, user="manager", reason="tahun salah ketik saat penerimaan"):
    with db.transaction() as s:
        return batch_fix.correct_expiry(s, product_id=shop["obat"], batch_id=shop["batch"], expiry=expiry,
                                        reason=reason, user_id=shop[user], today=TODAY)


def batch(db, shop):
    with db.reading() as s:
        found = s.get(Batch, shop["batch"])
        return found.expiry, found.on_hand


def test_a_manager_corrects_the_expiry_and_the_stock_stays(db, shop):
    done = fix(db, shop, date(2026, 12, 20))
    assert done == ("Batch B99001 Paracetamol 500 mg: kedaluwarsa 20-12-2026 (sebelumnya "
                    "06-12-2028).")
    assert batch(db, shop) == (date(2026, 12, 20), 8)
    with db.reading() as s:
        logged = s.scalars(select(Override).where(Override.kind == "batch_expiry")).one()
        assert stock.discrepancies(s) == [] and stock.batch_discrepancies(s) == []
    assert (logged.description, logged.before, logged.after, logged.reason, logged.approved_by) == (
        "Batch B99001 Paracetamol 500 mg", "kedaluwarsa 06-12-2028", "kedaluwarsa 20-12-2026",
        "tahun salah ketik saat penerimaan", shop["manager"])


def test_a_date_already_past_makes_the_batch_expired_at_once(db, shop):
    done = fix(db, shop, date(2026, 12, 1))
    assert done.endswith("Batch ini sekarang kedaluwarsa: tidak dijual lagi; musnahkan sisanya.")
    with db.reading() as s, pytest.raises(PosError):
        stock.fefo_moves(s, shop["obat"], 1, TODAY)   # the till finds nothing it may sell


@pytest.mark.parametrize("user, expiry, reason, refusal", [
    ("clerk", date(2026, 12, 20), "salah ketik", Forbidden),
    ("manager", date(2026, 12, 20), "   ", PosError),
    ("manager", date(2028, 12, 6), "salah ketik", PosError),     # the date it already has
])
def test_a_refused_correction_changes_nothing(db, shop, user, expiry, reason, refusal):
    with pytest.raises(refusal):
        fix(db, shop, expiry, user=user, reason=reason)
    assert batch(db, shop) == (date(2028, 12, 6), 8)
    with db.reading() as s:
        assert s.scalar(select(Override.id)) is None


def test_the_manager_corrects_it_from_the_adjustment_screen_and_a_clerk_is_not_offered_it(
        app, db, shop):
    clerk, manager = app.test_client(), app.test_client()
    login(clerk, shop["clerk"])
    login(manager, shop["manager"])
    pick = f"/penyesuaian/pilih?product_id={shop['obat']}"
    assert 'id="batch-fix"' not in clerk.get(pick, headers=HX).get_data(as_text=True)
    form = manager.get(pick, headers=HX).get_data(as_text=True)
    assert 'id="batch-fix"' in form and f'<option value="{shop["batch"]}">B99001 · ED 06-12-2028' in form
    assert f'name="product_id" value="{shop["obat"]}"' in form.split('id="batch-fix"')[1]
    data = {"product_id": shop["obat"], "batch_id": shop["batch"], "expiry": "20-12-2026",
            "reason": "tahun salah ketik"}
    assert clerk.post("/penyesuaian/batch/kedaluwarsa", data=data, headers=HX).status_code == 403
    done = manager.post("/penyesuaian/batch/kedaluwarsa", data=data, headers=HX)
    text = done.get_data(as_text=True)
    assert done.status_code == 200 and "Batch B99001 Paracetamol 500 mg: kedaluwarsa 20-12-2026" in text
    assert "B99001 · ED 20-12-2026" in text and batch(db, shop) == (date(2026, 12, 20), 8)
    typo = manager.post("/penyesuaian/batch/kedaluwarsa", headers=HX,
                        data={**data, "expiry": "31-02-2027"})
    assert typo.status_code == 422 and "Kedaluwarsa yang benar" in typo.get_data(as_text=True)
    assert batch(db, shop) == (date(2026, 12, 20), 8)


def test_a_date_more_than_5_years_away_is_taken_only_when_confirmed(db, shop):
    """19-09-2099 for 19-09-2029: receiving asks about such a year, and so does the correction."""
    with pytest.raises(batch_fix.BatchFixError, match=r"Batch B99001: kedaluwarsa 19-09-2099 lebih dari 5 "
                       r"tahun lagi: periksa tahunnya\. Bila memang benar, centang"):
        fix(db, shop, date(2099, 9, 19))
    assert batch(db, shop) == (date(2028, 12, 6), 8)
    with db.reading() as s:
        assert s.scalar(select(Override.id)) is None
    assert fix(db, shop, date(2031, 12, 5)).startswith("Batch B99001")      # five years to the day
    with db.transaction() as s:
        done = batch_fix.correct_expiry(s, product_id=shop["obat"], batch_id=shop["batch"],
                                        expiry=date(2099, 9, 19), reason="memang 2099",
                                        user_id=shop["manager"], today=TODAY, far_ok=True)
    assert "kedaluwarsa 19-09-2099" in done and batch(db, shop) == (date(2099, 9, 19), 8)


def test_the_screen_asks_for_the_far_date_with_a_box(app, db, shop):
    manager = app.test_client()
    login(manager, shop["manager"])
    form = manager.get(f"/penyesuaian/pilih?product_id={shop['obat']}", headers=HX).get_data(as_text=True)
    fixing = form.split('id="batch-fix"')[1].split("</form>")[0]
    assert '<input type="checkbox" id="fix-far" name="far_ok" value="1">' in fixing
    assert 'tabindex="-1"' not in fixing and "lebih dari 5 tahun lagi memang benar" in fixing
    data = {"product_id": shop["obat"], "batch_id": shop["batch"], "expiry": "19-09-2099",
            "reason": "tahun di kemasan"}
    asked = manager.post("/penyesuaian/batch/kedaluwarsa", data=data, headers=HX)
    assert asked.status_code == 422 and "lebih dari 5 tahun lagi" in asked.get_data(as_text=True)
    assert batch(db, shop) == (date(2028, 12, 6), 8)
    done = manager.post("/penyesuaian/batch/kedaluwarsa", data={**data, "far_ok": "1"}, headers=HX)
    assert done.status_code == 200 and batch(db, shop) == (date(2099, 9, 19), 8)


def renumber(db, shop, batch_no, user="manager", reason="salah ketik dari faktur", batch_id=None):
    with db.transaction() as s:
        return batch_fix.correct_number(s, product_id=shop["obat"], batch_id=batch_id or shop["batch"],
                                        batch_no=batch_no, reason=reason, user_id=shop[user])


def number(db, shop):
    with db.reading() as s:
        found = s.get(Batch, shop["batch"])
        return found.batch_no, found.on_hand


def test_a_manager_corrects_the_number_and_the_stock_and_sales_stay_with_it(db, shop):
    with db.reading() as s:
        sold = s.scalars(select(StockMovement.batch_id).where(StockMovement.kind == MovementKind.SALE)).all()
    assert set(sold) == {shop["batch"]}
    done = renumber(db, shop, " b99010 ")
    assert done == "Batch Paracetamol 500 mg: nomor B99010 (sebelumnya B99001)."
    assert number(db, shop) == ("B99010", 8)           # the sales of it are now of B99010 too
    with db.reading() as s:
        logged = s.scalars(select(Override).where(Override.kind == "batch_number")).one()
        assert stock.batch_discrepancies(s) == []
    assert (logged.description, logged.before, logged.after, logged.reason) == (
        "Batch B99001 Paracetamol 500 mg", "nomor B99001", "nomor B99010", "salah ketik dari faktur")


def test_the_receipt_that_brought_the_batch_in_follows_it_and_can_still_be_corrected(db, shop):
    with db.transaction() as s:
        supplier = receipts.create_supplier(s, "PBF Sehat", "pbf", "0541123456")
        draft = receipts.create_draft(s, supplier, "SJ-77", shop["clerk"])
        receipts.add_line(s, draft, shop["obat"], "pcs", 6, 2_000, batch_no="K1", expiry=date(2027, 6, 1))
        posting.post(s, draft, shop["clerk"], TODAY)
        typed = s.scalar(select(Batch.id).where(Batch.batch_no == "K1"))
        other = receipts.create_draft(s, supplier, "SJ-78", shop["clerk"])   # a clerk's draft, typed anew
        receipts.add_line(s, other, shop["obat"], "pcs", 1, 2_000, batch_no="K1", expiry=date(2027, 6, 1))
    renumber(db, shop, "K7", batch_id=typed)
    with db.reading() as s:
        lines = dict(s.execute(select(GoodsReceiptLine.receipt_id, GoodsReceiptLine.batch_no)).all())
    assert lines == {draft: "K7", other: "K1"}
    with db.transaction() as s:
        correction = reversal.create_reversal(s, draft, shop["clerk"], "salah PBF")
        reversal.post_reversal(s, correction, shop["manager"], day=TODAY)
    with db.reading() as s:
        assert s.get(Batch, typed).on_hand == 0 and stock.batch_discrepancies(s) == []


@pytest.mark.parametrize("user, batch_no, reason, refusal, message", [
    ("clerk", "B99010", "salah ketik", Forbidden, "manajer"),
    ("manager", "B99010", "  ", PosError, "alasan"),
    ("manager", "   ", "salah ketik", PosError, "nomor batch yang benar"),
    ("manager", "b99001", "salah ketik", PosError, "sudah bernomor B99001"),
    ("manager", "X" * 41, "salah ketik", PosError, "40 karakter"),
    ("manager", "B77", "salah ketik", PosError,
     r"sudah punya batch B77 \(stok 3 pcs, kedaluwarsa 01-01-2027\)"),
    ("manager", "b-77", "salah ketik", PosError,        # one strip to batch_key: B77 written another way
     r"sudah punya batch B77 \(stok 3 pcs, kedaluwarsa 01-01-2027\), sama dengan B-77"),
    ("manager", "B 7.7", "salah ketik", PosError, r"sudah punya batch B77 .*sama dengan B 7\.7"),
])
def test_a_refused_renumbering_changes_nothing(db, shop, user, batch_no, reason, refusal, message):
    with db.transaction() as s:
        obat = s.get(Product, shop["obat"])
        other = stock.ensure_batch(s, obat.id, "B77", date(2027, 1, 1))
        stock.move(s, obat, 3, MovementKind.RECEIPT, batch_id=other)
    with pytest.raises(refusal, match=message):
        renumber(db, shop, batch_no, user=user, reason=reason)
    assert number(db, shop) == ("B99001", 8)
    with db.reading() as s:
        assert s.scalar(select(Override.id)) is None


def test_a_number_written_another_way_of_the_batch_itself_is_taken(db, shop):
    """B99001 written B-99001, as on the strip: only another batch's number is refused."""
    assert renumber(db, shop, "B-99001") == "Batch Paracetamol 500 mg: nomor B-99001 (sebelumnya B99001)."
    assert number(db, shop) == ("B-99001", 8)


def test_the_manager_renumbers_from_the_adjustment_screen(app, db, shop):
    clerk, manager = app.test_client(), app.test_client()
    login(clerk, shop["clerk"])
    login(manager, shop["manager"])
    form = manager.get(f"/penyesuaian/pilih?product_id={shop['obat']}", headers=HX).get_data(as_text=True)
    assert 'id="batch-number-fix"' in form and "Tanggal kedaluwarsa atau nomor batch salah catat?" in form
    data = {"product_id": shop["obat"], "batch_id": shop["batch"], "batch_no": "B99010",
            "reason": "salah ketik dari faktur"}
    assert clerk.post("/penyesuaian/batch/nomor", data=data, headers=HX).status_code == 403
    assert number(db, shop) == ("B99001", 8)
    done = manager.post("/penyesuaian/batch/nomor", data=data, headers=HX)
    text = done.get_data(as_text=True)
    assert done.status_code == 200 and "nomor B99010 (sebelumnya B99001)" in text
    assert "B99010 · ED 06-12-2028" in text and number(db, shop) == ("B99010", 8)
    again = manager.post("/penyesuaian/batch/nomor", data=data, headers=HX)
    assert again.status_code in (400, 422) and "sudah bernomor B99010" in again.get_data(as_text=True)


@pytest.fixture
def other_batch(db, shop):
    """Amoxicillin's batch A1 (expiring 01-03-2027), 5 in stock: not Paracetamol's."""
    with db.transaction() as s:
        amox = make_product(s, name="Amoxicillin 500 mg", business_unit="apotek", batch_tracked=True,
                            on_hand=0)
        batch = stock.ensure_batch(s, amox.id, "A1", date(2027, 3, 1))
        stock.move(s, amox, 5, MovementKind.RECEIPT, batch_id=batch)
    return batch


def other(db, other_batch):
    with db.reading() as s:
        found = s.get(Batch, other_batch)
        return found.batch_no, found.expiry, found.on_hand


@pytest.mark.parametrize("path, change", [
    ("/penyesuaian/batch/kedaluwarsa", {"expiry": "20-12-2026"}),
    ("/penyesuaian/batch/nomor", {"batch_no": "A9"}),
])
def test_a_batch_of_another_product_is_refused_on_the_products_screen(app, db, shop, other_batch, path,
                                                                      change):
    """Paracetamol on screen, the hidden batch_id changed to Amoxicillin's batch: refused as an
    adjustment request refuses it, that batch untouched and nothing logged."""
    manager = app.test_client()
    login(manager, shop["manager"])
    data = {"product_id": shop["obat"], "batch_id": other_batch, "reason": "salah ketik", **change}
    refused = manager.post(path, data=data, headers=HX)
    assert refused.status_code in (400, 422)
    assert "Batch itu bukan milik Paracetamol 500 mg" in refused.get_data(as_text=True)
    assert other(db, other_batch) == ("A1", date(2027, 3, 1), 5)
    assert batch(db, shop) == (date(2028, 12, 6), 8) and number(db, shop) == ("B99001", 8)
    with db.reading() as s:
        assert s.scalar(select(Override.id)) is None
    missing = manager.post(path, data={k: v for k, v in data.items() if k != "product_id"}, headers=HX)
    assert missing.status_code in (400, 422) and other(db, other_batch) == ("A1", date(2027, 3, 1), 5)


def test_the_service_refuses_another_products_batch(db, shop, other_batch):
    with pytest.raises(PosError, match="Batch itu bukan milik Paracetamol 500 mg"):
        fix_other = dict(shop, batch=other_batch)
        fix(db, fix_other, date(2026, 12, 20))
    with pytest.raises(PosError, match="Batch itu bukan milik Paracetamol 500 mg"):
        renumber(db, shop, "A9", batch_id=other_batch)
    assert other(db, other_batch) == ("A1", date(2027, 3, 1), 5)
