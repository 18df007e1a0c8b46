"""``pos report ...``: the day's totals, the grouped sales reports and a product's stock card from
the command line."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click
from flask import current_app

from pos import db
from pos.cli_dates import DAY, day_range
from pos.cli_files import OUT_FILE, write
from pos.clock import business_date, utcnow
from pos.console import Galat
from pos.dates import parse_iso
from pos.group_cli import CommandGroup
from pos.money import format_difference, format_rupiah
from pos.reports import shape, stock_card, tax_labels
from pos.reports.day_full import summary_text
from pos.reports.first_day import summary_refused
from pos.reports.sales import BY, sales_report
from pos.sales.models import PaymentMethod
from pos.settings.service import pkp
from pos.text_table import aligned

report_cli = CommandGroup("report", help="Laporan.")


@report_cli.command("day")
@click.option("--date", "chosen", type=DAY, required=True, help="Tanggal usaha.")
@click.option("--json", "as_json", is_flag=True, help="Keluaran untuk mesin (JSON).")
def report_day(chosen: date, as_json: bool) -> None:
    """Ringkasan satu tanggal usaha: hari yang sudah ditutup persis seperti yang disimpan saat
    ditutup (byte demi byte), hari yang masih terbuka dihitung sekarang ("closed": false); hari
    yang belum tiba atau sebelum kegiatan pertama gerai ditolak."""
    cfg = current_app.config
    with db.get_db().reading() as session:
        today = business_date(utcnow(), cfg["TIMEZONE"])
        if refused := summary_refused(session, chosen, today, cfg["TIMEZONE"]):
            raise Galat(refused)   # as the day report's screen: zeros read as a day lived
        text = summary_text(session, chosen, zone=cfg["TIMEZONE"], outlet_pkp=pkp(session, cfg),
                            dpp_share=(cfg["TAX_DPP_NUMERATOR"], cfg["TAX_DPP_DENOMINATOR"]),
                            accounts=cfg["LEDGER_ACCOUNTS"])
    if as_json:
        click.echo(text)
        return
    for line in day_lines(json.loads(text), tax_labels.names_of(cfg)):
        click.echo(line)


def _label(kind, code: str) -> str:
    """A stored code (``member_credit``) as the screen says it (Kasbon anggota)."""
    try:
        return kind(code).label
    except ValueError:
        return code


def day_lines(report: dict, tax_names: dict[str, str] | None = None) -> list[str]:
    """The day summary as plain text lines (``pos report day`` without ``--json``); the tax
    classes named by ``tax_names`` (``tax_labels.names_of`` the outlet's configuration)."""
    state = "ditutup" if report.get("closed") else "terbuka"
    taxed = f", pajak {format_rupiah(report['tax'])}" if report["pkp"] else ""
    shown = parse_iso(report["date"]).strftime("%d-%m-%Y")   # stored ISO, shown dd-mm-yyyy
    lines = [f"Tanggal {shown} ({state}): {report['sale_count']} transaksi, "
             f"total {format_rupiah(report['total'])}{taxed}"]
    if "gross" in report:
        lines.append(f"  penjualan kotor {format_rupiah(report['gross'])}")
    if report.get("discount"):
        lines.append(f"  diskon {format_rupiah(-report['discount'])}")
    if report["rounding"]:
        lines.append(f"  pembulatan tunai {format_rupiah(report['rounding'])}")
    for method, row in report["payments"].items():   # the JSON's keys, in the screen's words
        lines.append(f"  {_label(PaymentMethod, method):<14} {row['count']:>5}  "
                     f"{format_rupiah(row['amount'])}")
    named = tax_names or tax_labels.names()
    for name, row in tax_labels.rows(report["tax_classes"], named) if report["pkp"] else ():
        lines.append(f"  {name:<14} DPP {format_rupiah(row['dpp'])}  PPN {format_rupiah(row['tax'])}")
    members = report.get("members")
    if members:
        lines.append(f"  anggota {members['member']['sale_count']} transaksi "
                     f"{format_rupiah(members['member']['total'])}, bukan anggota "
                     f"{members['non_member']['sale_count']} transaksi "
                     f"{format_rupiah(members['non_member']['total'])}")
    back = report["returns"]   # the money paid back: the lines' worth and its cash rounding
    rounded = back.get("rounding", 0)
    lines.append(f"  retur {back['count']}  {format_rupiah(back['amount'] + rounded)}"
                 + (f" (barang {format_rupiah(back['amount'])}, pembulatan {format_rupiah(rounded)})"
                    if rounded else ""))
    if back["count"]:   # as the screen's card: the sales less the money paid back
        lines.append(f"  total setelah retur {format_rupiah(report['total'] - back['amount'] - rounded)}")
    if back.get("tax"):   # the PPN the returns took back: the journal's PPN keluaran retur
        lines.append(f"  PPN retur {format_rupiah(-back['tax'])}, PPN setelah retur "
                     f"{format_rupiah(report['tax'] - back['tax'])}")
    if "cost" in report:   # the sales' margin, then after the day's returns as the journal books it
        lines.append(f"  harga pokok {format_rupiah(report['cost'])}, laba kotor penjualan "
                     f"{format_rupiah(report['margin'])}")
    if "margin_after_returns" in report:   # (a day closed before it has no such key)
        goods = report["returned_goods"]
        lines.append(f"  laba kotor setelah retur {format_rupiah(report['margin_after_returns'])}"
                     + (f" (retur tanpa PPN {format_rupiah(-goods['revenue'])}, harga pokok retur "
                        f"{format_rupiah(goods['cost'])}, rusak dihapus "
                        f"{format_rupiah(-goods['written_off'])})" if back["count"] else ""))
    moved = report.get("stock_changes") or {}   # (a day closed before it has none)
    for row in moved.get("documents") or []:   # each document approved that day, at cost
        lines.append(f"  {row['label']} {row['number']}: {row['lines']} baris "
                     f"{format_difference(row['value'])}")   # a gain with its +, a loss its -
    if moved.get("documents"):
        lines.append(f"  perubahan stok {format_difference(moved['value'])} (harga pokok)")
    return lines + _money_lines(report)


def _money_lines(report: dict) -> list[str]:
    """The drawers' money as the closing screen and its CSV/XLSX name it: Kas masuk and Kas
    keluar (out as a minus), the cash difference, the floats' difference from the tills' last
    closing counts (only when there is one, as the screen) and the difference over every tender.
    A day closed before a key was kept has none of its line."""
    lines = []
    moved = report.get("cash_movements")
    for key, label, sign in (("in", "kas masuk", 1), ("out", "kas keluar", -1)) if moved else ():
        lines.append(f"  {label} {moved[key]['count']}  {format_rupiah(sign * moved[key]['amount'])}")
    if "cash_difference" in report:
        lines.append(f"  selisih kas {format_difference(report['cash_difference'])}")
    if report.get("opening_difference"):   # kas awal less the till's last closing count
        lines.append(f"  selisih kas awal shift {format_difference(report['opening_difference'])}")
    if "difference" in report:
        lines.append(f"  selisih semua cara bayar {format_difference(report['difference'])}")
    return lines


@report_cli.command("sales")
@click.option("--from", "first", type=DAY, required=True, help="Tanggal usaha pertama.")
@click.option("--to", "last", type=DAY, required=True, help="Tanggal usaha terakhir.")
@click.option("--by", type=click.Choice([*BY, "discounts"]), required=True, help="Dikelompokkan menurut.")
@click.option("--json", "as_json", is_flag=True, help="Keluaran untuk mesin (JSON).")
@click.option("--csv", "csv_file", type=OUT_FILE, help="Tulis CSV ke berkas ini.")
@click.option("--xlsx", "xlsx_file", type=OUT_FILE, help="Tulis XLSX ke berkas ini.")
def report_sales(first: date, last: date, by: str, as_json: bool, csv_file: Path | None,
                 xlsx_file: Path | None) -> None:
    """Penjualan selesai dalam rentang tanggal usaha, dikelompokkan menurut satu cara (semua baris)."""
    first, last = day_range(first, last)
    with db.get_db().reading() as session:
        report = sales_report(session, by, first, last, zone=current_app.config["TIMEZONE"])
    _emit(report, first, last, as_json, csv_file, xlsx_file)


@report_cli.command("stock-card")
@click.argument("code", metavar="SKU_ATAU_BARCODE")
@click.option("--from", "first", type=DAY, required=True, help="Tanggal pertama.")
@click.option("--to", "last", type=DAY, help="Tanggal terakhir (kosong: sama dengan --from).")
@click.option("--json", "as_json", is_flag=True, help="Keluaran untuk mesin (JSON).")
@click.option("--csv", "csv_file", type=OUT_FILE, help="Tulis CSV ke berkas ini.")
@click.option("--xlsx", "xlsx_file", type=OUT_FILE, help="Tulis XLSX ke berkas ini.")
def report_stock_card(code: str, first: date, last: date | None, as_json: bool, csv_file: Path | None,
                      xlsx_file: Path | None) -> None:
    """Kartu stok satu barang (SKU atau barcode): setiap mutasi dalam rentang tanggal, dengan
    dokumen, petugas, alasan dan saldonya."""
    first, last = day_range(first, last)
    with db.get_db().reading() as session:
        product = stock_card.find_product(session, code)
        report = stock_card.stock_card(session, product, first, last,
                                       zone=current_app.config["TIMEZONE"], page=None)
    _emit(report, first, last, as_json, csv_file, xlsx_file)


def _emit(report: shape.Report, first: date, last: date, as_json: bool, csv_file: Path | None,
          xlsx_file: Path | None) -> None:
    """A report as JSON, into CSV/XLSX files, or as lines of text (its note last)."""
    if csv_file:   # each made before its file is opened: a failure leaves no empty file
        write(csv_file, shape.to_csv(report).encode("utf-8"))
    if xlsx_file:
        write(xlsx_file, shape.to_xlsx(report))
    if as_json:
        click.echo(json.dumps(report.as_json(first, last, current_app.config["TIMEZONE"]), indent=2))
        return
    if csv_file or xlsx_file:
        click.echo(f"{report.title}: {report.row_count} baris ditulis.")
        return
    click.echo(f"{report.title} {first.strftime('%d-%m-%Y')} s.d. {last.strftime('%d-%m-%Y')}")
    for line in _table(report):
        click.echo(line)
    if report.note:
        click.echo(report.note)


_RIGHT = ("rupiah", "qty", "int", "percent")   # figures line up on their last digit


def _table(report: shape.Report) -> list[str]:
    """The rows under their column names, each column as wide as its widest cell (it printed
    cells two spaces apart, no header: a card's columns never lined up)."""
    cells = [[c.label for c in report.columns]] + [
        [shape.cell_text(row, c) for c in report.columns]
        for row in report.rows + ([report.totals] if report.totals else [])]
    return aligned(cells, {i for i, c in enumerate(report.columns) if c.kind in _RIGHT})
