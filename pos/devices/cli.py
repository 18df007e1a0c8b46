"""``pos hardware ...``: the state of the devices, a test page and the print queue."""
from __future__ import annotations

import json

import click
from flask import current_app
from sqlalchemy.exc import DBAPIError

from pos import db
from pos.console import Galat
from pos.group_cli import CommandGroup
from pos.hardware import HardwareError, records_only
from pos.hardware.presence import printer_state
from pos.hardware.testpage import ON_DUMMY, test_page_from_config
from pos.sales.print_worker import retry_pending
from pos.tills import service as tills

hardware_cli = CommandGroup("hardware", help="Printer, laci, timbangan.")


@hardware_cli.command("test-print")
@click.option("--till", "till_code", default=None,
              help="Kode kasir, mis. KASIR-1: printernya sendiri (printer gerai bila tidak punya).")
def hardware_test_print(till_code: str | None) -> None:
    """Cetak halaman uji di printer struk gerai, atau di printer kasir --till."""
    if till_code is None:
        printer = current_app.extensions["pos_hardware"].printer
    else:
        with db.get_db().reading() as session:
            till_id = tills.till_by_code(session, till_code).id
        printer = current_app.extensions["pos_devices"].till_printer(till_id)
    page = test_page_from_config(current_app.config, printer)
    try:
        printer.print_receipt(page)
    except HardwareError as error:   # the staff's sentence; escpos's own words in the log
        current_app.logger.warning("Halaman uji belum tercetak: %s", error)
        raise Galat(error.summary or str(error)) from None
    click.echo(ON_DUMMY if records_only(printer) else "Halaman uji dikirim ke printer.")


def _till_devices() -> list[dict]:
    """Each till's printer and display: its own (``own``) or the outlet's, and their state, as
    ``pos doctor`` looks at a printer (0.3 s at most, never a print). Empty before ``pos init``
    (no tables yet): the outlet's devices are still reported."""
    try:
        with db.get_db().reading() as session:
            rows = [(t.code, t.printer, t.display) for t in tills.all_tills(session)]
    except DBAPIError:
        return []
    registry, cfg = current_app.extensions["pos_devices"], current_app.config
    looked: dict[tuple[str, str | None], str] = {}   # each address looked at once, however shared

    def state(kind: str, url: str | None) -> str:
        if (kind, url) not in looked:
            looked[kind, url] = (printer_state(registry.printer(url)) if kind == "printer"
                                 else registry.display(url).status())
        return looked[kind, url]

    return [{"till": code,
             "printer": {"configured": (printer_url or cfg["PRINTER"]).split("?")[0],
                         "own": bool(printer_url), "status": state("printer", printer_url)},
             "display": {"configured": (display_url or cfg["DISPLAY"]).split("?")[0],
                         "own": bool(display_url), "status": state("display", display_url)}}
            for code, printer_url, display_url in rows]


@hardware_cli.command("status")
@click.option("--json", "as_json", is_flag=True, help="Keluaran untuk mesin (JSON).")
def hardware_status(as_json: bool) -> None:
    """Keadaan setiap perangkat: milik gerai, lalu printer dan layar setiap kasir."""
    hw = current_app.extensions["pos_hardware"]
    devices: dict = {"printer": {"configured": current_app.config["PRINTER"].split("?")[0],
                                 "status": printer_state(hw.printer)}}
    for name, device in (("scale", hw.scale), ("display", hw.display)):
        devices[name] = {"configured": current_app.config[name.upper()].split("?")[0],
                         "status": device.status()}
    devices["tills"] = _till_devices()
    if as_json:
        click.echo(json.dumps(devices, indent=2))
        return
    for name in ("printer", "scale", "display"):
        info = devices[name]
        click.echo(f"{name:<8} {info['configured'] or '-':<32} {info['status']}")
    for till in devices["tills"]:
        for name in ("printer", "display"):
            info = till[name]
            where = info["configured"] or "-"
            where = where if info["own"] else f"(gerai) {where}"
            click.echo(f"{till['till']} {name:<8} {where:<32} {info['status']}")


@hardware_cli.command("retry-prints")
def hardware_retry_prints() -> None:
    """Cetak ulang setiap struk terbaru yang masih menunggu kertas."""
    click.echo(f"Struk tercetak: {retry_pending(current_app._get_current_object())}")
