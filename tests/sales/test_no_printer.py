"""A gerai with no printer yet prints on ``dummy://``, which keeps receipts in memory: the till
said "Struk tercetak." all the same.  It now says none was printed and where to set one,
while the receipt is still recorded (and shown on screen); a real printer (here a test's
recording fake, which stands for one) still says "Struk tercetak."."""
from __future__ import annotations

import re
import uuid

import pytest

from pos.hardware import Hardware, build_printer, records_only
from pos.hardware.escpos_printer import EscposReceiptPrinter
from pos.hardware.fakes import RecordingPrinter
from pos.tills import service as tills
from tests.factories import cashier_at_till, login, make_product, make_till, make_user

NO_PRINTER = "Struk tidak dicetak: printer belum diatur (Perangkat)."

HX = {"HX-Request": "true"}
WARNING = re.compile(r'class="msg msg-warn"[^>]*>\s*' + re.escape(NO_PRINTER))


@pytest.fixture
def till(app, db, client):
    with db.transaction() as s:
        till, user = make_till(s).id, make_user(s).id
        make_product(s, name="Indomie Goreng", price=3_500, barcodes_=["8998866200301"])
    login(client, user, till)
    return till


def sell(client):
    client.post("/kasir/pindai", data={"code": "8998866200301"}, headers=HX)
    return client.post("/kasir/bayar", headers=HX, data={"tendered": "5000",
                                                         "idempotency_key": str(uuid.uuid4())})


def test_only_a_dummy_address_records_only():
    assert records_only(build_printer("dummy://", 32)) and records_only(build_printer("dummy://kasir2", 32))
    assert not records_only(RecordingPrinter())     # a test's fake: a printer that works
    assert not records_only(EscposReceiptPrinter.from_url("network://192.168.1.50:9100", 32))


def test_a_gerai_on_dummy_is_told_no_receipt_was_printed(app, db, client, till):
    dummy = build_printer("dummy://", 32)           # POS_PRINTER's default, as pos init leaves it
    app.extensions["pos_hardware"] = Hardware(printer=dummy)
    done = sell(client).get_data(as_text=True)
    assert NO_PRINTER in done and "tercetak" not in done
    assert dummy.receipts[-1].receipt_no == "TST01-0000001" and dummy.raw   # still recorded
    status = client.get("/kasir/cetak/1", headers=HX).get_data(as_text=True)
    assert NO_PRINTER in status and "tercetak" not in status
    again = client.post("/kasir/struk/1/cetak", headers=HX)
    assert again.status_code == 200 and NO_PRINTER in again.get_data(as_text=True)
    assert "Salinan struk dicetak" not in again.get_data(as_text=True) and len(dummy.receipts) == 2


def test_printed_behind_the_sale_the_strip_says_so_at_once(app_factory):
    app = app_factory(PRINT_IN_BACKGROUND=True)
    app.extensions["pos_hardware"] = Hardware(printer=build_printer("dummy://", 32))
    client = cashier_at_till(app)
    done = sell(client).get_data(as_text=True)
    assert NO_PRINTER in done and "Mencetak struk" not in done   # no status to wait for
    app.extensions["pos_print_queue"].join()
    assert NO_PRINTER in client.get("/kasir/cetak/1", headers=HX).get_data(as_text=True)


def test_each_till_is_told_by_its_own_printer(app, db, client, till, printer):
    with db.transaction() as s:                    # this till's own address is dummy://
        tills.set_devices(s, till, printer="dummy://kasir1", display="", manual_weight=False,
                          user_id=None)
    assert NO_PRINTER in sell(client).get_data(as_text=True) and not printer.receipts
    app.extensions["pos_hardware"] = Hardware(printer=build_printer("dummy://", 32))
    with db.transaction() as s:                    # the outlet's is dummy://, this till's real
        tills.set_devices(s, till, printer="network://192.168.1.50:9100", display="",
                          manual_weight=False, user_id=None)
    app.extensions["pos_devices"].forget(till)
    app.extensions["pos_devices"]._printers["network://192.168.1.50:9100"] = printer
    done = sell(client).get_data(as_text=True)
    assert NO_PRINTER not in done and printer.receipts[-1].receipt_no == "TST01-0000002"
    assert "Struk tercetak" in client.get("/kasir/cetak/2", headers=HX).get_data(as_text=True)


def test_the_till_shows_no_receipt_printed_as_a_warning(app, db, client, till):
    """The till said it in the sale's green strip as a plain note, and Cetak ulang in blue, where
    the other screens (a QRIS bill, a shift report, labels, cards) warn in yellow: nothing came
    out on paper."""
    app.extensions["pos_hardware"] = Hardware(printer=build_printer("dummy://", 32))
    with db.transaction() as s:
        manager = make_user(s, "manajer1", "manager").id
    answers = {"sale": sell(client), "status": client.get("/kasir/cetak/1", headers=HX),
               "Cetak ulang": client.post("/kasir/struk/1/cetak", headers=HX)}
    login(client, manager, till)
    answers["Perangkat"] = client.post("/perangkat/struk/1/cetak", headers=HX)
    for name, answer in answers.items():
        said = answer.get_data(as_text=True)
        assert answer.status_code == 200 and WARNING.search(said), (name, said)


def test_a_restart_after_a_power_cut_on_dummy_says_no_printer_is_set(app, db, client, till):
    """The sale's receipt job was claimed and the server killed before it ran: the reloaded till
    said "printer bermasalah" on a gerai with no printer at all, and showed no change."""
    from sqlalchemy import update

    from pos.sales.models import PrintJob, PrintStatus
    app.extensions["pos_hardware"] = Hardware(printer=build_printer("dummy://", 32))
    assert sell(client).status_code == 200
    with db.transaction() as s:
        s.execute(update(PrintJob).values(status=PrintStatus.PENDING, attempts=1, printed_at=None))
    page = " ".join(client.get("/kasir").get_data(as_text=True).split())
    assert WARNING.search(page) and "Kembali <b>Rp1.500</b>" in page
    assert "bermasalah" not in page and "belum dicetak" not in page and "belum tercetak" not in page


def test_a_cash_sale_on_dummy_records_the_drawer_as_not_opened_as_kas_keluar_does(app, db, client,
                                                                               till):
    """The drawer's log said a cash sale opened the drawer (opened, no error: "Laci kas dibuka …
    Penjualan tunai") on a gerai with no printer, where no drawer answers the kick; Kas keluar on
    the same till said "printer belum diatur di Perangkat"."""
    from sqlalchemy import text

    app.extensions["pos_hardware"] = Hardware(printer=build_printer("dummy://", 32))
    assert sell(client).status_code == 200
    with db.reading() as s:
        assert s.execute(text("SELECT reason, opened, error FROM drawer_event")).one() == \
            ("Penjualan tunai", False, "printer belum diatur di Perangkat")


def test_buka_laci_on_perangkat_on_dummy_is_recorded_as_not_opened_and_said(app, db, client):
    """Perangkat's Buka laci said "Laci dibuka" and logged the drawer opened on a gerai with no
    printer, as a cash sale did: no drawer answers a dummy:// printer's kick."""
    from sqlalchemy import text

    with db.transaction() as s:
        till, boss = make_till(s).id, make_user(s, "bos", "manager").id
    login(client, boss, till, shift=False)
    app.extensions["pos_hardware"] = Hardware(printer=build_printer("dummy://", 32))
    answer = client.post("/perangkat/laci", data={"reason": "Tukar uang kecil"}, headers=HX)
    assert answer.status_code == 503 and "printer belum diatur di Perangkat" in answer.get_data(as_text=True)
    with db.reading() as s:
        assert s.execute(text("SELECT reason, opened, error FROM drawer_event")).one() == \
            ("Tukar uang kecil", False, "printer belum diatur di Perangkat")
