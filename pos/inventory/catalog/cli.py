"""The catalog from the command line: ``pos inventory import|export`` and ``pos products list``.

``import_command`` and ``export_command`` are added to the ``pos inventory``
group by ``pos.app``.
"""
from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from pos import db
from pos.auth.models import User
from pos.cli_files import OUT_FILE, write
from pos.console import Galat
from pos.group_cli import CommandGroup
from pos.inventory.catalog import spreadsheets, transfer
from pos.inventory.catalog.file_cli import import_file, summary_line
from pos.inventory.catalog.products import list_products
from pos.inventory.catalog.tax import TaxSettings
from pos.money import format_rupiah
from pos.text_table import aligned
from pos.units import BaseUnit

products_cli = CommandGroup("products", help="Katalog barang.")


@products_cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Keluaran untuk mesin (JSON).")
def products_list(as_json: bool) -> None:
    """Katalog barang beserta stoknya."""
    with db.get_db().reading() as session:
        products = list_products(session)
    if as_json:
        click.echo(json.dumps(products, indent=1))
        return
    if not products:   # as pos user list: say so, and how to fill it
        click.echo("Katalog masih kosong; impor barang dengan pos inventory import BERKAS.csv|.xlsx.")
        return
    rows = []
    for p in products:   # as the screens write them: Rp1.800/kg, 3.450 kg (JSON: base units)
        unit = BaseUnit(p["unit"])
        price = format_rupiah(p["price"]) + ("" if unit is BaseUnit.PCS else f"/{unit.price_label}")
        rows.append([p["sku"], p["name"], price, unit.with_unit(p["on_hand"])])
    for line in aligned(rows, right={2, 3}):   # every name whole, the columns in line
        click.echo(line)


@click.command("import")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Hanya periksa setiap baris; tidak ada yang disimpan.")
@click.option("--user", "username", default=None,
              help="Nama pengguna staf yang tercatat pada perubahan harga.")
@click.option("--below-cost-ok", is_flag=True,
              help="Simpan juga harga jual di bawah harga pokok (memang disengaja).")
def import_command(path: str, dry_run: bool, username: str | None, below_cost_ok: bool) -> None:
    """Impor katalog dari PATH (.csv atau .xlsx): semua baris atau tidak sama sekali."""
    summary = import_file(path, lambda session, rows: transfer.import_rows(
        session, rows, _user_id(session, username), _echo_progress, below_cost_ok=below_cost_ok,
        tax=TaxSettings.of_outlet(current_app.config, session)), dry_run=dry_run)
    for line in summary.get("below_cost", []):
        click.echo(f"Di bawah harga pokok: {line}")
    click.echo(summary_line(summary, dry_run) + ".")


def _user_id(session, username: str | None) -> int | None:
    if not username:
        return None
    user_id = session.scalar(select(User.id).where(User.username == username.strip().lower()))
    if user_id is None:
        raise Galat(f"Staf {username} tidak ada.")
    return user_id


def _echo_progress(done: int, total: int) -> None:
    if done == total or done % 1000 == 0:
        click.echo(f"  {done}/{total}", err=True)


@click.command("export")
@with_appcontext
@click.argument("path", type=OUT_FILE)
def export_command(path: Path) -> None:
    """Tulis seluruh katalog ke PATH (.csv atau .xlsx, menurut akhiran namanya); foldernya harus
    sudah ada."""
    if path.suffix.lower() not in (".csv", ".xlsx"):
        raise click.BadParameter("gunakan nama berakhiran .csv atau .xlsx", param_hint="PATH")
    with db.get_db().reading() as session:
        rows = transfer.export_rows(session)
    body = spreadsheets.to_xlsx(rows) if path.suffix.lower() == ".xlsx" \
        else spreadsheets.to_csv(rows).encode("utf-8-sig")
    write(path, body)
    click.echo(f"{len(rows)} barang diekspor ke {path}.")
