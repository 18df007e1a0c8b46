"""The ``pos`` command (also ``python -m pos``): the CLI groups of ``pos.cli`` on a CLI app, in
Indonesian (``pos.root_cli``)."""
from __future__ import annotations

import sys


def load_app():
    """The CLI's app; a setting it cannot start with ends the command with its message.

    Flask loads the app from more than one place (``pos --help`` lists the commands inside a
    catch-all that prints a traceback and goes on), so the message and exit happen here."""
    from pos.app import create_app
    from pos.errors import PosError

    try:
        return create_app({"CLI": True})
    except PosError as error:   # e.g. POS_TIMEZONE that is no zone: its message, no traceback
        sys.exit(f"Galat: {error}")


def main() -> None:
    from pos.errors import PosError
    from pos.root_cli import PosCommandLine

    try:
        PosCommandLine(create_app=load_app).main(prog_name="pos")
    except PosError as error:   # raised outside a command group's own handling: no traceback either
        sys.exit(f"Galat: {error}")


if __name__ == "__main__":
    main()
