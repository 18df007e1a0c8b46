"""``pos ledger-hub outlet deactivate|activate|rotate`` and ``operator list|deactivate|activate|password``:
taking back (or giving back) what ``outlet add`` and ``operator add`` gave (``pos.app`` adds
them to the ``outlet`` and ``operator`` groups)."""
from __future__ import annotations

import click

from pos.ledger_hub import outlets
from pos.ledger_hub.cli import hub_database
from pos.web import CommandGroup

_outlets = CommandGroup("outlet")


@_outlets.command("deactivate")
@click.argument("code")
def outlet_deactivate(code: str) -> None:
    """Refuse outlet CODE's pushes (403) from its next request on; its documents stay."""
    with hub_database() as database, database.transaction() as session:
        outlet = outlets.set_active(session, code, False)
    click.echo(f"Gerai {outlet.code} dinonaktifkan; kirimannya ditolak mulai permintaan berikutnya.")


@_outlets.command("activate")
@click.argument("code")
def outlet_activate(code: str) -> None:
    """Accept outlet CODE's pushes again (with the credentials it has now)."""
    with hub_database() as database, database.transaction() as session:
        outlet = outlets.set_active(session, code, True)
    click.echo(f"Gerai {outlet.code} aktif kembali.")


@_outlets.command("rotate")
@click.argument("code")
def outlet_rotate(code: str) -> None:
    """Issue outlet CODE a new token and secret (printed once); the old ones stop working
    from the next request on."""
    with hub_database() as database, database.transaction() as session:
        issued = outlets.rotate(session, code)
    for line in issued.env_lines():
        click.echo(line)
    click.echo(f"Token dan rahasia lama gerai {issued.code} tidak berlaku lagi. Ganti kedua baris "
               "di gerai itu; hub tidak bisa menampilkannya lagi.", err=True)


OUTLET_COMMANDS = list(_outlets.commands.values())
