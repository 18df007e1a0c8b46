"""Dates on the command line as on the outlet's screens: day first (``30-11-2026``, also
``30/11/2026`` and ``30112026``) or ISO (``2026-11-30``, as scripts and cron lines write them),
read by ``pos.dates.parse_day_first``.  ``DAY`` is the click type every ``pos`` command's date
option uses, so each reads and refuses a date alike: a date not in the calendar or outside
2000-2099 is refused with what is wrong, never rolled over into another day."""
from __future__ import annotations

from datetime import date

import click

from pos.dates import FROM_AFTER_TO, parse_day_first


class Day(click.ParamType):
    name = "tanggal"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "HH-BB-TTTT"

    def convert(self, value, param, ctx) -> date:
        if isinstance(value, date):
            return value
        try:
            return parse_day_first(str(value))
        except ValueError as problem:
            said = str(problem)  # names the date typed, except when it is not one
            raise click.BadParameter(
                f"{value!s} {said}" if said.startswith("tidak dikenali") else said, ctx, param,
                # "nilai --date tidak sah", as the commands' own refusals name an option
                param_hint=" / ".join(param.opts) if param is not None else None) from None


DAY = Day()


def day_range(first: date, last: date | None) -> tuple[date, date]:
    """``--from`` and ``--to`` (none: the same day), refused when typed backwards."""
    last = first if last is None else last
    if first > last:
        raise click.BadParameter(FROM_AFTER_TO, param_hint="--from")
    return first, last
