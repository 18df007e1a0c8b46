"""LPG 3 kg (refill or new cylinder) and the e-RDKK type of a subsidised fertiliser in the
catalog: the product page, the new-product form and the file columns ``lpg`` and ``subsidi``."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from pos.inventory.catalog import maintenance, spreadsheets, transfer
from pos.inventory.catalog.models import FertilizerType, LpgKind, Product
from pos.inventory.catalog.products import CatalogError
from pos.inventory.catalog.transfer import ImportErrors
from tests.factories import loaded, login, make_product, make_user


@pytest.fixture
def goods(db):
    with db.transaction() as s:
        manager = make_user(s, "manajer", "manager", "1234").id
        lpg = make_product(s, sku="LPG-3", name="LPG 3 kg isi ulang", price=18_000, on_hand=0)
        urea = make_product(s, sku="UREA-50", name="Urea bersubsidi", price=2_250, base_unit="gram",
                            tax_class="tidak_dipungut", business_unit="pupuk", on_hand=0)
        return {"manager": manager, "lpg": lpg.id, "urea": urea.id}


def regulated(db, sku):
    with db.reading() as s:
        found = s.scalar(select(Product).where(Product.sku == sku))
        return found.lpg, found.subsidy


@pytest.mark.parametrize("field, typed, expected", [
    ("lpg", "isi_ulang", LpgKind.REFILL), ("lpg", "Isi ulang", LpgKind.REFILL),
    ("lpg", "refill", LpgKind.REFILL), ("lpg", "Tabung baru", LpgKind.NEW), ("lpg", "new", LpgKind.NEW),
    ("lpg", "", None), ("lpg", "-", None), ("lpg", "tidak", None),
    ("subsidy", "Urea", FertilizerType.UREA), ("subsidy", "NPK Kakao", FertilizerType.NPK_KAKAO),
    ("subsidy", "pupuk za", FertilizerType.ZA), ("subsidy", "", None), ("subsidy", "bukan", None)])
def test_values_are_read_as_typed(field, typed, expected):
    assert maintenance.clean(field, typed) is expected


@pytest.mark.parametrize("field, typed, message", [
    ("lpg", "12 kg", "LPG 3 kg '12 kg' tidak dikenal (pilih: isi_ulang, tabung_baru"),
    ("subsidy", "SP-36", "Pupuk bersubsidi 'SP-36' tidak dikenal (pilih: urea, npk, npk_kakao, za, organik"),
])
def test_unknown_values_are_refused(field, typed, message):
    with pytest.raises(CatalogError) as caught:
        maintenance.clean(field, typed)
    assert caught.value.message.startswith(message)


def update(db, product_id, changes):
    with db.transaction() as s:
        return maintenance.update_product(s, product_id, changes, None)


def test_the_product_page_marks_lpg_and_fertiliser(db, client, goods):
    login(client, goods["manager"])
    page = client.get(f"/katalog/{goods['lpg']}").get_data(as_text=True)
    assert 'name="lpg"' in page and 'name="subsidy"' in page and "Tabung baru" in page
    response = client.post(f"/katalog/{goods['lpg']}",
                           data=loaded(client, goods['lpg']) | {"lpg": "refill", "subsidy": ""})
    assert response.status_code == 303
    response = client.post(f"/katalog/{goods['urea']}",
                           data=loaded(client, goods['urea']) | {"lpg": "", "subsidy": "urea"})
    assert response.status_code == 303
    assert regulated(db, "LPG-3") == (LpgKind.REFILL, None)
    assert regulated(db, "UREA-50") == (None, FertilizerType.UREA)
    page = client.get(f"/katalog/{goods['lpg']}").get_data(as_text=True)
    assert '<option value="refill" selected>' in page


def test_the_new_product_form_marks_lpg(db, client, goods):
    login(client, goods["manager"])
    page = client.get("/katalog").get_data(as_text=True)
    assert 'name="lpg"' in page and 'name="subsidy"' in page
    response = client.post("/katalog", data={
        "sku": "LPG-BARU", "name": "LPG 3 kg tabung baru", "business_unit": "lainnya",
        "base_unit": "pcs", "price": "160.000", "lpg": "new", "subsidy": ""})
    assert response.status_code == 303
    assert regulated(db, "LPG-BARU") == (LpgKind.NEW, None)
    refused = client.post("/katalog", data={
        "sku": "NPK-CURAH", "name": "NPK curah", "business_unit": "pupuk", "base_unit": "pcs",
        "price": "2.300", "lpg": "", "subsidy": "npk"})
    assert refused.status_code == 422
    assert "Pupuk bersubsidi harus bersatuan gram" in refused.get_data(as_text=True)
    with db.reading() as s:
        assert s.scalar(select(Product).where(Product.sku == "NPK-CURAH")) is None


@pytest.mark.parametrize("key, changes, message", [
    ("lpg", {"subsidy": "urea"}, "Pupuk bersubsidi harus bersatuan gram (kuota e-RDKK dihitung "
                                 "dalam gram), bukan pcs."),
    ("urea", {"lpg": "isi_ulang"}, "LPG 3 kg harus bersatuan pcs (per tabung), bukan gram."),
    ("urea", {"subsidy": "urea", "lpg": "new", "base_unit": "pcs"},
     "Barang tidak bisa sekaligus LPG 3 kg dan pupuk bersubsidi."),
])
def test_the_base_unit_must_fit(db, goods, key, changes, message):
    with pytest.raises(CatalogError) as caught:
        update(db, goods[key], changes)
    assert caught.value.message == message


def test_a_marked_product_keeps_its_unit(db, goods):
    update(db, goods["urea"], {"subsidy": "urea"})
    with pytest.raises(CatalogError, match="Pupuk bersubsidi harus bersatuan gram"):
        update(db, goods["urea"], {"base_unit": "ml"})
    assert update(db, goods["urea"], {"subsidy": ""}) == ["subsidy"]
    assert update(db, goods["urea"], {"base_unit": "ml"}) == ["base_unit"]


def import_csv(db, text: str):
    rows = spreadsheets.read_csv(text.encode())
    with db.transaction() as s:
        return transfer.import_rows(s, rows, None)


def test_the_file_columns_round_trip(db, goods):
    summary = import_csv(db, "sku,name,business_unit,base_unit,price,lpg,subsidi\n"
                             "LPG-3,,,,,Isi ulang,\n"
                             "UREA-50,,,,,,NPK Kakao\n"
                             "LPG-BARU,LPG 3 kg tabung baru,lainnya,pcs,160000,tabung_baru,\n")
    assert summary == {"total": 3, "created": 1, "updated": 2, "unchanged": 0}
    with db.reading() as s:
        rows = {r["sku"]: r for r in transfer.export_rows(s)}
    assert spreadsheets.COLUMNS[-2:] == ["lpg", "subsidi"]
    assert [(rows[k]["lpg"], rows[k]["subsidi"]) for k in ("LPG-3", "LPG-BARU", "UREA-50")] == [
        ("isi_ulang", None), ("tabung_baru", None), (None, "npk_kakao")]
    assert regulated(db, "LPG-BARU") == (LpgKind.NEW, None)
    csv = spreadsheets.to_csv(list(rows.values()))
    assert csv.splitlines()[0].endswith(",lpg,subsidi")
    assert import_csv(db, csv)["unchanged"] == 3
    import_csv(db, "sku,lpg\nLPG-3,\n")  # an empty cell: no longer LPG 3 kg
    assert regulated(db, "LPG-3") == (None, None)


def test_bad_cells_are_named_by_row(db, goods):
    rows = spreadsheets.read_csv(
        b"sku,name,business_unit,base_unit,price,lpg,subsidi\n"
        b"LPG-3,,,,,gas,\n"
        b"UREA-50,,,,,,urea\n"
        b"LPG-3-GR,LPG curah,lainnya,gram,1000,isi_ulang,\n"
        b"UREA-BAG,Urea karung,pupuk,pcs,112500,,urea\n"
        b"LPG-3,,,,,,SP-36\n")
    with pytest.raises(ImportErrors) as caught, db.transaction() as s:
        transfer.import_rows(s, rows, None)
    errors = caught.value.errors
    assert errors[0].startswith("Baris 2: LPG 3 kg 'gas' tidak dikenal")
    assert errors[1:] == [
        "Baris 4: LPG 3 kg harus bersatuan pcs (per tabung), bukan gram.",
        "Baris 5: Pupuk bersubsidi harus bersatuan gram (kuota e-RDKK dihitung dalam gram), bukan pcs.",
        "Baris 6: SKU LPG-3 sudah ada di baris 2.",
        "Baris 6: Pupuk bersubsidi 'SP-36' tidak dikenal (pilih: urea, npk, npk_kakao, za, organik, "
        "atau kosong bila bukan pupuk bersubsidi)."]
    assert regulated(db, "UREA-50") == (None, None)
