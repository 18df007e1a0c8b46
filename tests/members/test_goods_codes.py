"""A member's card or number is never a product's barcode or SKU: the till tries products first,
so the card or the typed number would ring up the product instead of finding the member.  The
form, the import (web and ``pos members import``) and card assignment refuse such a code, name
the product and change nothing."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from pos.inventory.catalog import spreadsheets
from pos.inventory.catalog.barcodes import with_check_digit
from pos.members import register, transfer
from pos.members.models import Member
from tests.factories import login, make_product, make_user
from tests.members.register_helpers import refused, register_rows

GULA_CODE = with_check_digit("899000000009")
TODAY = date(2026, 3, 2)
HEADER = "nomor,nama,nik,telepon,kartu,tanggal_masuk,status"


@pytest.fixture
def goods(db):
    """Gula (SKU GULA-1, one barcode), Roti (SKU agt-0009, lower case) and member AGT-0001."""
    with db.transaction() as s:
        make_product(s, sku="GULA-1", name="Gula Pasir 1 kg", barcodes_=[GULA_CODE], on_hand=0)
        make_product(s, sku="agt-0009", name="Roti Tawar", barcodes_=[], on_hand=0)
        s.add(Member(number="AGT-0001", name="Siti", joined_on=date(2025, 7, 21)))
    return db


GULA_BARCODE = "barcode barang Gula Pasir 1 kg (SKU GULA-1)"


@pytest.mark.parametrize("form, field, message", [
    ({"number": "AGT-0002", "card_barcode": GULA_CODE}, "card_barcode",
     f"Kartu {GULA_CODE} sudah dipakai sebagai {GULA_BARCODE}."),
    ({"number": "AGT-0002", "card_barcode": "GULA-1"}, "card_barcode",
     "Kartu GULA-1 sudah dipakai sebagai SKU barang Gula Pasir 1 kg."),
    ({"number": "gula-1"}, "number",
     "Nomor anggota GULA-1 sudah dipakai sebagai SKU barang Gula Pasir 1 kg."),
    # typed at the till, AGT-0009 is read in capitals, yet agt-0009 rings up the bread
    ({"number": "AGT-0009"}, "number",
     "Nomor anggota AGT-0009 sudah dipakai sebagai SKU barang Roti Tawar."),
    ({"number": GULA_CODE}, "number",
     f"Nomor anggota {GULA_CODE} sudah dipakai sebagai {GULA_BARCODE}."),
])
def test_a_new_member_may_not_take_a_products_code(goods, form, field, message):
    errors = refused(goods, lambda s: register.create_member(s, {"name": "Warga", **form}, TODAY))
    assert errors == {field: message}


def test_an_edit_may_not_give_a_member_a_products_code(goods):
    with goods.reading() as s:
        siti = s.scalar(select(Member.id).where(Member.number == "AGT-0001"))
    errors = refused(goods, lambda s: register.update_member(
        s, siti, {"number": "AGT-0009", "card_barcode": GULA_CODE, "phone": "081211110001"}, TODAY))
    assert errors == {"number": "Nomor anggota AGT-0009 sudah dipakai sebagai SKU barang Roti Tawar.",
                      "card_barcode": f"Kartu {GULA_CODE} sudah dipakai sebagai {GULA_BARCODE}."}


def test_the_form_shows_the_refusal_beside_the_field(goods, client):
    with goods.transaction() as s:
        manager = make_user(s, "manajer1", "manager", "9999").id
    login(client, manager)
    response = client.post("/anggota/baru", data={"number": "AGT-0003", "name": "Warga",
                                                  "card_barcode": GULA_CODE})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f"Kartu {GULA_CODE} sudah dipakai sebagai {GULA_BARCODE}." in page
    assert [r[0] for r in register_rows(goods)] == ["AGT-0001"]


def csv_file(*lines: str) -> bytes:
    return "\n".join([HEADER, *lines]).encode()


def test_an_import_names_the_product_and_saves_nothing(goods):
    rows = spreadsheets.read_file("anggota.csv", csv_file(
        "AGT-0002,Warga Baik,,,,,",
        f"AGT-0003,Warga,,,{GULA_CODE},,",
        "agt-0009,Warga,,,,,",
        "AGT-0001,,,,GULA-1,,"), transfer.IMPORT_COLUMNS, transfer.KEY)
    before = register_rows(goods)
    with pytest.raises(spreadsheets.ImportErrors) as caught, goods.transaction() as s:
        transfer.import_rows(s, rows)
    assert caught.value.errors == [
        f"Baris 3: kartu {GULA_CODE} sudah dipakai sebagai {GULA_BARCODE}.",
        "Baris 4: nomor AGT-0009 sudah dipakai sebagai SKU barang Roti Tawar.",
        "Baris 5: kartu GULA-1 sudah dipakai sebagai SKU barang Gula Pasir 1 kg."]
    assert register_rows(goods) == before


def test_the_command_line_import_refuses_too(goods, runner, tmp_path):
    path = tmp_path / "anggota.csv"
    path.write_bytes(csv_file("AGT-0002,Warga Baik,,,,,", "AGT-0009,Warga,,,,,"))
    result = runner.invoke(args=["members", "import", str(path)])
    assert result.exit_code != 0
    assert "Baris 3: nomor AGT-0009 sudah dipakai sebagai SKU barang Roti Tawar." in result.output
    assert [r[0] for r in register_rows(goods)] == ["AGT-0001"]


@pytest.fixture
def held_twice(goods):
    """Members whose card or number a product already had before the register refused it
    (an old import, a fix by hand): Budi's card is Gula's barcode, Ani's number Gula's SKU."""
    with goods.transaction() as s:
        budi = Member(number="AGT-0005", name="Budi", card_barcode=GULA_CODE,
                      joined_on=date(2025, 7, 21))
        ani = Member(number="GULA-1", name="Ani", joined_on=date(2025, 7, 21))
        s.add_all([budi, ani])
        s.flush()
        return {"budi": budi.id, "ani": ani.id}


def test_a_code_held_twice_from_before_never_blocks_the_members_other_fields(goods, held_twice,
                                                                           client):
    with goods.transaction() as s:
        manager = make_user(s, "manajer1", "manager", "9999").id
    login(client, manager)
    # the member page sends every field back, the card and number as they are
    for member, number, card, phone in ((held_twice["budi"], "AGT-0005", GULA_CODE, "0812 3333 4444"),
                                        (held_twice["ani"], "GULA-1", "", "0812 3333 5555")):
        response = client.post(f"/anggota/{member}", data={
            "number": number, "name": "Nama Baru", "nik": "", "phone": phone,
            "card_barcode": card, "joined_on": "21-07-2025", "address": "Jl. Baru"})
        assert response.status_code == 303, response.get_data(as_text=True)
    # nor does an import that lists them as they are
    rows = spreadsheets.read_file("anggota.csv", csv_file(
        f"AGT-0005,,,,{GULA_CODE},,nonaktif", "GULA-1,,,,,,nonaktif"),
        transfer.IMPORT_COLUMNS, transfer.KEY)
    with goods.transaction() as s:
        assert transfer.import_rows(s, rows)["updated"] == 2
    with goods.reading() as s:
        saved = [(m.name, m.phone, m.active) for m in map(s.get, [Member] * 2, held_twice.values())]
        assert saved == [("Nama Baru", "081233334444", False), ("Nama Baru", "081233335555", False)]


def test_changing_to_another_products_code_is_still_refused(goods, held_twice):
    errors = refused(goods, lambda s: register.update_member(
        s, held_twice["budi"], {"card_barcode": "GULA-1", "name": "Budi"}, TODAY))
    assert errors == {"card_barcode": "Kartu GULA-1 sudah dipakai sebagai SKU barang Gula Pasir 1 kg."}
