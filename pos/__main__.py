"""The ``pos`` command (also ``python -m pos``): the CLI groups of ``pos.cli`` on a CLI app."""
from __future__ import annotations


def main() -> None:
    from flask.cli import FlaskGroup

    from pos.app import create_app

    FlaskGroup(create_app=lambda: create_app({"CLI": True}), add_default_commands=True,
               help="Gerai POS.").main(prog_name="pos")


if __name__ == "__main__":
    main()
