"""``pos ledger-hub backup`` and ``restore``: the hub's PostgreSQL database dumped while
outlets keep pushing, and put back after confirmation, through the outlet's own
``pos.backup.pg_dump`` and ``pos.backup.pg_restore`` with the hub's newest document as the
anchor and ``hub-`` names rotated apart from an outlet's backups."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool

from pos import server_lock
from pos.backup import pg, pg_dump, pg_restore, rotation
from pos.backup.cli import CANCELLED, confirmed, refusals_as_click_errors, say_rotated, yes_option
from pos.cli_files import OUT_FOLDER
from pos.clock import to_local, utcnow
from pos.console import Galat
from pos.ledger_hub.cli import hub_database, hub_url
from pos.ledger_hub.models import SCHEMA_VERSION, HubDocument, HubOutlet

HUB_PREFIX = "hub-"   # hub-YYYYMMDD-HHMMSS.pgdump: never taken for an outlet's backup
KNOWN_VERSIONS = {str(version) for version in range(1, SCHEMA_VERSION + 1)}


def _postgresql(command: str) -> URL:
    url = make_url(hub_url())
    if url.get_backend_name() != "postgresql":
        raise Galat(f"pos ledger-hub {command} hanya untuk hub di PostgreSQL "
                                   "(POS_LEDGER_DATABASE_URL); hub SQLite cukup disalin saat berhenti.")
    return url


def _local_now():
    return to_local(utcnow(), current_app.config["TIMEZONE"]).replace(tzinfo=None)


@click.command("backup")
@click.option("--to", "target", type=OUT_FOLDER,
              help="Folder cadangan (bawaan: folder backup-hub/ di folder instance; folder di atasnya "
                   "harus sudah ada).")
@with_appcontext
def backup_command(target: Path | None) -> None:
    """Cadangkan basis data hub (PostgreSQL) sambil gerai tetap mengirim, periksa, lalu rotasi.

    pg_dump --format=custom dalam satu snapshot (hub-TANGGAL-JAM.pgdump), diperiksa dengan
    pg_restore (terbaca utuh, dokumen terakhir ada di dalamnya); kata sandi lewat PGPASSWORD
    (yang diekspor, atau yang tertulis di URL basis data hub bila ada).
    Disimpan harian 14 hari dan bulanan 12 bulan."""
    _postgresql("backup")
    directory = target or Path(current_app.instance_path) / "backup-hub"
    local = _local_now()
    with hub_database() as database, refusals_as_click_errors():
        made = pg_dump.take(database.engine, directory, local, pg_dump.HUB, HUB_PREFIX)
        rotated = rotation.rotate(directory, local.date(), HUB_PREFIX, made.path)
    click.echo(f"Cadangan hub dibuat: {made.path} ({made.size // 1024} KB, "
               f"dokumen terakhir {made.latest_sale or '-'}).")
    say_rotated(rotated.gone, rotated.held)


@click.command("restore")
@click.argument("backup_file", type=click.Path(dir_okay=False, path_type=Path))
@yes_option
@with_appcontext
def restore_command(backup_file: Path, yes: bool) -> None:
    """Ganti basis data hub dengan cadangan BACKUP_FILE (hub-….pgdump); yang lama disimpan.

    Berkas rusak, cadangan gerai, atau cadangan dari skema hub yang lebih baru ditolak tanpa
    mengubah apa pun. Dipulihkan ke basis data baru lalu ditukar; yang lama berganti nama
    menjadi NAMA_sebelum_TANGGAL_JAM (hapus dengan DROP DATABASE bila tak diperlukan lagi).
    Hentikan dulu server hub."""
    try:
        with server_lock.alone(current_app.instance_path, server_lock.HUB_NAME):
            _restore(backup_file, yes)
    except server_lock.ServerRunning:
        raise Galat("Server hub masih berjalan di mesin ini (pos ledger-hub serve). Hentikan dulu, "
                    "lalu ulangi. Tidak ada yang diubah.") from None


def _restore(backup_file: Path, yes: bool) -> None:
    url = _postgresql("restore")
    with refusals_as_click_errors():
        candidate = pg_restore.inspect(backup_file, pg.Target.from_url(url), KNOWN_VERSIONS,
                                       pg_restore.HUB)
    click.echo(f"Cadangan {backup_file.name}: {candidate.rows} dokumen, "
               f"skema hub {candidate.revision or '-'}.")
    if not confirmed(yes, f"Ganti basis data hub {url.database} dengan cadangan ini? "
                          "Hentikan dulu server hub."):
        raise Galat(CANCELLED)
    with refusals_as_click_errors():
        aside = pg_restore.replace(candidate, url, _local_now())
    click.echo("Basis data hub dipulihkan." + (f" Basis data lama disimpan di {aside}." if aside else ""))
    newest = _newest_days(url)
    if newest:
        click.echo("Dokumen yang diterima hub setelah cadangan ini dibuat tidak ada di dalamnya, padahal "
                   "gerai mencatatnya terkirim. Minta tiap gerai mengirim ulang (Buku besar → Kirim ulang, "
                   "atau pos ledger resend --from TANGGAL); hub menyimpan tiap dokumen sekali:")
        for code, day in newest:
            click.echo(f"  {code}: " + (f"sejak {day:%d-%m-%Y}" if day else "semua (belum ada dokumennya)"))


def _newest_days(url: URL) -> list[tuple[str, date | None]]:
    """Each active outlet with the newest business day the restored hub holds of it (None: no
    document of it)."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(
                select(HubOutlet.code, func.max(HubDocument.business_date))
                .outerjoin(HubDocument, HubDocument.outlet_code == HubOutlet.code)
                .where(HubOutlet.active.is_(True)).group_by(HubOutlet.code).order_by(HubOutlet.code))]
    finally:
        engine.dispose()
