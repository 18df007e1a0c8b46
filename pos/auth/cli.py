"""``pos user ...``: staff accounts from the command line."""
from __future__ import annotations

import click

from pos import db
from pos.auth.service import create_user
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
