"""``pos inventory opening-stock FILE [--dry-run] [--far-expiry-ok]``: Stok awal from the command
line (``service``); added to the ``pos inventory`` group by ``pos.cli_table``."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from pos import db
from pos.clock import business_date, utcnow
from pos.inventory.catalog.file_cli import import_file, summary_line
from pos.inventory.opening import rows, service
from pos.money import format_rupiah


@click.command("opening-stock")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Hanya periksa setiap baris; tidak ada yang disimpan.")
@click.option("--far-expiry-ok", is_flag=True,
              help="Simpan juga kedaluwarsa lebih dari 5 tahun lagi (tahunnya sudah dicek di kemasan).")
def opening_stock_command(path: str, dry_run: bool, far_expiry_ok: bool) -> None:
    """Impor stok awal (barang yang sudah dimiliki gerai sebelum hari pertama) dari PATH (.csv atau
    .xlsx; kolom sku, nama, satuan, jumlah, harga_pokok, batch, kedaluwarsa): semua baris atau tidak
    sama sekali. Tanpa jurnal; nilainya tercantum di ringkasan hari (opening_stock)."""
    today = business_date(utcnow(), current_app.config["TIMEZONE"])
    summary = import_file(path, service.OpeningStockFile(today, far_expiry_ok).import_rows, dry_run=dry_run,
                          columns=rows.COLUMNS, key=rows.KEY)
    click.echo(summary_line(summary, dry_run) + ".")
    if not dry_run:
        with db.get_db().reading() as session:
            opened = service.day_value(session, today, current_app.config["LEDGER_ACCOUNTS"])
        click.echo(f"Stok awal hari {today:%d-%m-%Y}: {opened['products']} barang, nilai pokok "
                   f"{format_rupiah(opened['value'])} (isi Saldo awal Persediaan di buku koperasi "
                   "per unit usaha):")
        for unit in opened["units"]:
            click.echo(f"  {unit['account']} {unit['name']}: {format_rupiah(unit['value'])} "
                       f"({unit['products']} barang)")
