"""``pos hardware ...``: the state of the devices, a test page and the print queue."""
from __future__ import annotations

import json

import click
from flask import current_app

from pos.console import Galat
from pos.group_cli import CommandGroup
from pos.hardware import HardwareError, records_only
from pos.hardware.testpage import ON_DUMMY, test_page_from_config
from pos.sales.print_worker import retry_pending

hardware_cli = CommandGroup("hardware", help="Printer, laci, timbangan.")


@hardware_cli.command("test-print")
def hardware_test_print() -> None:
    """Cetak halaman uji di printer struk."""
    printer = current_app.extensions["pos_hardware"].printer
    page = test_page_from_config(current_app.config, printer)
    try:
        printer.print_receipt(page)
    except HardwareError as error:   # the staff's sentence; escpos's own words in the log
        current_app.logger.warning("Halaman uji belum tercetak: %s", error)
        raise Galat(error.summary or str(error)) from None
    click.echo(ON_DUMMY if records_only(printer) else "Halaman uji dikirim ke printer.")


@hardware_cli.command("status")
@click.option("--json", "as_json", is_flag=True, help="Keluaran untuk mesin (JSON).")
def hardware_status(as_json: bool) -> None:
    """Keadaan setiap perangkat yang diatur."""
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
    """Cetak ulang setiap struk terbaru yang masih menunggu kertas."""
    click.echo(f"Struk tercetak: {retry_pending(current_app._get_current_object())}")
