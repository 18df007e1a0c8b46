"""The report's text for the receipt printer fits the paper, and the shared PDF writer takes
any text (Latin-1 core font) and starts with %PDF."""
from __future__ import annotations

from datetime import date, datetime

from pos.reports import pdf, shift_report
from pos.shifts.figures import Figures
from pos.shifts.models import CashDirection
from pos.shifts.zreport import Movement, TenderLine, ZReport
from pos.shifts.zreport_text import lines, receipt
from tests.factories import pdf_text


def report(closed: bool) -> ZReport:
    f = Figures(opening_float=217_000, sales_count=2, sales_total=45_000, cash_received=50_000,
                change_given=5_000, cash_out=20_000, refunds={"cash": 3_000})
    return ZReport(id=7, till="Kasir Depan", cashier="Siti Aminah Binti Abdullah Panjang",
                   business_date=date(2026, 11, 30), opened_at=datetime(2026, 11, 30, 0, 0),
                   closed_at=datetime(2026, 11, 30, 9, 0) if closed else None,
                   opening_float=217_000, opening_counts={"k100000": 2, "k5000": 3, "c500": 4},
                   closing_counts={"k100000": 2, "k20000": 1, "k10000": 1} if closed else {},
                   previous_counted=None, opening_note=None, figures=f,
                   tenders=[TenderLine("cash", f.expected["cash"], 230_000 if closed else None)],
                   movements=[Movement(datetime(2026, 11, 30, 2, 0), CashDirection.OUT, 20_000,
                                       "beli kantong plastik untuk kasir dan gudang", "Siti", "Budi")],
                   difference=-9_000 if closed else None, reason="uang kurang" if closed else None,
                   closed_by="Siti" if closed else None, approved_by="Budi" if closed else None)


def test_the_z_report_fits_the_paper_and_shows_the_formula():
    z = report(True)
    assert z.expected_cash == 239_000
    text = lines(z, outlet_name="Gerai Uji", timezone="Asia/Makassar", columns=32)
    assert all(len(line) <= 32 for line in text)
    joined = "\n".join(text)
    for words in ("LAPORAN Z", "Kas awal", "2 x Rp100.000", "= Seharusnya di laci",
                  "Rp239.000", "-Rp20.000", "disetujui Budi", "Selisih", "-Rp9.000",
                  "Alasan: uang kurang", "Tgl usaha: 30-11-2026", "08:00 WITA"):
        assert words in joined, words
    printed = receipt(z, outlet_name="Gerai Uji", timezone="Asia/Makassar", columns=32)
    assert printed.receipt_no == "Z-7" and not printed.open_drawer


def test_the_till_is_named_in_indonesian_on_paper_and_in_the_export():
    """The printed report and its CSV/XLSX/PDF said "Till" where every other screen says "Mesin
    kasir"."""
    z = report(True)
    text = lines(z, outlet_name="Gerai Uji", timezone="Asia/Makassar", columns=32)
    assert "Mesin    : Kasir Depan" in text and not any("Till" in line for line in text)
    assert {"bagian": "Shift", "keterangan": "Mesin kasir", "nilai": "Kasir Depan",
            "jumlah": None, "banyak": None} in shift_report.rows(z, "Asia/Makassar")


def test_the_drawer_counted_at_the_close_is_on_paper_and_in_the_export_by_denomination():
    """The screen listed the notes counted at the close; paper, CSV, XLSX and PDF had only the total."""
    z = report(True)
    text = lines(z, outlet_name="Gerai Uji", timezone="Asia/Makassar", columns=32)
    counted = text.index(next(line for line in text if line.startswith("  Dihitung")))
    assert text[counted + 1].startswith("    2 x Rp100.000") and text[counted + 1].endswith("Rp200.000")
    assert text[counted + 3].startswith("    1 x Rp10.000")
    rows = shift_report.rows(z, "Asia/Makassar")
    assert {"bagian": "Uang tunai dihitung", "keterangan": "Uang kertas Rp20.000", "nilai": "",
            "jumlah": 20_000, "banyak": 1} in rows   # the pieces counted: a number
    assert "Uang tunai dihitung" in pdf_text(shift_report.pdf_bytes(z, outlet_name="Gerai Uji",
                                                                     timezone="Asia/Makassar"))


def test_long_names_are_wrapped_on_paper_never_cut():
    """"Ditutup oleh: Andi Baso Mappiass" lost the name's end on a 32-column roll."""
    from dataclasses import replace

    z = replace(report(True), closed_by="Andi Baso Mappiasse", approved_by="Andi Baso Mappiasse")
    text = lines(z, outlet_name="Gerai Uji", timezone="Asia/Makassar", columns=32)
    joined = " ".join(" ".join(text).split())
    assert all(len(line) <= 32 for line in text)
    assert "Ditutup oleh: Andi Baso Mappiasse" in joined and "Disetujui : Andi Baso Mappiasse" in joined
    assert "Kasir : Siti Aminah Binti Abdullah Panjang" in joined


def test_each_cash_movement_keeps_its_time_in_the_export():
    """The screen shows "30-11-2026 10:00 · Kas keluar"; the CSV, XLSX and PDF had no time."""
    rows = shift_report.rows(report(True), "Asia/Makassar")
    assert {"bagian": "Kas keluar", "keterangan": "beli kantong plastik untuk kasir dan gudang",
            "nilai": "30-11-2026 10:00 WITA · Siti, disetujui Budi", "jumlah": -20_000,
            "banyak": None} in rows


def test_the_x_report_says_nothing_is_closed():
    z = report(False)
    assert z.title.startswith("Laporan X") and z.as_json()["counted"] is None
    text = "\n".join(lines(z, outlet_name="Gerai Uji", timezone="Asia/Makassar", columns=48))
    assert "LAPORAN X" in text and "Dihitung" not in text


def test_the_pdf_takes_any_text():
    body = pdf.document("Laporan Z – shift #7", "Kasir Āminah · “Depan”",
                        [("Kas", [[pdf.Header("Keterangan"), pdf.Header("Jumlah")],
                                  ["Kas awal", 217_000], ["Catatan → ≥ 漢字"]]), ("", [])])
    assert body.startswith(b"%PDF") and body.rstrip().endswith(b"%%EOF")
    assert pdf.latin1("Laporan – “X” Āminah 漢") == 'Laporan - "X" Aminah ?'  # never silently dropped


def test_a_long_cell_wraps_in_the_pdf_and_is_never_cut():
    """The reason for a cash difference was printed "Pembeli tidak menga"."""
    reason = "Pembeli tidak mengambil kembalian karena terburu-buru pulang"
    body = pdf.document("Laporan Z", "", [("Penutupan", [
        [pdf.Header("Keterangan"), pdf.Header("A"), pdf.Header("B"), pdf.Header("C"), pdf.Header("D")],
        ["Alasan selisih", reason, "belum ditutup (Laporan X)", "03-12-2026 00:10 WITA", 125_000]])])
    drawn = pdf_text(body).replace("\\(", "(").replace("\\)", ")")
    for word in (*reason.split(), "(Laporan", "X)", "WITA", "Rp125.000"):
        assert word in drawn, word


def test_a_zero_taken_away_is_printed_rp0_never_minus_rp0():
    """A shift with no change given, no Kas keluar and no returns: its formula's deductions
    printed "-Rp0" (and "Total retur -Rp0"); a zero is Rp0, money taken away keeps its minus."""
    f = Figures(opening_float=100_000, sales_count=1, sales_total=20_000, cash_received=20_000,
                sold={"cash": 20_000})
    z = ZReport(id=8, till="Kasir Depan", cashier="Siti", business_date=date(2026, 11, 30),
                opened_at=datetime(2026, 11, 30, 0, 0), closed_at=None, opening_float=100_000,
                opening_counts=None, previous_counted=None, opening_note=None, figures=f,
                tenders=[TenderLine("cash", f.expected["cash"], None)])
    text = lines(z, outlet_name="Gerai Uji", timezone="Asia/Makassar", columns=32)
    assert not [line for line in text if "-Rp0" in line or "+Rp0" in line]
    formula = text[text.index("KAS SEHARUSNYA") + 1:]
    for label, amount in (("Kembalian diberikan", "Rp0"), ("Kas keluar", "Rp0"),
                          ("Uang tunai diterima", "+Rp20.000"), ("Kas awal", "+Rp100.000")):
        line = next(x for x in formula if x.strip().startswith(label))
        assert line.endswith(f" {amount}"), line
    assert any(x.startswith("Total retur") and x.endswith(" Rp0") for x in text)
    assert "-Rp20.000" in "\n".join(lines(report(True), outlet_name="Gerai Uji",
                                          timezone="Asia/Makassar", columns=32))


def test_no_label_is_cut_on_58_mm_paper_whatever_the_amounts():
    """On 32 columns "Penjualan setelah retur Rp292.500" printed as "Penjualan setelah retu
    Rp292.500", and "Tutup shift sebelumnya" lost its end from Rp1.000.000: a label too long
    beside its amount goes on a line of its own, the amount under it, as the formula does."""
    from dataclasses import replace

    f = Figures(opening_float=1_250_000, sales_count=120, sales_total=12_345_600,
                cash_received=12_360_000, change_given=14_400, sold={"cash": 12_345_600},
                refunds={"cash": 3_000}, member_other={"qris": 1_500_000})
    z = replace(report(True), figures=f, opening_float=1_250_000, previous_counted=1_234_500,
                opening_difference=15_500, opening_note="tambahan receh",
                tenders=[TenderLine("cash", 13_592_600, 13_592_600),
                         TenderLine("qris", 1_500_000, 1_500_000)])
    text = lines(z, outlet_name="Gerai Uji", timezone="Asia/Makassar", columns=32)
    assert all(len(line) <= 32 for line in text)
    for label, amount in (("Penjualan setelah retur", "Rp12.342.600"),
                          ("Tutup shift sebelumnya", "Rp1.234.500"), ("Selisih kas awal", "+Rp15.500"),
                          ("Penjualan (120)", "Rp12.345.600"), ("Penjualan tunai", "Rp12.345.600"),
                          ("= Seharusnya di laci", "Rp13.592.600"), ("  setoran anggota", "Rp1.500.000"),
                          ("  Seharusnya", "Rp13.592.600"), ("  Dihitung", "Rp13.592.600")):
        at = next((n for n, line in enumerate(text) if line.rstrip() == label
                   or line.startswith(label + " ")), None)
        assert at is not None, (label, text)
        assert text[at].endswith(" " + amount) or text[at + 1].endswith(" " + amount), text[at:at + 2]


def test_a_difference_over_is_written_with_its_plus_in_the_export_and_pdf():
    """Paper and the screen wrote +Rp14.800 for a drawer over; the PDF wrote Rp14.800, as any
    amount taken in."""
    from dataclasses import replace

    z = replace(report(True), difference=14_800, reason="uang lebih")
    rows = shift_report.rows(z, "Asia/Makassar")
    total = next(r for r in rows if r["keterangan"] == "Selisih total")
    assert total["jumlah"] == 14_800 and total["signed"]              # a number in the files
    text = pdf_text(shift_report.pdf_bytes(z, outlet_name="Gerai Uji", timezone="Asia/Makassar"))
    assert "(Selisih total) Tj" in text and "(+Rp14.800) Tj" in text
