"""``pos shift ...``: shifts and their Z reports from the command line.

    pos shift list --date HH-BB-TTTT [--json]     the day's shifts, with each float's difference
    pos shift show ID [--json]                    the X or Z report, as printed or as JSON
"""
from __future__ import annotations

import json
from datetime import date

import click
from flask import current_app

from pos import db
from pos.cli_dates import DAY
from pos.clock import business_date, utc_iso, utcnow
from pos.console import Galat
from pos.dates import not_yet
from pos.group_cli import CommandGroup
from pos.money import format_difference, format_rupiah
from pos.shifts import zreport, zreport_text

shift_cli = CommandGroup("shift", help="Shift kasir dan laporan Z.")


def _rp(amount: int | None) -> str:
    return "-" if amount is None else format_rupiah(amount)


def _difference(amount: int | None) -> str:
    """A counted-less-expected difference as every screen writes it (``+Rp14.800``)."""
    return "-" if amount is None else format_difference(amount)


@shift_cli.command("list")
@click.option("--date", "wanted", type=DAY, required=True, help="Tanggal usaha.")
@click.option("--json", "as_json", is_flag=True, help="Keluaran untuk mesin (JSON).")
def list_shifts(wanted: date, as_json: bool) -> None:
    """Shift satu hari usaha: kasir, petugasnya, kas seharusnya, kas terhitung dan selisihnya (hari
    yang belum tiba ditolak: tidak ada shift yang dibuka untuknya)."""
    if (future := not_yet(wanted, business_date(utcnow(), current_app.config["TIMEZONE"]))) is not None:
        raise Galat(future)
    with db.get_db().reading() as session:
        rows = zreport.listed(session, day=wanted)
    if as_json:
        click.echo(json.dumps([{"id": r.id, "till": r.till, "cashier": r.cashier,
                                "business_date": r.business_date.isoformat(),
                                "opened_at": utc_iso(r.opened_at), "closed_at": utc_iso(r.closed_at),
                                "expected_cash": r.expected_cash, "counted_cash": r.counted_cash,
                                "difference": r.difference,
                                "cash_difference": r.cash_difference,
                                "opening_float": r.opening_float,
                                "previous_counted": r.previous_counted,
                                "opening_difference": r.opening_difference,
                                "opening_note": r.opening_note,
                                "opening_approved_by": r.opening_approved_by} for r in rows], indent=2))
        return
    for r in rows:
        state = "ditutup" if r.closed_at else "terbuka"
        click.echo(f"#{r.id}  {r.business_date:%d-%m-%Y}  {r.till}  {r.cashier}  {state}  "
                   f"seharusnya {_rp(r.expected_cash)}  dihitung {_rp(r.counted_cash)}  "
                   f"selisih kas {_difference(r.cash_difference)}"
                   + (f"  selisih kas awal {format_difference(r.opening_difference)}"
                      if r.opening_difference else ""))
    click.echo(f"{len(rows)} shift")


@shift_cli.command("show")
@click.argument("shift_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Keluaran untuk mesin (JSON).")
def show_shift(shift_id: int, as_json: bool) -> None:
    """Laporan Z shift itu (Laporan X selama shift masih terbuka)."""
    with db.get_db().reading() as session:
        z = zreport.build(session, shift_id)
    if as_json:
        click.echo(json.dumps(z.as_json(), indent=2))
        return
    cfg = current_app.config
    for line in zreport_text.lines(z, outlet_name=cfg["OUTLET_NAME"], timezone=cfg["TIMEZONE"],
                                   columns=max(cfg["RECEIPT_COLUMNS"], 48)):
        click.echo(line)
