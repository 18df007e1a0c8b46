"""``pos doctor [--json]``: every health check with a fix for each problem, for the person at the
mini-PC.  Exit code 0 when all is well, 1 with warnings, 2 with an error (as monitoring plugins
count; a wrong option is also 2, from click)."""
from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import with_appcontext

from pos.clock import to_local, utcnow
from pos.db import get_db
from pos.health_checks import report
from pos.health_checks.run import run


@click.command("doctor")
@click.option("--json", "as_json", is_flag=True,
              help="Keluaran untuk mesin: kunci /healthz, dengan rinciannya.")
@with_appcontext
def doctor_command(as_json: bool) -> None:
    """Periksa basis data, disk, jam, perangkat, antrean buku besar dan cadangan, dengan cara
    memperbaiki setiap masalah. Kode keluar: 0 baik, 1 ada peringatan, 2 ada galat."""
    config, now = current_app.config, utcnow()
    with get_db().reading() as session:
        checks = run(session, config, current_app.instance_path, current_app.extensions["pos_devices"], now)
    if as_json:
        click.echo(json.dumps(report.to_json(checks, detailed=True, outlet=config["OUTLET_CODE"]), indent=2))
    else:
        heading = (f"Gerai POS {config['OUTLET_CODE']}: pemeriksaan "
                   f"{to_local(now, config['TIMEZONE']):%d-%m-%Y %H:%M}")
        click.echo(report.to_text(checks, heading))
    click.get_current_context().exit(report.exit_code(checks))
