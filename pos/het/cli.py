"""``pos het ...``: Harga eceran tertinggi (HET): jadwal per produk dan zona.

``set`` adds a ceiling from a date (the same product, zone and date: its price is replaced,
logged), ``list`` shows the ceilings in force for the outlet's zone on a day and those
scheduled after it, ``import`` reads a schedule file (all rows or none).  ``set`` and
``import`` refuse a ceiling that looks typed per pack or far too high without ``--het-ok``.
"""
from __future__ import annotations

import json
from datetime import date

import click
from flask import current_app

from pos import db
from pos.cli_dates import DAY
from pos.clock import business_date, utcnow
from pos.console import Galat
from pos.group_cli import CommandGroup
from pos.het import service, transfer
from pos.inventory.catalog.file_cli import import_file, summary_line
from pos.money import MoneyError, format_rupiah, parse_rupiah
from pos.text_table import aligned

HET_OK_HELP = ("HET yang tampak ditulis per kemasan (karung) atau lebih dari 3 kali harga jual atau "
               "HET sebelumnya memang benar per satuan harga.")
het_cli = CommandGroup("het", help="Harga eceran tertinggi (HET): jadwal per produk dan zona.")


@het_cli.command("set")
@click.argument("sku")
@click.option("--price", required=True, help="HET per satuan barang (kg, liter, pcs).")
@click.option("--from", "day", type=DAY, required=True, help="Berlaku mulai.")
@click.option("--zone", default="", help="Kode zona (1, 2, 3); kosong: semua zona.")
@click.option("--note", default="", help="Sumbernya (mis. Kepmentan 1117/2025).")
@click.option("--het-ok", is_flag=True, help=HET_OK_HELP)
def set_command(sku: str, price: str, day: date, zone: str, note: str, het_ok: bool) -> None:
    """Tetapkan HET barang SKU mulai suatu tanggal, untuk satu zona atau semua zona."""
    try:
        amount = parse_rupiah(price)
    except MoneyError as problem:
        raise click.BadParameter(problem.message, param_hint="--price") from None
    try:
        with db.transaction() as session:
            product = service.product_by_sku(session, sku)
            row = service.set_ceiling(session, product.id, price=amount, effective_from=day,
                                      zone=zone, note=note, unlikely_ok=het_ok)
            name, per, where = product.name, product.base_unit.price_label, row.zone
    except service.UnlikelyCeiling as problem:
        raise Galat(f"{problem.words} Bila HET itu memang benar, ulangi dengan --het-ok.") from None
    click.echo(f"HET {name}: {format_rupiah(amount)}/{per} mulai {day:%d-%m-%Y}, "
               + (f"zona {where}." if where else "semua zona."))
    if (elsewhere := service.other_zone(where, service.zone_of(current_app.config))) is not None:
        click.echo(f"Catatan: {elsewhere} Lihat dengan 'pos het list --zone {where}'.")


@het_cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Keluaran untuk mesin (JSON).")
@click.option("--date", "day", type=DAY, default=None, help="Tanggalnya (bawaan: hari ini).")
@click.option("--zone", default=None, help="Zonanya (bawaan: zona gerai, POS_HET_ZONE).")
def list_command(as_json: bool, day: date | None, zone: str | None) -> None:
    """HET yang berlaku pada tanggal itu di zona itu, dan yang dijadwalkan sesudahnya."""
    day = day or business_date(utcnow(), current_app.config["TIMEZONE"])
    zone = service.zone_of(current_app.config) if zone is None else (zone.strip() or None)
    with db.get_db().reading() as session:
        entries = service.schedule(session, day, zone, past=False)
    if as_json:
        click.echo(json.dumps([e.as_json() for e in entries], indent=1))
        return
    click.echo(f"HET pada {day:%d-%m-%Y}, " + (f"zona {zone}" if zone else "tanpa zona"))
    rows = [[e.sku, e.name, e.zone or "-", service.describe(e.price, e.per),
             ("berlaku" if e.in_force else f"mulai {e.effective_from:%d-%m-%Y}")
             + ("  HARGA JUAL DI ATAS HET" if e.above else "")] for e in entries]
    for line in aligned(rows, right={3}):   # every name whole, the columns in line
        click.echo(line)


@het_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Hanya periksa setiap baris; tidak ada yang disimpan.")
@click.option("--het-ok", is_flag=True, help=HET_OK_HELP)
def import_command(path: str, dry_run: bool, het_ok: bool) -> None:
    """Impor jadwal HET dari PATH (.csv atau .xlsx; kolom sku, zona, het, berlaku_mulai,
    catatan): semua baris atau tidak sama sekali."""
    summary = import_file(path, transfer.HetFile(het_ok).import_rows, dry_run=dry_run,
                          columns=transfer.IMPORT_COLUMNS, key=transfer.KEY)
    click.echo(summary_line(summary, dry_run) + ".")
    for notice in summary["notices"]:
        click.echo(notice)
