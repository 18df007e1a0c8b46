"""``pos user ...``: staff accounts from the command line (add, new PIN, deactivate)."""
from __future__ import annotations

import click

from pos import db
from pos.auth.service import create_user, deactivate_user, find_user, set_pin
from pos.web import CommandGroup

user_cli = CommandGroup("user", help="Akun staf.")


@user_cli.command("add")
@click.argument("username")
@click.option("--name", "full_name", default="", help="Full name shown on receipts.")
@click.option("--role", type=click.Choice(["cashier", "clerk", "manager", "admin"]), required=True)
@click.option("--pin", prompt=True, hide_input=True, confirmation_prompt=True,
              help="4-8 digits; asked for when omitted.")
def user_add(username: str, full_name: str, role: str, pin: str) -> None:
    """Create a staff account."""
    with db.transaction() as session:
        user = create_user(session, username, full_name, role, pin)
    click.echo(f"Staf {user.username} ({user.role.label}) dibuat.")


@user_cli.command("pin")
@click.argument("username")
@click.option("--pin", prompt=True, hide_input=True, confirmation_prompt=True,
              help="4-8 digits; asked for when omitted.")
def user_pin(username: str, pin: str) -> None:
    """Give a staff member a new PIN; their open sessions end."""
    with db.transaction() as session:
        ended = set_pin(session, find_user(session, username), pin)
    click.echo(f"PIN {username} diganti; {ended} sesi diakhiri.")


@user_cli.command("deactivate")
@click.argument("username")
def user_deactivate(username: str) -> None:
    """Stop a staff member from logging in; their open sessions end now."""
    with db.transaction() as session:
        ended = deactivate_user(session, find_user(session, username))
    click.echo(f"Staf {username} dinonaktifkan; {ended} sesi diakhiri.")
