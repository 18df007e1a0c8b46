"""Tills on SQLite and PostgreSQL: who holds one, carts left behind, and each till's own devices."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from pos.errors import PosError
from pos.hardware.fakes import RecordingPrinter
from pos.sales.models import CartLine, PrintJob
from pos.shifts.models import Shift
from pos.tills import service as tills
from pos.tills.models import Till, TillEvent, TillEventKind
from tests.factories import make_product, make_till, make_user, open_shift

HX = {"HX-Request": "true"}


@pytest.fixture
def counter(db):
    with db.transaction() as s:
        till = make_till(s)
        siti = make_user(s, "siti", "cashier", "1111")
        budi = make_user(s, "budi", "cashier", "2222")
        boss = make_user(s, "bos", "manager", "9999")
        rice = make_product(s, name="Gula Pasir 1 kg", price=18_000, barcodes_=["8991234567891"])
    return dict(till=till.id, siti=siti.id, budi=budi.id, boss=boss.id, code="8991234567891",
                rice=rice.id)


def sign_in(client, username: str, pin: str, till_id: int):
    return client.post("/masuk", data={"username": username, "pin": pin, "till_id": till_id})


def events(db) -> list[tuple[TillEventKind, int | None]]:
    with db.reading() as s:
        return s.execute(select(TillEvent.kind, TillEvent.user_id).order_by(TillEvent.id)).all()


def test_a_held_till_names_its_holder_and_cannot_be_taken_over(app, db, counter):
    siti, budi = app.test_client(), app.test_client()
    assert sign_in(siti, "siti", "1111", counter["till"]).status_code == 303
    refused = sign_in(budi, "budi", "2222", counter["till"])
    assert refused.status_code == 409
    text = refused.get_data(as_text=True)
    assert "sedang dipegang Siti" in text and "manajer melepaskannya" in text
    assert budi.get("/kasir").status_code == 302                  # no session was started
    again = app.test_client()                                     # Siti, after a browser crash
    assert sign_in(again, "siti", "1111", counter["till"]).status_code == 303
    assert again.get("/kasir").status_code == 200
    with db.reading() as s:
        assert tills.holder(s, counter["till"]).user_id == counter["siti"]
    assert events(db) == [(TillEventKind.TAKE, counter["siti"])]


def test_signing_out_frees_the_till_for_the_next_cashier(app, db, counter):
    siti, budi = app.test_client(), app.test_client()
    sign_in(siti, "siti", "1111", counter["till"])
    assert siti.post("/keluar").status_code == 303
    assert sign_in(budi, "budi", "2222", counter["till"]).status_code == 303
    assert [kind for kind, _ in events(db)] == [TillEventKind.TAKE, TillEventKind.LEAVE,
                                                TillEventKind.TAKE]


def test_a_manager_releases_a_till_and_it_is_logged(app, db, counter):
    siti, boss, budi = app.test_client(), app.test_client(), app.test_client()
    sign_in(siti, "siti", "1111", counter["till"])
    with db.transaction() as s:
        office = make_till(s, "KANTOR").id
    sign_in(boss, "bos", "9999", office)
    page = boss.get("/perangkat").get_data(as_text=True)
    assert "Siti" in page and "Lepaskan" in page
    assert boss.post(f"/perangkat/kasir/{counter['till']}/lepas", headers=HX).status_code == 200
    assert sign_in(budi, "budi", "2222", counter["till"]).status_code == 303
    release = [(k, u) for k, u in events(db) if k is TillEventKind.RELEASE]
    assert release == [(TillEventKind.RELEASE, counter["boss"])]
    cashier = app.test_client()
    sign_in(cashier, "budi", "2222", counter["till"])
    assert cashier.post(f"/perangkat/kasir/{counter['till']}/lepas", headers=HX).status_code == 403


def test_a_cart_left_by_another_cashier_is_continued_or_emptied_by_choice(app, db, counter):
    siti, budi = app.test_client(), app.test_client()
    sign_in(siti, "siti", "1111", counter["till"])
    with db.transaction() as s:                   # a line goes on the cart in Siti's shift
        shift = open_shift(s, counter["till"], counter["siti"])
    assert siti.post("/kasir/pindai", data={"code": counter["code"]}, headers=HX).status_code == 200
    siti.post("/keluar")
    sign_in(budi, "budi", "2222", counter["till"])
    with db.transaction() as s:                   # Siti's shift closed, Budi's opened (Buka shift)
        s.get(Shift, shift.id).closed_at = shift.opened_at
        open_shift(s, counter["till"], counter["budi"])
    page = budi.get("/kasir").get_data(as_text=True)
    assert "1 baris belanjaan dari <b>Siti</b>" in page and "Lanjutkan" in page
    refused = budi.post("/kasir/pindai", data={"code": counter["code"]}, headers=HX)
    assert refused.status_code == 409 and "kasir lain" in refused.get_data(as_text=True)
    assert budi.post("/kasir/bayar", data={"tendered": "50000", "idempotency_key":
                                           "5d0b5d38-62a8-4b5e-9a3c-2a5f1f3c0001"},
                     headers=HX).status_code == 409
    assert budi.post("/kasir/keranjang/ambil", data={"pilihan": "lanjutkan"}).status_code == 303
    assert "belanjaan dari" not in budi.get("/kasir").get_data(as_text=True)
    assert budi.post("/kasir/pindai", data={"code": counter["code"]}, headers=HX).status_code == 200
    with db.reading() as s:
        assert s.scalars(select(CartLine.qty)).all() == [2]
    budi.post("/keluar")
    siti = app.test_client()
    sign_in(siti, "siti", "1111", counter["till"])
    assert siti.post("/kasir/keranjang/ambil", data={"pilihan": "kosongkan"}).status_code == 303
    with db.reading() as s:
        assert s.scalars(select(CartLine.qty)).all() == []
    kinds = [k for k, _ in events(db)]
    assert TillEventKind.CONTINUE_CART in kinds and TillEventKind.EMPTY_CART in kinds


def test_each_till_prints_on_its_own_printer(app, db, counter, printer):
    own = RecordingPrinter(columns=32)
    with db.transaction() as s:
        tills.set_devices(s, counter["till"], printer="dummy://kasir1", display="",
                          manual_weight=False, user_id=counter["boss"])
    app.extensions["pos_devices"]._printers["dummy://kasir1"] = own   # the till's device, recorded
    siti = app.test_client()
    sign_in(siti, "siti", "1111", counter["till"])
    with db.transaction() as s:                   # a sale needs Siti's open shift
        open_shift(s, counter["till"], counter["siti"])
    siti.post("/kasir/pindai", data={"code": counter["code"]}, headers=HX)
    sold = siti.post("/kasir/bayar", data={"tendered": "20000", "idempotency_key":
                                           "5d0b5d38-62a8-4b5e-9a3c-2a5f1f3c0002"}, headers=HX)
    assert sold.status_code == 200
    assert len(own.receipts) == 1 and not printer.receipts         # not on the outlet's printer
    with db.reading() as s:
        assert s.scalars(select(PrintJob.till_id)).all() == [counter["till"]]
    assert (TillEventKind.DEVICES, counter["boss"]) in events(db)


@pytest.mark.parametrize("printer_url, display_url, message", [
    ("http://evil.example/", "", "printer tidak dikenal"),
    ("network://192.168.1.50:9100", "network://x", "layar pelanggan tidak dikenal"),
    ("x" * 300, "", "printer tidak dikenal"),
    ("file:///tmp/x.txt", "", "Printer file:// hanya untuk perangkat di /dev/"),
    ("network://[::1", "", "printer tidak dikenal"),
    ("", "serial://[x", "layar pelanggan tidak dikenal"),
    ("usb://zz", "", "Alamat printer USB 'usb://zz' salah"),        # was saved, for pos doctor to find
    ("usb://0x0416:0x5011?interface=1", "", "pilihan 'interface' tidak dikenal"),
    ("serial:///dev/ttyUSB0?baudrate=abc", "", "baudrate harus"),
    ("", "serial://ttyUSB0", "Alamat layar pelanggan serial 'serial://ttyUSB0' salah"),
    ("network://a b:9100", "", "Alamat printer jaringan 'network://a b:9100' salah: tulis nama host"),
    ("network://user@10.0.0.1:9100", "", "Alamat printer jaringan .* salah"),
])
def test_device_addresses_are_checked(db, counter, printer_url, display_url, message):
    with db.transaction() as s, pytest.raises(PosError, match=message):
        tills.set_devices(s, counter["till"], printer=printer_url, display=display_url,
                          manual_weight=False, user_id=None)
    with db.reading() as s:
        assert s.get(Till, counter["till"]).printer is None


def test_a_refused_address_brings_the_form_back_as_typed(app, db, counter):
    """The manager's other address and the tick stay as typed; the wrong one is marked."""
    boss = app.test_client()
    sign_in(boss, "bos", "9999", counter["till"])
    sent = {"printer": "network://192.168.1.50:91000", "display": "serial:///dev/ttyUSB9?baudrate=9600",
            "manual_weight": "1"}
    page = boss.post(f"/perangkat/kasir/{counter['till']}", data=sent)
    html = page.get_data(as_text=True)
    assert page.status_code == 422 and f'id="devices-problem-{counter["till"]}"' in html
    assert 'value="network://192.168.1.50:91000"' in html
    assert 'value="serial:///dev/ttyUSB9?baudrate=9600"' in html
    printer_field = html.split(f'id="printer-{counter["till"]}"')[1].split(">")[0]
    assert 'aria-invalid="true"' in printer_field
    assert 'aria-invalid' not in html.split(f'id="display-{counter["till"]}"')[1].split(">")[0]
    assert 'name="manual_weight" value="1" checked' in html
    with db.reading() as s:
        till = s.get(Till, counter["till"])
        assert (till.printer, till.display, till.manual_weight) == (None, None, False)


def test_a_malformed_usb_printer_is_refused_beside_its_field(app, db, counter):
    """usb://zz was saved ("Perangkat Kasir 1 disimpan.") while network://1.2.3.4:99999 was refused."""
    boss = app.test_client()
    sign_in(boss, "bos", "9999", counter["till"])
    url = f"/perangkat/kasir/{counter['till']}"
    refused = boss.post(url, data={"printer": "usb://zz"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and not re.search(r"Perangkat [^<]{1,40} disimpan\.", html)
    assert "Alamat printer USB &#39;usb://zz&#39; salah" in html and "usb://0x0416:0x5011" in html
    assert 'aria-invalid="true"' in html.split(f'id="printer-{counter["till"]}"')[1].split(">")[0]
    with db.reading() as s:
        assert s.get(Till, counter["till"]).printer is None
    saved = boss.post(url, data={"printer": "usb://04b8:0202?in_ep=0x81&out_ep=0x03"}, follow_redirects=True)
    assert "disimpan." in saved.get_data(as_text=True)


def test_saving_the_same_devices_says_nothing_changed_and_a_tick_is_logged_in_words(app, db, counter):
    boss = app.test_client()
    sign_in(boss, "bos", "9999", counter["till"])
    url = f"/perangkat/kasir/{counter['till']}"
    saved = boss.post(url, data={"manual_weight": "1"}, follow_redirects=True).get_data(as_text=True)
    assert "disimpan." in saved
    again = boss.post(url, data={"manual_weight": "1"}, follow_redirects=True).get_data(as_text=True)
    assert "Tidak ada yang berubah." in again and "disimpan." not in again
    with db.reading() as s:
        details = s.scalars(select(TillEvent.detail).where(TillEvent.kind == TillEventKind.DEVICES)).all()
    assert details == ["berat diketik: tidak -> ya"]


def test_the_device_page_never_points_a_printer_at_a_file(app, db, counter, printer, tmp_path):
    kept = tmp_path / "gerai.db"            # stands for the outlet's database
    kept.write_bytes(b"SQLite format 3\x00 penjualan")
    boss = app.test_client()
    sign_in(boss, "bos", "9999", counter["till"])
    for url in (f"file://{kept}", f"file:///dev/../{kept}", "network://[::1"):
        refused = boss.post(f"/perangkat/kasir/{counter['till']}", data={"printer": url}, headers=HX)
        assert refused.status_code == 422, url
        assert ("hanya untuk perangkat di /dev/" if url.startswith("file") else "printer tidak dikenal") \
            in refused.get_data(as_text=True)
    with db.reading() as s:
        assert s.get(Till, counter["till"]).printer is None
    tested = boss.post("/perangkat/cetak-uji", data={"till_id": counter["till"]}, headers=HX)
    assert tested.status_code == 200 and printer.receipts[-1].receipt_no == "CETAK-UJI"
    assert kept.read_bytes() == b"SQLite format 3\x00 penjualan"


def test_a_test_page_for_a_till_that_does_not_exist_is_refused(app, counter, printer):
    boss = app.test_client()
    sign_in(boss, "bos", "9999", counter["till"])
    unknown = boss.post("/perangkat/cetak-uji", data={"till_id": "999"}, headers=HX)
    assert unknown.status_code == 404 and "Mesin kasir tidak ditemukan" in unknown.get_data(as_text=True)
    assert not printer.receipts             # nothing on the outlet's printer either


def test_till_set_devices_from_the_command_line(app, db, counter):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["till", "set-devices", "kasir-1", "--printer",
                                 "network://192.168.1.60:9100", "--manual-weight"])
    assert result.exit_code == 0, result.output
    assert "printer network://192.168.1.60:9100" in result.output
    with db.reading() as s:
        till = s.get(Till, counter["till"])
        assert (till.printer, till.display, till.manual_weight) == (
            "network://192.168.1.60:9100", None, True)
    bad = runner.invoke(args=["till", "set-devices", "KASIR-1", "--display", "usb://1:2"])
    assert bad.exit_code == 1 and "layar pelanggan tidak dikenal" in bad.output
    for url, said in (("file:///tmp/x.txt", "hanya untuk perangkat di /dev/"),
                      ("network://[::1", "printer tidak dikenal"),
                      ("network://192.168.1.250:99999", "port 1 sampai 65535"),   # stored before
                      ("network://192.168.1.250:0", "port 1 sampai 65535"),
                      ("network://:9100", "nama host atau IP"),
                      ("network://192.168.1.999:9100", "nama host atau IP"),   # no such address
                      ("network://300.1.1.1:9100", "nama host atau IP"),
                      ("network://a b:9100", "nama host atau IP"),   # these four were saved
                      ("network://host_name!:9100", "nama host atau IP"),
                      ("network://user@10.0.0.1:9100", "nama host atau IP"),
                      ("network://10.0.0.1:9100/path?x=1", "nama host atau IP")):
        refused = runner.invoke(args=["till", "set-devices", "KASIR-1", "--printer", url])
        assert refused.exit_code == 1 and said in refused.output, refused.output
        assert refused.exception is None or isinstance(refused.exception, SystemExit)
    with db.reading() as s:   # nothing refused was stored
        assert s.get(Till, counter["till"]).printer == "network://192.168.1.60:9100"
    unknown = runner.invoke(args=["till", "set-devices", "KASIR-9", "--printer", ""])
    assert unknown.exit_code == 1 and "KASIR-9 tidak ada" in unknown.output
    listed = runner.invoke(args=["till", "list", "--json"])
    assert '"manual_weight": true' in listed.output


def test_an_unknown_address_is_answered_with_real_examples():
    """The refusal ended "Contoh: serial://....": an example with nothing in it."""
    from pos.hardware import HardwareError
    from pos.hardware.addresses import PRINTER_SCHEMES, check_url

    with pytest.raises(HardwareError) as refused:
        check_url("http://evil.example/", PRINTER_SCHEMES, "printer")
    said = str(refused.value)
    assert "network://192.168.1.50:9100" in said and "serial:///dev/ttyUSB0?baudrate=9600" in said
    assert "://..." not in said and not said.endswith("..")


def test_a_second_till_is_added_on_the_device_page_and_a_second_cashier_sells_there(app, db, counter):
    """A gerai installed with pos init had KASIR-1 only, and nothing to add KASIR-2 with: the
    second cashier was refused at the held till, for good."""
    from tests.factories import login

    boss = app.test_client()
    login(boss, counter["boss"], None)
    page = boss.get("/perangkat").get_data(as_text=True)
    assert 'id="add-till"' in page and 'placeholder="KASIR-2"' in page
    done = boss.post("/perangkat/kasir", data={"code": " kasir-2 ", "name": "Kasir 2"})
    assert done.status_code == 303
    assert "Kasir KASIR-2 (Kasir 2) ditambahkan." in boss.get("/perangkat").get_data(as_text=True)
    with db.reading() as s:
        second = s.scalar(select(Till.id).where(Till.code == "KASIR-2"))
    assert "Kasir 2 (KASIR-2)" in app.test_client().get("/masuk").get_data(as_text=True)
    siti, budi = app.test_client(), app.test_client()
    assert sign_in(siti, "siti", "1111", counter["till"]).status_code == 303
    assert sign_in(budi, "budi", "2222", second).status_code == 303   # the second counter
    for form, said, status in (({"code": "KASIR-2", "name": "Lagi"}, "KASIR-2 sudah dipakai", 409),
                               ({"code": "KASIR 3", "name": "Kasir 3"}, "Kode kasir 1 sampai 16", 422),
                               ({"code": "KASIR-3", "name": " "}, "Isi nama kasir", 422),
                               ({"code": "KASIR-3", "name": "x" * 61}, "terlalu panjang", 422)):
        refused = boss.post("/perangkat/kasir", data=form, headers=HX)
        assert refused.status_code == status and said in refused.get_data(as_text=True), form
    cashier = app.test_client()
    login(cashier, counter["siti"], counter["till"])
    refused = cashier.post("/perangkat/kasir", data={"code": "KASIR-9", "name": "x"}, headers=HX)
    assert refused.status_code == 403
    with db.reading() as s:
        assert s.scalars(select(Till.code).order_by(Till.code)).all() == ["KASIR-1", "KASIR-2"]


def test_a_till_is_added_from_the_command_line(app, db, counter):
    runner = app.test_cli_runner()
    done = runner.invoke(args=["till", "add", "kasir-2", "--name", "Kasir Pupuk"])
    assert done.exit_code == 0 and done.output.strip() == "Kasir KASIR-2 (Kasir Pupuk) ditambahkan."
    again = runner.invoke(args=["till", "add", "KASIR-2", "--name", "Lagi"])
    assert again.exit_code == 1 and "KASIR-2 sudah dipakai" in again.output
    listed = runner.invoke(args=["till", "list"]).output
    assert "KASIR-2" in listed and "Kasir Pupuk" in listed


def test_a_till_held_since_an_earlier_day_names_the_date(app, db, counter):
    """"… dipegang Siti Aminah sejak 22:53" the next morning read as a minute ago."""
    from datetime import timedelta

    from pos.clock import utcnow

    siti, budi = app.test_client(), app.test_client()
    assert sign_in(siti, "siti", "1111", counter["till"]).status_code == 303
    said = sign_in(budi, "budi", "2222", counter["till"]).get_data(as_text=True)
    assert re.search(r"sedang dipegang Siti[^<]* sejak \d\d:\d\d\. Minta", said), said
    with db.transaction() as s:
        s.get(Till, counter["till"]).held_since = utcnow() - timedelta(days=1)
    said = sign_in(budi, "budi", "2222", counter["till"]).get_data(as_text=True)
    assert re.search(r"sedang dipegang Siti[^<]* sejak \d\d-\d\d-\d{4} \d\d:\d\d\. Minta", said), said


def test_a_left_cart_above_the_void_approval_is_not_emptied_without_a_manager(app, db, counter):
    """Emptying a cart another cashier left is a void: above POS_VOID_APPROVAL_ABOVE the page
    offers only to go on with it (F10 then asks for the manager), and a posted Kosongkan is
    refused, the cart kept."""
    app.config["VOID_APPROVAL_ABOVE"] = 1
    siti, budi = app.test_client(), app.test_client()
    sign_in(siti, "siti", "1111", counter["till"])
    with db.transaction() as s:
        shift = open_shift(s, counter["till"], counter["siti"])
    assert siti.post("/kasir/pindai", data={"code": counter["code"]}, headers=HX).status_code == 200
    siti.post("/keluar")
    sign_in(budi, "budi", "2222", counter["till"])
    with db.transaction() as s:
        s.get(Shift, shift.id).closed_at = shift.opened_at
        open_shift(s, counter["till"], counter["budi"])
    page = budi.get("/kasir").get_data(as_text=True)
    assert "1 baris belanjaan dari <b>Siti</b>" in page and "Lanjutkan" in page
    assert 'value="kosongkan"' not in page and "perlu persetujuan manajer" in page
    refused = budi.post("/kasir/keranjang/ambil", data={"pilihan": "kosongkan"}, follow_redirects=True)
    assert "mengosongkannya perlu persetujuan manajer" in refused.get_data(as_text=True)
    with db.reading() as s:
        assert s.scalars(select(CartLine.qty)).all() == [1]
    assert TillEventKind.EMPTY_CART not in [k for k, _ in events(db)]
    app.config["VOID_APPROVAL_ABOVE"] = None                     # none needed: offered and done
    assert 'value="kosongkan"' in budi.get("/kasir").get_data(as_text=True)
    assert budi.post("/kasir/keranjang/ambil", data={"pilihan": "kosongkan"}).status_code == 303
    with db.reading() as s:
        assert s.scalars(select(CartLine.qty)).all() == []
