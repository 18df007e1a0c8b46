"""``pos report ...``: the day's totals from the command line."""
from __future__ import annotations

import json
from datetime import date

import click
from flask import current_app

from pos import db
from pos.money import format_rupiah
from pos.reports.day import day_summary
from pos.settings.service import pkp
from pos.web import CommandGroup

report_cli = CommandGroup("report", help="Laporan.")


@report_cli.command("day")
@click.option("--date", "day", required=True, help="Business date, YYYY-MM-DD.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def report_day(day: str, as_json: bool) -> None:
    """The totals of one business date."""
    try:
        chosen = date.fromisoformat(day)
    except ValueError:
        raise click.BadParameter("use YYYY-MM-DD", param_hint="--date") from None
    cfg = current_app.config
    with db.get_db().reading() as session:
        report = day_summary(session, chosen, outlet_pkp=pkp(session, cfg),
                             dpp_share=(cfg["TAX_DPP_NUMERATOR"], cfg["TAX_DPP_DENOMINATOR"]))
    if as_json:
        click.echo(json.dumps(report, indent=2))
        return
    taxed = f", pajak {format_rupiah(report['tax'])}" if report["pkp"] else ""
    click.echo(f"Tanggal {report['date']}: {report['sale_count']} transaksi, "
               f"total {format_rupiah(report['total'])}{taxed}")
    if report["rounding"]:
        click.echo(f"  pembulatan tunai {format_rupiah(report['rounding'])}")
    for method, row in report["payments"].items():
        click.echo(f"  {method:<14} {row['count']:>5}  {format_rupiah(row['amount'])}")
    for tax_class, row in report["tax_classes"].items() if report["pkp"] else ():
        click.echo(f"  {tax_class:<14} DPP {format_rupiah(row['dpp'])}  PPN {format_rupiah(row['tax'])}")
