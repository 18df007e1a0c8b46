"""One member code means one member.  The till finds a member by card (as typed) or by number
(in capitals), so a card that is another member's number in any letters finds both: the form,
the import (web and ``pos members import``) and card assignment refuse such a code, naming the
other member, and change nothing; a pair held from before never blocks the members' other
fields; the till asks which member such a code means instead of picking one, unless only one of
the two is active: a nonaktif member gets no member price nor kasbon, so the till takes the active
one, and says so when both are nonaktif."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, update

from pos.inventory.catalog import spreadsheets
from pos.inventory.catalog.barcodes import with_check_digit
from pos.members import register, transfer
from pos.members.accounts.overview import lookup
from pos.members.cards import assign_card
from pos.members.models import Member
from pos.members.service import SharedCode, SharedInactive, find, for_sale
from pos.sales.models import Cart
from tests.factories import login, make_till, make_user, poll_until_finished
from tests.members.register_helpers import refused, register_rows
from tests.members.test_transfer import upload

TODAY = date(2026, 3, 2)
HX = {"HX-Request": "true"}
HEADER = "nomor,nama,nik,telepon,kartu,tanggal_masuk,status"
SITI_CARD = with_check_digit("290000000017")


def seat_village(db, card: str) -> dict:
    """Siti (AGT-0001, card ``card``), Budi (AGT-0002, no card) and a manager."""
    with db.transaction() as s:
        s.add_all([Member(number="AGT-0001", name="Siti", card_barcode=card, joined_on=TODAY),
                   Member(number="AGT-0002", name="Budi", joined_on=TODAY)])
        manager = make_user(s, "manajer1", "manager", "9999").id
    return {"manager": manager}


@pytest.fixture
def village(db):
    """Siti (AGT-0001, card SITI_CARD), Budi (AGT-0002, no card) and a manager."""
    return seat_village(db, SITI_CARD)


def member_id(db, number: str) -> int:
    with db.reading() as s:
        return s.scalar(select(Member.id).where(Member.number == number))


@pytest.mark.parametrize("form, field, message", [
    # a card that is Budi's number, in any letters: the till reads a typed number in capitals
    ({"number": "AGT-0003", "card_barcode": "agt-0002"}, "card_barcode",
     "Kartu agt-0002 sudah dipakai sebagai nomor anggota AGT-0002 (Budi)."),
    ({"number": "AGT-0003", "card_barcode": "AGT-0002"}, "card_barcode",
     "Kartu AGT-0002 sudah dipakai sebagai nomor anggota AGT-0002 (Budi)."),
    # a number that is Siti's card
    ({"number": SITI_CARD}, "number",
     f"Nomor anggota {SITI_CARD} sudah dipakai sebagai kartu anggota AGT-0001 (Siti)."),
    # a card that is Siti's card: the unique key, named as before
    ({"number": "AGT-0003", "card_barcode": SITI_CARD}, "card_barcode",
     f"Kartu {SITI_CARD} sudah dipakai anggota AGT-0001 (Siti)."),
])
def test_a_new_member_may_not_take_another_members_code(db, village, form, field, message):
    errors = refused(db, lambda s: register.create_member(s, {"name": "Warga", **form}, TODAY))
    assert errors == {field: message}


def test_a_new_member_may_have_their_own_number_as_their_card(db, village):
    with db.transaction() as s:
        register.create_member(s, {"number": "AGT-0003", "name": "Ani", "card_barcode": "agt-0003"},
                               TODAY)
    assert register_rows(db)[-1] == ("AGT-0003", "Ani", "agt-0003", None)


def test_an_edit_may_not_give_a_member_another_members_code(db, village, client):
    budi, siti = member_id(db, "AGT-0002"), member_id(db, "AGT-0001")
    assert refused(db, lambda s: register.update_member(
        s, budi, {"card_barcode": "Agt-0001", "phone": "081211110001"}, TODAY)) == {
        "card_barcode": "Kartu Agt-0001 sudah dipakai sebagai nomor anggota AGT-0001 (Siti)."}
    # Siti's card is made a number of its own: a card with letters, as an old card could be
    with db.transaction() as s:
        s.get(Member, siti).card_barcode = "kop-77"
    assert refused(db, lambda s: register.update_member(s, budi, {"number": "KOP-77"}, TODAY)) == {
        "number": "Nomor anggota KOP-77 sudah dipakai sebagai kartu anggota AGT-0001 (Siti)."}
    login(client, village["manager"])
    response = client.post(f"/anggota/{budi}", data={
        "number": "AGT-0002", "name": "Budi", "nik": "", "phone": "", "card_barcode": "agt-0001",
        "joined_on": "02-03-2026", "address": ""})
    assert response.status_code == 422
    assert "Kartu agt-0001 sudah dipakai sebagai nomor anggota AGT-0001 (Siti)." in \
        response.get_data(as_text=True)
    assert register_rows(db)[1] == ("AGT-0002", "Budi", None, None)


@pytest.fixture
def held_twice(db, village):
    """A pair made before the register refused it (an old import, a fix by hand): Budi's card
    is agt-0001, Siti's number."""
    with db.transaction() as s:
        s.get(Member, member_id(db, "AGT-0002")).card_barcode = "agt-0001"
    return village


def test_a_pair_held_from_before_never_blocks_the_members_other_fields(db, held_twice, client):
    login(client, held_twice["manager"])
    for number, card, phone in (("AGT-0001", SITI_CARD, "0812 3333 4444"),
                                ("AGT-0002", "agt-0001", "0812 3333 5555")):
        response = client.post(f"/anggota/{member_id(db, number)}", data={
            "number": number, "name": "Nama Baru", "nik": "", "phone": phone,
            "card_barcode": card, "joined_on": "02-03-2026", "address": "Jl. Baru"})
        assert response.status_code == 303, response.get_data(as_text=True)
    rows = spreadsheets.read_file("anggota.csv", "\n".join([
        HEADER, f"AGT-0001,,,,{SITI_CARD},,nonaktif", "AGT-0002,,,,agt-0001,,nonaktif"]).encode(),
        transfer.IMPORT_COLUMNS, transfer.KEY)
    with db.transaction() as s:
        assert transfer.import_rows(s, rows)["updated"] == 2
    # changing to another member's code is still refused
    assert refused(db, lambda s: register.update_member(
        s, member_id(db, "AGT-0002"), {"card_barcode": "AGT-0001"}, TODAY)) == {
        "card_barcode": "Kartu AGT-0001 sudah dipakai sebagai nomor anggota AGT-0001 (Nama Baru)."}


def file_rows(*lines: str) -> list[dict]:
    return spreadsheets.read_file("anggota.csv", "\n".join([HEADER, *lines]).encode(),
                                  transfer.IMPORT_COLUMNS, transfer.KEY)


def test_an_import_names_the_other_member_and_saves_nothing(db, village):
    rows = file_rows(
        "AGT-0003,Warga Baik,,,,,",
        "AGT-0004,Ani,,,agt-0002,,",          # Budi's number
        f"{SITI_CARD},Dodi,,,,,",             # Siti's card as a new number
        "AGT-0002,,,,Agt-0005,,",             # a number further down the file
        "AGT-0005,Rina,,,,,",
        "AGT-0006,Wati,,,kop-9,,", "KOP-9,Tono,,,,,")   # a pair made inside the file
    before = register_rows(db)
    with pytest.raises(spreadsheets.ImportErrors) as caught, db.transaction() as s:
        transfer.import_rows(s, rows)
    assert caught.value.errors == [
        "Baris 3: kartu agt-0002 sudah dipakai sebagai nomor anggota AGT-0002 (Budi).",
        f"Baris 4: nomor {SITI_CARD} sudah dipakai sebagai kartu anggota AGT-0001 (Siti).",
        "Baris 5: kartu Agt-0005 sudah dipakai sebagai nomor anggota AGT-0005 (Rina).",
        "Baris 6: nomor AGT-0005 sudah dipakai sebagai kartu anggota AGT-0002 (Budi).",
        "Baris 7: kartu kop-9 sudah dipakai sebagai nomor anggota KOP-9 (Tono).",
        "Baris 8: nomor KOP-9 sudah dipakai sebagai kartu anggota AGT-0006 (Wati)."]
    assert register_rows(db) == before


def test_an_import_may_move_a_card_away_from_a_new_number(db, held_twice):
    # Budi's card agt-0001 is replaced in the same file that lists Siti as she is
    with db.transaction() as s:
        summary = transfer.import_rows(s, file_rows("AGT-0002,,,,BUDI-2,,", "AGT-0001,Siti,,,,,"))
    assert summary["updated"] == 1 and register_rows(db)[1][2] == "BUDI-2"


def test_the_upload_and_the_command_line_refuse_too(db, village, client, runner, tmp_path):
    data = f"{HEADER}\nAGT-0003,Warga,,,agt-0002,,\n".encode()
    login(client, village["manager"])
    page = poll_until_finished(client, upload(client, data).get_data(as_text=True))
    assert "Tidak ada yang disimpan" in page
    assert "kartu agt-0002 sudah dipakai sebagai nomor anggota AGT-0002 (Budi)" in page
    path = tmp_path / "anggota.csv"
    path.write_bytes(data)
    result = runner.invoke(args=["members", "import", str(path)])
    assert result.exit_code != 0
    assert "Baris 2: kartu agt-0002 sudah dipakai sebagai nomor anggota AGT-0002 (Budi)." in result.output
    assert [r[0] for r in register_rows(db)] == ["AGT-0001", "AGT-0002"]


def test_card_assignment_skips_a_number_that_is_a_members_number(db, village):
    taken = with_check_digit("290000000018")   # the next card after Siti's: Ani's member number
    with db.transaction() as s:
        s.add(Member(number=taken, name="Ani", joined_on=TODAY))
    with db.transaction() as s:
        code = assign_card(s, member_id(db, "AGT-0002"), "29")
    assert code == with_check_digit("290000000019")


def test_find_asks_which_member_a_code_held_twice_means(db, held_twice):
    with db.transaction() as s:   # and a nonaktif member whose number is an active one's card
        s.add(Member(number="KOP-1", name="Lama", active=False, joined_on=TODAY))
        s.add(Member(number="AGT-0009", name="Wati", card_barcode="kop-1", joined_on=TODAY))
    with db.reading() as s:
        for typed in ("agt-0001", " agt-0001 "):
            with pytest.raises(SharedCode) as asked:
                find(s, typed, include_inactive=True)
            assert [m.number for m in asked.value.members] == ["AGT-0001", "AGT-0002"]
            assert asked.value.status == 409
        assert "AGT-0001 Siti, AGT-0002 Budi. Pilih anggotanya dari daftar (F7)" in asked.value.message
        assert find(s, "AGT-0001").name == "Siti"    # the card is read as typed
        assert find(s, "agt-0001", by_number=True).name == "Siti"
        assert find(s, SITI_CARD).name == "Siti"     # a code only one member holds
        assert find(s, "kop-1").name == "Wati"       # the nonaktif one is not looked at
        with pytest.raises(SharedCode) as asked:      # with nonaktif ones it is: both listed
            find(s, "kop-1", include_inactive=True)
        assert "KOP-1 Lama (nonaktif)" in asked.value.message
        assert for_sale(s, "kop-1").name == "Wati"   # the till's sale takes the active one
        assert [m.number for m in lookup(s, "agt-0001")] == ["AGT-0001", "AGT-0002"]


def set_active(db, active: dict[str, bool]) -> None:
    with db.transaction() as s:
        for number, on in active.items():
            s.get(Member, member_id(db, number)).active = on


INACTIVE_BOTH = ("Kode agt-0001 dipakai 2 anggota nonaktif: AGT-0001 Siti, AGT-0002 Budi. Anggota "
                 "nonaktif belanja dengan harga bukan anggota dan tidak dapat kasbon: lanjutkan "
                 "penjualan tanpa anggota.")


def test_the_till_takes_the_one_active_member_a_code_held_twice_finds(db, held_twice):
    """Budi's card agt-0001 is Siti's number. A nonaktif member is never on a sale for the
    member price or kasbon, so the till takes the active one of the two without asking; with
    both nonaktif it says so and takes neither; with both active it still asks. The savings
    counter lists both whatever they are (a nonaktif member may still repay kasbon)."""
    with db.reading() as s:
        with pytest.raises(SharedCode):
            for_sale(s, "agt-0001")
    for active, taken in (({"AGT-0001": True, "AGT-0002": False}, "Siti"),
                          ({"AGT-0001": False, "AGT-0002": True}, "Budi")):
        set_active(db, active)
        with db.reading() as s:
            assert for_sale(s, "agt-0001").name == taken
            assert for_sale(s, " agt-0001 ").name == taken
            assert sorted(m.number for m in lookup(s, "agt-0001")) == ["AGT-0001", "AGT-0002"]
    set_active(db, {"AGT-0001": False, "AGT-0002": False})
    with db.reading() as s:
        with pytest.raises(SharedInactive) as told:
            for_sale(s, "agt-0001")
        assert told.value.status == 422 and told.value.message == INACTIVE_BOTH
        assert [m.number for m in told.value.members] == ["AGT-0001", "AGT-0002"]
        assert for_sale(s, "agt-0001", by_number=True).name == "Siti"   # the F7 pick: by number
        assert for_sale(s, SITI_CARD).name == "Siti"   # one nonaktif member alone: found
        assert [m.number for m in lookup(s, "agt-0001")] == ["AGT-0001", "AGT-0002"]


def test_the_till_attaches_the_active_holder_and_refuses_two_nonaktif_ones(db, client, held_twice):
    with db.transaction() as s:
        till, cashier = make_till(s).id, make_user(s, "kasir1", "cashier", "1111").id
    login(client, cashier, till)
    set_active(db, {"AGT-0001": False})
    for url, field in (("/kasir/anggota", "member"), ("/kasir/pindai", "code")):
        with db.transaction() as s:
            s.execute(update(Cart).values(member_id=None))
        taken = client.post(url, data={field: "agt-0001"}, headers=HX)
        page = taken.get_data(as_text=True)
        assert taken.status_code == 200 and "dipakai 2 anggota" not in page
        assert "Budi" in page and 'id="member-confirm"' not in page
        with db.reading() as s:
            assert s.scalar(select(Cart.member_id)) == member_id(db, "AGT-0002")
    set_active(db, {"AGT-0002": False})
    with db.transaction() as s:
        s.execute(update(Cart).values(member_id=None))
    for url, field in (("/kasir/anggota", "member"), ("/kasir/pindai", "code")):
        told = client.post(url, data={field: "agt-0001"}, headers=HX)
        assert told.status_code == 422
        assert INACTIVE_BOTH in " ".join(told.get_data(as_text=True).split())
        with db.reading() as s:
            assert s.scalar(select(Cart.member_id)) is None


def test_the_till_asks_and_the_f7_pick_attaches_by_number(db, client, held_twice):
    with db.transaction() as s:   # Budi's card in capitals: Siti's number itself finds both
        till, cashier = make_till(s).id, make_user(s, "kasir1", "cashier", "1111").id
        s.get(Member, member_id(db, "AGT-0002")).card_barcode = "AGT-0001"
    login(client, cashier, till)
    asked = client.post("/kasir/anggota", data={"member": "AGT-0001"}, headers=HX)
    text = " ".join(asked.get_data(as_text=True).split())
    assert asked.status_code == 409
    assert "Kode AGT-0001 dipakai 2 anggota" in text and "AGT-0001 Siti, AGT-0002 Budi" in text
    scanned = client.post("/kasir/pindai", data={"code": "AGT-0001"}, headers=HX)
    assert scanned.status_code == 409 and "dipakai 2 anggota" in scanned.get_data(as_text=True)
    with db.reading() as s:
        assert s.scalar(select(Cart.member_id)) is None
    listed = client.get("/anggota/cari?q=AGT-0001", headers=HX).get_data(as_text=True)
    assert "AGT-0001" in listed and "AGT-0002" in listed and '"by": "nomor"' in listed
    picked = client.post("/kasir/anggota", data={"member": "AGT-0001", "by": "nomor"}, headers=HX)
    assert picked.status_code == 200 and "Siti" in picked.get_data(as_text=True)
    with db.reading() as s:
        assert s.scalar(select(Cart.member_id)) == member_id(db, "AGT-0001")
    # Budi's card scanned asks before replacing Siti, and the confirmation names him by number
    with db.transaction() as s:
        s.get(Member, member_id(db, "AGT-0002")).card_barcode = with_check_digit("290000000024")
    offered = client.post("/kasir/anggota", data={"member": with_check_digit("290000000024")},
                          headers=HX).get_data(as_text=True)
    assert 'name="by" value="nomor"' in offered and 'value="AGT-0002"' in offered
