"""Two members' cards alike but for their letters (``kop-77`` and ``KOP-77``). The till reads a
card as it is, so each finds its own member, but nobody reading the card list can tell them
apart, and a card typed by hand in the other letters finds the other member. The form and the
member file (web and ``pos members import``) refuse such a card, naming the member, and change
nothing; a member may write their own card in other letters; a pair held from before never
blocks the members' other fields (``pos doctor`` lists it: ``tests/health_checks``)."""
from __future__ import annotations

from datetime import date

import pytest

from pos.inventory.catalog import spreadsheets
from pos.members import register, transfer
from pos.members.models import Member
from tests.factories import login
from tests.members.register_helpers import refused, register_rows
from tests.members.test_member_codes import HEADER, file_rows, member_id, seat_village

TODAY = date(2026, 3, 2)
HX = {"HX-Request": "true"}


@pytest.fixture
def village(db):
    """Siti (AGT-0001, card KOP-77), Budi (AGT-0002, no card) and a manager."""
    return seat_village(db, "KOP-77")


@pytest.mark.parametrize("card, message", [
    ("kop-77", "Kartu kop-77 sudah dipakai sebagai kartu anggota AGT-0001 (Siti)."),
    ("Kop-77", "Kartu Kop-77 sudah dipakai sebagai kartu anggota AGT-0001 (Siti)."),
    ("KOP-77", "Kartu KOP-77 sudah dipakai anggota AGT-0001 (Siti)."),   # the very same: the unique key
])
def test_a_card_that_is_another_members_card_in_any_letters_is_refused(db, village, card, message):
    assert refused(db, lambda s: register.create_member(
        s, {"number": "AGT-0003", "name": "Ani", "card_barcode": card}, TODAY)) == {
        "card_barcode": message}
    assert refused(db, lambda s: register.update_member(
        s, member_id(db, "AGT-0002"), {"card_barcode": card}, TODAY)) == {"card_barcode": message}


def test_a_member_may_write_their_own_card_in_other_letters(db, village):
    with db.transaction() as s:
        assert register.update_member(s, member_id(db, "AGT-0001"), {"card_barcode": "kop-77"},
                                      TODAY) == ["card_barcode"]
    assert register_rows(db)[0] == ("AGT-0001", "Siti", "kop-77", None)


def test_the_form_names_the_member_and_saves_nothing(db, village, client):
    login(client, village["manager"])
    response = client.post(f"/anggota/{member_id(db, 'AGT-0002')}", data={
        "number": "AGT-0002", "name": "Budi", "nik": "", "phone": "", "card_barcode": "kop-77",
        "joined_on": "02-03-2026", "address": ""})
    assert response.status_code == 422
    assert "Kartu kop-77 sudah dipakai sebagai kartu anggota AGT-0001 (Siti)." in \
        response.get_data(as_text=True)
    assert register_rows(db)[1] == ("AGT-0002", "Budi", None, None)


def test_an_import_refuses_such_cards_against_the_register_and_its_own_rows(db, village):
    rows = file_rows("AGT-0003,Ani,,,kop-77,,",                 # Siti's card
                     "AGT-0004,Dodi,,,x-1,,", "AGT-0005,Rina,,,X-1,,")   # a pair in the file
    before = register_rows(db)
    with pytest.raises(spreadsheets.ImportErrors) as caught, db.transaction() as s:
        transfer.import_rows(s, rows)
    assert caught.value.errors == [
        "Baris 2: kartu kop-77 sudah dipakai sebagai kartu anggota AGT-0001 (Siti).",
        "Baris 3: kartu x-1 sudah dipakai sebagai kartu anggota AGT-0005 (Rina).",
        "Baris 4: kartu X-1 sudah dipakai sebagai kartu anggota AGT-0004 (Dodi)."]
    assert register_rows(db) == before
    # Siti's card moved away in the same file: Ani may take it in other letters
    with db.transaction() as s:
        summary = transfer.import_rows(s, file_rows("AGT-0001,Siti,,,SITI-1,,",
                                                    "AGT-0003,Ani,,,kop-77,,"))
    assert summary["created"] == 1 and register_rows(db)[2] == ("AGT-0003", "Ani", "kop-77", None)
    with db.transaction() as s:   # Ani's own card in other letters
        assert transfer.import_rows(s, file_rows("AGT-0003,Ani,,,KOP-77,,"))["updated"] == 1


def test_the_command_line_import_refuses_too(db, village, runner, tmp_path):
    path = tmp_path / "anggota.csv"
    path.write_text(f"{HEADER}\nAGT-0003,Ani,,,kop-77,,\n")
    result = runner.invoke(args=["members", "import", str(path)])
    assert result.exit_code != 0
    assert "Baris 2: kartu kop-77 sudah dipakai sebagai kartu anggota AGT-0001 (Siti)." in result.output
    assert [r[0] for r in register_rows(db)] == ["AGT-0001", "AGT-0002"]


def test_a_pair_held_from_before_never_blocks_the_members_other_fields(db, village):
    with db.transaction() as s:   # made by hand in the database
        s.get(Member, member_id(db, "AGT-0002")).card_barcode = "kop-77"
    with db.transaction() as s:
        assert register.update_member(s, member_id(db, "AGT-0002"), {
            "card_barcode": "kop-77", "phone": "0812 3333 5555"}, TODAY) == ["phone"]
    with db.transaction() as s:
        assert transfer.import_rows(s, file_rows("AGT-0001,Siti,,,KOP-77,,nonaktif",
                                                 "AGT-0002,Budi,,,kop-77,,"))["updated"] == 1


def test_a_taken_number_and_card_are_named_with_the_other_mistakes_at_once(db, village):
    """A wrong phone and date once hid the clash, which showed only when they were put right."""
    assert refused(db, lambda s: register.create_member(
        s, {"number": "agt-0001", "name": "Ani", "phone": "0812345", "joined_on": "31-02-2026",
            "card_barcode": "kop-77"}, TODAY)) == {
        "number": "Nomor anggota AGT-0001 sudah dipakai anggota AGT-0001 (Siti).",
        "phone": refused(db, lambda s: register.create_member(
            s, {"number": "AGT-0009", "name": "Ani", "phone": "0812345"}, TODAY))["phone"],
        "joined_on": refused(db, lambda s: register.create_member(
            s, {"number": "AGT-0009", "name": "Ani", "joined_on": "31-02-2026"}, TODAY))["joined_on"],
        "card_barcode": "Kartu kop-77 sudah dipakai sebagai kartu anggota AGT-0001 (Siti)."}
    before = register_rows(db)
    with pytest.raises(spreadsheets.ImportErrors) as caught, db.transaction() as s:
        transfer.import_rows(s, file_rows("AGT-0003,Ani,,0812345,kop-77,,"))   # a short phone too
    assert caught.value.errors[-1] == \
        "Baris 2: kartu kop-77 sudah dipakai sebagai kartu anggota AGT-0001 (Siti)."
    assert len(caught.value.errors) == 2 and register_rows(db) == before
