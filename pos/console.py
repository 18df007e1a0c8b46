"""Asking at the terminal, in Indonesian: a leaf module, so any package's CLI may use it."""
from __future__ import annotations

import sys

import click


def ask_secret(text: str, again: str, default: str | None = None) -> str:
    """A hidden value typed twice until both agree, asked in Indonesian (click's own
    confirmation prompt and its mismatch message are English)."""
    while True:
        first, second = _hidden(text, default), _hidden(again, default)
        if first == second:
            return first
        click.echo("Galat: kedua isian tidak sama; ketik sekali lagi.", err=True)


def _hidden(text: str, default: str | None) -> str:
    """A value typed unseen at a terminal; read as a line from a pipe (a script), where there is
    nothing on a screen to hide and Python's getpass would print its English "Warning: Password
    input may be echoed"."""
    if sys.stdin.isatty():
        return click.prompt(text, default=default, show_default=False, hide_input=True)
    while True:
        click.echo(f"{text}: ", nl=False)
        line = sys.stdin.readline()
        click.echo("")    # the answer is not shown: the next words on their own line
        if not line:      # the end of the input: as click's own prompt, stop
            raise click.Abort()
        value = line.rstrip("\r\n")
        if value or default is not None:
            return value or default


YES, NO = ("y", "ya", "yes"), ("t", "tidak", "n", "no")


def ask_yes_no(question: str) -> bool:
    """``question [y/T]:`` until the answer is ya (``y``, ``ya``) or tidak (``t``, ``tidak``, or
    just Enter: the default); click's own ``confirm`` asks ``[y/N]`` and says "Error: invalid
    input". English ``yes`` / ``n`` / ``no`` are understood too. The end of the input (Ctrl-D,
    a script with nothing more to say) is tidak."""
    while True:
        try:
            answer = click.prompt(f"{question} [y/T]", default="", show_default=False,
                                  prompt_suffix=": ")
        except click.Abort:
            click.echo()
            return False
        answer = answer.strip().lower()
        if answer in YES or answer in NO or not answer:
            return answer in YES
        click.echo("Jawab y (ya) atau t (tidak).", err=True)


class Galat(click.ClickException):
    """A command's refusal, printed as one line in Indonesian: ``Galat: …`` on stderr, exit 1
    (click's own prints ``Error: …``)."""

    def show(self, file=None) -> None:
        click.echo(f"Galat: {self.format_message()}", file=file, err=file is None)
