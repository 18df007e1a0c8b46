"""``pos user ...``: staff accounts from the command line (add, list, new PIN, deactivate and
activate again)."""
from __future__ import annotations

import json

import click

from pos import db
from pos.auth import staff
from pos.auth.models import Role
from pos.auth.service import activate_user, create_user, deactivate_user, find_user, set_licence, set_pin
from pos.console import ask_secret
from pos.group_cli import CommandGroup
from pos.text_table import aligned

user_cli = CommandGroup("user", help="Akun staf.")


def ask_pin() -> str:
    return ask_secret("PIN (4-8 angka)", "Ulangi PIN")


@user_cli.command("add")
@click.argument("username")
@click.option("--name", "full_name", default="", help="Nama lengkap yang tercetak di struk.")
@click.option("--role", type=click.Choice(["cashier", "clerk", "manager", "admin", "pharmacist"]),
              required=True, help="Peran staf: cashier (kasir), clerk (petugas stok), manager (manajer),"
                                   " admin, pharmacist (apoteker).")
@click.option("--licence", "licence_no", default="",
              help="Nomor izin apoteker (SIPA), tercetak di struk obat keras.")
@click.option("--pin", help="4-8 angka; ditanyakan bila tidak diisi.")
def user_add(username: str, full_name: str, role: str, pin: str | None, licence_no: str) -> None:
    """Buat akun staf."""
    pin = pin if pin is not None else ask_pin()
    with db.transaction() as session:
        user = create_user(session, username, full_name, role, pin, licence_no)
        unlicensed = user.role is Role.PHARMACIST and user.licence_no is None
    click.echo(f"Staf {user.username} ({user.role.label}) dibuat.")
    if unlicensed:   # may be given later; until then the apoteker cannot approve obat keras
        click.echo(f"Perhatian: {staff.unlicensed_warning(user.full_name)} "
                   f"Isi dengan: pos user licence {user.username} NOMOR-SIPA")


@user_cli.command("licence")
@click.argument("username")
@click.argument("licence_no")
def user_licence(username: str, licence_no: str) -> None:
    """Atur nomor izin apoteker (SIPA); teks kosong menghapusnya."""
    with db.transaction() as session:
        set_licence(session, find_user(session, username), licence_no)
    click.echo(f"SIPA {username}: {licence_no.strip() or '(dihapus)'}.")


@user_cli.command("pin")
@click.argument("username")
@click.option("--pin", help="4-8 angka; ditanyakan bila tidak diisi.")
def user_pin(username: str, pin: str | None) -> None:
    """Beri staf PIN baru; sesinya yang terbuka berakhir."""
    pin = pin if pin is not None else ask_pin()
    with db.transaction() as session:
        ended = set_pin(session, find_user(session, username), pin)
    click.echo(f"PIN {username} diganti; {ended} sesi diakhiri.")


@user_cli.command("deactivate")
@click.argument("username")
def user_deactivate(username: str) -> None:
    """Hentikan staf dari masuk; sesinya yang terbuka langsung berakhir. Manajer atau admin aktif
    terakhir tidak dapat dinonaktifkan."""
    with db.transaction() as session:
        user = find_user(session, username)
        if not user.active:   # nothing to do, and nothing logged again
            click.echo(f"Staf {username} sudah nonaktif; tidak ada yang berubah.")
            return
        ended = deactivate_user(session, user)
    click.echo(f"Staf {username} dinonaktifkan; {ended} sesi diakhiri.")


@user_cli.command("activate")
@click.argument("username")
def user_activate(username: str) -> None:
    """Izinkan staf yang dinonaktifkan masuk lagi, dengan PIN lamanya."""
    with db.transaction() as session:
        user = find_user(session, username)
        if user.active:
            click.echo(f"Staf {username} sudah aktif; tidak ada yang berubah.")
            return
        activate_user(session, user)
    click.echo(f"Staf {username} diaktifkan lagi; masuk dengan PIN lamanya (pos user pin untuk PIN baru).")


@user_cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Keluaran untuk mesin (JSON).")
def user_list(as_json: bool) -> None:
    """Semua akun staf: nama pengguna, nama, peran dan apakah aktif (yang aktif lebih dulu)."""
    with db.get_db().reading() as session:
        rows = staff.listing(session)
    if as_json:
        click.echo(json.dumps([{"username": r.username, "name": r.full_name, "role": r.role.value,
                                "active": r.active} for r in rows], indent=2))
        return
    if not rows:
        click.echo("Belum ada akun staf; buat dengan pos user add NAMA --role manager.")
        return
    click.echo("\n".join(aligned([("NAMA PENGGUNA", "NAMA", "PERAN", "STATUS")] + [
        (r.username, r.full_name, r.role.label, "aktif" if r.active else "nonaktif") for r in rows])))
