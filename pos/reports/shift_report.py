"""A shift's X or Z report (``pos.shifts.zreport``) as a ``shape.Report`` for CSV/XLSX and as
the sections of a PDF (``pdf.document``): the same figures the screen shows, line by line."""
from __future__ import annotations

from pos.clock import to_local, zone_abbreviation
from pos.money import format_difference
from pos.reports import pdf
from pos.reports.shape import Column, Report
from pos.shifts.zreport import ZReport

COLUMNS = [Column("bagian", "Bagian"), Column("keterangan", "Keterangan"),
           Column("nilai", "Nilai"), Column("jumlah", "Jumlah", "rupiah"),
           Column("banyak", "Banyak", "int")]   # counts as numbers, last: the others keep their place


def _when(moment, timezone: str) -> str:
    if moment is None:
        return "-"
    return f"{to_local(moment, timezone):%d-%m-%Y %H:%M} {zone_abbreviation(timezone)}"


def rows(z: ZReport, timezone: str) -> list[dict]:
    """Every line of the report as (bagian, keterangan, nilai, jumlah)."""
    out: list[dict] = []

    def add(part: str, what: str, value: str = "", amount: int | None = None,
            count: int | None = None, signed: bool = False) -> None:
        # counts as numbers; money taken away negative; a difference ``signed`` (+Rp14.800 over)
        out.append({"bagian": part, "keterangan": what, "nilai": value, "banyak": count,
                    "jumlah": amount} | ({"signed": True} if signed else {}))

    add("Shift", "Nomor", f"#{z.id}")
    add("Shift", "Status", "ditutup" if z.closed else "belum ditutup (Laporan X)")
    add("Shift", "Kasir", z.cashier)
    add("Shift", "Mesin kasir", z.till)
    add("Shift", "Tanggal usaha", f"{z.business_date:%d-%m-%Y}")
    add("Shift", "Dibuka", _when(z.opened_at, timezone))
    add("Shift", "Ditutup", _when(z.closed_at, timezone))
    add("Kas awal", "Kas awal", "", z.opening_float)
    for d, pieces, subtotal in z.opening_rows():
        add("Kas awal", d.label, "", subtotal, pieces)
    if z.previous_counted is not None:
        add("Kas awal", "Dihitung saat tutup shift sebelumnya", "", z.previous_counted)
    if z.opening_difference is not None:
        add("Kas awal", "Selisih kas awal (kas awal - tutup sebelumnya)", "", z.opening_difference,
            signed=True)
    if z.opening_note:
        add("Kas awal", "Catatan selisih", z.opening_note)
    if z.opening_approved_by:
        add("Kas awal", "Selisih kas awal disetujui oleh", z.opening_approved_by)
    f = z.figures
    add("Penjualan", "Jumlah transaksi", count=f.sales_count)
    add("Penjualan", "Total penjualan", "", f.sales_total)
    add("Penjualan", "Penjualan tunai", "", f.cash_sales)
    add("Penjualan", "Pembulatan tunai", "", f.rounding)
    if z.taxed:   # a PKP outlet's, as on screen: the PPN in the sales, the PPN the returns took back
        add("Penjualan", "PPN dalam penjualan", "", f.tax)
        add("Penjualan", "PPN retur", "", -f.returns_tax)
    by_tender = z.sales_by_tender()
    for t in by_tender:   # each tender's sales less the returns paid back in it, Rp0 too, as on screen
        add("Penjualan & retur per cara bayar", f"{t.label}: penjualan", "", t.sold)
        add("Penjualan & retur per cara bayar", t.return_label, "", -t.refunded)
        add("Penjualan & retur per cara bayar", f"{t.label}: setelah retur", "", t.net)
    if by_tender:   # the screen's Total row
        add("Penjualan & retur per cara bayar", "Total retur", "", -z.refunds_total)
        add("Penjualan & retur per cara bayar", "Penjualan setelah retur", "", z.sales_after_returns)
    for _sign, label, amount in z.cash_formula():
        add("Kas seharusnya", label, "", amount)
    for m in z.movements:   # when and by whom, as the screen shows them
        who = m.by + (f", disetujui {m.approver}" if m.approver else "")
        add(m.direction.label, m.reason, f"{_when(m.at, timezone)} · {who}",
            m.amount if m.direction.value == "in" else -m.amount)
    if z.no_sales:   # the drawer opened without a sale: how often, when, why, who approved
        add("Buka laci tanpa penjualan", "Berapa kali", count=len(z.no_sales))
    for n in z.no_sales:
        who = n.who + ("" if n.opened else "; laci tidak terbuka")
        add("Buka laci tanpa penjualan", n.reason, f"{_when(n.at, timezone)} · {who}")
    for t in z.tenders:
        add(t.label, "Seharusnya", "", t.expected)
        if t.counted is not None:
            add(t.label, "Dihitung", "", t.counted)
            add(t.label, "Selisih", "", t.difference, signed=True)
    for d, pieces, subtotal in z.closing_rows():   # the drawer counted by denomination
        add("Uang tunai dihitung", d.label, "", subtotal, pieces)
    if z.closed:
        add("Penutupan", "Selisih total", "", z.difference or 0, signed=True)
        add("Penutupan", "Alasan selisih", z.reason or "-")
        add("Penutupan", "Ditutup oleh", z.closed_by or "-")
        add("Penutupan", "Disetujui oleh", z.approved_by or "-")
    return out


def report(z: ZReport, timezone: str) -> Report:
    found = rows(z, timezone)
    name = f"laporan-{'z' if z.closed else 'x'}-shift-{z.id}"
    return Report(name=name, title=f"Laporan {'Z' if z.closed else 'X'} shift {z.id}",
                  columns=COLUMNS, rows=found, row_count=len(found))


def pdf_bytes(z: ZReport, *, outlet_name: str, timezone: str) -> bytes:
    """The report as a PDF: one section per part, each a table of its lines."""
    sections: list[tuple[str, list[list]]] = []
    for row in rows(z, timezone):
        if not sections or sections[-1][0] != row["bagian"]:
            sections.append((row["bagian"], []))
        amount = row["jumlah"]
        count = row["banyak"]
        value = row["nilai"] or ("" if count is None else str(count) if amount is None  # a count
                                 else f"{count} x")   # notes or coins of a subtotal
        if amount is not None and row.get("signed"):
            amount = pdf.Figure(format_difference(amount))   # +Rp14.800, to the right as money
        sections[-1][1].append([row["keterangan"], value, amount if amount is not None else ""])
    subtitle = (f"{outlet_name} · {z.till} · kasir {z.cashier} · tanggal usaha "
                f"{z.business_date:%d-%m-%Y}")
    return pdf.document(z.title, subtitle, sections)
