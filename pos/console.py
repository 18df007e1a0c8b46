"""Asking at the terminal, in Indonesian: a leaf module, so any package's CLI may use it."""
from __future__ import annotations

import click


def ask_secret(text: str, again: str, default: str | None = None) -> str:
    """A hidden value typed twice until both agree, asked in Indonesian (click's own
    confirmation prompt and its mismatch message are English)."""
    while True:
        first = click.prompt(text, default=default, show_default=False, hide_input=True)
        second = click.prompt(again, default=default, show_default=False, hide_input=True)
        if first == second:
            return first
        click.echo("Galat: kedua isian tidak sama; ketik sekali lagi.", err=True)


class Galat(click.ClickException):
    """A command's refusal, printed as one line in Indonesian: ``Galat: …`` on stderr, exit 1
    (click's own prints ``Error: …``)."""

    def show(self, file=None) -> None:
        click.echo(f"Galat: {self.format_message()}", file=file, err=file is None)
