"""The base of every ``pos`` command group (``CommandGroup``): a command's ``PosError`` is shown as
one line in Indonesian (``Galat: …``, ``pos.console``), never a traceback."""
from __future__ import annotations

import functools

from flask.cli import AppGroup

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
