"""Receipts reach paper or wait in the queue; the drawer and every reprint are logged."""
from __future__ import annotations

import socket
import threading
import time
import uuid

import pytest
from sqlalchemy import select

from pos.db import get_db
from pos.hardware import Hardware, HardwareError, build_printer
from pos.hardware.escpos_printer import EscposReceiptPrinter
from pos.hardware.escpos_render import render_escpos
from pos.hardware.fakes import FailingPrinter, RecordingPrinter
from pos.hardware.testpage import ON_DUMMY
from pos.members.models import Member
from pos.sales import print_worker
from pos.sales.models import DrawerEvent, PrintJob, PrintKind, PrintStatus, Sale
from tests.factories import cashier_at_till, login, make_product, make_till, make_user

HX = {"HX-Request": "true"}


@pytest.fixture
def shop(app, db, client):
    with db.transaction() as s:
        till = make_till(s)
        cashier = make_user(s)
        manager = make_user(s, "manajer1", "manager", "9999")
        make_product(s, name="Indomie Goreng", price=3_500, barcodes_=["8998866200301"])
        s.add(Member(number="AGT-0007", name="Daeng Baso", phone="081234567890",
                     card_barcode="2900000000073"))
    login(client, cashier.id, till.id)
    return dict(till=till.id, cashier=cashier.id, manager=manager.id)


def sell(client, tendered="5000", key=None):
    client.post("/kasir/pindai", data={"code": "8998866200301"}, headers=HX)
    return client.post("/kasir/bayar", headers=HX, data={
        "tendered": tendered, "idempotency_key": key or str(uuid.uuid4())})


def rows(db, model):
    with db.reading() as s:
        return s.execute(select(model).order_by(model.id)).scalars().all()


def use_printer(app, printer):
    app.extensions["pos_hardware"] = Hardware(printer=printer)


def test_a_sale_prints_once_and_logs_the_drawer(app, db, client, shop, printer):
    sell(client)
    (job,), (drawer,) = rows(db, PrintJob), rows(db, DrawerEvent)
    assert (job.kind, job.status, job.attempts) == (PrintKind.RECEIPT, PrintStatus.PRINTED, 1)
    assert drawer.opened and drawer.reason == "Penjualan tunai" and drawer.user_id == shop["cashier"]
    assert printer.receipts[-1].open_drawer and b"\x1bp" in printer.raw[-1]


def test_a_dead_printer_queues_the_receipt_and_the_retry_never_opens_the_drawer(app, db, client, shop):
    use_printer(app, FailingPrinter("Kertas habis"))
    response = sell(client)
    assert "Struk belum tercetak: Kertas habis" in response.get_data(as_text=True)
    (job,), (drawer,) = rows(db, PrintJob), rows(db, DrawerEvent)
    assert job.status is PrintStatus.PENDING and job.last_error == "Kertas habis"
    assert not drawer.opened and drawer.error == "Kertas habis"
    assert len(rows(db, Sale)) == 1

    fixed = RecordingPrinter()
    use_printer(app, fixed)
    app.config.update(PRINT_RETRY_MIN_AGE=0, PRINT_RETRY_MAX_AGE=600)
    assert print_worker.retry_pending(app) == 1
    assert rows(db, PrintJob)[0].status is PrintStatus.PRINTED
    assert not fixed.receipts[-1].open_drawer and b"\x1bp" not in fixed.raw[-1]
    assert print_worker.retry_pending(app) == 0


def test_old_unprinted_receipts_wait_for_a_person(app, db, client, shop):
    use_printer(app, FailingPrinter())
    sell(client)
    app.config.update(PRINT_RETRY_MIN_AGE=0, PRINT_RETRY_MAX_AGE=-1)
    use_printer(app, RecordingPrinter())
    assert print_worker.retry_pending(app) == 0
    assert rows(db, PrintJob)[0].status is PrintStatus.PENDING


def test_reprint_is_a_logged_copy(app, db, client, shop, printer):
    sell(client)
    assert client.post("/kasir/struk/1/cetak", headers=HX).status_code == 200
    copy = rows(db, PrintJob)[-1]
    assert (copy.kind, copy.requested_by, copy.status) == (PrintKind.COPY, shop["cashier"],
                                                           PrintStatus.PRINTED)
    assert "*** SALINAN ***" in printer.receipts[-1].text and not printer.receipts[-1].open_drawer


def test_cetak_ulang_of_a_receipt_that_never_printed_prints_it_not_a_copy_beside_it(app, db, client, shop):
    """Cetak ulang while the printer was down queued a copy too: once the printer was back, the
    retry printed the receipt and the copy, and the customer got two."""
    use_printer(app, FailingPrinter("Printer mati"))
    sell(client)
    refused = client.post("/kasir/struk/1/cetak", headers=HX)
    assert refused.status_code == 503 and "Struk belum tercetak" in refused.get_data(as_text=True)
    assert [(j.kind, j.status) for j in rows(db, PrintJob)] == [(PrintKind.RECEIPT, PrintStatus.PENDING)]
    fixed = RecordingPrinter()
    use_printer(app, fixed)
    printed = client.post("/kasir/struk/1/cetak", headers=HX)
    assert printed.status_code == 200 and "Struk dicetak." in printed.get_data(as_text=True)
    assert [(j.kind, j.status) for j in rows(db, PrintJob)] == [(PrintKind.RECEIPT, PrintStatus.PRINTED)]
    assert len(fixed.receipts) == 1 and "SALINAN" not in fixed.receipts[0].text
    assert not fixed.receipts[0].open_drawer                 # a late print never opens the drawer
    app.config.update(PRINT_RETRY_MIN_AGE=0, PRINT_RETRY_MAX_AGE=600)
    assert print_worker.retry_pending(app) == 0 and len(fixed.receipts) == 1
    again = client.post("/kasir/struk/1/cetak", headers=HX)   # printed once: now a copy
    assert "Salinan struk dicetak." in again.get_data(as_text=True)
    assert "*** SALINAN ***" in fixed.receipts[-1].text


def test_one_job_is_never_printed_twice_at_once(app, db, client, shop):
    gate, calls = threading.Event(), []

    class SlowPrinter(RecordingPrinter):
        def print_receipt(self, receipt):
            calls.append(receipt.receipt_no)
            gate.wait(2)

    use_printer(app, FailingPrinter())
    sell(client)
    use_printer(app, SlowPrinter())
    first = threading.Thread(target=print_worker.run_job, args=(app, 1))
    first.start()
    deadline = time.monotonic() + 10
    while not calls:  # the first job is at the printer
        assert time.monotonic() < deadline, "the first print job never reached the printer"
        time.sleep(0.001)
    assert print_worker.run_job(app, 1) == "struk sedang dicetak"
    gate.set()
    first.join(timeout=10)
    assert not first.is_alive()
    assert calls == ["TST01-0000001"]


def test_receipt_has_a_verification_qr_and_the_member(app, db, client, shop, printer):
    assert client.post("/kasir/pindai", data={"code": "2900000000073"}, headers=HX).status_code == 200
    sell(client)
    slip = printer.receipts[-1]
    assert "Anggota: AGT-0007" in slip.text and "Daeng Baso" in slip.text
    code = next(line for line in slip.lines if "Kode verifikasi" in line).split(": ")[1]
    assert slip.qr_payload == f"GERAIPOS:TST01-0000001:3500:{code}"
    assert b"\x1d(k" in printer.raw[-1]  # GS ( k: the printer draws the QR itself
    assert rows(db, Sale)[0].member_id is not None


@pytest.mark.parametrize("typed", ["AGT-0007", "agt-0007", "0812-3456-7890", "+62 812 3456 7890"])
def test_member_found_by_number_or_phone(client, db, shop, typed):
    response = client.post("/kasir/anggota", data={"member": typed}, headers=HX)
    assert response.status_code == 200 and "Daeng Baso" in response.get_data(as_text=True)
    assert client.post("/kasir/anggota/lepas", headers=HX).status_code == 200


@pytest.mark.parametrize("typed", ["AGT-9999", "", "08123", "x" * 200])
def test_unknown_member_is_refused(client, shop, typed):
    response = client.post("/kasir/anggota", data={"member": typed}, headers=HX)
    assert response.status_code == 422 and "tidak ditemukan" in response.get_data(as_text=True)


def test_manager_opens_the_drawer_with_a_reason(app, db, client, shop, printer):
    login(client, shop["manager"], shop["till"])
    assert client.post("/perangkat/laci", data={"reason": "x"}, headers=HX).status_code == 422
    assert rows(db, DrawerEvent) == []
    response = client.post("/perangkat/laci", data={"reason": "Tukar uang kecil"}, headers=HX)
    assert response.status_code == 200 and printer.drawer_opens == 1
    (event,) = rows(db, DrawerEvent)
    assert (event.user_id, event.reason, event.opened) == (shop["manager"], "Tukar uang kecil", True)
    use_printer(app, FailingPrinter("Printer mati"))
    assert client.post("/perangkat/laci", data={"reason": "Coba lagi"}, headers=HX).status_code == 503
    assert rows(db, DrawerEvent)[-1].error == "Printer mati"


def test_a_drawer_opened_on_perangkat_outside_a_shift_says_so_in_the_audit_log(app, db, client, shop,
                                                                                printer):
    """Perangkat's Buka laci at a till with no shift open was logged with its reason alone, as one
    in a shift: the audit log said neither which till nor that no shift was open there."""
    from pos.clock import to_local, utcnow
    from pos.reports.audit import audit_log

    with db.transaction() as s:
        spare = make_till(s, "KASIR-2").id
    login(client, shop["manager"], spare, shift=False)
    response = client.post("/perangkat/laci", data={"reason": "Ambil kunci serep"}, headers=HX)
    said = response.get_data(as_text=True)
    assert response.status_code == 200 and "di luar shift" in said and "Log audit" in said
    login(client, shop["manager"], shop["till"], shift=False)      # the cashier's shift is open here
    response = client.post("/perangkat/laci", data={"reason": "Tukar uang kecil"}, headers=HX)
    assert response.status_code == 200 and "di luar shift" not in response.get_data(as_text=True)
    assert printer.drawer_opens == 2
    today = to_local(utcnow(), app.config["TIMEZONE"]).date()
    with db.reading() as s:
        log = audit_log(s, today, today, zone=app.config["TIMEZONE"], kind="drawer")
    assert [(r["kind"], r["user"], r["detail"]) for r in log.rows] == [
        ("Laci kas dibuka", "Manajer1", "Tanpa penjualan: Tukar uang kecil"),   # in the shift open there
        ("Laci kas dibuka", "Manajer1", "KASIR-2, di luar shift: Ambil kunci serep")]
    page = client.get("/laporan/log-audit?jenis=drawer").get_data(as_text=True)
    assert "KASIR-2, di luar shift: Ambil kunci serep" in page


def test_device_page_test_print_and_pending_list(app, db, client, shop, printer):
    use_printer(app, FailingPrinter("Kertas habis"))
    sell(client)
    login(client, shop["manager"], shop["till"])
    page = client.get("/perangkat").get_data(as_text=True)
    assert "TST01-0000001" in page and "Kertas habis" in page
    use_printer(app, printer)
    assert client.post("/perangkat/cetak-uji", headers=HX).status_code == 200
    assert printer.receipts[-1].receipt_no == "CETAK-UJI"
    assert client.post("/perangkat/struk/1/cetak", headers=HX).status_code == 200
    assert "Semua struk sudah tercetak" in client.get("/perangkat").get_data(as_text=True)
    assert client.post("/perangkat/struk/99/cetak", headers=HX).status_code == 404


def test_pattern_tester_reads_a_weight_label(app, db, client, shop):
    from pos.inventory.catalog.scancodes import Pattern, encode

    with db.transaction() as s:
        make_product(s, name="Beras curah", price=14_000, base_unit="gram", weighed=True,
                     barcodes_=[]).plu = 123
    login(client, shop["manager"], shop["till"])
    code = encode(Pattern.parse("21PPPPPWWWWWC"), "123", 1_250)
    page = client.get("/perangkat/pola", query_string={"kode": code}, headers=HX).get_data(as_text=True)
    assert "Beras curah" in page and "1,25 kg" in page and "Rp17.500" in page
    wrong_digit = code[:-1] + str((int(code[-1]) + 1) % 10)
    bad = client.get("/perangkat/pola", query_string={"kode": wrong_digit}, headers=HX)
    assert "angka periksa" in bad.get_data(as_text=True)


class RawListener:
    """A 9100-style raw TCP printer on 127.0.0.1 that records what it receives (``heard``: what
    it answers to a chunk, tests/hardware/test_paper_status.py's paper sensor)."""

    def __init__(self):
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(1)
        self.port = self.server.getsockname()[1]
        self.data = bytearray()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        conn, _ = self.server.accept()
        with conn:
            while chunk := conn.recv(65536):
                self.data += chunk
                self.heard(conn, chunk)

    def heard(self, conn, chunk: bytes) -> None:
        """Nothing to say back."""

    def close(self):
        self.thread.join(3)
        self.server.close()


@pytest.mark.parametrize("columns", [32, 48])
def test_network_printer_receives_exactly_the_dummy_bytes(app, db, client, shop, printer, columns):
    app.config["RECEIPT_COLUMNS"] = columns
    sell(client)
    slip = printer.receipts[-1]
    assert all(len(line) <= columns for line in slip.lines)
    expected = render_escpos(slip)
    assert expected.startswith(b"\x1b@") and b"\x1dV" in expected  # init first, cut at the end
    listener = RawListener()
    EscposReceiptPrinter.from_url(f"network://127.0.0.1:{listener.port}").print_receipt(slip)
    listener.close()
    assert bytes(listener.data) == b"\x10\x04\x04" + expected   # asked for paper first (DLE EOT 4)


def test_a_refusing_printer_leaves_the_sale_committed_and_queued(app, db, client, shop):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    use_printer(app, EscposReceiptPrinter.from_url(f"network://127.0.0.1:{port}"))
    response = sell(client)
    body = response.get_data(as_text=True)
    said = f"Struk belum tercetak: Printer tidak ditemukan: 127.0.0.1:{port} tidak menjawab ("
    assert response.status_code == 200 and said in body
    assert "Periksa printer menyala dan tersambung ke jaringan toko" in body
    assert "Device not found" not in body   # escpos's English: in the log and the job's record only
    assert len(rows(db, Sale)) == 1 and rows(db, PrintJob)[0].status is PrintStatus.PENDING
    assert rows(db, PrintJob)[0].last_error.startswith("Printer tidak ditemukan: 127.0.0.1:")
    assert " | Device not found" in rows(db, PrintJob)[0].last_error
    with pytest.raises(HardwareError):
        get_db(app) and app.extensions["pos_hardware"].printer.open_drawer()


def test_a_printer_host_that_does_not_answer_is_said_in_indonesian(app, db, client, shop, monkeypatch):
    """A host that let the connect time out showed "… tidak menjawab (timed out)" (socket.timeout
    has no errno) on the till, Cetak uji, Perangkat, the unprinted list and pos doctor."""
    def no_answer(address, timeout=None, *args, **kwargs):
        raise TimeoutError("timed out")

    monkeypatch.setattr(socket, "create_connection", no_answer)
    printer = EscposReceiptPrinter.from_url("network://192.0.2.10:9100")
    said = "Printer tidak ditemukan: 192.0.2.10:9100 tidak menjawab (waktu habis)."
    assert printer.status().startswith(said)
    use_printer(app, printer)
    body = sell(client).get_data(as_text=True)
    assert f"Struk belum tercetak: {said}" in body and "timed out" not in body


def test_scale_check_on_the_device_page(app, db, client, shop):
    login(client, shop["manager"], shop["till"])
    response = client.get("/perangkat/timbangan", headers=HX)
    assert response.status_code == 200 and "belum dipasang" in response.get_data(as_text=True)


def test_background_printing_keeps_the_till_free_and_reports_back(app_factory, db, printer):
    app = app_factory(PRINT_IN_BACKGROUND=True)
    database = get_db(app)
    client = cashier_at_till(app)
    body = sell(client).get_data(as_text=True)
    assert "Mencetak struk" in body and "/kasir/cetak/1" in body
    app.extensions["pos_print_queue"].join()  # the print thread has done its work
    assert printer.receipts[-1].receipt_no == "TST01-0000001" and printer.receipts[-1].open_drawer
    status = client.get("/kasir/cetak/1", headers=HX).get_data(as_text=True)
    assert "Struk tercetak" in status
    (drawer,) = rows(database, DrawerEvent)
    assert drawer.opened
    assert client.get("/kasir/cetak/99", headers=HX).status_code == 404


def test_background_print_failure_shows_a_reprint_button(app_factory, db):
    app = app_factory(PRINT_IN_BACKGROUND=True)
    use_printer(app, FailingPrinter("Kertas habis"))
    database = get_db(app)
    client = cashier_at_till(app)
    sell(client)
    app.extensions["pos_print_queue"].join()
    status = client.get("/kasir/cetak/1", headers=HX).get_data(as_text=True)
    assert "Struk belum tercetak: Kertas habis" in status and "Cetak ulang" in status
    assert rows(database, DrawerEvent)[0].error == "Kertas habis"


def test_two_processes_cannot_claim_the_same_print(app, db, client, shop):
    from pos.sales import printing

    use_printer(app, FailingPrinter())
    sell(client)
    (job,) = rows(db, PrintJob)
    with db.transaction() as s:
        assert printing.claim(s, job.id, job.attempts)
    with db.transaction() as s:
        assert not printing.claim(s, job.id, job.attempts)  # the other process saw the old count


def test_cetak_uji_on_dummy_says_nothing_came_out(app, client, shop):
    """On dummy:// Cetak uji said "Halaman uji dikirim ke printer." and the manager looked for
    paper: the page went to the recording printer, which keeps it in memory."""
    dummy = build_printer("dummy://", 32)
    use_printer(app, dummy)
    login(client, shop["manager"], shop["till"])
    tested = client.post("/perangkat/cetak-uji", headers=HX)
    said = tested.get_data(as_text=True)
    assert tested.status_code == 200 and ON_DUMMY in said and "dikirim ke printer" not in said
    assert dummy.receipts[-1].receipt_no == "CETAK-UJI"     # still recorded
    runner = app.test_cli_runner()
    assert ON_DUMMY in runner.invoke(args=["hardware", "test-print"]).output


def test_a_slow_print_shows_mencetak_until_its_outcome(app_factory):
    """A printer that answered slowly: 0.4 s after the sale the till said "Struk belum dicetak."
    with no reason and stopped asking (the attempt counts when the job is claimed, before the
    send), so a slow print that then came out still read as failed and a second copy followed."""
    app = app_factory(PRINT_IN_BACKGROUND=True)
    gate, at_printer = threading.Event(), threading.Event()

    class SlowPrinter(RecordingPrinter):
        def print_receipt(self, receipt):
            at_printer.set()
            gate.wait(10)
            super().print_receipt(receipt)

    slow = SlowPrinter()
    use_printer(app, slow)
    database = get_db(app)
    client = cashier_at_till(app)
    sell(client)
    assert at_printer.wait(10)
    assert rows(database, PrintJob)[0].attempts == 1            # claimed, at the printer
    during = client.get("/kasir/cetak/1", headers=HX).get_data(as_text=True)
    assert "Mencetak struk" in during and 'hx-get="/kasir/cetak/1"' in during
    assert "belum" not in during and "Cetak ulang" not in during
    gate.set()
    app.extensions["pos_print_queue"].join()
    after = client.get("/kasir/cetak/1", headers=HX).get_data(as_text=True)
    assert "Struk tercetak" in after and "hx-get" not in after
    assert len(slow.receipts) == 1


def test_a_copy_that_failed_is_never_printed_later_unasked(app, db, client, shop, printer):
    """F9 pressed three times on a printed receipt while the printer was off ("belum tercetak"
    each time): once it was back on, the retry printed three SALINAN copies nobody asked for."""
    sell(client)
    use_printer(app, FailingPrinter("Printer mati"))
    for _ in range(3):
        refused = client.post("/kasir/struk/1/cetak", headers=HX)
        assert refused.status_code == 503 and "Struk belum tercetak" in refused.get_data(as_text=True)
    copies = [j for j in rows(db, PrintJob) if j.kind is PrintKind.COPY]
    assert len(copies) == 3 and all(j.last_error == "Printer mati" for j in copies)  # the reprint log
    fixed = RecordingPrinter()
    use_printer(app, fixed)
    app.config.update(PRINT_RETRY_MIN_AGE=0, PRINT_RETRY_MAX_AGE=600)
    assert print_worker.retry_pending(app) == 0 and len(fixed.receipts) == 0
    login(client, shop["manager"], shop["till"])
    assert "Semua struk sudah tercetak" in client.get("/perangkat").get_data(as_text=True)
    again = client.post("/kasir/struk/1/cetak", headers=HX)   # pressed again: one copy
    assert "Salinan struk dicetak." in again.get_data(as_text=True)
    assert [r.text.count("*** SALINAN ***") for r in fixed.receipts] == [1]


NOT_FOUND = ("Printer tidak ditemukan: 10.0.0.9:9100 tidak menjawab. Periksa alamat printer sama "
             "dengan setelan.")


def test_a_reason_that_ends_its_sentence_gets_one_full_stop(app, db, client, shop, printer):
    """"…sama dengan setelan.." on Cetak ulang, on Perangkat's printer line and in the close's
    flash: the reason's own full stop, and one more after it."""
    sell(client)
    use_printer(app, FailingPrinter(NOT_FOUND))
    copy = client.post("/kasir/struk/1/cetak", headers=HX).get_data(as_text=True)
    assert "dengan setelan." in copy and "setelan.." not in copy
    login(client, shop["manager"], shop["till"])
    page = client.get("/perangkat").get_data(as_text=True)
    assert "dengan setelan.</b>." not in page and "dengan setelan.</b>" in page


class ListeningPrinter(RecordingPrinter):
    """A network printer that is there (a port that accepts), whose real connect would be slow:
    ``status()`` stands for escpos's 3 s connect to a host that does not answer."""

    def __init__(self, port: int):
        super().__init__(url=f"network://127.0.0.1:{port}")
        self.status_calls = 0

    def status(self) -> str:
        self.status_calls += 1
        time.sleep(3)
        return "Printer tidak terhubung"


def test_the_device_page_looks_at_the_printer_without_connecting_to_it(app, client, shop):
    """Perangkat took 3.5 s to load on a printer host that does not answer: it asked the printer
    itself (a 3 s connect) for its state, not the 0.3 s look ``pos doctor`` uses."""
    with socket.socket() as there:
        there.bind(("127.0.0.1", 0))
        there.listen(4)
        slow = ListeningPrinter(there.getsockname()[1])
        use_printer(app, slow)
        login(client, shop["manager"], shop["till"])
        started = time.monotonic()
        page = client.get("/perangkat").get_data(as_text=True)
        took = time.monotonic() - started
    assert slow.status_calls == 0 and took < 2
    assert '<b id="printer-status">siap.</b>' in page


def test_the_retry_skips_a_printer_just_found_absent(app, db, client, shop):
    """Three receipts waiting for a printer that is not there: the retry pass tried each in turn
    while holding the printer's lock, and Cetak uji on Perangkat waited seconds behind it."""
    use_printer(app, FailingPrinter("Printer mati"))
    for _ in range(3):
        sell(client)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]          # closed again: nothing listens there
    gone = FailingPrinter("Printer tidak ditemukan")
    gone.url = f"network://127.0.0.1:{port}"
    use_printer(app, gone)
    app.config.update(PRINT_RETRY_MIN_AGE=0, PRINT_RETRY_MAX_AGE=600)
    assert print_worker.retry_pending(app) == 0
    assert gone.attempts == 0                  # looked for (0.3 s at most), not printed on
    assert [j.attempts for j in rows(db, PrintJob)] == [1, 1, 1]
    back = RecordingPrinter()
    use_printer(app, back)
    assert print_worker.retry_pending(app) == 3 and len(back.receipts) == 3
