"""``pos returns ...``: the returns booked and the lines voided before payment, by date."""
from __future__ import annotations

import json
from datetime import date

import click
from flask import current_app

from pos import db
from pos.clock import to_local
from pos.dates import FROM_AFTER_TO, ISO_HINT, parse_iso
from pos.money import format_rupiah
from pos.returns import records
from pos.units import BaseUnit
from pos.web import CommandGroup

returns_cli = CommandGroup("returns", help="Retur dan pembatalan baris.")


def _range(start: str, end: str | None) -> tuple[date, date]:
    try:
        first = parse_iso(start)
        last = parse_iso(end) if end else first
    except ValueError:
        raise click.BadParameter(ISO_HINT, param_hint="--from/--to") from None
    if first > last:
        raise click.BadParameter(FROM_AFTER_TO, param_hint="--from")
    return first, last


@returns_cli.command("list")
@click.option("--from", "start", required=True, help="Tanggal usaha pertama, YYYY-MM-DD.")
@click.option("--to", "end", help="Tanggal usaha terakhir (bawaan: sama dengan --from).")
@click.option("--json", "as_json", is_flag=True, help="Keluaran untuk mesin (JSON).")
def list_returns(start: str, end: str | None, as_json: bool) -> None:
    """Retur yang dibukukan dari --from sampai --to (menurut hari returnya, bukan hari penjualannya)."""
    first, last = _range(start, end)
    with db.get_db().reading() as session:
        rows = records.between(session, first, last)
    if as_json:
        click.echo(json.dumps([{"return_no": r.return_no, "business_date": r.business_date.isoformat(),
                                "receipt_no": r.receipt_no, "cashier": r.cashier,
                                "approved_by": r.approver, "reason": r.reason,
                                "refund_total": r.refund_total} for r in rows], indent=2))
        return
    for r in rows:
        click.echo(f"{r.return_no}  {r.business_date:%d-%m-%Y}  struk {r.receipt_no}  "
                   f"{format_rupiah(r.refund_total)}  {r.cashier} / {r.approver}  {r.reason}")
    click.echo(f"{len(rows)} retur, {format_rupiah(sum(r.refund_total for r in rows))}")


@returns_cli.command("voids")
@click.option("--from", "start", required=True, help="Tanggal pertama, YYYY-MM-DD (waktu gerai).")
@click.option("--to", "end", help="Tanggal terakhir (bawaan: sama dengan --from).")
@click.option("--json", "as_json", is_flag=True, help="Keluaran untuk mesin (JSON).")
def list_voids(start: str, end: str | None, as_json: bool) -> None:
    """Baris yang dihapus dari keranjang sebelum dibayar (satu per baris; whole_cart: Kosongkan)."""
    first, last = _range(start, end)
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
