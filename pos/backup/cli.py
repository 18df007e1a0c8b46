"""``pos backup`` and ``pos restore``: the SQLite database copied out while the tills sell,
and put back after confirmation. PostgreSQL is backed up with ``pg_dump``, not here."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from pos import db
from pos.backup import copy, record, restore, rotation, usb
from pos.backup.errors import BackupError
from pos.clock import to_local, utcnow

USB_FOLDER = "gerai-pos-cadangan"
PG_MESSAGE = ("pos {command} hanya untuk basis data SQLite. Basis data ini PostgreSQL: "
              "cadangkan dengan `pg_dump -Fc` dan pulihkan dengan `pg_restore`.")


def _live(command: str) -> Path:
    url = db.get_db().engine.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        raise click.ClickException(PG_MESSAGE.format(command=command))
    return Path(url.database)


@click.command("backup")
@click.option("--to", "target", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the backups (default: the instance folder's backup/).")
@click.option("--usb-label", help="Write to the USB drive with this label (must be mounted).")
@with_appcontext
def backup_command(target: Path | None, usb_label: str | None) -> None:
    """Copy the live SQLite database (online), verify, compress and rotate the backups."""
    live = _live("backup")
    instance = current_app.instance_path
    now = utcnow()
    local = to_local(now, current_app.config["TIMEZONE"]).replace(tzinfo=None)
    try:
        if usb_label and target:
            raise BackupError("Pilih salah satu: --to atau --usb-label.")
        directory = usb.mount_point(usb_label).joinpath(USB_FOLDER) if usb_label else \
            target or Path(instance) / "backup"
        made = copy.take(live, directory, local)
        gone = rotation.rotate(directory, local.date())
    except BackupError as error:
        record.failed(instance, now, error.message)
        raise click.ClickException(error.message) from None
    except Exception as error:
        record.failed(instance, now, f"Kesalahan tak terduga: {error}.")
        raise
    record.succeeded(instance, now, made.path)
    click.echo(f"Cadangan dibuat: {made.path} ({made.size // 1024} KB, "
               f"penjualan terakhir id {made.latest_sale or '-'}).")
    if gone:
        click.echo(f"Cadangan lama dihapus: {len(gone)}.")


@click.command("restore")
@click.argument("backup_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (for scripts).")
@with_appcontext
def restore_command(backup_file: Path, yes: bool) -> None:
    """Replace the live SQLite database with BACKUP_FILE; the old one is kept aside."""
    live = _live("restore")
    engine = db.get_db().engine
    known, head = restore.known_revisions(db.migrations_config(engine))
    try:
        candidate = restore.inspect(backup_file, live.parent, known)
    except BackupError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Cadangan {backup_file.name}: {candidate.sales} penjualan, "
               f"skema {candidate.revision or '-'}.")
    if not yes and not click.confirm(f"Ganti basis data {live} dengan cadangan ini? "
                                     "Hentikan dulu aplikasi kasir.", default=False):
        restore.discard(candidate)
        raise click.ClickException("Dibatalkan. Tidak ada yang diubah.")
    engine.dispose()
    try:
        aside = restore.replace(candidate, live, to_local(utcnow(), current_app.config["TIMEZONE"]))
    except BackupError as error:
        raise click.ClickException(error.message) from None
    click.echo("Basis data dipulihkan." + (f" Basis data lama disimpan di {aside}." if aside else ""))
    if candidate.revision is not None and candidate.revision != head:
        click.echo("Cadangan ini dari skema lebih lama: jalankan `pos db upgrade` sebelum membuka kasir.")
