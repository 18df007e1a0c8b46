"""Printer command injection: control characters are removed when text is stored and again
before anything goes on paper, so a name holding ``ESC p`` never kicks the cash drawer.

Byte-level: the only ESC p a receipt carries is the one kick of a cash sale's first print;
copies and labels carry none; every drawer opening is logged before the drawer moves.
"""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select, text

from pos.hardware import Hardware
from pos.hardware.escpos_render import printable, render_escpos, render_labels
from pos.hardware.fakes import RecordingPrinter
from pos.hardware.ports import Label, Receipt
from pos.inventory.catalog.models import Product
from pos.members.models import Member
from pos.sales.models import DrawerEvent, PrintJob
from pos.tills.models import Till
from tests.factories import login, make_product, make_till, make_user

NASTY = "\x1bp\x00\x19\xfa"  # ESC p 0 25 250: "kick drawer pin 0" followed by text
OLD_NASTY = "\x1bp\x01\x19\xfa"  # the same on pin 1 (PostgreSQL text cannot hold NUL at all)
KICK = b"\x1bp"
HX = {"HX-Request": "true"}


# --- Stored text ------------------------------------------------------------------------------

def test_a_name_with_control_characters_is_stored_without_them(db):
    with db.transaction() as s:
        product = make_product(s, name=f"Gula{NASTY} Pasir\x07\x7f\x85")
        s.add(Member(number="AGT-0001", name="Daeng\x1b@ Baso\x9b", phone="081234567890"))
    with db.reading() as s:  # read back as stored, past any ORM type
        name = s.execute(text("SELECT name FROM product WHERE id = :id"), {"id": product.id}).scalar()
        member = s.execute(text("SELECT name FROM member")).scalar()
    assert name == "Gulapú Pasir"
    assert member == "Daeng@ Baso"
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in name + member)


def test_core_executemany_inserts_are_cleaned_too(db):
    with db.transaction() as s:
        s.connection().execute(Till.__table__.insert(), [
            {"code": "K\x1bp1", "name": "Depan\x00", "active": True},
            {"code": "K2", "name": "Bel\x07akang\r\ntengah", "active": True}])
    with db.reading() as s:
        rows = s.execute(text("SELECT code, name FROM till ORDER BY code")).all()
    assert [tuple(r) for r in rows] == [("K2", "Belakang  tengah"), ("Kp1", "Depan")]


# --- Bytes on the wire ------------------------------------------------------------------------

def receipt(open_drawer: bool, copy: bool = False) -> Receipt:
    lines = ["GERAI UJI", f"Gula{NASTY}   1 x 3.500", "\x1b@\x1bp\x01\x10\x10TOTAL  3.500", "Kasir: Siti\x1b"]
    return Receipt(receipt_no="TST01-0000001", lines=lines, columns=32, open_drawer=open_drawer,
                   copy=copy, qr_payload="TST01-0000001|3500")


def test_a_first_cash_print_carries_exactly_one_kick_at_the_end():
    data = render_escpos(receipt(open_drawer=True))
    assert data.count(KICK) == 1 and data.endswith(b"\x1bp\x0022")  # pin 2, after the cut
    assert b"Gulap\xa3   1 x 3.500\n" in data  # the text, without its control bytes (cp437 u-acute)
    assert b"\x00\x19" not in data.split(b"Gula")[1].split(b"\n")[0]


def test_copies_and_prints_without_cash_carry_no_kick_at_all():
    assert KICK not in render_escpos(receipt(open_drawer=False, copy=True))
    assert KICK not in render_escpos(receipt(open_drawer=False))


def test_labels_carry_no_control_bytes_from_their_text():
    data = render_labels([Label(name=f"Gula{NASTY}", price_text="Rp3.500\x1bp\x00", code="8991002101012",
                                unit_text="/kg\x07")])
    assert KICK not in data and b"\x07" not in data
    assert b"Gulap\xa3\n" in data


def test_printable_drops_every_control_character():
    assert printable("".join(map(chr, range(0x00, 0xA0)))) == "".join(map(chr, range(0x20, 0x7F)))


# --- Through the till: an old database still holding a nasty name ----------------------------

class WatchingPrinter(RecordingPrinter):
    """Records, at each receipt that kicks the drawer, how many openings were logged by then."""

    def __init__(self):
        super().__init__(columns=32)
        self.database = None
        self.logged_at_kick: list[int] = []

    def print_receipt(self, slip: Receipt) -> None:
        if slip.open_drawer:
            with self.database.reading() as s:
                self.logged_at_kick.append(s.scalar(select(func.count()).select_from(DrawerEvent)))
        super().print_receipt(slip)


@pytest.fixture
def printer():
    return WatchingPrinter()


def test_reprinting_a_sale_of_a_nasty_name_never_kicks_and_every_kick_is_logged_first(
        app, db, client, printer):
    printer.database = db
    app.extensions["pos_hardware"] = Hardware(printer=printer)
    with db.transaction() as s:
        till, cashier = make_till(s).id, make_user(s).id
        product = make_product(s, name="Gula Pasir", price=3_500, barcodes_=["8991002101012"]).id
    with db.transaction() as s:  # stored before cleaning existed: bypass it with raw SQL
        s.execute(text("UPDATE product SET name = :name WHERE id = :id"),
                  {"name": f"Gula{OLD_NASTY}", "id": product})
    with db.reading() as s:
        assert s.scalar(select(Product.name)) == f"Gula{OLD_NASTY}"
    login(client, cashier, till)
    client.post("/kasir/pindai", data={"code": "8991002101012"}, headers=HX)
    sale = client.post("/kasir/bayar", headers=HX,
                       data={"tendered": "5000", "idempotency_key": str(uuid.uuid4())})
    assert sale.status_code == 200
    first = printer.raw[-1]
    assert first.count(KICK) == 1 and first.endswith(b"\x1bp\x0022")
    assert printer.logged_at_kick == [1]  # logged before the drawer could move
    with db.reading() as s:  # the sale's own copy of the name was cleaned when it was stored
        assert s.execute(text("SELECT name FROM sale_line")).scalar() == "Gulap\xfa"

    with db.transaction() as s:  # an old sale, stored before cleaning existed
        s.execute(text("UPDATE sale_line SET name = :name"), {"name": f"Gula{OLD_NASTY}"})
    assert client.post("/kasir/struk/1/cetak", headers=HX).status_code == 200
    copy = printer.raw[-1]
    assert b"SALINAN" in copy and KICK not in copy and b"Gulap\xa3" in copy
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(DrawerEvent)) == 1
        assert s.scalar(select(func.count()).select_from(PrintJob)) == 2
        assert s.scalar(select(DrawerEvent.opened))
