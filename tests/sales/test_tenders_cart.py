"""A tender belongs to the cart, and a kasbon to the member, it was added for in the pay panel.

A cancelled customer's transfer (or kasbon) stayed listed in the panel and paid the next
customer's cart of the same total; the kasbon was charged to the next member.  The panel posts
with each tender the cart's key (``cart_view.cart_key``) and a kasbon's member; checkout
refuses another cart's or member's with a clear message and nothing changed.  One bank
reference twice in one payment is refused."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from pos.members.accounts import credit
from pos.members.models import Member
from pos.sales.models import CartLine, Payment, Sale
from tests.factories import make_product
from tests.sales.test_tenders_views import HX, app, count, pay, scan, till  # noqa: F401

OTHER = "8998866200318"


@pytest.fixture
def two(db, till):  # noqa: F811
    """A second good of the same price and a second member with a kasbon limit."""
    with db.transaction() as s:
        make_product(s, name="Indomie Soto", price=3_549, barcodes_=[OTHER])
        other = Member(number="AGT-0008", name="Made Ayu", card_barcode="2900000000082")
        s.add(other)
        s.flush()
        credit.set_limit(s, other.id, 30_000, till["boss"])
    return {**till, "other": other.id}


def key_of(response) -> str:
    keys = re.findall(r'data-key="([0-9a-f]*)"', response.get_data(as_text=True))
    assert keys and len(set(keys)) == 1, keys
    return keys[0]


def cart_key(client) -> str:
    return key_of(client.get("/kasir", headers={}))


def empty(client):
    assert client.post("/kasir/kosongkan", data={"reason": "Pembeli batal"}, headers=HX).status_code == 200


def test_a_transfer_added_for_a_cancelled_cart_does_not_pay_the_next(client, db, two):
    scan(client)
    first = cart_key(client)
    empty(client)
    scan(client, OTHER)                                      # the next customer, the same total
    now = cart_key(client)
    assert now != first
    transfer = dict(tender_method="transfer", tender_amount="3549", tender_reference="TRF-A-0001",
                    tender_confirmed="", expected_total="3549")
    refused = pay(client, tender_cart=first, **transfer)
    body = " ".join(refused.get_data(as_text=True).split())
    assert refused.status_code == 422 and refused.headers["HX-Trigger"] == "cart-changed"  # drawn again
    assert ("Transfer/Debit Rp3.549 (Ref TRF-A-0001) ditambahkan untuk keranjang lain: keranjang "
            "berubah sejak itu. Tidak ada yang dijual; keranjang tetap.") in body
    assert count(db, Sale) == 0 and count(db, Payment) == 0 and count(db, CartLine) == 1
    paid = pay(client, tender_cart=now, **transfer)           # added for this cart: paid
    assert paid.status_code == 200, paid.get_data(as_text=True)
    assert count(db, Sale) == 1


def test_the_key_changes_with_the_member_and_any_line(client, two):
    scan(client)
    alone = cart_key(client)
    scan(client)
    assert cart_key(client) != alone                        # another quantity
    client.post("/kasir/anggota", data={"member": "AGT-0007"}, headers=HX)
    with_member = cart_key(client)
    assert with_member != alone
    assert cart_key(client) == with_member                  # drawn again, unchanged: the same


def test_a_kasbon_added_for_one_member_is_not_charged_to_the_next(client, db, two):
    client.post("/kasir/anggota", data={"member": "AGT-0007"}, headers=HX)
    scan(client)
    empty(client)
    client.post("/kasir/anggota", data={"member": "AGT-0008"}, headers=HX)
    scan(client, OTHER)
    kasbon = dict(tender_method="member_credit", tender_amount="3549", tender_reference="",
                  tender_confirmed="", expected_member="AGT-0008")   # the panel opened again
    refused = pay(client, tender_member="AGT-0007", **kasbon)
    body = " ".join(refused.get_data(as_text=True).split())
    assert refused.status_code == 409
    assert ("Kasbon tadi ditambahkan untuk anggota AGT-0007, bukan untuk penjualan ini (kini "
            "AGT-0008 Made Ayu). Tidak ada yang dijual; keranjang tetap. Hapus kasbon (F9)") in body
    assert count(db, Sale) == 0 and count(db, Payment) == 0 and count(db, CartLine) == 1
    with db.reading() as s:
        assert credit.available(s, two["member"]) == (30_000, 0)
        assert credit.available(s, two["other"]) == (30_000, 0)
    paid = pay(client, tender_member="AGT-0008", tender_cart=cart_key(client), **kasbon)
    assert paid.status_code == 200, paid.get_data(as_text=True)
    with db.reading() as s:
        assert credit.available(s, two["other"]) == (30_000, 3_549)
        assert s.scalar(select(Sale.member_id)) == two["other"]


def test_one_bank_reference_twice_in_one_payment_is_refused(client, db, two):
    for _ in range(3):
        scan(client)                                                     # 10.647
    response = pay(client, tendered="700", tender_method=["transfer"] * 3,
                   tender_amount=["3000", "3000", "4000"],
                   tender_reference=["BRI-123456", "BCA-9", "bri-123456"], tender_confirmed=[""] * 3)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Referensi BRI-123456 sudah ada pada pembayaran ini" in body
    assert count(db, Sale) == 0 and count(db, Payment) == 0


@pytest.mark.parametrize("fields", [
    dict(tender_cart=["a", "b"]),                        # one per tender, or none
    dict(tender_member="x" * 65),
])
def test_tampered_cart_or_member_lists_are_refused(client, db, two, fields):
    scan(client)
    response = pay(client, tender_method="transfer", tender_amount="3549", tender_reference="TRF-1",
                   tender_confirmed="", **fields)
    assert response.status_code == 400
    assert count(db, Sale) == 0
