"""``pos ledger ...``: push the outbox to the ledger hub and show what waits."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click
from flask import current_app

from pos import db
from pos.console import Galat
from pos.dates import ISO_HINT, check_range, parse_iso
from pos.errors import PosError
from pos.ledger import outbox, push, simkopdes
from pos.web import CommandGroup

ledger_cli = CommandGroup("ledger", help="Buku besar koperasi: kirim dokumen harian ke hub.")


@ledger_cli.command("push")
@click.option("--force", is_flag=True, help="Ignore the retry backoff and try every pending document now.")
def push_command(force: bool) -> None:
    """Send every unsent document, in order, to POS_LEDGER_URL (exit 1 if any stays unsent)."""
    cfg = current_app.config
    if not cfg["LEDGER_URL"] or not cfg["LEDGER_TOKEN"] or not cfg["LEDGER_SECRET"]:
        raise Galat("POS_LEDGER_URL, POS_LEDGER_TOKEN dan POS_LEDGER_SECRET belum "
                                   "diisi; dokumen tetap menunggu di antrean.")
    run = push.push(db.get_db(), url=cfg["LEDGER_URL"], outlet_code=cfg["OUTLET_CODE"],
                    token=cfg["LEDGER_TOKEN"], secret=cfg["LEDGER_SECRET"], force=force)
    for document_id in run.sent:
        click.echo(f"terkirim {document_id}")
    for document_id in run.rejected:
        click.echo(f"ditolak {document_id}")
    if run.stopped:
        click.echo(f"{run.waiting} dokumen masih menunggu: {run.stopped}")
        raise SystemExit(1)
    click.echo("antrean kosong" if not run.sent and not run.rejected else "selesai")


@ledger_cli.command("status")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def status_command(as_json: bool) -> None:
    """How many documents wait, how many the hub rejected, and the last error."""
    with db.get_db().reading() as session:
        now = outbox.state(session)
    if as_json:
        click.echo(json.dumps({"pending": now.pending, "rejected": now.rejected,
                               "oldest_pending": now.oldest_pending.isoformat()
                               if now.oldest_pending else None, "last_error": now.last_error}))
        return
    click.echo(now.message or "Semua dokumen buku besar sudah terkirim.")


def _iso(text: str, hint: str) -> date:
    try:
        return parse_iso(text)
    except ValueError:
        raise click.BadParameter(ISO_HINT, param_hint=hint) from None


@ledger_cli.command("simkopdes")
@click.option("--from", "start", required=True, help="First business date, YYYY-MM-DD.")
@click.option("--to", "end", required=True, help="Last business date, YYYY-MM-DD.")
@click.option("--out", "folder", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the CSV files (made if missing).")
@click.option("--koperasi-ref", help="The cooperative's SIMKOPDES reference (default: POS_OUTLET_CODE).")
@click.option("--full-nik", is_flag=True, help="Write members' NIK in full (default: masked).")
def simkopdes_command(start: str, end: str, folder: Path, koperasi_ref: str | None, full_nik: bool) -> None:
    """Sales, goods sold, products, members and savings as SIMKOPDES-named CSV files."""
    try:
        first, last = check_range(_iso(start, "--from"), _iso(end, "--to"))
    except PosError as error:
        raise Galat(error.message) from None
    cfg = current_app.config
    with db.get_db().reading() as session:
        written = simkopdes.export(session, folder, first, last,
                                   koperasi_ref=koperasi_ref or cfg["OUTLET_CODE"],
                                   zone=cfg["TIMEZONE"], full_nik=full_nik)
    for item in written:
        click.echo(f"{item.path}  {item.rows} baris")
