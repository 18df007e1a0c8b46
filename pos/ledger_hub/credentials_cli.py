"""``pos ledger-hub outlet deactivate|activate|rotate`` and ``operator list|deactivate|activate|password``:
taking back (or giving back) what ``outlet add`` and ``operator add`` gave (``pos.app`` adds
them to the ``outlet`` and ``operator`` groups)."""
from __future__ import annotations

import json

import click

from pos.clock import utc_iso, utcnow
from pos.console import ask_secret
from pos.group_cli import CommandGroup
from pos.ledger_hub import operators, outlets
from pos.ledger_hub.cli import hub_database, show_credentials

_outlets, _operators = CommandGroup("outlet"), CommandGroup("operator")


@_outlets.command("deactivate")
@click.argument("code")
def outlet_deactivate(code: str) -> None:
    """Tolak kiriman gerai CODE (403) mulai permintaan berikutnya; dokumennya tetap tersimpan."""
    with hub_database() as database, database.transaction() as session:
        outlet = outlets.set_active(session, code, False)
    click.echo(f"Gerai {outlet.code} dinonaktifkan; kirimannya ditolak mulai permintaan berikutnya.")


@_outlets.command("activate")
@click.argument("code")
def outlet_activate(code: str) -> None:
    """Terima lagi kiriman gerai CODE (dengan kredensial yang dipegangnya sekarang)."""
    with hub_database() as database, database.transaction() as session:
        outlet = outlets.set_active(session, code, True)
    click.echo(f"Gerai {outlet.code} aktif kembali.")


@_outlets.command("rotate")
@click.argument("code")
def outlet_rotate(code: str) -> None:
    """Beri gerai CODE token dan rahasia baru (ditampilkan sekali); yang lama tidak berlaku lagi
    mulai permintaan berikutnya."""
    with hub_database() as database, database.transaction() as session:
        issued = outlets.rotate(session, code)
    show_credentials(issued, f"Token dan rahasia lama gerai {issued.code} tidak berlaku lagi. "
                             "Ganti kedua baris di gerai itu; hub tidak bisa menampilkannya lagi.")


@_operators.command("list")
@click.option("--json", "as_json", is_flag=True, help="Keluaran untuk mesin (JSON).")
def operator_list(as_json: bool) -> None:
    """Operator yang boleh masuk ke layar hub."""
    with hub_database() as database, database.reading() as session:
        rows = [{"username": o.username, "active": o.active,
                 "created_at": utc_iso(o.created_at, "seconds")}
                for o in operators.listing(session)]
    if as_json:
        click.echo(json.dumps(rows))
        return
    for row in rows:
        click.echo(f"{row['username']:<40} {'aktif' if row['active'] else 'nonaktif'}")
    if not rows:
        click.echo("Belum ada operator; tambahkan dengan `pos ledger-hub operator add NAMA`.")


@_operators.command("deactivate")
@click.argument("name")
def operator_deactivate(name: str) -> None:
    """Hentikan operator NAME dari masuk; sesinya yang terbuka langsung berakhir."""
    with hub_database() as database, database.transaction() as session:
        operator = operators.set_active(session, name, False, utcnow())
    click.echo(f"Operator {operator.username} dinonaktifkan; sesinya yang terbuka berakhir.")


@_operators.command("activate")
@click.argument("name")
def operator_activate(name: str) -> None:
    """Izinkan operator NAME masuk lagi (dengan kata sandinya)."""
    with hub_database() as database, database.transaction() as session:
        operator = operators.set_active(session, name, True, utcnow())
    click.echo(f"Operator {operator.username} aktif kembali.")


@_operators.command("password")
@click.argument("name")
def operator_password(name: str) -> None:
    """Beri operator NAME kata sandi baru (diketik dua kali); sesinya yang terbuka berakhir."""
    with hub_database() as database:
        with database.reading() as session:
            operators.find(session, name)   # an unknown name is told before any typing
        password = ask_secret("Kata sandi baru", "Ulangi kata sandi baru")
        with database.transaction() as session:
            operator = operators.set_password(session, name, password, utcnow())
    click.echo(f"Kata sandi operator {operator.username} diganti; sesinya yang terbuka berakhir.")


OUTLET_COMMANDS = list(_outlets.commands.values())
OPERATOR_COMMANDS = list(_operators.commands.values())
