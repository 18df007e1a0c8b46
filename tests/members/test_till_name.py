"""A member's name typed at the till and sent with Enter before the F7 list for it arrived
(a quick typist, a slow LAN): the one member so named goes on the sale; of several, the cashier
is told whom the name fits and picks; a code, number or phone that is not known is refused as
before, never matched against a part of a name.  SQLite and PostgreSQL."""
from __future__ import annotations

import html
from datetime import date

import pytest
from sqlalchemy import select

from pos.members.models import Member
from pos.members.service import named
from pos.sales.models import Cart
from tests.factories import login, make_till, make_user

HX = {"HX-Request": "true"}
DAY = date(2026, 11, 30)


@pytest.fixture
def till(db, client):
    with db.transaction() as s:
        till = make_till(s).id
        cashier = make_user(s, "kasir1", "cashier", "1111").id
        s.add_all([Member(number="AGT-0001", name="Siti Aminah", phone="081255550001", joined_on=DAY),
                   Member(number="AGT-0002", name="Budi Santoso", card_barcode="BUDI", joined_on=DAY),
                   Member(number="AGT-0003", name="Budi Harjo", joined_on=DAY),
                   Member(number="AGT-0004", name="Wati", active=False, joined_on=DAY),
                   Member(number="AGT-0005", name="Andi 2000", joined_on=DAY)])
    login(client, cashier, till)
    return till


def attached(db) -> str | None:
    with db.reading() as s:
        return s.scalar(select(Member.number).join(Cart, Cart.member_id == Member.id))


def send(client, typed: str, **extra):
    response = client.post("/kasir/anggota", data={"member": typed, **extra}, headers=HX)
    return response.status_code, html.unescape(" ".join(response.get_data(as_text=True).split()))


@pytest.mark.parametrize("typed", ["Budi Santoso", "budi  santoso", "SANTOSO", "Siti"])
def test_a_whole_name_sent_before_its_list_takes_the_one_member(db, client, till, typed):
    status, page = send(client, typed)
    assert status == 200, page
    assert attached(db) == ("AGT-0001" if typed == "Siti" else "AGT-0002")


def test_a_lone_nonaktif_member_named_goes_on_as_a_card_would(db, client, till):
    status, page = send(client, "Wati")
    assert status == 200 and attached(db) == "AGT-0004"
    assert "nonaktif" in page


def test_a_name_several_members_share_is_refused_naming_them(db, client, till):
    status, page = send(client, "Budi")
    assert status == 422
    assert ("Ada beberapa anggota bernama 'Budi': AGT-0002 Budi Santoso, AGT-0003 Budi Harjo. "
            "Pilih anggotanya dari daftar (F7, panah bawah lalu Enter)") in page
    assert attached(db) is None


@pytest.mark.parametrize("typed", ["AGT-00", "0812", "2000", "Andi 2000", "zzz-999", "Budi_", "Joko"])
def test_codes_and_unknown_names_are_refused_as_not_found(db, client, till, typed):
    status, page = send(client, typed)
    assert status == 422 and f"Anggota '{typed}' tidak ditemukan." in page
    assert attached(db) is None


def test_a_number_picked_from_the_list_is_never_read_as_a_name(db, client, till):
    status, page = send(client, "Siti", by="nomor")
    assert status == 422 and "tidak ditemukan" in page
    assert attached(db) is None


def test_a_card_beats_a_name_it_also_is(db, client, till):
    """``BUDI`` is Budi Santoso's card: it is his, not "several members named Budi"."""
    status, _page = send(client, "BUDI")
    assert status == 200 and attached(db) == "AGT-0002"


def test_named_lists_only_for_names(db, till):
    with db.reading() as s:
        assert [m.number for m in named(s, "budi", 5)] == ["AGT-0002", "AGT-0003"]
        assert [m.number for m in named(s, "H. Budi", 5)] == []
        assert named(s, "b", 5) == [] and named(s, "AGT-0001", 5) == [] and named(s, "", 5) == []


def test_a_product_scanned_into_the_member_field_is_named_as_a_product(db, client, till):
    """A product's barcode scanned while the cursor was in F7 said "Anggota '8993...' tidak
    ditemukan", and the cashier did not see why."""
    from tests.factories import make_product

    with db.transaction() as s:
        make_product(s, name="Indomie Goreng", price=3_500, barcodes_=["8998866200301"])
    status, page = send(client, "8998866200301")
    assert status == 422
    assert ("Kode 8998866200301 adalah barang (Indomie Goreng), bukan kartu anggota: pindai lagi di "
            "kolom Kode barang (Esc ke pindai).") in page
    assert attached(db) is None
