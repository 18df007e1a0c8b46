"""What a screen prints on the thermal printer (labels, member cards) comes out at the till the
user signed in at: on its own printer when it has one, else on the outlet's; and the dummy://
note ("… tidak dicetak") is about the printer that was used."""
from __future__ import annotations

from datetime import date

import pytest

from pos.hardware.fakes import RecordingPrinter
from pos.inventory.catalog.barcodes import with_check_digit
from pos.members.models import Member
from pos.tills.models import Till
from tests.factories import login, make_product, make_till, make_user

SUGAR = "8991002101012"
CARD = with_check_digit("290000000001")


@pytest.fixture
def outlet(db):
    """Two tills: KASIR-1 with a printer of its own (``dummy://kasir1``), KASIR-2 without; a
    clerk, a manager, sugar with a barcode and a member with a card."""
    with db.transaction() as s:
        own, bare = make_till(s, "KASIR-1"), make_till(s, "KASIR-2")
        own.printer = "dummy://kasir1"
        clerk = make_user(s, "gudang1", "clerk")
        boss = make_user(s, "bos", "manager", "9999")
        sugar = make_product(s, name="Gula Pasir 1 kg", price=18_500, barcodes_=[SUGAR])
        member = Member(number="AGT-0001", name="Warga 1", card_barcode=CARD, joined_on=date(2025, 7, 21))
        s.add(member)
        s.flush()
    return dict(own=own.id, bare=bare.id, clerk=clerk.id, boss=boss.id, sugar=sugar.id, member=member.id)


def till_own_printer(app, url: str = "dummy://kasir1", printer=None):
    """The printer KASIR-1's URL stands for: a recording fake that passes for a real printer
    (no dummy:// address of its own), unless ``printer`` is given."""
    printer = printer if printer is not None else RecordingPrinter(columns=32)
    app.extensions["pos_devices"]._printers[url] = printer
    return printer


def print_labels(client, sugar_id: int, copies: int = 2):
    return client.post("/barang/label", data={"format": "thermal", "product_id": [sugar_id],
                                              "copies": [str(copies)]}, follow_redirects=True)


def test_labels_print_on_the_signed_in_tills_own_printer(app, client, outlet, printer):
    own = till_own_printer(app)
    login(client, outlet["clerk"], outlet["own"], shift=False)
    page = print_labels(client, outlet["sugar"]).get_data(as_text=True)
    assert [label.code for label in own.labels] == [SUGAR, SUGAR]
    assert not printer.labels                               # nothing on the outlet's, across the room
    assert "2 label dikirim ke printer." in page


def test_labels_from_a_till_without_a_printer_print_on_the_outlets(app, client, outlet, printer):
    own = till_own_printer(app)
    login(client, outlet["clerk"], outlet["bare"], shift=False)
    print_labels(client, outlet["sugar"], copies=3)
    assert [label.code for label in printer.labels] == [SUGAR] * 3 and not own.labels


def test_labels_from_no_till_print_on_the_outlets(app, client, outlet, printer):
    own = till_own_printer(app)
    login(client, outlet["clerk"])
    print_labels(client, outlet["sugar"], copies=1)
    assert [label.code for label in printer.labels] == [SUGAR] and not own.labels


def test_the_dummy_note_follows_the_printer_used(app, client, outlet, printer):
    """The till's own printer is dummy:// while the outlet's is real: the page says nothing
    printed (it said "dikirim ke printer", asking the outlet's); and the other way round."""
    dummy = app.extensions["pos_devices"].printer("dummy://kasir1")   # built from the till's URL
    login(client, outlet["clerk"], outlet["own"], shift=False)
    page = print_labels(client, outlet["sugar"]).get_data(as_text=True)
    assert "Label tidak dicetak: printer belum diatur (Perangkat)." in page
    assert "dikirim ke printer" not in page and len(dummy.labels) == 2 and not printer.labels

    real = till_own_printer(app)
    app.extensions["pos_hardware"].printer = RecordingPrinter(columns=32, url="dummy://")   # the outlet's
    page = print_labels(client, outlet["sugar"]).get_data(as_text=True)
    assert "2 label dikirim ke printer." in page and "tidak dicetak" not in page
    assert len(real.labels) == 2


def test_member_cards_print_on_the_signed_in_tills_own_printer(app, client, outlet, printer):
    own = till_own_printer(app)
    login(client, outlet["boss"], outlet["own"], shift=False)
    page = client.post("/anggota/kartu", data={"format": "thermal", "member_id": outlet["member"]},
                       follow_redirects=True).get_data(as_text=True)
    assert [label.code for label in own.labels] == [CARD] and not printer.labels
    assert "1 kartu dikirim ke printer." in page


def test_member_cards_from_a_till_without_a_printer_print_on_the_outlets(app, client, outlet, printer):
    own = till_own_printer(app)
    login(client, outlet["boss"], outlet["bare"], shift=False)
    client.post("/anggota/kartu", data={"format": "thermal", "member_id": outlet["member"]})
    assert [label.code for label in printer.labels] == [CARD] and not own.labels


def test_the_test_page_names_the_printer_it_came_out_of_and_wraps_its_words(app, db, client, outlet,
                                                                           printer):
    """Cetak uji for KASIR-1, whose own printer is on the network: the page says that printer
    (it said the outlet's dummy://), and its sentences break between words on 32 columns (it
    cut "pas sat" and "terpotong, prin")."""
    url = "network://192.168.1.50:9100"
    with db.transaction() as s:
        s.get(Till, outlet["own"]).printer = url
    own = till_own_printer(app, url, RecordingPrinter(columns=32, url=url))
    login(client, outlet["boss"], outlet["own"], shift=False)
    answer = client.post("/perangkat/cetak-uji", data={"till_id": outlet["own"]},
                         headers={"HX-Request": "true"})
    assert answer.status_code == 200 and "dikirim ke printer" in answer.get_data(as_text=True)
    [page] = own.receipts
    assert not printer.receipts and all(len(line) <= 32 for line in page.lines)
    text = " ".join(line.strip() for line in page.lines)
    named = next(n for n, line in enumerate(page.lines) if line.startswith("Printer:"))
    assert "".join(line.strip() for line in page.lines[named:named + 2]) == f"Printer: {url}"
    assert "dummy" not in text
    assert ("Jika baris angka di atas pas satu baris dan kertas terpotong, printer siap dipakai."
            in text)
