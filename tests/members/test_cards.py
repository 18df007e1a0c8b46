"""Member cards: new in-store card numbers (prefix, check digit, never given twice, queued when
two managers ask at once) and card labels on an A4 sheet or the thermal printer."""
from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import select, update

from pos.hardware import build_printer
from pos.inventory.catalog.barcodes import is_valid_gtin, with_check_digit
from pos.members.cards import CardError, assign_card, card_prefix, next_card_number
from pos.members.models import Member
from tests.factories import login, make_product, make_user

HX = {"HX-Request": "true"}


def add_members(db, *cards: str | None) -> list[int]:
    with db.transaction() as s:
        rows = [Member(number=f"AGT-{i:04d}", name=f"Warga {i}", card_barcode=card,
                       joined_on=date(2025, 7, 21)) for i, card in enumerate(cards, start=1)]
        s.add_all(rows)
        s.flush()
        return [m.id for m in rows]


def assign(db, member_id: int, prefix: str = "29") -> str:
    with db.transaction() as s:
        return assign_card(s, member_id, prefix)


def test_a_card_number_is_an_ean13_under_its_own_prefix(db):
    first, second = add_members(db, None, None)
    codes = [assign(db, first), assign(db, second)]
    assert codes == [with_check_digit("290000000001"), with_check_digit("290000000002")]
    assert all(len(c) == 13 and c.startswith("29") and is_valid_gtin(c) for c in codes)
    with db.reading() as s:
        assert s.get(Member, first).card_barcode == codes[0]


def test_a_number_once_given_is_never_given_again(db):
    lost, other = add_members(db, None, None)
    old = assign(db, lost)
    with db.transaction() as s:   # the card was lost: its number is taken off the member
        s.execute(update(Member).where(Member.id == lost).values(card_barcode=None))
    assert assign(db, other) != old and assign(db, lost) not in (old,)


def test_numbers_held_by_members_or_goods_are_skipped(db):
    imported = with_check_digit("290000000007")   # a card that came with the member list
    ids = add_members(db, imported, None, None)
    with db.transaction() as s:
        make_product(s, barcodes_=[with_check_digit("290000000008")])
        make_product(s, sku=with_check_digit("290000000009"), barcodes_=[])
    assert assign(db, ids[1]) == with_check_digit("290000000010")   # after the highest card
    assert assign(db, ids[2]) == with_check_digit("290000000011")


def test_a_member_with_a_card_keeps_it(db):
    (member,) = add_members(db, with_check_digit("290000000001"))
    with pytest.raises(CardError, match="sudah punya kartu"):
        assign(db, member)


@pytest.mark.parametrize("prefix, fault", [
    ("20", "dipakai pola"), ("21", "dipakai pola"), ("2", "harus 20 sampai 29"),
    ("30", "harus 20 sampai 29"), ("2x", "harus 20 sampai 29"),
])
def test_the_card_prefix_must_be_free(prefix, fault):
    with pytest.raises(CardError, match=fault):
        card_prefix(prefix, "20", ("21", "23"))
    assert card_prefix("29", "20", ("21", "23")) == "29"


def test_two_managers_at_once_get_different_numbers(db, backend):
    ids = add_members(db, *[None] * 6)
    with db.transaction() as s:
        next_card_number(s, "29")   # the counter row exists; now only the bump races
    codes, errors, start = [], [], threading.Barrier(len(ids))

    def give(member_id: int) -> None:
        try:
            start.wait(5)
            codes.append(assign(db, member_id))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=give, args=(i,)) for i in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == [] and len(set(codes)) == len(ids)
    with db.reading() as s:
        stored = set(s.scalars(select(Member.card_barcode)))
    assert stored == set(codes)


@pytest.fixture
def manager(db, client):
    with db.transaction() as s:
        user = make_user(s, "manajer1", "manager", "9999").id
    login(client, user)
    return user


def test_the_button_gives_a_card_number(db, client, manager):
    (member,) = add_members(db, None)
    response = client.post(f"/anggota/{member}/kartu-baru")
    assert response.status_code == 303
    page = client.get(f"/anggota/{member}").get_data(as_text=True)
    code = with_check_digit("290000000001")
    assert f"Nomor kartu baru: {code}" in page and "Cetak kartu" in page


def test_a_card_prefix_clashing_with_goods_is_refused(app_factory, db, client):
    app = app_factory(MEMBER_CARD_PREFIX="20")
    client = app.test_client()
    with db.transaction() as s:
        user = make_user(s, "manajer1", "manager", "9999").id
    login(client, user)
    (member,) = add_members(db, None)
    response = client.post(f"/anggota/{member}/kartu-baru", headers=HX)
    assert response.status_code == 422 and "Awalan kartu anggota" in response.get_data(as_text=True)
    with db.reading() as s:
        assert s.get(Member, member).card_barcode is None


def test_cards_print_on_an_a4_sheet(db, client, manager):
    cards = [with_check_digit("290000000001"), with_check_digit("290000000002")]
    ids = add_members(db, *cards)
    response = client.post("/anggota/kartu", data={"format": "a4", "member_id": ids, "copies": "2"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "4 kartu di 1 halaman A4" in page
    assert page.count(f'data-code="{cards[0]}"') == 2 and "Anggota AGT-0002" in page
    assert "js/members.js" in page and "data-print" in page


def test_a_card_prints_on_the_thermal_printer(db, client, manager, printer):
    (member,) = add_members(db, with_check_digit("290000000001"))
    response = client.post("/anggota/kartu", data={"format": "thermal", "member_id": member})
    assert response.status_code == 303
    label = printer.labels[-1]
    assert (label.name, label.price_text, label.code) == (
        "Warga 1", "Anggota AGT-0001", with_check_digit("290000000001"))


def test_a_card_on_dummy_says_it_was_not_printed(app, db, client, manager):
    """"1 kartu dikirim ke printer." on dummy://, where nothing comes out on paper."""
    app.extensions["pos_hardware"].printer = build_printer("dummy://", 32)
    (member,) = add_members(db, with_check_digit("290000000001"))
    response = client.post("/anggota/kartu", data={"format": "thermal", "member_id": member},
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Kartu tidak dicetak: printer belum diatur (Perangkat)." in page
    assert "dikirim ke printer" not in page


@pytest.mark.parametrize("card, fault", [(None, "belum punya kartu"), ("KARTU-LAMA-01", "bukan EAN-13")])
def test_a_member_without_a_printable_card_is_refused(db, client, manager, printer, card, fault):
    (member,) = add_members(db, card)
    response = client.post("/anggota/kartu", data={"format": "thermal", "member_id": member}, headers=HX)
    assert response.status_code == 422 and fault in response.get_data(as_text=True)
    assert list(printer.labels) == []
