"""``pos ledger-hub document list|void``: the documents the hub holds, and setting aside one
that is wrong (``voids``)."""
from __future__ import annotations

import json
from datetime import date

import click

from pos.cli_dates import DAY
from pos.clock import utcnow
from pos.group_cli import CommandGroup
from pos.ledger_hub import accounts, voids
from pos.ledger_hub.cli import hub_database
from pos.text_table import aligned

document_cli = CommandGroup("document", help="Dokumen yang diterima hub: daftar, batalkan.")
KINDS = {"day": "hari", "correction": "koreksi"}


@document_cli.command("list")
@click.option("--outlet", "outlet_code", help="Hanya gerai ini (bawaan: semua gerai).")
@click.option("--from", "first", type=DAY, help="Tanggal usaha pertama.")
@click.option("--to", "last", type=DAY, help="Tanggal usaha terakhir.")
@click.option("--json", "as_json", is_flag=True, help="Keluaran untuk mesin (JSON).")
def document_list(outlet_code: str | None, first: date | None, last: date | None, as_json: bool) -> None:
    """Dokumen yang disimpan hub (nomor dokumen, gerai, jenis, tanggal usaha), yang batal ditandai."""
    with hub_database() as database, database.reading() as session:
        rows = voids.listing(session, accounts.check_outlet(session, outlet_code), first, last)
    if as_json:
        click.echo(json.dumps([row.as_dict() for row in rows], ensure_ascii=False))
        return
    if not rows:
        click.echo("Hub belum menyimpan dokumen untuk pilihan ini.")
        return
    table = [["Nomor dokumen", "Gerai", "Jenis", "Tanggal usaha", "Diterima (UTC)", "Status"]]
    table += [[row.document_id, row.outlet_code, KINDS.get(row.kind, row.kind),
               f"{row.business_date:%d-%m-%Y}", f"{row.received_at:%d-%m-%Y %H:%M}",
               f"BATAL {row.voided_at:%d-%m-%Y %H:%M} oleh {row.voided_by}: {row.reason}" if row.void
               else "dibukukan"] for row in rows]
    for line in aligned(table, set()):
        click.echo(line)


@document_cli.command("void")
@click.argument("document_id")
@click.option("--reason", required=True, help="Mengapa dokumen ini dibatalkan (dicatat).")
@click.option("--operator", required=True, help="Operator hub yang membatalkan (dicatat).")
def document_void(document_id: str, reason: str, operator: str) -> None:
    """Batalkan dokumen DOCUMENT_ID yang salah: dokumennya tetap disimpan (dengan siapa, kapan,
    mengapa), baris jurnal dan dasar SHU-nya keluar dari semua buku."""
    now = utcnow()
    with hub_database() as database, database.transaction() as session:
        done = voids.void(session, document_id, reason, operator, now)
    click.echo(f"Dokumen {done.document_id} (gerai {done.outlet_code}, {KINDS.get(done.kind, done.kind)} "
               f"{done.business_date:%d-%m-%Y}) dibatalkan oleh {done.voided_by} pada "
               f"{now:%d-%m-%Y %H:%M} UTC: {done.reason}. Jurnalnya tidak lagi dihitung di buku; "
               "dokumen yang sama dikirim lagi tetap batal.")
