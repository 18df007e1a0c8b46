"""The managers' /batas screen: list, create, change, attach and detach products (each logged in
the catalog's change log)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from pos.clock import utcnow
from pos.inventory.catalog import history
from pos.inventory.catalog.models import Product
from pos.limits.models import LimitRule
from pos.reports.audit import audit_log
from tests.factories import login, make_product, make_user

HX = {"HX-Request": "true"}


def test_a_manager_keeps_rules_and_their_products_and_a_cashier_cannot(db, client, shop):
    with db.transaction() as s:
        manager = make_user(s, "manajer1", "manager", "9999").id
        minyak = make_product(s, name="MinyaKita 1 liter", on_hand=0).id
        curah = make_product(s, name="Gula curah", base_unit="gram", on_hand=0).id
    login(client, shop["user"], shop["till"])
    assert client.get("/batas").status_code == 403
    login(client, manager)
    page = client.get("/batas").get_data(as_text=True)
    assert "Beras SPHP" in page and "Beras SPHP Bulog 5 kg" in page and "per hari" in page

    refused = client.post("/batas", data={"name": "Minyak", "max_qty": "0", "period": "day",
                                           "buyer": "any", "active": "1"})
    assert refused.status_code == 422 and 'id="limit-error"' in refused.get_data(as_text=True)
    made = client.post("/batas", data={"name": "Minyak", "max_qty": "4", "period": "week",
                                        "buyer": "nik", "active": "1", "note": "uji"})
    assert made.status_code == 303
    with db.reading() as s:
        rule = s.execute(select(LimitRule).where(LimitRule.name == "Minyak")).scalar_one()
        assert (rule.max_qty, rule.period.value, rule.buyer.value, rule.active) == (4, "week", "nik", True)
    assert made.headers["Location"].endswith(f"/batas/{rule.id}")
    listed = client.get("/batas").get_data(as_text=True)   # no goods yet: no unit to name
    listed = listed[listed.index(f'id="limit-{rule.id}"'):]
    assert "4 <small>satuan dasar</small>" in listed[:listed.index("</tr>")]

    found = client.get(f"/batas/{rule.id}/cari?q=MinyaKita", headers=HX).get_data(as_text=True)
    assert "MinyaKita 1 liter" in found and f"/batas/{rule.id}/barang" in found
    assert client.post(f"/batas/{rule.id}/barang", data={"product_id": minyak}).status_code == 303
    refused = client.post(f"/batas/{rule.id}/barang", data={"product_id": curah}, headers=HX)
    assert refused.status_code == 422 and "satuan dasar yang sama" in refused.get_data(as_text=True)
    page = client.get(f"/batas/{rule.id}").get_data(as_text=True)
    assert "MinyaKita 1 liter" in page and "Ubah batas Minyak" in page

    client.post(f"/batas/{rule.id}", data={"name": "Minyak", "max_qty": "4", "period": "week",
                                            "buyer": "nik"})  # "active" unticked
    client.post(f"/batas/{rule.id}/barang/{minyak}/lepas")
    with db.reading() as s:
        assert s.get(LimitRule, rule.id).active is False
        assert s.get(Product, minyak).limit_rule_id is None
    assert client.get("/batas/999").status_code == 404


def test_putting_a_product_under_a_rule_and_out_is_in_the_catalogs_change_log(db, client, shop):
    with db.transaction() as s:
        manager = make_user(s, "manajer1", "manager", "9999").id
        minyak = make_product(s, name="MinyaKita 1 liter", on_hand=0).id
    login(client, manager)
    rule = shop["rule"]
    assert client.post(f"/batas/{rule}/barang", data={"product_id": minyak}).status_code == 303
    assert client.post(f"/batas/{rule}/barang", data={"product_id": minyak}).status_code == 303
    assert client.post(f"/batas/{rule}/barang/{minyak}/lepas").status_code == 303
    assert client.post(f"/batas/{rule}/barang/{minyak}/lepas").status_code == 303  # not under it
    with db.reading() as s:
        logged = [(c["label"], c["old"], c["new"], c["by"]) for c in reversed(history.changes(s, minyak))]
        today, sku = utcnow().date(), s.get(Product, minyak).sku
        audit = [r["detail"] for r in audit_log(s, today - timedelta(days=1), today + timedelta(days=1),
                                                zone="UTC", kind="product").rows]
    assert logged == [("Batas per pembeli", "-", "Beras SPHP", "Manajer1"),
                      ("Batas per pembeli", "Beras SPHP", "-", "Manajer1")]
    assert sorted(a for a in audit if a.startswith(sku)) == [
        f"{sku} MinyaKita 1 liter: Batas per pembeli - -> Beras SPHP",
        f"{sku} MinyaKita 1 liter: Batas per pembeli Beras SPHP -> -"]
    table = client.get(f"/katalog/{minyak}").get_data(as_text=True).split('id="price-history"')[1]
    assert "Batas per pembeli" in table and "Beras SPHP" in table


def test_a_rule_made_on_the_screen_counts_what_was_sold_earlier_that_day(db, client, shop):
    """The screen's rule and its product start from the day's earlier sales to the buyer."""
    from pos.clock import business_date
    from pos.inventory.catalog.models import LpgKind
    from pos.limits.service import LimitExceeded
    from tests.limits.conftest import NIK_A, pay, scan, set_buyer
    today = business_date(utcnow(), "Asia/Makassar")
    with db.transaction() as s:
        manager = make_user(s, "manajer1", "manager", "9999").id
        tube = make_product(s, name="LPG 3 kg isi ulang", price=18_000, barcodes_=["8990000030003"])
        tube.lpg, tube_id = LpgKind.REFILL, tube.id
    set_buyer(db, shop["till"], NIK_A, day=today, category="rumah_tangga")
    scan(db, shop["till"], "8990000030003", times=3, day=today)
    pay(db, shop, day=today)
    login(client, manager)
    made = client.post("/batas", data={"name": "LPG", "max_qty": "4", "period": "day", "buyer": "nik",
                                        "active": "1"})
    rule = int(made.headers["Location"].rsplit("/", 1)[1])
    assert client.post(f"/batas/{rule}/barang", data={"product_id": tube_id}).status_code == 303
    set_buyer(db, shop["till"], NIK_A, day=today, category="rumah_tangga")
    with pytest.raises(LimitExceeded, match="sudah membeli 3 hari ini"):   # not a fifth and sixth
        scan(db, shop["till"], "8990000030003", times=2, day=today)


def test_making_and_changing_a_rule_is_in_the_audit_log_before_and_after(db, client, shop):
    with db.transaction() as s:
        manager = make_user(s, "manajer1", "manager", "9999").id
    login(client, manager)
    made = client.post("/batas", data={"name": "LPG harian", "max_qty": "2", "period": "day",
                                        "buyer": "nik", "active": "1"})
    rule = int(made.headers["Location"].rsplit("/", 1)[1])
    client.post(f"/batas/{rule}", data={"name": "LPG mingguan", "max_qty": "4", "period": "week",
                                         "buyer": "any"})   # "active" unticked
    client.post(f"/batas/{rule}", data={"name": "LPG mingguan", "max_qty": "4", "period": "week",
                                         "buyer": "any"})   # nothing changed: nothing logged
    with db.reading() as s:
        today = utcnow().date()
        rows = [r for r in audit_log(s, today - timedelta(days=1), today + timedelta(days=1),
                                     zone="UTC", kind="limit_rule").rows if "LPG" in r["detail"]]
        mine = audit_log(s, today - timedelta(days=1), today + timedelta(days=1), zone="UTC",
                         user_id=manager).rows
    assert {(r["kind"], r["user"]) for r in rows} == {("Ubah batas per pembeli", "Manajer1")}
    assert sorted(r["detail"] for r in rows) == sorted([
        "Batas LPG mingguan: Batas baru (LPG harian: 2 per pembeli per hari, NIK (KTP), aktif)",
        "Batas LPG mingguan: Nama LPG harian -> LPG mingguan",
        "Batas LPG mingguan: Paling banyak 2 -> 4",
        "Batas LPG mingguan: Periode per hari -> per minggu",
        "Batas LPG mingguan: Pembeli NIK (KTP) -> Anggota atau NIK",
        "Batas LPG mingguan: Aktif ya -> tidak"])
    assert len([r for r in mine if r["kind"] == "Ubah batas per pembeli"]) == 6
