"""The ``pos`` command: database, set-up, demo data, staff, reports and catalog.

Commands are as thin as views: parse arguments, run one service inside
``transaction()`` (or a read session), print the result.
"""
from __future__ import annotations

import json
import sys
from datetime import date

import click
from flask import current_app
from flask.cli import AppGroup, FlaskGroup, with_appcontext
from sqlalchemy import select

from pos import db

db_cli = AppGroup("db", help="Skema basis data.")
user_cli = AppGroup("user", help="Akun staf.")
report_cli = AppGroup("report", help="Laporan.")
products_cli = AppGroup("products", help="Katalog barang.")
hardware_cli = AppGroup("hardware", help="Printer, laci, timbangan.")


def main() -> None:
    from pos import create_app

    FlaskGroup(create_app=lambda: create_app({"CLI": True}), add_default_commands=True,
               help="Gerai POS.").main(prog_name="pos")


def register(app) -> None:
    for group in (db_cli, user_cli, report_cli, products_cli, hardware_cli):
        app.cli.add_command(group)
    from pos.inventory.cli import inventory_cli

    app.cli.add_command(inventory_cli)
    app.cli.add_command(init_command)
    app.cli.add_command(demo_command)


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Migrate the schema to the newest version (safe to run again)."""
    engine = db.get_db().engine
    db.upgrade(engine)
    click.echo(f"Skema mutakhir: {db.current_revision(engine)}")


def ensure_reference_data(session) -> list[str]:
    """The default till and the outlet's receipt counter; no credentials."""
    from pos.sales.models import ReceiptSequence, Till

    made = []
    if session.scalar(select(Till.id).limit(1)) is None:
        session.add(Till(code="KASIR-1", name="Kasir 1"))
        made.append("kasir KASIR-1")
    code = current_app.config["OUTLET_CODE"]
    if session.get(ReceiptSequence, code) is None:
        session.add(ReceiptSequence(outlet_code=code, last_no=0))
        made.append(f"nomor struk {code}")
    return made


@click.command("init")
@with_appcontext  # AppGroup commands get this for free; plain ones need it outside FlaskGroup
def init_command() -> None:
    """Migrate and create the default till. Creates no user: use `pos user add`."""
    db.upgrade(db.get_db().engine)
    with db.transaction() as session:
        made = ensure_reference_data(session)
    click.echo("Basis data siap." + (f" Dibuat: {', '.join(made)}." if made else ""))


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Only when the database has no products or staff.")
@with_appcontext
def demo_command(if_empty: bool) -> None:
    """Fill the database with a demo gerai (products, members, demo staff)."""
    from pos import demo

    db.upgrade(db.get_db().engine)
    with db.transaction() as session:
        ensure_reference_data(session)
        if not demo.is_empty(session):
            click.echo("Basis data sudah berisi data; data demo tidak ditambahkan.")
            if not if_empty:
                sys.exit(1)
            return
        summary = demo.seed_demo(session)
    click.echo("Data demo dibuat: " + ", ".join(f"{k} {v}" for k, v in summary.items()))


@user_cli.command("add")
@click.argument("username")
@click.option("--name", "full_name", default="", help="Full name shown on receipts.")
@click.option("--role", type=click.Choice(["cashier", "clerk", "manager", "admin"]), required=True)
@click.option("--pin", prompt=True, hide_input=True, confirmation_prompt=True,
              help="4-8 digits; asked for when omitted.")
def user_add(username: str, full_name: str, role: str, pin: str) -> None:
    """Create a staff account."""
    from pos.auth.service import create_user
    from pos.errors import PosError

    try:
        with db.transaction() as session:
            user = create_user(session, username, full_name, role, pin)
    except PosError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Staf {user.username} ({user.role.label}) dibuat.")


@report_cli.command("day")
@click.option("--date", "day", required=True, help="Business date, YYYY-MM-DD.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def report_day(day: str, as_json: bool) -> None:
    """The totals of one business date."""
    from pos.money import format_rupiah
    from pos.reports.day import day_summary

    try:
        chosen = date.fromisoformat(day)
    except ValueError:
        raise click.BadParameter("use YYYY-MM-DD", param_hint="--date") from None
    with db.get_db().reading() as session:
        report = day_summary(session, chosen)
    if as_json:
        click.echo(json.dumps(report, indent=2))
        return
    click.echo(f"Tanggal {report['date']}: {report['sale_count']} transaksi, "
               f"total {format_rupiah(report['total'])}, pajak {format_rupiah(report['tax'])}")
    for method, row in report["payments"].items():
        click.echo(f"  {method:<14} {row['count']:>5}  {format_rupiah(row['amount'])}")


@products_cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def products_list(as_json: bool) -> None:
    """The catalog with stock on hand."""
    from pos.inventory.catalog import list_products
    from pos.money import format_rupiah

    with db.get_db().reading() as session:
        products = list_products(session)
    if as_json:
        click.echo(json.dumps(products, indent=1))
        return
    for p in products:
        click.echo(f"{p['sku']:<12} {p['name'][:40]:<40} {format_rupiah(p['price']):>12} "
                   f"{p['on_hand']:>8} {p['unit']}")


@hardware_cli.command("test-print")
def hardware_test_print() -> None:
    """Print a test page on the receipt printer."""
    from pos.hardware import HardwareError
    from pos.hardware.testpage import test_page_from_config

    page = test_page_from_config(current_app.config)
    try:
        current_app.extensions["pos_hardware"].printer.print_receipt(page)
    except HardwareError as error:
        raise click.ClickException(str(error)) from None
    click.echo("Halaman uji dikirim ke printer.")


@hardware_cli.command("status")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def hardware_status(as_json: bool) -> None:
    """The state of every configured device."""
    hw = current_app.extensions["pos_hardware"]
    devices = {"printer": {"configured": current_app.config["PRINTER"].split("?")[0],
                           "status": hw.printer.status()}}
    for name, device in (("scale", hw.scale), ("display", hw.display)):
        devices[name] = {"configured": current_app.config[name.upper()].split("?")[0],
                         "status": device.status()}
    if as_json:
        click.echo(json.dumps(devices, indent=2))
        return
    for name, info in devices.items():
        click.echo(f"{name:<8} {info['configured'] or '-':<32} {info['status']}")


@hardware_cli.command("retry-prints")
def hardware_retry_prints() -> None:
    """Try every recent receipt that is still waiting for paper."""
    from pos.sales.print_worker import retry_pending

    click.echo(f"Struk tercetak: {retry_pending(current_app._get_current_object())}")
