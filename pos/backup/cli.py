"""``pos backup`` and ``pos restore``: the database copied out while the tills sell, and put
back after confirmation. SQLite through its backup API (``copy``, ``restore``); PostgreSQL
through ``pg_dump`` / ``pg_restore`` (``pg_dump``, ``pg_restore``). Either way the result of
every backup goes to ``record`` for the manager's home page."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from pos import db, server_lock
from pos.backup import days, newer, numbers, outlet, pg, pg_restore, record, restore, run, usb
from pos.backup.errors import BackupError
from pos.clock import to_local, utcnow
from pos.console import Galat, ask_yes_no
from pos.migrate import revisions_by_name

CANCELLED = "Dibatalkan. Tidak ada yang diubah."
SERVER_RUNNING = ("Aplikasi kasir masih berjalan di mesin ini. Hentikan dulu (sudo systemctl stop "
                  "pos-web, atau Ctrl+C pada make run), lalu ulangi. Tidak ada yang diubah.")
# ``--yes`` of every restore command (the outlet's and the ledger hub's)
yes_option = click.option("--yes", is_flag=True, help="Jangan minta konfirmasi (untuk skrip).")


def confirmed(yes: bool, question: str) -> bool:
    """``--yes``, or the operator answered ya to ``question`` (``[y/T]``; the default is tidak)."""
    return yes or ask_yes_no(question)


@contextmanager
def refusals_as_click_errors() -> Iterator[None]:
    """A ``BackupError`` inside ends the command with its message (exit 1, no traceback)."""
    try:
        yield
    except BackupError as error:
        raise Galat(error.message) from None


def say_rotated(gone: list, held: str | None = None) -> None:
    """After a backup: how many older backups the rotation removed, if any, or why it removed
    none (``rotation.Rotated.held``)."""
    if gone:
        click.echo(f"Cadangan lama dihapus: {len(gone)}.")
    if held:
        click.echo(held)


def _backend(command: str) -> str:
    try:
        return run.backend_of(db.get_db().engine, f"pos {command}")
    except BackupError as error:
        raise Galat(error.message) from None


def _refuse_typing_mistakes(target: Path | None, usb_label: str | None) -> None:
    """A command line that asks for no backup that could be made: refused before anything is
    tried, and not recorded as a failed backup (the good backup before it stays the news on the
    home page). Whoever typed it reads the message at once; a timer whose ``--to`` folder went
    missing still shows there, as its last good backup grows old."""
    if usb_label is not None and target is not None:
        raise Galat("Pilih salah satu: --to atau --usb-label. Tidak ada cadangan yang dibuat.")
    if usb_label is not None:
        with refusals_as_click_errors():
            usb.check_label(usb_label)
    if target is not None and not target.is_dir() and not target.parent.is_dir():
        # a mistyped or unmounted place: never made on the internal disk, unseen
        raise Galat(f"Folder {target.parent} tidak ada: periksa namanya. Untuk flashdisk pakai "
                    "--usb-label LABEL, yang memeriksa bahwa flashdisknya terpasang. Tidak ada "
                    "cadangan yang dibuat.")


def _directory(target: Path | None, usb_label: str | None) -> Path:
    if usb_label is not None:   # a drive that is not there: a backup that did not happen
        return usb.mount_point(usb_label).joinpath(usb.FOLDER)
    return target or Path(current_app.instance_path) / "backup"


@click.command("backup")
@click.option("--to", "target", type=click.Path(file_okay=False, path_type=Path),
              help="Folder cadangan (bawaan: folder backup/ di folder instance).")
@click.option("--usb-label", help="Tulis ke flashdisk berlabel ini (harus sudah terpasang).")
@with_appcontext
def backup_command(target: Path | None, usb_label: str | None) -> None:
    """Cadangkan basis data sambil kasir tetap berjualan, periksa, lalu rotasi.

    SQLite: salinan daring lewat backup API, diperiksa dan dikompres (gerai-TANGGAL-JAM.db.gz).
    PostgreSQL: pg_dump --format=custom dalam satu snapshot, diperiksa dengan pg_restore
    (gerai-TANGGAL-JAM.pgdump); kata sandi lewat PGPASSWORD (yang diekspor, atau
    yang tertulis di DATABASE_URL bila ada), tidak pernah di baris perintah. Disimpan
    harian 14 hari dan bulanan 12 bulan; hasilnya tampil di beranda manajer."""
    _refuse_typing_mistakes(target, usb_label)
    _backend("backup")
    instance = current_app.instance_path
    try:
        try:
            directory = _directory(target, usb_label)
        except BackupError as error:   # recorded, as every backup that was tried and failed
            raise run.failed(instance, utcnow(), error) from None
        taken = run.take(db.get_db().engine, instance, directory, now=utcnow(),
                         zone=current_app.config["TIMEZONE"])
    except BackupError as error:
        raise Galat(error.message) from None
    made = taken.made
    click.echo(f"Cadangan dibuat: {made.path} ({made.size // 1024} KB, "
               f"penjualan terakhir id {made.latest_sale or '-'}).")
    say_rotated(taken.gone, taken.held)
    if taken.unrecorded:   # the backup is there and good: said, and the exit stays 0
        click.echo(f"Catatan: {taken.unrecorded}", err=True)


@click.command("restore")
@click.argument("backup_file", type=click.Path(dir_okay=False, path_type=Path))
@yes_option
@click.option(outlet.OPTION, "other_outlet", is_flag=True,
              help="Pulihkan juga cadangan milik gerai lain (kode gerai di nomor notanya bukan "
                   "POS_OUTLET_CODE gerai ini).")
@click.option(days.OPTION, "reopen", is_flag=True,
              help="Pulihkan juga bila cadangan ini membuka lagi hari yang sudah ditutup sesudah "
                   "cadangan dibuat (mungkin sudah terkirim ke hub buku besar).")
@with_appcontext
def restore_command(backup_file: Path, yes: bool, other_outlet: bool, reopen: bool) -> None:
    """Ganti basis data dengan cadangan BACKUP_FILE; basis data lama disimpan.

    Berkas rusak, dari skema yang lebih baru, milik gerai lain (tanpa --gerai-lain), atau yang
    membuka lagi hari yang sudah ditutup sesudah cadangan dibuat (tanpa --buka-hari-lagi)
    ditolak tanpa mengubah apa pun. Cadangan yang lebih baru disisihkan dari rotasi. SQLite: dari
    .db.gz, basis data lama disalin ke pos.db.sebelum-pulih-TANGGAL-JAM; salinan biasa berkas
    basis data yang sedang dipakai (cp pos.db) hanya dengan menjawab pertanyaannya, tanpa --yes,
    dan tidak sama sekali bila berkas -wal-nya ada di sampingnya. PostgreSQL: dari
    .pgdump, dipulihkan ke basis data baru lalu ditukar; yang lama berganti nama menjadi
    NAMA_sebelum_TANGGAL_JAM (hapus dengan DROP DATABASE bila tak diperlukan lagi)."""
    try:
        with server_lock.alone(current_app.instance_path):
            _restore(backup_file, yes, other_outlet, reopen)
    except server_lock.ServerRunning:
        raise Galat(SERVER_RUNNING) from None


def _restore(backup_file: Path, yes: bool, other_outlet: bool, reopen: bool) -> None:
    backend = _backend("restore")
    engine = db.get_db().engine
    known, head = revisions_by_name()
    with refusals_as_click_errors():
        if backend == "postgresql":
            candidate = pg_restore.inspect(backup_file, pg.Target.from_url(engine.url), known)
        else:
            candidate = restore.inspect(backup_file, Path(engine.url.database).parent, known)
    click.echo(f"Cadangan {backup_file.name}: gerai {outlet.shown(candidate.outlets)}, "
               f"{candidate.rows} penjualan, skema {candidate.revision or '-'}.")
    given = numbers.given(engine)   # the numbers already on paper, read before it is replaced
    here = current_app.config["OUTLET_CODE"]
    stranger = outlet.stranger(candidate.outlets, here,
                               outlet.numbered((given or {}).get(outlet.RECEIPTS[0])))
    if stranger and not other_outlet:
        _discard(backend, candidate)
        raise Galat(f"{stranger} Tidak ada yang diubah.")
    theirs = outlet.shown(candidate.outlets)
    if stranger:   # what will happen, before the question: nothing is restored yet
        click.echo(f"Cadangan gerai {theirs} akan dipulihkan di gerai {here} ({outlet.OPTION}).")
    _refuse_reopening(backend, candidate, engine, reopen)
    if getattr(candidate, "live_copy", False):   # SQLite's: a plain copy of a live file
        click.echo(restore.LIVE_COPY.format(name=backup_file.name))
        if yes:   # perhaps incomplete, and nothing tells: a person answers for it, never a script
            _discard(backend, candidate)
            raise Galat(restore.LIVE_COPY_WITH_YES.format(name=backup_file.name))
    if not confirmed(yes, f"Ganti basis data {engine.url.database} dengan cadangan ini? "
                          "Hentikan dulu aplikasi kasir."):
        _discard(backend, candidate)
        raise Galat(CANCELLED)
    engine.dispose()
    carried: list[numbers.Carried | numbers.Stuck] = []

    def before_live(url) -> None:
        if given is not None:
            carried.extend(numbers.carry(url, given))

    now = to_local(utcnow(), current_app.config["TIMEZONE"])
    with refusals_as_click_errors():
        if backend == "postgresql":
            aside = pg_restore.replace(candidate, engine.url, now, before_live)
            kept = f"Basis data lama disimpan di {aside}." if aside else None
        else:
            kept = restore.replace(candidate, Path(engine.url.database), now, before_live)
    click.echo("Basis data dipulihkan" + (f": cadangan gerai {theirs} kini basis data gerai {here}."
                                          if stranger else ".") + (f" {kept}" if kept else ""))
    for raised in carried:
        click.echo(raised.line)
    unrecorded = record.restored(current_app.instance_path, utcnow(), backup_file)
    click.echo("Basis data yang dipulihkan belum dicadangkan: jalankan pos backup setelah memeriksanya.")
    if unrecorded:
        click.echo(f"Catatan: {unrecorded}", err=True)
    _set_aside_newer(backup_file, candidate.newest_sale, now.replace(tzinfo=None))
    if given is None:
        click.echo("Nomor terakhir basis data lama tidak terbaca: periksa bahwa nomor nota berikutnya "
                   "tidak sama dengan nota yang sudah tercetak.")
    if candidate.revision is not None and candidate.revision != head:
        click.echo("Cadangan ini dari skema lebih lama: jalankan `pos db upgrade` sebelum membuka kasir.")


def _refuse_reopening(backend: str, candidate, engine, reopen: bool) -> None:
    """Days closed in the database being replaced and not in the backup (``days``): refused
    without ``--buka-hari-lagi``, said as a warning with it."""
    replaced = days.closed(engine)
    if replaced is None:
        click.echo(days.UNREAD)
        return
    try:
        with refusals_as_click_errors():
            found = days.reopened(replaced, days.pg_closed(candidate.archive, pg.Target.from_url(engine.url))
                                  if backend == "postgresql" else days.sqlite_closed(candidate.plain))
    except BaseException:
        _discard(backend, candidate)
        raise
    if found and not reopen:
        _discard(backend, candidate)
        raise Galat(days.refusal(found))
    if found:
        click.echo(days.warning(found))


def _discard(backend: str, candidate) -> None:
    """The SQLite candidate's decompressed copy, when nothing is restored."""
    if backend == "sqlite":
        restore.discard(candidate)


def _set_aside_newer(backup_file: Path, newest_sale: datetime | None, now: datetime) -> None:
    """The backups newer than the one restored, out of the rotation's way (``newer``)."""
    after = newer.since(backup_file, newest_sale, current_app.config["TIMEZONE"])
    moved, stuck = newer.set_aside(newer.folders(backup_file, current_app.instance_path,
                                                 usb.mounted_folders()), after, backup_file, now,
                                   newer.compared(backup_file, newest_sale))
    for said in (*moved, *stuck):
        click.echo(str(said))
