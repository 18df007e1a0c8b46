"""``pos lpg ...``: LPG 3 kg: daftar penjualan per NIK untuk aplikasi pangkalan."""
from __future__ import annotations

import json
from datetime import date

import click
from flask import current_app

from pos import db
from pos.cli_dates import DAY
from pos.clock import business_date, utcnow
from pos.console import Galat
from pos.dates import not_yet
from pos.group_cli import CommandGroup
from pos.lpg import service

lpg_cli = CommandGroup("lpg", help="LPG 3 kg: daftar penjualan per NIK untuk aplikasi pangkalan.")


@lpg_cli.command("day")
@click.option("--date", "day", type=DAY, required=True, help="Tanggal usaha.")
@click.option("--json", "as_json", is_flag=True, help="Keluaran untuk mesin (JSON).")
def day_command(day: date, as_json: bool) -> None:
    """Penjualan LPG 3 kg hari itu per NIK dan kategori (NIK lengkap: untuk aplikasi Pertamina),
    dan tabung yang dikembalikan hari itu (retur dibukukan pada hari retur, dari penjualan hari
    mana pun) dengan jumlah bersihnya; hari yang belum tiba ditolak (daftar kosongnya terbaca
    sebagai hari tanpa penjualan)."""
    if (future := not_yet(day, business_date(utcnow(), current_app.config["TIMEZONE"]))) is not None:
        raise Galat(future)
    with db.get_db().reading() as session:
        rows = service.day_list(session, day)
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in rows], indent=1))
        return
    click.echo(f"{'NIK':<16}  {'Kategori':<13} {'Isi ulang':>9} {'Baru':>5} {'Jumlah':>6} "
               f"{'Kembali':>7} {'Bersih':>6}  Struk")
    for r in rows:
        click.echo(f"{r.nik:<16}  {r.category_label:<13} {r.refill:>9} {r.new:>5} {r.qty:>6} "
                   f"{r.returned:>7} {r.net:>6}  {' '.join(r.receipts + r.returns)}")
    niks = f"{service.buyers(rows)} NIK"
    click.echo(f"{'Total':<16}  {niks:<13} {sum(r.refill for r in rows):>9} "
               f"{sum(r.new for r in rows):>5} {sum(r.qty for r in rows):>6} "
               f"{sum(r.returned for r in rows):>7} {sum(r.net for r in rows):>6}")
