"""The ``pos`` command (also ``python -m pos``): the CLI groups of ``pos.cli`` on a CLI app."""
from __future__ import annotations


def main() -> None:
    import sys

    from flask.cli import FlaskGroup

    from pos.app import create_app
    from pos.errors import PosError

    try:
        FlaskGroup(create_app=lambda: create_app({"CLI": True}), add_default_commands=True,
                   help="Gerai POS.").main(prog_name="pos")
    except PosError as error:   # e.g. a setting the app cannot start with: its message, no traceback
        sys.exit(f"Galat: {error}")


if __name__ == "__main__":
    main()
