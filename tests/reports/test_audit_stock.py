"""The audit log lists the stock decisions and the member price rules: an adjustment or write-off
approved or rejected, a count approved or cancelled, a receipt's correction approved, a member
discount, member price or quantity price changed; each with who asked and who decided."""
from __future__ import annotations

from datetime import datetime

import pytest

from pos.clock import business_date
from pos.inventory.counts import adjustments, counting
from pos.inventory.receiving import posting, receipts, reversal
from pos.prices import setting
from pos.reports.audit import audit_log
from tests.factories import login, make_product, make_user

ZONE = "Asia/Makassar"


def _today():
    return business_date(datetime.utcnow(), ZONE)


@pytest.fixture
def people(db):
    with db.transaction() as s:
        return {"clerk": make_user(s, "gudang1", "clerk", "2222").id,
                "boss": make_user(s, "manajer1", "manager", "9999").id}


def _rows(db, kind):
    with db.reading() as s:
        return audit_log(s, _today(), _today(), zone=ZONE, kind=kind).rows


def test_adjustments_decided_are_logged_with_who_asked_and_who_decided(db, people):
    with db.transaction() as s:
        rice = make_product(s, name="Beras Curah", base_unit="gram", on_hand=50_000)
        noodles = make_product(s, name="Mi Goreng", on_hand=100)
        taken = adjustments.request_writeoff(s, rice.id, 2_500, "Basah", people["clerk"]).id
        wrong = adjustments.request_adjustment(s, noodles.id, 5, "Salah hitung", people["clerk"]).id
        left = adjustments.request_adjustment(s, noodles.id, -3, "Rusak tikus", people["clerk"]).id
    with db.transaction() as s:
        adjustments.approve(s, taken, people["boss"], day=_today())
        adjustments.reject(s, wrong, people["boss"], note="hitung ulang")
    rows = _rows(db, "stock_adjustment")
    assert [(r["kind"], r["user"], r["approver"]) for r in rows] == [
        ("Penyesuaian stok", "Gudang1", "Manajer1")] * 2
    details = sorted(r["detail"] for r in rows)
    assert details[0].startswith(f"Pemusnahan #{taken} disetujui: ") and "Beras Curah -2,5 kg" in details[0]
    assert details[0].endswith("; alasan: Basah")
    assert details[1].startswith(f"Penyesuaian #{wrong} ditolak: ") and "Mi Goreng +5 pcs;" in details[1]
    assert details[1].endswith("Salah hitung | Ditolak: hitung ulang")
    assert f"#{left}" not in " ".join(details)                          # still waiting: not decided


def test_an_adjustment_gain_reads_with_its_plus_as_riwayat_keputusan_shows_it(db, people):
    """"Penyesuaian #4 ditolak: … 5 pcs" where the adjustments page showed +5."""
    with db.transaction() as s:
        rice = make_product(s, name="Beras Curah", base_unit="gram", on_hand=50_000)
        noodles = make_product(s, name="Mi Goreng", on_hand=100)
        found = adjustments.request_adjustment(s, rice.id, 2_500, "Karung terselip", people["clerk"]).id
        wrong = adjustments.request_adjustment(s, noodles.id, 5, "Salah hitung", people["clerk"]).id
        gone = adjustments.request_adjustment(s, noodles.id, -3, "Rusak tikus", people["clerk"]).id
    with db.transaction() as s:
        adjustments.approve(s, found, people["boss"], day=_today())
        adjustments.reject(s, wrong, people["boss"], note="hitung ulang")
        adjustments.approve(s, gone, people["boss"], day=_today())
    details = {r["detail"].split(" ")[1]: r["detail"] for r in _rows(db, "stock_adjustment")}
    assert "Beras Curah +2,5 kg;" in details[f"#{found}"]
    assert "Mi Goreng +5 pcs;" in details[f"#{wrong}"] and "Mi Goreng -3 pcs;" in details[f"#{gone}"]


def test_a_count_approved_and_one_cancelled(db, people):
    with db.transaction() as s:
        product = make_product(s, on_hand=10)
        counted = counting.open_count(s, "all", people["clerk"])
        counting.record(s, counted, product.id, 8, people["clerk"])
    with db.transaction() as s:
        counting.approve(s, counted, people["boss"], day=_today())
        dropped = counting.open_count(s, "all", people["clerk"])
    with db.transaction() as s:
        counting.cancel(s, dropped, people["boss"])
    rows = {r["detail"].split(":")[0]: r for r in _rows(db, "stock_count")}
    assert len(rows) == 2
    approved = next(r for k, r in rows.items() if k.endswith("disetujui"))
    assert (approved["user"], approved["approver"]) == ("Gudang1", "Manajer1")
    assert approved["detail"].endswith(": 1 baris dihitung, 1 berselisih")
    cancelled = next(r for k, r in rows.items() if k.endswith("dibatalkan"))
    assert (cancelled["user"], cancelled["approver"]) == ("Manajer1", "")


def test_a_receipt_correction_approved(db, people):
    with db.transaction() as s:
        product = make_product(s, on_hand=0)
        supplier = receipts.create_supplier(s, "Bulog", "bulog", "0541000000")
        receipt_id = receipts.create_draft(s, supplier, "SJ-9", people["clerk"])
        receipts.add_line(s, receipt_id, product.id, None, 10, 3_000)
        posting.post(s, receipt_id, people["clerk"], _today())
        fix = reversal.create_reversal(s, receipt_id, people["clerk"], "Jumlah salah ketik")
    with db.transaction() as s:
        reversal.post_reversal(s, fix, people["boss"], day=_today())
    [row] = _rows(db, "receipt_correction")
    assert (row["kind"], row["user"], row["approver"]) == ("Koreksi penerimaan", "Gudang1", "Manajer1")
    assert " mengoreksi " in row["detail"] and "(surat jalan SJ-9)" in row["detail"]
    assert row["detail"].endswith("; alasan: Jumlah salah ketik")


def test_member_price_rules_changed(db, people, client):
    with db.transaction() as s:
        product = make_product(s, name="Minyak 1 L", price=20_000, cost=15_000)
        setting.set_member_price(s, product.id, 19_000, people["boss"])
        setting.add_tier(s, product.id, 12, 18_500, people["boss"])
        setting.set_member_discounts(s, {"sembako": "2,5"}, {}, people["boss"])
    details = sorted(r["detail"] for r in _rows(db, "price_rule"))
    assert details == ["Diskon anggota unit Sembako: - -> 2,5%",
                       f"Harga anggota {product.sku} Minyak 1 L: - -> Rp19.000",
                       f"Harga grosir {product.sku} Minyak 1 L mulai 12: - -> Rp18.500"]
    login(client, people["boss"])
    page = client.get("/laporan/log-audit", query_string={"jenis": "price_rule"}).get_data(as_text=True)
    assert "Ubah harga anggota/grosir" in page and "Rp19.000" in page
