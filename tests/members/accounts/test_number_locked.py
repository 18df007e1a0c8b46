"""A member number that reached the books (a sale, savings, kasbon, opening savings, a limited
goods' buyer) is kept: the hub sums the SHU by number, so a new number would split the member's
SHU and free the old one for someone else.  A member with nothing recorded may be renumbered."""
from __future__ import annotations

import uuid
from datetime import date, datetime

import pytest
from sqlalchemy import select

from pos.inventory.catalog import spreadsheets
from pos.inventory.catalog.spreadsheets import ImportErrors
from pos.members import register, transfer
from pos.members.accounts import credit, documents, savings
from pos.members.accounts.documents import Payment, Tendered
from pos.members.accounts.models import DocTender, OpeningSaving
from pos.members.fields import FieldErrors
from pos.members.models import Member
from pos.sales.models import SaleBuyer
from tests.factories import login
from tests.members.accounts.conftest import make_sale

DAY = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 3, 0)
LOCKED = "Nomor anggota ini sudah tercatat di transaksi dan perhitungan SHU: tidak dapat diubah."


def _sale(s, shop):
    return make_sale(s, till=shop["till"], cashier=shop["cashier"], product=shop["product"],
                     total=10_000, member=shop["member"], member_sale=True)


def _savings(s, shop):
    documents.take(s, member_id=shop["member"], paid=Payment(sukarela=25_000),
                   tender=Tendered(DocTender.CASH, 25_000), idempotency_key=str(uuid.uuid4()),
                   outlet_code="TST01", till_id=shop["till"], cashier_id=shop["cashier"],
                   rates=savings.Rates(pokok=100_000, wajib=10_000, wajib_ahead=12),
                   business_date=DAY, now=NOW)


def _kasbon(s, shop):
    credit.adjust(s, member_id=shop["member"], amount=5_000, user_id=shop["manager"],
                  note="saldo buku lama", business_date=DAY, now=NOW)


def _opening(s, shop):
    s.add(OpeningSaving(member_id=shop["member"], pokok=100_000, business_date=DAY))


def _buyer(s, shop):
    sale = make_sale(s, till=shop["till"], cashier=shop["cashier"], product=shop["product"], total=20_000)
    s.add(SaleBuyer(sale_id=sale.id, member_id=shop["member"], name="Daeng Baso"))


def _number(db, member_id):
    with db.reading() as s:
        return s.get(Member, member_id).number


@pytest.mark.parametrize("record, word", [(_sale, "penjualan"), (_savings, "simpanan"),
                                          (_kasbon, "kasbon"), (_opening, "simpanan awal"),
                                          (_buyer, "pembeli barang terbatas")])
def test_the_number_of_a_member_with_history_cannot_change(db, shop, record, word):
    with db.transaction() as s:
        record(s, shop)
    with pytest.raises(FieldErrors) as caught, db.transaction() as s:
        register.update_member(s, shop["member"], {"number": "AGT-9999", "name": "Daeng Baso Baru"}, DAY)
    assert LOCKED in caught.value.errors["number"] and word in caught.value.errors["number"]
    with db.reading() as s:   # nothing changed, not even the name typed with it
        member = s.get(Member, shop["member"])
        assert (member.number, member.name) == (shop["member_no"], "Daeng Baso")


def test_a_member_with_nothing_recorded_may_be_renumbered_and_a_limit_alone_is_not_history(db, shop):
    with db.transaction() as s:   # a kasbon limit set at registration logs an entry of 0
        credit.set_limit(s, shop["member"], 100_000, shop["manager"], today=DAY, now=NOW)
    with db.transaction() as s:
        assert register.update_member(s, shop["member"], {"number": "agt-7777"}, DAY) == ["number"]
    assert _number(db, shop["member"]) == "AGT-7777"


def test_a_number_only_put_in_capitals_may_change_with_history(db, shop):
    """The hub reads numbers in capitals: ``pos doctor``'s fix of a number in small letters."""
    with db.transaction() as s:
        s.get(Member, shop["member"]).number = shop["member_no"].lower()
        _sale(s, shop)
    with db.transaction() as s:
        register.update_member(s, shop["member"], {"number": shop["member_no"].lower()}, DAY)
    assert _number(db, shop["member"]) == shop["member_no"]


def test_the_member_page_refuses_a_new_number_and_the_old_one_is_never_free(db, client, shop):
    with db.transaction() as s:
        _sale(s, shop)
    login(client, shop["manager"])
    page = client.get(f"/anggota/{shop['member']}").get_data(as_text=True)
    assert "readonly" in page and "tidak dapat diubah" in page
    response = client.post(f"/anggota/{shop['member']}", data={"number": "TST-018", "name": "Daeng Baso"})
    assert response.status_code == 422
    assert LOCKED in response.get_data(as_text=True)
    assert _number(db, shop["member"]) == shop["member_no"]
    taken = client.post("/anggota/baru", data={"number": shop["member_no"], "name": "Orang Baru",
                                               "joined_on": "01-12-2026"})
    assert taken.status_code == 422 and "sudah dipakai anggota" in taken.get_data(as_text=True)
    with db.reading() as s:
        assert s.scalars(select(Member.name).where(Member.number == shop["member_no"])).all() == [
            "Daeng Baso"]


def test_a_number_the_same_in_capitals_as_an_old_one_is_not_given_to_a_new_member(db, client, shop):
    """An old number in small letters (``number_case``) is the same number to the hub, which
    sums the SHU in capitals: neither the form nor the member file gives it to someone new."""
    with db.transaction() as s:
        s.get(Member, shop["member"]).number = "agt-0500"
        _sale(s, shop)
    login(client, shop["manager"])
    form = client.post("/anggota/baru", data={"number": "AGT-0500", "name": "Orang Baru"})
    assert form.status_code == 422
    assert "Nomor anggota AGT-0500 sudah dipakai anggota agt-0500 (Daeng Baso)" in form.get_data(as_text=True)
    rows = spreadsheets.read_file("anggota.csv", b"nomor,nama\nAGT-0500,Orang Baru\n",
                                  transfer.IMPORT_COLUMNS, transfer.KEY)
    with pytest.raises(ImportErrors) as caught, db.transaction() as s:
        transfer.import_rows(s, rows)
    assert "Baris 2: nomor AGT-0500 sudah dipakai anggota agt-0500 (Daeng Baso)." in caught.value.errors
    with db.reading() as s:
        assert s.scalars(select(Member.number).where(Member.name == "Orang Baru")).all() == []
