"""Every ``pos`` command by its name, each imported only when asked for.

``pos backup`` (the nightly timer) or ``pos ledger push`` imports its own command module, not
the other twenty-odd, whose imports (the hub's app, the hardware adapters, the closing and
report services) a command line paid for before running any command. ``pos --help`` lists
them all, and so imports them all. A group whose subcommands live in other modules gets them
when it is loaded (``members`` the accounts' commands, ``ledger-hub`` its ``shu``, backups and
credentials).
"""
from __future__ import annotations

import importlib
from collections.abc import Callable

import click

# The command's name (as typed after ``pos``) -> its module and name there, in the order help
# lists them.
PLACES: dict[str, tuple[str, str]] = {
    "db": ("pos.cli", "db_cli"), "user": ("pos.auth.cli", "user_cli"),
    "report": ("pos.reports.cli", "report_cli"), "products": ("pos.inventory.catalog.cli", "products_cli"),
    "hardware": ("pos.devices.cli", "hardware_cli"), "inventory": ("pos.inventory.cli", "inventory_cli"),
    "members": ("pos.members.cli", "members_cli"), "qris": ("pos.payments.cli", "qris_cli"),
    "till": ("pos.tills.cli", "till_cli"), "init": ("pos.cli", "init_command"),
    "demo": ("pos.cli", "demo_command"), "het": ("pos.het.cli", "het_cli"),
    "fertilizer": ("pos.fertilizer.cli", "fertilizer_cli"), "lpg": ("pos.lpg.cli", "lpg_cli"),
    "returns": ("pos.returns.cli", "returns_cli"), "shift": ("pos.shifts.cli", "shift_cli"),
    "day": ("pos.closing.cli", "day_cli"), "ledger": ("pos.ledger.cli", "ledger_cli"),
    "ledger-hub": ("pos.ledger_hub.cli", "ledger_hub_cli"), "backup": ("pos.backup.cli", "backup_command"),
    "restore": ("pos.backup.cli", "restore_command"), "doctor": ("pos.health_checks.cli", "doctor_command"),
}


def _inventory(group: click.Group) -> None:
    from pos.inventory.catalog.cli import export_command, import_command
    from pos.inventory.opening.cli import opening_stock_command
    group.add_command(import_command)
    group.add_command(export_command)
    group.add_command(opening_stock_command)


def _members(group: click.Group) -> None:
    from pos.members.accounts.cli import accounts_cli
    for command in accounts_cli.commands.values():  # balance / savings / purchases / opening-savings
        group.add_command(command)


def _ledger_hub(group: click.Group) -> None:
    from pos.ledger_hub import backup_cli as hub_backup
    from pos.ledger_hub import credentials_cli
    from pos.ledger_hub.cli import operator_cli, outlet_cli
    from pos.ledger_hub.document_cli import document_cli
    from pos.ledger_hub.shu_cli import shu_cli
    for command in (shu_cli, document_cli, hub_backup.backup_command, hub_backup.restore_command):
        group.add_command(command)
    for sub, commands in ((outlet_cli, credentials_cli.OUTLET_COMMANDS),   # outlet deactivate / ...
                          (operator_cli, credentials_cli.OPERATOR_COMMANDS)):  # operator list / ...
        for command in commands:
            sub.add_command(command)


# The groups whose subcommands live in other modules, wired when the group is loaded.
WIRING: dict[str, Callable[[click.Group], None]] = {
    "inventory": _inventory, "members": _members, "ledger-hub": _ledger_hub}


def command(name: str) -> click.Command | None:
    """The command ``name``, imported now; None for a name that is no ``pos`` command."""
    place = PLACES.get(name)
    if place is None:
        return None
    found = getattr(importlib.import_module(place[0]), place[1])
    if name in WIRING:
        WIRING[name](found)
    return found


def all_commands() -> list[click.Command]:
    """Every ``pos`` command group and command, their subcommands wired."""
    return [command(name) for name in PLACES]
