"""A network printer out of paper: it took the receipt's bytes over TCP and printed nothing, and
the till said "Struk tercetak." (job printed, drawer logged opened). The printer is asked for
its paper sensor (DLE EOT 4) before the receipt; one that does not answer is not taken as out
of paper, and the question waits only a moment.

Something that is not a printer at the address (an HTTP server, a router's web page on 9100) was
said to be out of paper: escpos's ``paper_status`` takes any byte matching none of its masks as
"no paper". A status byte has fixed bits (1 and 4 set, 0 and 7 clear); any other answer is said
to be no ESC/POS printer, its bytes logged."""
from __future__ import annotations

import logging
import time

import pytest

from pos.hardware import HardwareError
from pos.hardware.escpos_printer import PAPER_WAIT, EscposReceiptPrinter
from pos.hardware.escpos_render import render_escpos
from pos.hardware.ports import Receipt
from tests.sales.test_printing import RawListener

PAPER_QUERY = b"\x10\x04\x04"          # DLE EOT 4: the paper roll sensor
PAPER_OK, PAPER_NEAR_END, PAPER_OUT = 0x12, 0x1E, 0x72


class StatusPrinter(RawListener):
    """A raw TCP printer on 127.0.0.1 that answers DLE EOT 4 with ``answer`` (None: never
    answers), and records every byte it receives."""

    def __init__(self, answer: int | bytes | None):
        self.answer = answer
        super().__init__()

    def heard(self, conn, chunk: bytes) -> None:
        if self.answer is not None and PAPER_QUERY in chunk:
            conn.sendall(bytes([self.answer]) if isinstance(self.answer, int) else self.answer)

    @property
    def url(self):
        return f"network://127.0.0.1:{self.port}"


def slip(open_drawer=True):
    return Receipt("TST01-0000001", ["Gerai Uji", "Indomie Goreng   Rp3.500"], 32,
                   open_drawer=open_drawer)


def test_a_printer_out_of_paper_is_not_sent_the_receipt():
    printer = StatusPrinter(PAPER_OUT)
    with pytest.raises(HardwareError) as raised:
        EscposReceiptPrinter.from_url(printer.url).print_receipt(slip())
    printer.close()
    assert raised.value.summary.startswith("Kertas printer habis")
    assert bytes(printer.data) == PAPER_QUERY            # no receipt, no drawer kick


@pytest.mark.parametrize("answer", [PAPER_OK, PAPER_NEAR_END, None])
def test_paper_there_or_no_answer_prints_the_receipt(answer):
    printer = StatusPrinter(answer)
    started = time.monotonic()
    EscposReceiptPrinter.from_url(printer.url).print_receipt(slip())
    took = time.monotonic() - started
    printer.close()
    assert bytes(printer.data) == PAPER_QUERY + render_escpos(slip())
    assert took < PAPER_WAIT + 1


NOT_A_PRINTER = "Alamat ini bukan printer ESC/POS (jawabannya tidak dikenal): periksa IP dan port."


@pytest.mark.parametrize("answer", [b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n",
                                    b"\x00", b"\xff", b"\x13", b"\x92"])
def test_something_that_is_not_a_printer_is_not_said_to_be_out_of_paper(answer, caplog):
    printer = StatusPrinter(answer)
    with caplog.at_level(logging.WARNING), pytest.raises(HardwareError) as raised:
        EscposReceiptPrinter.from_url(printer.url).print_receipt(slip())
    printer.close()
    assert raised.value.summary == NOT_A_PRINTER
    assert bytes(printer.data) == PAPER_QUERY            # nothing else sent to it
    assert repr(answer[:16]) in caplog.text              # what it answered: in the log


def test_cetak_uji_on_an_http_server_says_it_is_no_printer(app, db, client):
    from tests.factories import login, make_till, make_user

    printer = StatusPrinter(b"HTTP/1.1 400 Bad Request\r\n\r\n")
    with db.transaction() as s:
        till, boss = make_till(s), make_user(s, "bos", "manager", "9999")
        till.printer = printer.url
    login(client, boss.id, till.id)
    body = client.post("/perangkat/cetak-uji", data={"till_id": till.id},
                       headers={"HX-Request": "true"}).get_data(as_text=True)
    printer.close()
    assert "bukan printer ESC/POS" in body and "Kertas printer habis" not in body


def test_a_sale_on_a_printer_out_of_paper_waits_and_the_drawer_stays_shut(app, db, client):
    from sqlalchemy import select

    from pos.hardware import Hardware
    from pos.sales.models import DrawerEvent, PrintJob, PrintStatus
    from tests.factories import login, make_product, make_till, make_user
    from tests.sales.test_printing import sell

    printer = StatusPrinter(PAPER_OUT)
    app.extensions["pos_hardware"] = Hardware(printer=EscposReceiptPrinter.from_url(printer.url))
    with db.transaction() as s:
        till, cashier = make_till(s), make_user(s)
        make_product(s, name="Indomie Goreng", price=3_500, barcodes_=["8998866200301"])
    login(client, cashier.id, till.id)
    body = sell(client).get_data(as_text=True)
    printer.close()
    assert "Struk belum tercetak: Kertas printer habis" in body and "Struk tercetak" not in body
    with db.reading() as s:
        (job,) = s.scalars(select(PrintJob)).all()
        (drawer,) = s.scalars(select(DrawerEvent)).all()
    assert job.status is PrintStatus.PENDING and not drawer.opened
