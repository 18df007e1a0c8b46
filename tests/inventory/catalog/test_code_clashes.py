"""One code, one thing to find: a product's barcode or SKU is never a member's card or number, nor
another product's SKU, nor (a SKU) another product's barcode; the till would find the wrong one."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from pos.inventory.catalog import products, spreadsheets, transfer
from pos.inventory.catalog.barcodes import with_check_digit
from pos.inventory.catalog.models import Product, ProductBarcode
from pos.inventory.catalog.products import CatalogError
from pos.inventory.catalog.transfer import ImportErrors
from pos.inventory.labels import instore
from pos.members.models import Member
from tests.factories import ean13, make_product

CARD = with_check_digit("290000000017")


@pytest.fixture
def goods(db):
    """A member with card ``CARD``, one without a card; Gula (SKU GULA-1) with one barcode; Kopi
    without one."""
    with db.transaction() as s:
        s.add(Member(number="AGT-0001", name="Siti", card_barcode=CARD))
        s.add(Member(number="AGT-0002", name="Budi"))
        gula = make_product(s, sku="GULA-1", name="Gula Pasir 1 kg", on_hand=0)
        kopi = make_product(s, sku="KOPI-1", name="Kopi Bubuk", barcodes_=[], on_hand=0)
        return {"gula": gula.id, "gula_code": gula.barcodes[0].code, "kopi": kopi.id}


def refused(db, action) -> str:
    with pytest.raises(CatalogError) as caught, db.transaction() as s:
        action(s)
    return caught.value.message


@pytest.mark.parametrize("code, message", [
    (CARD, f"Barcode {CARD} sudah dipakai sebagai kartu anggota AGT-0001 (Siti)."),
    ("AGT-0002", "Barcode AGT-0002 sudah dipakai sebagai nomor anggota AGT-0002 (Budi)."),
    # the till reads a typed member number in capitals: agt-0002 would find this product first
    ("agt-0002", "Barcode agt-0002 sudah dipakai sebagai nomor anggota AGT-0002 (Budi)."),
    ("GULA-1", "Barcode GULA-1 sudah dipakai sebagai SKU barang Gula Pasir 1 kg."),
])
def test_a_barcode_is_not_a_members_code_or_another_products_sku(db, goods, code, message):
    assert refused(db, lambda s: products.add_barcode(s, goods["kopi"], code)) == message


def test_a_product_may_carry_its_own_sku_as_barcode(db, goods):
    with db.transaction() as s:
        products.add_barcode(s, goods["kopi"], "KOPI-1")


@pytest.mark.parametrize("sku, message", [
    (CARD, f"SKU {CARD} sudah dipakai sebagai kartu anggota AGT-0001 (Siti)."),
    ("AGT-0001", "SKU AGT-0001 sudah dipakai sebagai nomor anggota AGT-0001 (Siti)."),
    ("Agt-0002", "SKU Agt-0002 sudah dipakai sebagai nomor anggota AGT-0002 (Budi)."),
    ("GULA-CODE", "SKU {code} sudah dipakai sebagai barcode barang Gula Pasir 1 kg."),
])
def test_a_new_sku_is_not_a_members_code_or_another_products_barcode(db, goods, sku, message):
    sku = goods["gula_code"] if sku == "GULA-CODE" else sku
    assert refused(db, lambda s: products.create_product(
        s, sku=sku, name="Baru", price=1_000, business_unit="sembako")) \
        == message.format(code=sku)


def import_errors(db, *lines: str) -> list[str]:
    rows = spreadsheets.read_csv("\n".join(["sku,name,business_unit,price,barcodes", *lines]).encode())
    with pytest.raises(ImportErrors) as caught, db.transaction() as s:
        transfer.import_rows(s, rows, None)
    return caught.value.errors


def test_an_import_refuses_codes_held_elsewhere(db, goods):
    code = ean13()
    assert import_errors(
        db, f"{CARD},Kartu,sembako,1000,",
        f"{goods['gula_code']},Kode gula,sembako,1000,",
        f"BARU-1,Baru,sembako,1000,GULA-1|{CARD}",
        f"KOPI-1,,,,{code}",
        f"{code},Kode kopi,sembako,1000,",
        "BARU-2,Baru 2,sembako,1000,BARU-3",
        "BARU-3,Baru 3,sembako,1000,",
        "agt-0002,Nomor,sembako,1000,",
        "BARU-4,Baru 4,sembako,1000,AGT-0001") == [
        f"Baris 2: SKU {CARD} sudah dipakai sebagai kartu anggota AGT-0001 (Siti).",
        f"Baris 3: SKU {goods['gula_code']} sudah dipakai sebagai barcode barang lain (SKU GULA-1).",
        "Baris 4: Barcode GULA-1 sudah dipakai sebagai SKU barang lain.",
        f"Baris 4: Barcode {CARD} sudah dipakai sebagai kartu anggota AGT-0001 (Siti).",
        f"Baris 6: SKU {code} juga dipakai sebagai barcode di baris 5.",
        "Baris 8: SKU BARU-3 juga dipakai sebagai barcode di baris 7.",
        "Baris 9: SKU agt-0002 sudah dipakai sebagai nomor anggota AGT-0002 (Budi).",
        "Baris 10: Barcode AGT-0001 sudah dipakai sebagai nomor anggota AGT-0001 (Siti)."]
    with db.reading() as s:
        assert s.scalar(select(Product.id).where(Product.sku == "BARU-1")) is None


def test_an_import_keeps_a_code_the_product_already_has(db, goods):
    rows = spreadsheets.read_csv(f"sku,barcodes\nGULA-1,{goods['gula_code']}".encode())
    with db.transaction() as s:
        assert transfer.import_rows(s, rows, None)["unchanged"] == 1


def test_in_store_codes_skip_member_cards_and_numbers(db):
    first, second = with_check_digit("200000000001"), with_check_digit("200000000002")
    with db.transaction() as s:
        s.add(Member(number="AGT-0002", name="Budi", card_barcode=first))
        s.add(Member(number=second, name="Ani"))
        bare = make_product(s, barcodes_=[], on_hand=0)
        s.flush()
        result = instore.assign_instore_codes(s, [bare.id], "20")
    assert result[bare.id] == with_check_digit("200000000003")
    with db.reading() as s:
        assert s.get(ProductBarcode, first) is None and s.get(ProductBarcode, second) is None


def test_a_code_that_is_already_a_members_number_does_not_block_other_changes(db, goods):
    """Made before the catalog refused it: the product's other fields and a file that lists
    the codes it has still save (only a new code is checked)."""
    with db.transaction() as s:
        s.add(ProductBarcode(code="AGT-0002", product_id=goods["gula"]))
    rows = spreadsheets.read_csv(
        f"sku,barcodes,shelf\nGULA-1,{goods['gula_code']}|AGT-0002,B3".encode())
    with db.transaction() as s:
        assert transfer.import_rows(s, rows, None)["updated"] == 1
        assert s.get(Product, goods["gula"]).shelf == "B3"
