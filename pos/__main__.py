"""The ``pos`` command (also ``python -m pos``): the CLI groups of ``pos.cli`` on a CLI app, in
Indonesian (``pos.root_cli``)."""
from __future__ import annotations

import sys

# The commands that may make the outlet's data folder (POS_INSTANCE_PATH): a new outlet's ``pos
# init``, ``pos demo`` (``make run`` runs both) and the ledger hub, whose own database needs no
# ``pos init``. Any other command on a folder that is not there stops: on a mistyped path it made a
# new, empty outlet (a database, a secret key) and reported on that one.
MAKE_THE_FOLDER = ("init", "demo", "ledger-hub")
# And those that may make the outlet's SQLite file: ``pos init`` and ``pos demo`` of a new outlet
# (and the hub's commands, whose database is another). Any other command on a file that is not
# there (moved away, a disk not mounted) says so, never makes it empty (``pos.db.make_engine``);
# ``pos restore`` writes it from the backup itself.
MAKE_THE_DATABASE = MAKE_THE_FOLDER


def load_app():
    """The CLI's app; a setting it cannot start with ends the command with its message, and so
    does a data folder that is not there (but for ``MAKE_THE_FOLDER``).

    Flask loads the app from more than one place (``pos --help`` lists the commands inside a
    catch-all that prints a traceback and goes on), so the message and exit happen here."""
    import click

    from pos.app import create_app
    from pos.errors import PosError

    context = click.get_current_context(silent=True)
    command = context.find_root().invoked_subcommand if context is not None else None
    try:
        return create_app({"CLI": True, "INSTANCE_MUST_EXIST": command not in MAKE_THE_FOLDER,
                           "DATABASE_MUST_EXIST": command not in MAKE_THE_DATABASE})
    except PosError as error:   # e.g. POS_TIMEZONE that is no zone: its message, no traceback
        sys.exit(f"Galat: {error}")


def main() -> None:
    import logging

    from pos.errors import PosError
    from pos.root_cli import PosCommandLine

    # A refused write (read-only, disk full) is logged for the server's journal, then a command says
    # it as its own Galat line: with no logging set up, Python's last resort printed the log line
    # too, in English ("Tulis ditolak: attempt to write a readonly database").
    logging.getLogger("pos.db").addHandler(logging.NullHandler())
    # So is the WAL checkpointer's line on a file it cannot open (damaged): the command's own Galat
    # line says it, and the server's journal still gets it (only the command line sets this).
    logging.getLogger("pos.wal").addHandler(logging.NullHandler())

    try:
        PosCommandLine(create_app=load_app).main(prog_name="pos")
    except PosError as error:   # raised outside a command group's own handling: no traceback either
        sys.exit(f"Galat: {error}")


if __name__ == "__main__":
    main()
