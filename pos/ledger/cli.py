"""``pos ledger ...``: push the outbox to the ledger hub and show what waits."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click
from flask import current_app

from pos import db
from pos.cli_dates import DAY
from pos.cli_files import OUT_FOLDER
from pos.clock import MOMENT_FORM, to_local, typed_moment, zone_abbreviation
from pos.console import Galat
from pos.dates import check_range, date_problem
from pos.errors import PosError
from pos.group_cli import CommandGroup
from pos.ledger import outbox, push, simkopdes
from pos.text import os_reason

ledger_cli = CommandGroup("ledger", help="Buku besar koperasi: kirim dokumen harian ke hub.")


@ledger_cli.command("push")
@click.option("--force", is_flag=True,
              help="Abaikan jeda coba ulang dan kirim sekarang semua dokumen yang menunggu.")
def push_command(force: bool) -> None:
    """Kirim semua dokumen yang belum terkirim, berurutan, ke POS_LEDGER_URL (kode keluar 1 bila
    masih ada yang belum terkirim)."""
    cfg = current_app.config
    if not push.configured(cfg):
        raise Galat(push.NOT_CONFIGURED)
    run = push.push(db.get_db(), url=cfg["LEDGER_URL"], outlet_code=cfg["OUTLET_CODE"],
                    token=cfg["LEDGER_TOKEN"], secret=cfg["LEDGER_SECRET"], force=force)
    for document_id in run.sent:
        if document_id in run.voided:
            click.echo(run.voided[document_id])
            continue
        click.echo(f"sudah ada di hub {document_id} (duplikat, tidak dibukukan dua kali)"
                   if document_id in run.duplicates else f"terkirim {document_id}")
    for document_id in run.elsewhere:
        click.echo(f"terkirim {document_id} (oleh proses lain yang mengirim bersamaan)")
    for document_id in run.rejected:
        click.echo(f"ditolak {document_id}")
    if run.stopped:
        click.echo(f"{run.waiting_words}{_retry_words(run, cfg)}")
        raise SystemExit(1)
    with db.get_db().reading() as session:
        refused = outbox.state(session).rejected   # this run's and earlier runs': not sent either
    if refused:
        click.echo(f"{refused} dokumen ditolak hub dan belum masuk buku besar: lihat pos ledger status, "
                   "lalu hubungi pengelola hub.")
        raise SystemExit(1)
    click.echo("antrean kosong" if not (run.sent or run.elsewhere) else "selesai")


def _retry_words(run: push.Run, cfg) -> str:
    """When the backoff holds the queue: the next try in the outlet's time, and how not to wait."""
    if run.retry_at is None:
        return ""
    zone = cfg["TIMEZONE"]
    return (f" (berikutnya {to_local(run.retry_at, zone):%d-%m-%Y %H:%M} {zone_abbreviation(zone)}; "
            "pos ledger push --force mengirim sekarang)")


@ledger_cli.command("status")
@click.option("--json", "as_json", is_flag=True, help="Keluaran untuk mesin (JSON).")
def status_command(as_json: bool) -> None:
    """Berapa dokumen yang menunggu, berapa yang ditolak hub, dan galat terakhir."""
    with db.get_db().reading() as session:
        now = outbox.state(session)
    configured = push.configured(current_app.config)
    if as_json:
        click.echo(json.dumps({"pending": now.pending, "rejected": now.rejected,
                               "oldest_pending": now.oldest_pending.isoformat()
                               if now.oldest_pending else None, "last_error": now.last_error,
                               "voided": [{"document_id": document_id, "message": said}
                                          for document_id, said in now.voided],
                               "hub_configured": configured}))
        return
    click.echo(now.message or "Semua dokumen buku besar sudah terkirim.")
    for _, said in now.voided:   # sent, but set aside at the hub: not in the cooperative's books
        click.echo(said)
    if not configured:
        click.echo(f"Hub belum diatur: {push.NOT_CONFIGURED}")


@ledger_cli.command("resend")
@click.option("--sent-since", "since", metavar=f'"{MOMENT_FORM}"',
              help="Kirim ulang yang terkirim sejak saat ini (jam gerai, atau dengan WIB/WITA/WIT di "
                   "belakangnya), seperti yang disebut pos ledger-hub restore.")
@click.option("--from", "start", type=DAY, default=None, help="Tanggal usaha pertama yang dikirim ulang.")
@click.option("--to", "end", type=DAY, default=None, help="Tanggal usaha terakhir (bawaan: semua).")
def resend_command(since: str | None, start: date | None, end: date | None) -> None:
    """Kirim ulang dokumen yang sudah diterima hub: yang terkirim sejak --sent-since (yang disebut
    pos ledger-hub restore), atau sejak tanggal usaha --from; setelah hub dipulihkan dari cadangan
    lama. Hub menyimpan tiap dokumen sekali (yang sudah ada dijawab duplikat), jadi tidak ada yang
    tercatat dua kali. Dokumen yang ditolak tetap ditolak."""
    if (since is None) == (start is None) or (since is not None and end is not None):
        raise Galat("Pilih salah satu: --sent-since \"HH-BB-TTTT JJ:MM\" (yang disebut pos ledger-hub "
                    "restore), atau --from HH-BB-TTTT [--to HH-BB-TTTT].")
    if since is not None:
        try:
            moment = typed_moment(since, current_app.config["TIMEZONE"])
        except ValueError as problem:
            raise Galat(date_problem("--sent-since", since, problem)) from None
    elif end is not None:
        try:
            check_range(start, end)
        except PosError as error:
            raise Galat(error.message) from None
    with db.get_db().transaction() as session:
        count = (outbox.requeue_sent_since(session, moment) if since is not None
                 else outbox.requeue(session, start, end))
    click.echo(f"{count} dokumen dijadwalkan kirim ulang"
               + (" (kirim sekarang dengan pos ledger push)." if count else "."))


@ledger_cli.command("simkopdes")
@click.option("--from", "start", type=DAY, required=True, help="Tanggal usaha pertama.")
@click.option("--to", "end", type=DAY, required=True, help="Tanggal usaha terakhir.")
@click.option("--out", "folder", required=True, type=OUT_FOLDER,
              help="Folder untuk berkas CSV (dibuat bila belum ada; folder di atasnya harus sudah ada).")
@click.option("--koperasi-ref", help="Referensi SIMKOPDES koperasi (bawaan: POS_OUTLET_CODE).")
@click.option("--full-nik", is_flag=True, help="Tulis NIK anggota lengkap (bawaan: disamarkan).")
def simkopdes_command(start: date, end: date, folder: Path, koperasi_ref: str | None, full_nik: bool) -> None:
    """Penjualan, barang terjual, katalog, anggota dan simpanan sebagai berkas CSV bernama SIMKOPDES."""
    try:
        first, last = check_range(start, end)
    except PosError as error:
        raise Galat(error.message) from None
    cfg = current_app.config
    with db.get_db().reading() as session:
        try:
            written = simkopdes.export(session, folder, first, last,
                                       koperasi_ref=koperasi_ref or cfg["OUTLET_CODE"],
                                       zone=cfg["TIMEZONE"], full_nik=full_nik)
        except OSError as error:   # a folder not to be made or written (read only, pulled out)
            where = error.filename or folder
            raise Galat(f"Berkas SIMKOPDES tidak dapat ditulis ke {where}: {os_reason(error)}.") from None
    for item in written:
        click.echo(f"{item.path}  {item.rows} baris")
