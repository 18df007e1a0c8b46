"""Kas masuk/keluar at the till, Laporan X, Tutup shift and the Z report through HTTP: the
manager's approval above the limit and for a cashier's close, the reason a difference needs,
a closed shift final, the drawer opened and logged, the report printed and exported."""
from __future__ import annotations

import io
import uuid

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select, text

from pos.approvals.models import Override
from pos.inventory.catalog.lookup import lookup_barcode
from pos.sales import cart, checkout
from pos.sales.models import PaymentMethod
from pos.sales.pricing import TaxSettings
from pos.shifts.models import CashMovement, Shift
from tests.factories import csv_rows, login, make_product, sealed
from tests.shifts.conftest import HX, MANAGER

TAX = TaxSettings(pkp=False, rate_bp=1100, inclusive=True)


def approved(client, opened: int, data: dict) -> dict:
    """``data`` as the approval dialog of closing shift ``opened`` sends it."""
    return sealed(client, f"/shift/{opened}/tutup", data)


@pytest.fixture
def opened(client, db, staff):
    """Kasir1 at the till with a shift opened with Rp200.000 (2 x Rp100.000)."""
    login(client, staff["cashier"], staff["till"], shift=False)
    client.post("/shift/buka", data={"pecahan_k100000": "2"}, headers=HX)
    with db.reading() as s:
        return s.scalar(select(Shift.id))


def sell(db, staff, price: int, tendered: int) -> None:
    """One sale at the till in kasir1's shift, paid in cash."""
    with db.transaction() as s:
        product = make_product(s, price=price, cost=price // 2)
        code = product.barcodes[0].code
    with db.transaction() as s:
        cart.add(s, staff["till"], lookup_barcode(s, code), times=1)
    with db.transaction() as s:
        checkout.checkout(s, till_id=staff["till"], cashier_id=staff["cashier"],
                          idempotency_key=str(uuid.uuid4()),
                          tenders=[checkout.Tender(PaymentMethod.CASH, tendered)],
                          outlet_code="TST01", timezone="Asia/Makassar", tax=TAX)


def test_cash_out_without_a_printer_says_the_drawer_did_not_open(client, db, opened, printer):
    """dummy:// (no printer set up yet): the movement is kept and the screen says the drawer did
    not open, as a sale's says its receipt did not print; the drawer's log says why."""
    printer.url = "dummy://"
    done = client.post("/shift/kas/keluar", data={"jumlah": "20.000", "alasan": "beli plastik"},
                       headers=HX).get_data(as_text=True)
    assert "Kas keluar Rp20.000 tercatat" in done
    assert "Laci belum terbuka (printer belum diatur di Perangkat); buka dengan kunci laci." in done
    with db.reading() as s:
        assert s.execute(text("SELECT opened, error FROM drawer_event")).one() == \
            (False, "printer belum diatur di Perangkat")


def test_cash_out_below_the_limit_opens_the_drawer_and_is_logged(client, db, opened, printer):
    form = client.get("/shift/kas/keluar", headers=HX).get_data(as_text=True)
    assert "Kas keluar" in form and "Rp500.000" in form
    done = client.post("/shift/kas/keluar", data={"jumlah": "20.000", "alasan": "beli plastik"},
                       headers=HX)
    assert done.status_code == 200 and "Kas keluar Rp20.000 tercatat" in done.get_data(as_text=True)
    assert printer.drawer_opens == 1
    with db.reading() as s:
        row = s.scalars(select(CashMovement)).one()
        assert (row.amount, row.reason, row.approved_by) == (20_000, "beli plastik", None)
        assert s.execute(text("SELECT reason, opened FROM drawer_event")).one() == \
            ("Kas keluar Rp20.000", True)


def test_cash_above_the_limit_needs_a_manager_inline(client, db, opened, staff):
    asked = client.post("/shift/kas/masuk", data={"jumlah": "600000", "alasan": "modal"},
                        headers={**HX, "HX-Target": "messages"})
    body = asked.get_data(as_text=True)
    assert 'id="approval-form"' in body
    assert asked.headers["HX-Retarget"] == "#approval-dialog"
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(CashMovement)) == 0
    wrong = client.post("/shift/kas/masuk", data=sealed(client, "/shift/kas/masuk", {
        "jumlah": "600000", "alasan": "modal", **MANAGER, "approval_pin": "9999"}), headers=HX)
    assert wrong.status_code == 403
    done = client.post("/shift/kas/masuk", headers=HX, data=sealed(
        client, "/shift/kas/masuk", {"jumlah": "600000", "alasan": "modal", **MANAGER}))
    assert done.status_code == 200
    with db.reading() as s:
        row = s.scalars(select(CashMovement)).one()
        assert (row.amount, row.approved_by) == (600_000, staff["manager"])


@pytest.mark.parametrize("form, words", [
    ({"jumlah": "-100", "alasan": "x"}, "Jumlah"), ({"jumlah": "abc", "alasan": "x"}, "Jumlah"),
    ({"jumlah": "10000", "alasan": " "}, "alasan"), ({"jumlah": "900000", "alasan": "ambil"}, "melebihi"),
])
def test_bad_cash_movements_are_refused(client, db, opened, form, words):
    refused = client.post("/shift/kas/keluar", data=sealed(client, "/shift/kas/keluar", {**form, **MANAGER}),
                          headers=HX)
    assert refused.status_code >= 400 and words in refused.get_data(as_text=True)
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(CashMovement)) == 0


def test_x_report_shows_the_figures_and_closes_nothing(client, db, opened, staff):
    sell(db, staff, 15_000, 20_000)
    client.post("/shift/kas/keluar", data={"jumlah": "20000", "alasan": "beli plastik"}, headers=HX)
    x = client.get("/shift/x")
    assert x.headers["Location"].endswith(f"/shift/{opened}")
    page = client.get(f"/shift/{opened}").get_data(as_text=True)
    assert "Laporan X shift" in page and "belum ditutup" in page
    assert "Rp195.000" in page            # 200.000 + 20.000 - 5.000 - 20.000
    assert "beli plastik" in page
    formula = " ".join(page[page.index('id="cash-formula"'):].split("</table>")[0].split())
    for line in ("− Kas keluar</td> <td class=\"num\">Rp20.000",        # money out: its minus,
                 "− Retur dibayar tunai</td> <td class=\"num\">Rp0",     # also when nothing
                 "+ Kas masuk</td> <td class=\"num\">Rp0",
                 "= Kas seharusnya di laci</td> <td class=\"num\">Rp195.000"):
        assert line in formula, formula
    assert "-Rp0" not in page   # as printed too: "Retur dibayar tunai Rp0", no minus on nothing
    with db.reading() as s:
        assert s.get(Shift, opened).closed_at is None


def close_form(**extra):
    return {"pecahan_k100000": "1", "pecahan_k50000": "1", "pecahan_k20000": "2",
            "pecahan_k5000": "1", **extra}   # Rp195.000 counted


def test_the_managers_dialog_keeps_the_reason_the_cashier_typed(client, db, opened, staff):
    """Kas masuk above the limit and a cashier's close with a difference: the dialog's Alasan
    is the one typed on the form (it was empty, and the manager was asked to type it again)."""
    moved = client.post("/shift/kas/masuk", data={"jumlah": "600000", "alasan": "modal dari brankas"},
                        headers={**HX, "HX-Target": "messages"}).get_data(as_text=True)
    assert 'name="approval_reason" value="modal dari brankas"' in moved
    assert "di laci Rp200.000" in moved and "Kas masuk Rp600.000; di laci Rp800.000" in moved
    # more out than the drawer holds is refused before a manager is called over for nothing
    out = client.post("/shift/kas/keluar", data={"jumlah": "600000", "alasan": "setor bank"},
                      headers={**HX, "HX-Target": "messages"}).get_data(as_text=True)
    assert "melebihi uang tunai di laci" in out and 'id="approval-form"' not in out
    closing = client.post(f"/shift/{opened}/tutup", data=close_form(alasan="uang receh kurang"),
                          headers={**HX, "HX-Target": "messages"}).get_data(as_text=True)
    assert 'name="approval_reason" value="uang receh kurang"' in closing


def test_a_difference_needs_a_reason_and_a_cashier_needs_a_manager(client, db, opened, staff,
                                                                   printer):
    sell(db, staff, 15_000, 20_000)
    form = client.get(f"/shift/{opened}/tutup").get_data(as_text=True)
    assert "Tutup shift" in form and 'data-expected="215000"' in form
    short = client.post(f"/shift/{opened}/tutup", data=close_form(), headers=HX)
    assert short.status_code == 422 and "Ada selisih (Tunai -Rp20.000)" in short.get_data(as_text=True)
    asked = client.post(f"/shift/{opened}/tutup", data=close_form(alasan="uang kurang"),
                        headers={**HX, "HX-Target": "messages"})
    assert 'id="approval-form"' in asked.get_data(as_text=True)
    with db.reading() as s:
        assert s.get(Shift, opened).closed_at is None
    done = client.post(f"/shift/{opened}/tutup",
                       data=approved(client, opened, close_form(alasan="uang kurang", **MANAGER)),
                       headers=HX)
    assert done.headers["HX-Redirect"].endswith(f"/shift/{opened}")
    with db.reading() as s:
        shift = s.get(Shift, opened)
        assert (shift.expected_cash, shift.counted_cash, shift.difference) == (215_000, 195_000, -20_000)
        assert shift.approved_by == staff["manager"] and shift.close_reason == "uang kurang"
        assert s.scalar(select(Override.kind).where(Override.kind == "shift_close")) == "shift_close"
    assert printer.receipts[-1].receipt_no == f"Z-{opened}"
    assert "SELISIH TOTAL" in printer.receipts[-1].text
    page = client.get(f"/shift/{opened}").get_data(as_text=True)
    assert "Laporan Z shift" in page and "uang kurang" in page and "Manajer1" in page
    # the cashier's session cannot sell any more, and a closed shift never changes
    moved = client.post("/shift/kas/masuk", data={"jumlah": "1000", "alasan": "x"}, headers=HX)
    assert moved.status_code == 409 and "Belum ada shift terbuka" in moved.get_data(as_text=True)
    again = client.post(f"/shift/{opened}/tutup",
                        data=approved(client, opened, close_form(alasan="lagi", **MANAGER)),
                        headers=HX)
    assert again.status_code == 409 and "sudah ditutup" in again.get_data(as_text=True)
    assert client.get(f"/shift/{opened}/tutup").status_code == 302
    assert 'id="open-shift"' in client.get("/kasir").get_data(as_text=True)


def test_a_manager_closes_without_a_dialog(client, db, opened, staff):
    login(client, staff["manager"], staff["till"], shift=False)
    done = client.post(f"/shift/{opened}/tutup", data={"kas_dihitung": "200000"}, headers=HX)
    assert done.status_code == 200
    with db.reading() as s:
        assert s.get(Shift, opened).difference == 0


def test_another_cashier_closes_the_shift_with_a_manager(client, db, opened, staff):
    login(client, staff["other"], staff["till"], shift=False)
    asked = client.post(f"/shift/{opened}/tutup", data={"kas_dihitung": "200000"},
                        headers={**HX, "HX-Target": "messages"})
    assert 'id="approval-form"' in asked.get_data(as_text=True)
    assert f"Tutup shift #{opened}, tanpa selisih" in asked.get_data(as_text=True)
    # nothing is off: the manager is not asked for a reason (the dialog refused an empty one)
    assert 'name="approval_reason" value="Tanpa selisih"' in asked.get_data(as_text=True)
    client.post(f"/shift/{opened}/tutup", headers=HX,
                data=approved(client, opened, {"kas_dihitung": "200000", **MANAGER,
                                                  "approval_reason": "Tanpa selisih"}))
    with db.reading() as s:
        assert s.get(Shift, opened).closed_by == staff["other"]
    assert 'id="open-shift"' in client.get("/kasir").get_data(as_text=True)
    assert "Kas dihitung saat tutup shift terakhir" in client.get("/shift/buka").get_data(as_text=True)


def test_the_list_the_exports_and_the_pdf_agree_with_the_screen(client, db, opened, staff):
    sell(db, staff, 15_000, 20_000)
    client.post(f"/shift/{opened}/tutup",
                data=approved(client, opened, close_form(alasan="uang kurang", **MANAGER)),
                headers=HX)
    login(client, staff["manager"], None, shift=False)
    listed = client.get("/shift").get_data(as_text=True)
    assert f"/shift/{opened}" in listed and '<td class="num warn">-Rp20.000</td>' in listed
    typed = client.get("/shift?tanggal=12-31-2026")          # mm-dd: the form again, as typed
    page = typed.get_data(as_text=True)
    assert typed.status_code == 422 and 'value="12-31-2026"' in page and 'aria-invalid="true"' in page
    assert "bulan harus 01 sampai 12" in page and 'id="shift-list"' not in page
    rows = csv_rows(client.get(f"/shift/{opened}/laporan.csv"))
    found = {(r[0], r[1]): r[3] for r in rows[1:]}
    assert found[("Kas awal", "Kas awal")] == "200000"
    assert found[("Kas seharusnya", "Kas seharusnya di laci")] == "215000"
    assert found[("Tunai", "Dihitung")] == "195000" and found[("Tunai", "Selisih")] == "-20000"
    assert found[("Penjualan", "Penjualan tunai")] == "15000"
    book = load_workbook(io.BytesIO(client.get(f"/shift/{opened}/laporan.xlsx").data))
    cells = {(r[0], r[1]): r[3] for r in book.active.iter_rows(min_row=2, values_only=True)}
    assert {k: str(v) for k, v in cells.items() if v is not None} == \
        {k: v for k, v in found.items() if v != ""}
    pdf = client.get(f"/shift/{opened}/laporan.pdf")
    assert pdf.data.startswith(b"%PDF") and pdf.mimetype == "application/pdf"
    assert client.get(f"/shift/{opened}/laporan.doc").status_code == 404


def test_a_cashier_may_not_read_another_tills_report_or_export(client, db, opened, staff):
    with db.transaction() as s:
        from tests.factories import make_till
        till2 = make_till(s, "KASIR-2").id
    login(client, staff["other"], till2, shift=False)
    assert client.get(f"/shift/{opened}").status_code == 403
    assert client.get(f"/shift/{opened}/laporan.csv").status_code == 403
    assert client.get("/shift").status_code == 403


def test_the_manager_reads_every_tender_that_is_off_not_only_the_cash(client, db, opened, staff):
    """The cash matched and QRIS was counted Rp12.000 under: the dialog said only "diharapkan
    Rp200.000 / dihitung Rp200.000", and the manager approved a difference unseen."""
    login(client, staff["other"], staff["till"], shift=False)
    form = {"kas_dihitung": "200000", "dihitung_qris": "-12.000", "alasan": "refund QRIS kemarin"}
    asked = client.post(f"/shift/{opened}/tutup", data=form, headers={**HX, "HX-Target": "messages"})
    assert "selisih QRIS -Rp12.000" in asked.get_data(as_text=True)
    # Sebelum / Sesudah name each tender: not two equal, unlabelled cash amounts
    shown = " ".join(asked.get_data(as_text=True).split())
    assert "diharapkan Tunai Rp200.000, QRIS Rp0" in shown
    assert "dihitung Tunai Rp200.000, QRIS -Rp12.000" in shown
    client.post(f"/shift/{opened}/tutup", data=approved(client, opened, {**form, **MANAGER}), headers=HX)
    with db.reading() as s:
        logged = s.execute(select(Override.description, Override.before, Override.after)
                           .where(Override.kind == "shift_close")).one()
    assert tuple(logged) == (f"Tutup shift #{opened}, selisih QRIS -Rp12.000",
                             "diharapkan Tunai Rp200.000, QRIS Rp0",
                             "dihitung Tunai Rp200.000, QRIS -Rp12.000")


def test_a_cash_amount_typed_wrong_says_jumlah_once(client, db, opened):
    refused = client.post("/shift/kas/keluar", data={"jumlah": "abc", "alasan": "beli plastik"}, headers=HX)
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Jumlah tidak valid. Tulis angka Rupiah, misalnya 50000 atau 50.000." in body
    assert "Jumlah: Jumlah" not in body
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(CashMovement)) == 0


def test_a_drawer_or_report_printer_failure_is_said_in_indonesian_only(app, client, db, opened):
    """The cashier read "Laci belum terbuka (Laci tidak terbuka: Device not found (Could not
    open socket for 127.0.0.1: [Errno 111] Connection refused))"; the device's words are kept
    for the manager in the drawer's record."""
    from pos.hardware import Hardware
    from pos.hardware.fakes import FailingPrinter

    english = "Device not found (Could not open socket for 127.0.0.1: [Errno 111] Connection refused)"
    app.extensions["pos_hardware"] = Hardware(printer=FailingPrinter("Laci tidak terbuka", english))
    done = client.post("/shift/kas/masuk", data={"jumlah": "20.000", "alasan": "tukar uang"},
                       headers=HX).get_data(as_text=True)
    assert "Laci belum terbuka (Laci tidak terbuka); buka dengan kunci laci." in done
    assert "Device not found" not in done
    with db.reading() as s:
        assert english in s.scalar(text("SELECT error FROM drawer_event"))
    app.extensions["pos_hardware"] = Hardware(printer=FailingPrinter("Printer tidak terhubung", english))
    printed = client.post(f"/shift/{opened}/cetak", headers=HX)
    assert printed.status_code == 503
    said = printed.get_data(as_text=True)
    assert "Laporan shift belum tercetak: Printer tidak terhubung" in said and "Device not found" not in said


def test_a_shift_report_on_dummy_says_it_was_not_printed(app, client, opened):
    """"Laporan shift dicetak." on dummy://, where nothing comes out on paper."""
    from pos.hardware import Hardware, build_printer

    app.extensions["pos_hardware"] = Hardware(printer=build_printer("dummy://", 32))
    printed = client.post(f"/shift/{opened}/cetak", headers=HX)
    said = printed.get_data(as_text=True)
    assert printed.status_code == 200 and "Laporan shift dicetak" not in said
    assert "Laporan shift tidak dicetak: printer belum diatur (Perangkat)." in said


def test_the_close_flash_of_a_report_not_printed_has_one_full_stop(app, client, db, opened):
    """"Shift ditutup, tetapi laporan Z belum tercetak: … sama dengan setelan.. Cetak ulang…"."""
    from pos.hardware import Hardware
    from pos.hardware.fakes import FailingPrinter

    app.extensions["pos_hardware"] = Hardware(printer=FailingPrinter(
        "Printer tidak ditemukan: 10.0.0.9:9100 tidak menjawab. Periksa alamat printer sama dengan "
        "setelan."))
    data = approved(client, opened, {"pecahan_k100000": "2", **MANAGER})
    done = client.post(f"/shift/{opened}/tutup", data=data, headers=HX)
    assert done.headers["HX-Redirect"].endswith(f"/shift/{opened}")
    page = client.get(f"/shift/{opened}").get_data(as_text=True)
    assert "laporan Z belum tercetak: Printer tidak ditemukan" in page
    assert "sama dengan setelan. Cetak ulang dari halaman ini." in page and "setelan.." not in page


def test_a_clock_gone_back_closes_no_shift_and_keeps_the_count(client, db, opened, staff, monkeypatch):
    """The mini-PC's clock went back (a dead CMOS battery) after the shift opened: Tutup shift
    filed its closed_at before its own opening. Now it is refused as Buka shift and Tutup hari
    are, naming both times, before a manager is called over; the form stays as counted (the
    answer goes to the messages, nothing reloads) and the shift stays open."""
    from datetime import timedelta

    from pos.shifts import report_views

    with db.reading() as s:
        back = s.get(Shift, opened).opened_at - timedelta(minutes=30)
    monkeypatch.setattr(report_views, "utcnow", lambda: back)
    refused = client.post(f"/shift/{opened}/tutup", data=close_form(alasan="uang kurang"),
                          headers={**HX, "HX-Target": "messages"})
    said = refused.get_data(as_text=True)
    assert refused.status_code == 409 and "Jam komputer mundur: catatan terakhir tercatat" in said
    assert "Betulkan jam komputer" in said and 'id="approval-form"' not in said
    assert refused.headers["HX-Retarget"] == "#messages"
    assert "HX-Refresh" not in refused.headers and "HX-Redirect" not in refused.headers
    login(client, staff["manager"], staff["till"], shift=False)     # a manager is refused too
    again = client.post(f"/shift/{opened}/tutup", data={"kas_dihitung": "200000"}, headers=HX)
    assert again.status_code == 409 and "Jam komputer mundur" in again.get_data(as_text=True)
    with db.reading() as s:
        assert s.get(Shift, opened).closed_at is None
        assert s.scalar(select(func.count()).select_from(Override)
                        .where(Override.kind == "shift_close")) == 0


def test_a_close_with_nothing_off_needs_no_reason_from_the_manager(client, db, opened, staff):
    """The manager's dialog left without a reason refused a close with no difference ("Tulis
    alasan persetujuan."), where nothing is off to give a reason for: it is *Tanpa selisih*.  A
    difference still needs its reason, and the one typed on the form is the approval's."""
    login(client, staff["other"], staff["till"], shift=False)
    form = {"kas_dihitung": "200000"}
    done = client.post(f"/shift/{opened}/tutup", headers=HX,
                       data=approved(client, opened, {**form, **MANAGER, "approval_reason": ""}))
    assert done.status_code == 200, done.get_data(as_text=True)
    with db.reading() as s:
        shift = s.get(Shift, opened)
        assert (shift.closed_by, shift.approved_by, shift.difference) == (staff["other"], staff["manager"], 0)
        assert s.scalar(select(Override.reason).where(Override.kind == "shift_close")) == "Tanpa selisih"


def test_a_difference_still_needs_a_reason_and_the_forms_is_the_approvals(client, db, opened, staff):
    login(client, staff["other"], staff["till"], shift=False)
    short = {"kas_dihitung": "190000"}
    refused = client.post(f"/shift/{opened}/tutup", headers=HX,
                          data=approved(client, opened, {**short, **MANAGER, "approval_reason": ""}))
    assert refused.status_code == 422 and "Tulis alasannya" in refused.get_data(as_text=True)
    form = {**short, "alasan": "uang receh kurang"}
    done = client.post(f"/shift/{opened}/tutup", headers=HX,
                       data=approved(client, opened, {**form, **MANAGER, "approval_reason": ""}))
    assert done.status_code == 200, done.get_data(as_text=True)
    with db.reading() as s:
        assert s.get(Shift, opened).close_reason == "uang receh kurang"
        assert s.scalar(select(Override.reason).where(Override.kind == "shift_close")) == "uang receh kurang"
