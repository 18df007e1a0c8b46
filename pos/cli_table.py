"""Every ``pos`` command by its name, each imported only when asked for.

``pos backup`` (the nightly timer) or ``pos ledger push`` imports its own command module, not
the other twenty-odd, whose imports (the hub's app, the hardware adapters, the closing and
report services) a command line paid for before running any command. ``pos --help`` lists
them all, and so imports them all. A group whose subcommands live in other modules gets them
when it is loaded (``members`` the accounts' commands, ``ledger-hub`` its ``shu``, backups and
credentials).
"""
from __future__ import annotations

from collections.abc import Callable

import click


def _db():
    from pos.cli import db_cli
    return db_cli


def _init():
    from pos.cli import init_command
    return init_command


def _demo():
    from pos.cli import demo_command
    return demo_command


def _user():
    from pos.auth.cli import user_cli
    return user_cli


def _report():
    from pos.reports.cli import report_cli
    return report_cli


def _products():
    from pos.inventory.catalog.cli import products_cli
    return products_cli


def _hardware():
    from pos.devices.cli import hardware_cli
    return hardware_cli


def _inventory():
    from pos.inventory.catalog.cli import export_command, import_command
    from pos.inventory.cli import inventory_cli
    inventory_cli.add_command(import_command)
    inventory_cli.add_command(export_command)
    return inventory_cli


def _members():
    from pos.members.accounts.cli import accounts_cli
    from pos.members.cli import members_cli
    for command in accounts_cli.commands.values():  # balance / savings / purchases / opening-savings
        members_cli.add_command(command)
    return members_cli


def _qris():
    from pos.payments.cli import qris_cli
    return qris_cli


def _till():
    from pos.tills.cli import till_cli
    return till_cli


def _het():
    from pos.het.cli import het_cli
    return het_cli


def _fertilizer():
    from pos.fertilizer.cli import fertilizer_cli
    return fertilizer_cli


def _lpg():
    from pos.lpg.cli import lpg_cli
    return lpg_cli


def _returns():
    from pos.returns.cli import returns_cli
    return returns_cli


def _shift():
    from pos.shifts.cli import shift_cli
    return shift_cli


def _day():
    from pos.closing.cli import day_cli
    return day_cli


def _ledger():
    from pos.ledger.cli import ledger_cli
    return ledger_cli


def _ledger_hub():
    from pos.ledger_hub import backup_cli as hub_backup
    from pos.ledger_hub import credentials_cli
    from pos.ledger_hub.cli import ledger_hub_cli, operator_cli, outlet_cli
    from pos.ledger_hub.shu_cli import shu_cli
    for command in (shu_cli, hub_backup.backup_command, hub_backup.restore_command):
        ledger_hub_cli.add_command(command)
    for group, commands in ((outlet_cli, credentials_cli.OUTLET_COMMANDS),   # outlet deactivate / ...
                            (operator_cli, credentials_cli.OPERATOR_COMMANDS)):  # operator list / ...
        for command in commands:
            group.add_command(command)
    return ledger_hub_cli


def _backup():
    from pos.backup.cli import backup_command
    return backup_command


def _restore():
    from pos.backup.cli import restore_command
    return restore_command


def _doctor():
    from pos.health_checks.cli import doctor_command
    return doctor_command


# The command's name (as typed after ``pos``) -> what imports it, in the order help lists them.
COMMANDS: dict[str, Callable[[], click.Command]] = {
    "db": _db, "user": _user, "report": _report, "products": _products, "hardware": _hardware,
    "inventory": _inventory, "members": _members, "qris": _qris, "till": _till, "init": _init,
    "demo": _demo, "het": _het, "fertilizer": _fertilizer, "lpg": _lpg, "returns": _returns,
    "shift": _shift, "day": _day, "ledger": _ledger, "ledger-hub": _ledger_hub, "backup": _backup,
    "restore": _restore, "doctor": _doctor,
}


def command(name: str) -> click.Command | None:
    """The command ``name``, imported now; None for a name that is no ``pos`` command."""
    load = COMMANDS.get(name)
    return None if load is None else load()


def all_commands() -> list[click.Command]:
    """Every ``pos`` command group and command, their subcommands wired."""
    return [load() for load in COMMANDS.values()]
