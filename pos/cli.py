"""The ``pos`` command's own groups: the schema (``pos db``), set-up (``pos init``) and the demo.

The domain groups live beside their services (``pos.auth.cli``,
``pos.inventory.cli``, ``pos.inventory.catalog.cli``, ``pos.reports.cli``,
``pos.devices.cli``); ``pos.app`` registers all of them by name.  Commands are as
thin as views: parse arguments, run one service inside ``transaction()`` (or a
read session), print the result.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from pos import db
from pos.console import Galat
from pos.group_cli import CommandGroup

db_cli = CommandGroup("db", help="Skema basis data.")
DEMO_WORDS = {"users": "staf", "tills": "mesin kasir", "products": "barang", "members": "anggota",
              "suppliers": "pemasok", "sales": "penjualan"}


def data_to_fix() -> None:
    """After an upgrade, what the data still needs by hand: member numbers a revision could not
    write in capitals (0032: another member has them so) and codes held twice.  Printed, not
    only left for ``pos doctor`` and the manager's home page."""
    from pos.health_checks.catalog import codes, member_numbers
    from pos.health_checks.check import Level

    with db.get_db().reading() as session:
        for check in (member_numbers(session), codes(session)):
            if check.level is not Level.OK:
                click.echo(f"Perhatian: {check.problem}\n{check.fix}")


def upgrade_here(before_change=None):
    """The outlet's database upgraded to this code's head; one made by a newer version is refused
    (Alembic's "Can't locate revision" traceback), nothing changed. ``before_change(engine,
    mismatch)`` runs first when an older schema will change. Returns the engine."""
    from pos.migrate import mismatch

    engine = db.get_db().engine
    found = mismatch(engine)
    if found is not None and found.newer:
        raise Galat(f"{found.message} Tidak ada yang diubah.")
    if found is not None and before_change is not None:
        before_change(engine, found)
    db.upgrade(engine)
    return engine


def back_up_before(engine, found) -> None:
    """The database as it is, backed up (``pos.backup.run.aside``: as ``pos backup`` does, SQLite's
    backup API or pg_dump, checked) into ``backup/pembaruan-<from>-<to>/``, which the rotation of
    the daily backups never touches (a later backup that day removed ``pos backup``'s own, the
    only one of the old schema); no backup, no upgrade."""
    from pos.backup import run
    from pos.backup.errors import BackupError
    from pos.clock import utcnow

    folder = Path(current_app.instance_path) / "backup" / f"pembaruan-{found.revision}-{found.head}"
    try:
        made = run.aside(engine, folder, now=utcnow(), zone=current_app.config["TIMEZONE"])
    except BackupError as error:
        raise Galat(f"Cadangan sebelum pembaruan gagal: {error.message} Skema tidak diubah "
                    f"({found.revision}). Perbaiki dulu, atau ulangi dengan --no-backup bila basis data "
                    "sudah dicadangkan.") from None
    click.echo(f"Cadangan sebelum pembaruan dibuat: {made.path} ({made.size // 1024} KB); cadangan "
               "harian tidak menghapusnya.")


def said_upgrade(engine, before: str | None) -> str:
    """What ``pos db upgrade`` did: from which revision to which, and how many steps, or nothing
    (each revision is numbered one after the one it revises, ``pos.migrate.revisions_by_name``)."""
    after = db.current_revision(engine)
    if before == after:
        return f"Skema sudah mutakhir ({after}); tidak ada yang diubah."
    steps = int(after) - int(before or 0)
    if before is None:
        return f"Skema basis data dibuat ({after}, {steps} revisi)."
    return f"Skema diperbarui dari {before} ke {after} ({steps} revisi)."


@db_cli.command("upgrade")
@click.option("--no-backup", is_flag=True,
              help="Jangan cadangkan dulu: hanya bila basis data baru saja dicadangkan (kiosk/install.sh "
                   "mencadangkannya sendiri).")
def db_upgrade(no_backup: bool) -> None:
    """Perbarui skema basis data ke versi terbaru (aman dijalankan ulang).

    Bila skemanya akan berubah, basis data dicadangkan dulu (seperti pos backup) ke
    backup/pembaruan-LAMA-BARU/ di folder instance, yang tidak pernah dirotasi; bila cadangan
    gagal, skema tidak diubah (kecuali dengan --no-backup)."""
    before = db.current_revision(db.get_db().engine)
    engine = upgrade_here(None if no_backup else back_up_before)
    click.echo(said_upgrade(engine, before))
    data_to_fix()


@db_cli.command("current")
def db_current() -> None:
    """Tampilkan revisi skema, atau tidak menampilkan apa pun bila basis data belum berskema
    (penginstal menanyakannya sebelum pemasangan pertama di atas data lama: data itu dicadangkan
    dulu)."""
    revision = db.current_revision(db.get_db().engine)
    if revision:
        click.echo(revision)


def ensure_reference_data(session) -> list[str]:
    """The default till and the outlet's receipt counter; no credentials."""
    from pos.sales import numbering
    from pos.tills import service as tills

    made = []
    if not tills.has_till(session) and tills.ensure_till(session, "KASIR-1", "Kasir 1"):
        made.append("kasir KASIR-1")
    code = current_app.config["OUTLET_CODE"]
    if numbering.ensure_sequence(session, code):
        made.append(f"nomor struk {code}")
    return made


@click.command("init")
@click.option("--pkp/--no-pkp", default=None,
              help="Gerai PKP (memungut PPN) atau bukan; tanpa keduanya, pilihan yang tersimpan tetap"
                   " dipakai (gerai baru bukan PKP kecuali POS_PKP=true).")
@with_appcontext  # AppGroup commands get this for free; plain ones need it outside FlaskGroup
def init_command(pkp: bool | None) -> None:
    """Siapkan basis data dan buat kasir bawaan serta nomor struk. Tidak membuat akun staf: gunakan
    `pos user add`."""
    from pos.auth.staff import any_staff
    from pos.settings import service as settings

    upgrade_here()
    with db.transaction() as session:
        made = ensure_reference_data(session)
        if pkp is not None:
            settings.put_pkp(session, pkp, None, current_app.config)
        taxed = settings.pkp(session, current_app.config)
        staffed = any_staff(session)
    click.echo("Basis data siap." + (f" Dibuat: {', '.join(made)}." if made else ""))
    click.echo("Gerai PKP: PPN dipungut." if taxed else "Gerai bukan PKP: tanpa PPN.")
    data_to_fix()
    if not staffed:
        click.echo(next_steps(Path(current_app.instance_path) / "pos.cfg"))


OUTLET_KEYS = (("OUTLET_CODE", "kode gerai di struk dan nomor struk, mis. \"KOP01\""),
               ("OUTLET_NAME", "nama gerai di struk"), ("OUTLET_ADDRESS", "alamat di struk"),
               ("OUTLET_NPWP", "NPWP koperasi"),
               ("CASH_ROUNDING", "koin terkecil untuk kembalian, mis. 100"),
               ("HET_ZONE", "zona HET gerai, \"1\", \"2\" atau \"3\""))


def next_steps(cfg: Path) -> str:
    """What a new gerai (no staff account yet) needs after ``pos init``: its first manager, and
    its settings in the instance's pos.cfg, but those its environment already gives (``POS_KEY``,
    which win: on the mini-PC the installer's ``/etc/gerai-pos/pos.env``, where the command is
    ``sudo gerai-pos``)."""
    from pos import config

    installed = config.ENV_FILE.exists()
    command = "sudo gerai-pos" if installed else "pos"
    given = [key for key, _ in OUTLET_KEYS if f"POS_{key}" in os.environ]
    lines = ["Langkah berikutnya:", "  1. Buat manajer pertama (PIN 4-8 angka ditanyakan):",
             f'     {command} user add NAMA --role manager --name "Nama Lengkap"']
    missing = [f"     {key}: {what}" for key, what in OUTLET_KEYS if key not in given]
    if missing:
        lines += [f"  2. Tulis setelan gerai di {cfg}, satu per baris NAMA = nilai (teks di antara tanda "
                  'kutip, mis. OUTLET_NAME = "Koperasi Desa Maju"):', *missing]
    if given:
        where = config.ENV_FILE if installed else "lingkungan server"
        lines.append(f"  {2 + bool(missing)}. Sudah diberikan sebagai POS_… di {where}, yang menang atas "
                     f"pos.cfg (ubah di sana bila perlu): {', '.join(given)}.")
    lines.append(f"     Lalu mulai ulang server dan periksa dengan {command} doctor.")
    return "\n".join(lines)


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Hanya bila basis data belum berisi barang atau staf.")
@with_appcontext
def demo_command(if_empty: bool) -> None:
    """Isi basis data dengan gerai demo (barang, anggota, staf demo)."""
    from pos.demo import seed
    from pos.het.service import zone_of

    upgrade_here()
    with db.transaction() as session:
        ensure_reference_data(session)
        if not seed.is_empty(session):
            click.echo("Basis data sudah berisi data; data demo tidak ditambahkan.")
            if not if_empty:
                sys.exit(1)
            return
        # the SPHP pack is priced for the outlet's HET zone (POS_HET_ZONE; make run: 2)
        summary = seed.seed_demo(session, het_zone=zone_of(current_app.config),
                                 config=current_app.config)
    shown = ", ".join(f"{DEMO_WORDS.get(k, k)} {v}" for k, v in summary.items())
    click.echo(f"Data demo dibuat (yang baru): {shown}.")
    from pos.demo.history_sales import CASH_ROUNDING  # the demo's past is rounded: the till should be
    if current_app.config["CASH_ROUNDING"] != CASH_ROUNDING:
        click.echo(f"Catatan: riwayat demo membulatkan tunai ke Rp{CASH_ROUNDING}; agar kasir sama, tulis "
                   f"CASH_ROUNDING = {CASH_ROUNDING} di {Path(current_app.instance_path) / 'pos.cfg'} "
                   "(make run menulisnya), lalu mulai ulang server.")
