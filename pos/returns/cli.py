"""``pos returns ...``: the returns booked and the lines voided before payment, by date."""
from __future__ import annotations

import json
from datetime import date

import click
from flask import current_app

from pos import db
from pos.cli_dates import DAY, day_range
from pos.clock import to_local
from pos.group_cli import CommandGroup
from pos.money import format_rupiah
from pos.returns import records
from pos.units import BaseUnit

returns_cli = CommandGroup("returns", help="Retur dan pembatalan baris.")


@returns_cli.command("list")
@click.option("--from", "start", type=DAY, required=True, help="Tanggal usaha pertama.")
@click.option("--to", "end", type=DAY, help="Tanggal usaha terakhir (bawaan: sama dengan --from).")
@click.option("--json", "as_json", is_flag=True, help="Keluaran untuk mesin (JSON).")
def list_returns(start: date, end: date | None, as_json: bool) -> None:
    """Retur yang dibukukan dari --from sampai --to (menurut hari returnya, bukan hari penjualannya)."""
    first, last = day_range(start, end)
    with db.get_db().reading() as session:
        rows = records.between(session, first, last)
    if as_json:
        click.echo(json.dumps([{"return_no": r.return_no, "business_date": r.business_date.isoformat(),
                                "receipt_no": r.receipt_no, "cashier": r.cashier,
                                "approved_by": r.approver, "reason": r.reason,
                                "refund_total": r.refund_total, "refunded": r.refunded}
                               for r in rows], indent=2))
        return
    for r in rows:
        click.echo(f"{r.return_no}  {r.business_date:%d-%m-%Y}  struk {r.receipt_no}  "
                   f"{format_rupiah(r.refunded)}  {r.cashier} / {r.approver}  {r.reason}")
    click.echo(f"{len(rows)} retur, dikembalikan {format_rupiah(sum(r.refunded for r in rows))}")


@returns_cli.command("voids")
@click.option("--from", "start", type=DAY, required=True, help="Tanggal pertama (waktu gerai).")
@click.option("--to", "end", type=DAY, help="Tanggal terakhir (bawaan: sama dengan --from).")
@click.option("--json", "as_json", is_flag=True, help="Keluaran untuk mesin (JSON).")
def list_voids(start: date, end: date | None, as_json: bool) -> None:
    """Baris yang dihapus dari keranjang sebelum dibayar (satu per baris; whole_cart: Kosongkan)."""
    first, last = day_range(start, end)
    zone = current_app.config["TIMEZONE"]
    with db.get_db().reading() as session:
        rows = records.voids_between(session, first, last, zone)
    if as_json:
        click.echo(json.dumps([{"at": to_local(v.created_at, zone).isoformat(timespec="seconds"),
                                "till": v.till, "cashier": v.cashier, "name": v.name,
                                "qty": v.qty, "base_unit": BaseUnit(v.base_unit).value,
                                "amount": v.amount, "whole_cart": v.whole_cart,
                                "reason": v.reason} for v in rows], indent=2))
        return
    for v in rows:
        click.echo(f"{to_local(v.created_at, zone):%d-%m-%Y %H:%M}  {v.till or '-'}  "
                   f"{v.cashier or '-'}  {v.name} x {v.qty_text}  {format_rupiah(v.amount)}  "
                   f"{'kosongkan' if v.whole_cart else 'hapus baris'}: {v.reason}")
    click.echo(f"{len(rows)} baris dibatalkan")
