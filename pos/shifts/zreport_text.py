"""A shift's report as text lines at the paper's width (pure): the till's receipt printer
prints it, ``pos shift show`` writes it, and the screen can show it as printed."""
from __future__ import annotations

import textwrap

from pos.clock import to_local, zone_abbreviation
from pos.hardware.ports import Receipt
from pos.hardware.text import fit_cols
from pos.money import format_difference
from pos.money import format_rupiah as rp
from pos.shifts.zreport import ZReport


def _wrap(text: str, columns: int, indent: str = "") -> list[str]:
    """``text`` over as many lines as it takes, the next ones indented (a name is never cut)."""
    return textwrap.wrap(text, columns, subsequent_indent=indent) or [""]


def lines(z: ZReport, *, outlet_name: str, timezone: str, columns: int) -> list[str]:
    """Every line of the X or Z report, headed by the outlet."""
    rule, zone = "-" * columns, zone_abbreviation(timezone)
    out = [s.center(columns).rstrip() for s in _wrap(outlet_name.upper(), columns)]
    out.append(("LAPORAN Z" if z.closed else "LAPORAN X (BELUM DITUTUP)").center(columns).rstrip())
    opened = to_local(z.opened_at, timezone)
    out += [rule, f"Shift    : #{z.id}", *_wrap(f"Kasir    : {z.cashier}", columns, " " * 11),
            *_wrap(f"Mesin    : {z.till}", columns, " " * 11), f"Tgl usaha: {z.business_date:%d-%m-%Y}",
            f"Buka     : {opened:%d-%m-%Y %H:%M} {zone}"[:columns]]
    if z.closed_at is not None:
        out.append(f"Tutup    : {to_local(z.closed_at, timezone):%d-%m-%Y %H:%M} {zone}"[:columns])
    out += [rule, *fit_cols("Kas awal", rp(z.opening_float), columns)]
    out += _pieces(z.opening_rows(), columns)
    if z.opening_difference:   # the float against the till's last closing count
        out += [*fit_cols("Tutup shift sebelumnya", rp(z.previous_counted or 0), columns),
                *fit_cols("Selisih kas awal", format_difference(z.opening_difference), columns)]
        out += _wrap(f"Catatan: {z.opening_note or '-'}", columns)
        out += _wrap(f"Disetujui   : {z.opening_approved_by or '-'}", columns, " " * 14)
    f = z.figures
    out += [rule, *fit_cols(f"Penjualan ({f.sales_count})", rp(f.sales_total), columns),
            *fit_cols("Penjualan tunai", rp(f.cash_sales), columns),
            *fit_cols("Pembulatan tunai", format_difference(f.rounding), columns)]
    if z.taxed:   # a PKP outlet's: the PPN inside the sales, and what the returns took back
        out += [*fit_cols("PPN dalam penjualan", rp(f.tax), columns),
                *fit_cols("PPN retur", _signed("-", f.returns_tax), columns)]
    out += _by_tender(z, columns)
    out += [rule, "KAS SEHARUSNYA"]
    formula = z.cash_formula()
    for sign, label, amount in formula[:-1]:   # the paper's own minus: "-" (ASCII)
        out += fit_cols(f"  {label}", _signed("-" if sign == "−" else "+", abs(amount)), columns)
    out += fit_cols("= Seharusnya di laci", rp(formula[-1][2]), columns)
    if z.movements:
        out += [rule, "KAS MASUK/KELUAR"]
        for m in z.movements:
            sign = "+" if m.direction.value == "in" else "-"
            out += fit_cols(f"  {m.direction.label}", sign + rp(m.amount), columns)
            out += ["    " + part for part in _wrap(m.reason, columns - 4)]
            if m.approver:
                out += _wrap(f"    disetujui {m.approver}", columns, " " * 4)
    out += _no_sales(z, timezone, columns)
    out += [rule, "PER CARA BAYAR"]
    for t in z.tenders:
        out.append(t.label[:columns])
        if f.member_other.get(t.method):   # savings and repayments paid by this method
            out += fit_cols("  setoran anggota", rp(f.member_other[t.method]), columns)
        out += fit_cols("  Seharusnya", rp(t.expected), columns)
        if t.counted is not None:
            out += fit_cols("  Dihitung", rp(t.counted), columns)
            if t.method == "cash":   # counted by denomination, as the drawer was
                out += _pieces(z.closing_rows(), columns, indent="    ")
            out += fit_cols("  Selisih", format_difference(t.difference or 0), columns)
    if z.closed:
        out += [rule, *fit_cols("SELISIH TOTAL", format_difference(z.difference or 0), columns)]
        if z.reason:
            out += _wrap(f"Alasan: {z.reason}", columns)
        out += [*_wrap(f"Ditutup oleh: {z.closed_by or '-'}", columns, " " * 14),
                *_wrap(f"Disetujui   : {z.approved_by or '-'}", columns, " " * 14)]
    else:
        out += [rule, "Shift masih terbuka; tidak ada", "yang ditutup."]
    return out + ["", ""]


def _by_tender(z: ZReport, columns: int) -> list[str]:
    """Sales and returns per tender, so that sales - returns reconciles tender by tender."""
    by_tender = z.sales_by_tender()
    if not by_tender:
        return []
    out = ["-" * columns, "PENJUALAN & RETUR PER CARA BAYAR"]
    for t in by_tender:
        out.append(t.label[:columns])
        out += fit_cols("  Penjualan", rp(t.sold), columns)
        if t.refunded:
            out += fit_cols(f"  {t.return_label}", "-" + rp(t.refunded), columns)
            out += fit_cols("  Setelah retur", rp(t.net), columns)
    out += [*fit_cols("Total retur", _signed("-", z.refunds_total), columns),
            *fit_cols("Penjualan setelah retur", rp(z.sales_after_returns), columns)]
    return out


def _no_sales(z: ZReport, timezone: str, columns: int) -> list[str]:
    """Every opening of the drawer without a sale: its time, reason and approver (a manager's
    from Perangkat: said so)."""
    if not z.no_sales:
        return []
    out = ["-" * columns, f"BUKA LACI TANPA PENJUALAN: {len(z.no_sales)}x"[:columns]]
    for n in z.no_sales:
        out += _wrap(f"  {to_local(n.at, timezone):%H:%M} {n.reason}", columns, " " * 8)
        notes = [f"oleh {n.by}", *(["dari Perangkat"] if n.from_devices else
                                   [f"disetujui {n.approver}"] if n.approver else []),
                 *([] if n.opened else ["laci tidak terbuka"])]
        for note in notes:
            out += _wrap(f"        {note}", columns, " " * 8)
    return out


def _signed(sign: str, amount: int) -> str:
    """``amount`` (never negative) with its line's sign, ``-Rp5.000``; nothing is ``Rp0``, never
    ``-Rp0``: a zero taken away is no money gone."""
    return sign + rp(amount) if amount else rp(0)


def _pieces(rows, columns: int, indent: str = "  ") -> list[str]:
    """Notes and coins counted: ``  2 x Rp50.000   Rp100.000``."""
    return [line for d, pieces, subtotal in rows
            for line in fit_cols(f"{indent}{pieces} x {rp(d.value)}{' koin' if d.coin else ''}",
                                 rp(subtotal), columns)]


def receipt(z: ZReport, *, outlet_name: str, timezone: str, columns: int) -> Receipt:
    """The report for the till's printer (never opens the drawer)."""
    text = lines(z, outlet_name=outlet_name, timezone=timezone, columns=columns)
    return Receipt(receipt_no=f"{'Z' if z.closed else 'X'}-{z.id}", lines=text, columns=columns,
                   emphasis={1})
