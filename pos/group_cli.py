"""The base of every ``pos`` command group (``CommandGroup``): a command's ``PosError`` is shown as
one line in Indonesian (``Galat: …``, ``pos.console``), never a traceback; and of the command
lines that run them (``ExplainsDatabase``): a database a command cannot use is one line too, and
a command that writes is refused on a database of another schema (``pos.migrate.Mismatch``)."""
from __future__ import annotations

import functools
from pathlib import Path

import click
from flask.cli import AppGroup, ScriptInfo
from sqlalchemy.exc import DBAPIError

from pos.console import Galat
from pos.errors import PosError


class CommandGroup(AppGroup):
    """A ``pos`` command group whose commands show a ``PosError`` as a one-line error."""

    def command(self, *args, **kwargs):
        register = super().command(*args, **kwargs)

        def decorate(callback):
            @functools.wraps(callback)
            def run(*call_args, **call_kwargs):
                try:
                    return callback(*call_args, **call_kwargs)
                except PosError as error:
                    raise Galat(error.message) from None
            return register(run)

        return decorate


# Commands on a database of their own (the hub's, POS_LEDGER_DATABASE_URL), not the outlet's.
OWN_DATABASE = ("ledger-hub",)
# What runs on a database of another schema (made by a newer version, or not upgraded yet): the
# commands that mend or keep it (``db upgrade`` backs it up first; ``init`` and ``demo`` upgrade
# it; a newer one they refuse themselves), that report on it, or that use no outlet data; and
# the subcommands that only read. Any other command may write, and is refused before it runs.
ANY_SCHEMA = frozenset({"db", "init", "demo", "backup", "restore", "doctor", "report", "qris",
                        "run", "shell", "routes", *OWN_DATABASE})
READ_ONLY = {"user": {"list"}, "products": {"list"}, "hardware": {"status", "test-print"},
             "inventory": {"export", "verify"}, "het": {"list"}, "fertilizer": {"quota", "report"},
             "members": {"balance", "export", "list", "purchases", "savings"}, "lpg": {"day"},
             "returns": {"list", "voids"}, "shift": {"list", "show"}, "day": {"status"},
             "ledger": {"status", "simkopdes"}, "till": {"list"}}


class ExplainsDatabase:
    """Mixin for a command line (``pos`` itself, ``root_cli``; the app's ``app.cli``, which the
    tests' runner and ``flask`` use): a command that fails on a database it cannot use (before
    ``pos init``: "no such table"; an older schema; a file SQLite cannot open) ends with one
    ``Galat`` line saying what to run, instead of SQLAlchemy's traceback. Any other database
    error is raised as it was.

    A command that may write (not in ``ANY_SCHEMA`` or ``READ_ONLY``) on a database of another
    schema than this code's is refused before it runs, with the same line as that error's
    (``Galat: Basis data dari versi aplikasi yang lebih baru …: perbarui aplikasi dulu.``, or
    ``… belum mutakhir …: jalankan pos db upgrade.``): nothing written by the wrong rules."""

    def resolve_command(self, ctx: click.Context, args: list[str]):
        name, command, rest = super().resolve_command(ctx, args)
        if command is not None and not ctx.resilient_parsing and may_write(name, command, rest):
            from pos.db import get_db

            found = get_db(ctx.ensure_object(ScriptInfo).load_app()).schema.refusal()
            if found is not None:
                raise Galat(found.message)
        return name, command, rest

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except DBAPIError as error:
            if ctx.invoked_subcommand in OWN_DATABASE:   # not the outlet's database: said as it was
                raise
            message = database_problem(ctx, error)
            if message is None:
                raise
            raise Galat(message) from None


def may_write(name: str, command: click.Command, rest: list[str]) -> bool:
    """Whether ``pos NAME REST…`` may write to the outlet's database (its help does not)."""
    if name in ANY_SCHEMA or "--help" in rest:
        return False
    if not isinstance(command, click.Group):
        return True
    sub = next((word for word in rest if not word.startswith("-")), None)
    return sub is not None and sub not in READ_ONLY.get(name, ())


def database_problem(ctx: click.Context, error: DBAPIError) -> str | None:
    """What to do about ``error``, judged by the database of the command's app; None when the
    database is as this code expects (then ``error`` is something else)."""
    from sqlalchemy import inspect

    from pos.db import current_revision, get_db
    from pos.errors import damaged, damaged_file, database_unreachable, missing, storage_problem
    from pos.migrate import Mismatch, revisions_by_name

    if (said := missing(error)) is not None:   # never made empty: it said "masih kosong" and made it
        return said
    if (problem := storage_problem(error)) is not None:   # read-only, disk full, a lock held too long
        return problem                                     # outside pos.db's transaction: a migration
    if damaged(error):   # bytes overwritten: SQLAlchemy's 160 lines ended "disk image is malformed"
        return damaged_file(error)
    info = ctx.find_object(ScriptInfo)
    try:
        engine = get_db(info.load_app()).engine
        if database_unreachable(error):   # PostgreSQL down, restarting, or another address
            url = engine.url
            return (f"Server basis data di {url.host or 'localhost'}:{url.port or 5432} tidak menjawab: "
                    "periksa bahwa PostgreSQL menyala dan POS_DATABASE_URL benar, lalu coba lagi.")
        if "unable to open database file" in str(error.orig):   # SQLite's, of its file
            folder = Path(engine.url.database).parent
            if not folder.is_dir():
                return f"Basis data tidak bisa dibuka: folder {folder} tidak ada."
            return (f"Basis data tidak bisa dibuka: {engine.url.database}. Periksa POS_DATABASE_URL dan "
                    "hak akses foldernya.")
        revision, has_sales = current_revision(engine), inspect(engine).has_table("sale")
    except Exception:   # the database cannot even be asked: its own error says more
        return None
    known, head = revisions_by_name()
    if revision is None and not has_sales:
        return "Basis data masih kosong: jalankan pos init."
    if revision is not None and revision != head:
        return Mismatch(revision, head, newer=revision not in known).message
    return None
