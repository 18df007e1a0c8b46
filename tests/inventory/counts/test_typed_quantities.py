"""Quantities of loose goods on the count, adjustment and pack forms are typed in kg or litres
with a decimal comma, as at the till: "12,5" is 12.500 g. The forms used to ask for grams
("Jumlah dihitung (gram)"), refused "12,5" and took "2" meant as kg for 2 g."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from pos.errors import PosError
from pos.inventory.catalog.models import PackUnit
from pos.inventory.counts.models import CountLine, StockAdjustment
from pos.inventory.receiving import receipts
from pos.units import BaseUnit, QuantityError
from tests.factories import login, make_product, make_user

HX = {"HX-Request": "true"}


@pytest.mark.parametrize("unit, typed, signed, qty", [
    (BaseUnit.GRAM, "12,5", False, 12_500), (BaseUnit.GRAM, "0,25", False, 250),
    (BaseUnit.GRAM, "2", False, 2_000), (BaseUnit.ML, "1.5", False, 1_500),
    (BaseUnit.GRAM, "-2,5", True, -2_500), (BaseUnit.GRAM, "+0,75", True, 750),
    (BaseUnit.PCS, "12", False, 12), (BaseUnit.PCS, "-3", True, -3), (BaseUnit.GRAM, " ", False, None),
])
def test_a_typed_quantity_is_read_in_kg_litres_or_pieces(unit, typed, signed, qty):
    assert unit.read(typed, "Jumlah", signed=signed) == qty


@pytest.mark.parametrize("unit, typed, signed, message", [
    (BaseUnit.GRAM, "12,3456", False, "Jumlah dihitung 12,3456 kg lebih teliti dari 1 gram"),
    (BaseUnit.PCS, "12,5", False, "Jumlah dihitung harus angka bulat"),
    (BaseUnit.GRAM, "-1", False, "Jumlah dihitung harus 0 atau lebih"),
    (BaseUnit.GRAM, "dua", True, "Jumlah dihitung harus dalam kg"),
    (BaseUnit.GRAM, "1.500", False, "koma desimal"),
])
def test_a_bad_quantity_is_refused_naming_the_field(unit, typed, signed, message):
    with pytest.raises(QuantityError, match=message):
        unit.read(typed, "Jumlah dihitung", signed=signed)


@pytest.fixture
def shop(db):
    with db.transaction() as s:
        clerk = make_user(s, "gudang1", "clerk").id
        manager = make_user(s, "manajer1", "manager").id
        beras = make_product(s, name="Beras curah", base_unit="gram", cost=12_000, price=14_000,
                             on_hand=50_000)
        mie = make_product(s, name="Indomie Goreng", on_hand=10)
        sack = PackUnit(product_id=beras.id, name="karung", qty=25_000)
        s.add(sack)
        s.flush()
        return {"clerk": clerk, "manager": manager, "beras": beras.id, "mie": mie.id,
                "sack": sack.id}


@pytest.fixture
def clerk(app, shop):
    client = app.test_client()
    login(client, shop["clerk"])
    return client


def counted(db, product_id):
    with db.reading() as s:
        return s.scalar(select(CountLine.counted).where(CountLine.product_id == product_id))


def test_a_count_of_loose_goods_is_typed_in_kg(clerk, db, shop):
    count_id = int(clerk.post("/opname", data={"scope": "all"}).headers["Location"].rsplit("/", 1)[1])
    entry = clerk.get(f"/opname/{count_id}/pilih?product_id={shop['mie']}", headers=HX)
    assert "Jumlah dihitung (pcs)" in entry.get_data(as_text=True)
    url = f"/opname/{count_id}/hitung"
    for typed, grams in (("12,5", 12_500), ("0,25", 250)):
        saved = clerk.post(url, headers=HX, data={"product_id": shop["beras"], "counted": typed})
        assert saved.status_code == 200 and counted(db, shop["beras"]) == grams
    for typed, message in (("12,3456", "lebih teliti dari 1 gram"), ("20.000", "koma desimal"),
                           ("1000001", "0 sampai 1.000.000 kg")):
        refused = clerk.post(url, headers=HX, data={"product_id": shop["beras"], "counted": typed})
        assert refused.status_code == 422 and message in refused.get_data(as_text=True)
    assert counted(db, shop["beras"]) == 250                       # refusals change nothing
    # whole sacks plus loose kg: 2 karung 25 kg + 3,5 kg
    assert clerk.post(url, headers=HX, data={"product_id": shop["beras"], "pack_id": shop["sack"],
                                             "packs": "2", "counted": "3,5"}).status_code == 200
    assert counted(db, shop["beras"]) == 53_500
    pieces = clerk.post(url, headers=HX, data={"product_id": shop["mie"], "counted": "12,5"})
    assert pieces.status_code == 422 and "harus angka bulat" in pieces.get_data(as_text=True)
    for typed, message in (("100001", "Jumlah dihitung 100.001 pcs jauh di atas stok tercatat"),
                           ("1000000000", "Jumlah dihitung terlalu besar.")):       # not "angka bulat"
        refused = clerk.post(url, headers=HX, data={"product_id": shop["mie"], "counted": typed})
        assert refused.status_code == 422 and message in refused.get_data(as_text=True), typed
    assert clerk.post(url, headers=HX, data={"product_id": shop["mie"], "counted": "9"}).status_code == 200
    assert counted(db, shop["mie"]) == 9


def test_the_count_form_asks_for_kg(clerk, shop):
    count_id = int(clerk.post("/opname", data={"scope": "all"}).headers["Location"].rsplit("/", 1)[1])
    entry = clerk.get(f"/opname/{count_id}/pilih?product_id={shop['beras']}", headers=HX)
    html = entry.get_data(as_text=True)
    assert "Ditambah lepasan (kg)" in html and "(gram)" not in html and 'inputmode="decimal"' in html


def test_adjustments_of_loose_goods_are_typed_in_kg(clerk, db, shop):
    form = clerk.get(f"/penyesuaian/pilih?product_id={shop['beras']}", headers=HX).get_data(as_text=True)
    assert "Jumlah (kg)" in form and "(gram)" not in form
    for kind, typed in (("adjustment", "-2,5"), ("writeoff", "0,25"), ("adjustment", "+1")):
        sent = clerk.post("/penyesuaian", headers=HX, data={
            "kind": kind, "product_id": shop["beras"], "qty": typed, "reason": "Karung sobek kena air"})
        assert sent.status_code == 200
    refused = clerk.post("/penyesuaian", headers=HX, data={
        "kind": "writeoff", "product_id": shop["beras"], "qty": "-1", "reason": "Karung sobek kena air"})
    assert refused.status_code == 422 and "tanpa tanda" in refused.get_data(as_text=True)
    # "-2" and "0" were told "0 atau lebih" and "lebih dari nol": one rule, said one way
    assert "Jumlah yang dimusnahkan harus lebih dari nol, tanpa tanda + atau -." \
        in refused.get_data(as_text=True)
    zero = clerk.post("/penyesuaian", headers=HX, data={
        "kind": "writeoff", "product_id": shop["beras"], "qty": "0", "reason": "Karung sobek kena air"})
    assert "Jumlah yang dimusnahkan harus lebih dari nol." in zero.get_data(as_text=True)
    with db.reading() as s:
        assert s.scalars(select(StockAdjustment.qty).order_by(StockAdjustment.id)).all() == [
            -2_500, -250, 1_000]


def test_a_barcode_s_content_of_loose_goods_is_typed_and_shown_in_kg(app, db, shop):
    """Isi per pindaian 50 beside Kemasan 50 (kg) was saved as 50 grams and shown as "isi 50"."""
    from pos.inventory.catalog.barcodes import with_check_digit
    from pos.inventory.catalog.models import ProductBarcode

    manager = app.test_client()
    login(manager, shop["manager"])
    code = with_check_digit("899777000001")
    added = manager.post(f"/katalog/{shop['beras']}/barcode", data={"code": code, "qty": "0,5"},
                         headers=HX).get_data(as_text=True)
    assert f'<span class="code">{code}</span> <small>isi 0,5 kg</small>' in added
    assert f"{code} (isi 0,5 kg)" in added                                # Riwayat perubahan
    assert "Isi per pindaian (kg)" in added
    with db.reading() as s:
        assert s.get(ProductBarcode, code).qty == 500
    wrong = manager.post(f"/katalog/{shop['beras']}/barcode",
                         data={"code": with_check_digit("899777000002"), "qty": "abc"}, headers=HX)
    assert wrong.status_code == 422 and "Isi per pindaian" in wrong.get_data(as_text=True)


def test_pack_sizes_of_loose_goods_are_typed_in_kg(app, db, shop):
    manager = app.test_client()
    login(manager, shop["manager"])
    page = manager.get(f"/katalog/{shop['beras']}").get_data(as_text=True)
    assert 'for="new-pack-qty">Isi (kg)' in page
    assert manager.post(f"/katalog/{shop['beras']}/kemasan", data={"name": "karung 50 kg", "qty": "50"},
                        headers=HX).status_code == 200
    assert manager.post(f"/katalog/{shop['mie']}/kemasan", data={"name": "karton", "qty": "40"},
                        headers=HX).status_code == 200
    too_big = manager.post(f"/katalog/{shop['beras']}/kemasan", data={"name": "truk", "qty": "1001"},
                           headers=HX)
    assert too_big.status_code == 422 and "paling banyak 1.000 kg" in too_big.get_data(as_text=True)
    carton = manager.post(f"/katalog/{shop['mie']}/kemasan", data={"name": "karton besar", "qty": "50000"},
                          headers=HX)     # 50.000 pieces in a karton: a typo, not a pack
    assert carton.status_code == 422 and "paling banyak 10.000 pcs" in carton.get_data(as_text=True)
    with db.transaction() as s:
        supplier = receipts.create_supplier(s, "Bulog Sub Divre", "bulog")
        receipt = receipts.create_draft(s, supplier, "DO-1", shop["manager"])
        receipts.add_line(s, receipt, shop["beras"], None, 1, 12_000)
    added = manager.post(f"/penerimaan/{receipt}/kemasan", headers=HX, data={
        "product_id": shop["beras"], "name": "kantong 2,5 kg", "qty": "2,5"})
    assert added.status_code == 200 and "isi dalam kg" in added.get_data(as_text=True)
    with db.reading() as s:
        assert dict(s.execute(select(PackUnit.name, PackUnit.qty)).all()) == {
            "karung": 25_000, "karung 50 kg": 50_000, "karton": 40, "kantong 2,5 kg": 2_500}


def test_files_and_the_service_keep_base_units(db, shop):
    from pos.inventory.catalog.packs import add_pack

    with db.transaction() as s:
        assert add_pack(s, shop["beras"], "karung 50 kg", 50_000).qty == 50_000
        assert add_pack(s, shop["beras"], "karung 10 kg", "10000").qty == 10_000
    with pytest.raises(PosError, match="lebih dari 1 gram"), db.transaction() as s:
        add_pack(s, shop["beras"], "sejumput", 1)


@pytest.mark.parametrize("unit, typed, qty", [
    (BaseUnit.GRAM, "750 g", 750), (BaseUnit.GRAM, "1,25kg", 1_250), (BaseUnit.GRAM, "12,5 KG", 12_500),
    (BaseUnit.GRAM, "12500gr", 12_500), (BaseUnit.ML, "500 ml", 500), (BaseUnit.ML, "2 l", 2_000),
])
def test_a_quantity_may_carry_its_unit_as_at_the_till(unit, typed, qty):
    """``BaseUnit.parse_measure``, the till's reading: a count of a weighed good off the scale
    was typed in kg only ("750 g" was "harus dalam kg")."""
    assert unit.read(typed, "Jumlah dihitung") == qty
    assert unit.read("-" + typed, "Jumlah", signed=True) == -qty


def test_a_count_of_loose_goods_takes_grams_and_kg_with_their_unit(clerk, db, shop):
    count_id = int(clerk.post("/opname", data={"scope": "all"}).headers["Location"].rsplit("/", 1)[1])
    url = f"/opname/{count_id}/hitung"
    for typed, grams in (("750 g", 750), ("12,5 kg", 12_500), ("1,25kg", 1_250)):
        saved = clerk.post(url, headers=HX, data={"product_id": shop["beras"], "counted": typed})
        assert saved.status_code == 200 and counted(db, shop["beras"]) == grams
    for typed, message in (("3 ons", "Jumlah dihitung: Satuan ons tidak dipakai di sini: tulis kg atau g"),
                           ("1,5 g", "harus angka bulat tanpa titik atau koma")):
        refused = clerk.post(url, headers=HX, data={"product_id": shop["beras"], "counted": typed})
        assert refused.status_code == 422 and message in refused.get_data(as_text=True)
    assert counted(db, shop["beras"]) == 1_250                     # refusals change nothing
    # 2 karung 25 kg plus 500 g loose
    assert clerk.post(url, headers=HX, data={"product_id": shop["beras"], "pack_id": shop["sack"],
                                             "packs": "2", "counted": "500 g"}).status_code == 200
    assert counted(db, shop["beras"]) == 50_500
    pieces = clerk.post(url, headers=HX, data={"product_id": shop["mie"], "counted": "3 kg"})
    assert pieces.status_code == 422 and "harus angka bulat" in pieces.get_data(as_text=True)
