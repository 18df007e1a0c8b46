"""``pos ledger-hub backup`` and ``restore``: the hub's PostgreSQL database dumped while
outlets keep pushing, and put back after confirmation, through the outlet's own
``pos.backup.pg_dump`` and ``pos.backup.pg_restore`` with the hub's newest document as the
anchor and ``hub-`` names rotated apart from an outlet's backups."""
from __future__ import annotations

from datetime import datetime, timedelta
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
from pos.clock import to_local, utcnow, zone_abbreviation
from pos.console import Galat
from pos.ledger_hub.cli import hub_database, hub_url
from pos.ledger_hub.models import SCHEMA_VERSION, HubDocument, HubOutlet
from pos.ledger_hub.protocol import WINDOW_SECONDS
from pos.ledger_hub.shu_runs import BOOK_ZONE

HUB_PREFIX = "hub-"   # hub-YYYYMMDD-HHMMSS.pgdump: never taken for an outlet's backup
KNOWN_VERSIONS = {str(version) for version in range(1, SCHEMA_VERSION + 1)}
# An outlet's clock may be this far from the hub's (``protocol.WINDOW_SECONDS``): what it sent
# after the backup's newest document may carry an earlier ``sent_at`` by as much.
MARGIN_MINUTES = WINDOW_SECONDS // 60


def _postgresql(command: str) -> URL:
    url = make_url(hub_url())
    if url.get_backend_name() != "postgresql":
        raise Galat(f"pos ledger-hub {command} hanya untuk hub di PostgreSQL "
                                   "(POS_LEDGER_DATABASE_URL); hub SQLite cukup disalin saat berhenti.")
    return url


def _local_now():
    """The hub's clock: the books' zone (WIB), in which its screens and the restore's resend moment
    speak, whatever zone the outlets are in; its backups are named and rotated by it."""
    return to_local(utcnow(), BOOK_ZONE).replace(tzinfo=None)


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
    since = _resend_since(url)
    if since:
        click.echo("Dokumen yang diterima hub setelah cadangan ini dibuat tidak ada di dalamnya, padahal "
                   "gerai mencatatnya terkirim (juga hari yang ditutup belakangan dengan tanggal usaha "
                   "lebih awal). Minta tiap gerai mengirim ulang dokumen yang terkirim sejak saat di "
                   f"bawah ({MARGIN_MINUTES} menit sebelum dokumen terakhirnya di cadangan ini diterima, "
                   "untuk selisih jam gerai): Buku besar → Kirim ulang yang terkirim sejak, atau perintah "
                   "di bawah; hub menyimpan tiap dokumen sekali:")
        for code, moment in since:
            click.echo(f"  {code}: {_resend_words(moment)}")


def _resend_words(moment: datetime | None) -> str:
    if moment is None:
        return "semua dokumennya (cadangan ini belum memuat dokumen apa pun): pos ledger resend --from " \
               "01-01-2000; pos ledger push"
    shown = f"{to_local(moment, BOOK_ZONE):%d-%m-%Y %H:%M} {zone_abbreviation(BOOK_ZONE)}"
    return f'terkirim sejak {shown}: pos ledger resend --sent-since "{shown}"; pos ledger push'


def _resend_since(url: URL) -> list[tuple[str, datetime | None]]:
    """Each active outlet with the moment from which it sends again: the newest document the
    restored hub holds of it was received then (of an outlet with none, the newest of any: the
    backup was made after it), less the clock difference the hub lets an outlet have and cut to
    the minute, as the outlet's ``sent_at`` is its own clock's. None: the backup holds no
    document at all."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            anyone = conn.scalar(select(func.max(HubDocument.received_at)))
            rows = conn.execute(
                select(HubOutlet.code, func.max(HubDocument.received_at))
                .outerjoin(HubDocument, HubDocument.outlet_code == HubOutlet.code)
                .where(HubOutlet.active.is_(True)).group_by(HubOutlet.code).order_by(HubOutlet.code)).all()
    finally:
        engine.dispose()
    return [(code, _earlier(newest or anyone)) for code, newest in rows]


def _earlier(received: datetime | None) -> datetime | None:
    if received is None:
        return None
    return (received - timedelta(minutes=MARGIN_MINUTES)).replace(second=0, microsecond=0)
