"""The base of every ``pos`` command group (``CommandGroup``): a command's ``PosError`` is shown as
one line in Indonesian (``Galat: …``, ``pos.console``), never a traceback; and of the command
lines that run them (``ExplainsDatabase``): a database a command cannot use is one line too."""
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


class ExplainsDatabase:
    """Mixin for a command line (``pos`` itself, ``root_cli``; the app's ``app.cli``, which the
    tests' runner and ``flask`` use): a command that fails on a database it cannot use (before
    ``pos init``: "no such table"; an older schema; a file SQLite cannot open) ends with one
    ``Galat`` line saying what to run, instead of SQLAlchemy's traceback. Any other database
    error is raised as it was."""

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


def database_problem(ctx: click.Context, error: DBAPIError) -> str | None:
    """What to do about ``error``, judged by the database of the command's app; None when the
    database is as this code expects (then ``error`` is something else)."""
    from sqlalchemy import inspect

    from pos.db import current_revision, get_db, migration_revisions
    from pos.errors import damaged, damaged_file, database_unreachable, storage_problem

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
    known, heads = migration_revisions()
    if revision is None and not has_sales:
        return "Basis data masih kosong: jalankan pos init."
    if revision is not None and revision not in known:
        return f"Basis data dari versi aplikasi yang lebih baru (revisi {revision}): perbarui aplikasi dulu."
    if revision is not None and revision not in heads:
        return f"Skema basis data belum mutakhir (revisi {revision}): jalankan pos db upgrade."
    return None
