"""One check's answer (level, figures, problem and fix in Indonesian) and what a list adds up to."""
from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field


class Level(str, enum.Enum):
    OK = "ok"
    WARN = "warn"     # selling goes on; someone should look today
    ERROR = "error"   # wrong now: fix before (or instead of) selling

    @property
    def rank(self) -> int:
        return list(Level).index(self)


@dataclass(frozen=True)
class Check:
    key: str                 # the JSON key: database, migrations, printers, scale, display, ...
    level: Level
    title: str               # for people: "Printer KASIR-1"
    summary: str             # the figure for people: "siap", "sisa 12 GB (45 %)"
    figures: dict = field(default_factory=dict)   # JSON for anyone: no address, no error text
    details: dict = field(default_factory=dict)   # JSON for a manager: addresses, error texts
    problem: str = ""        # what is wrong, when it is
    fix: str = ""            # what to do about it
    blocks_sales: bool = False   # an error here means no sale can be saved (HTTP 503)

    @property
    def ok(self) -> bool:
        return self.level is Level.OK


def overall(checks: Iterable[Check]) -> Level:
    """The worst level of ``checks`` (OK for none)."""
    return max((c.level for c in checks), key=lambda level: level.rank, default=Level.OK)


def selling_blocked(checks: Iterable[Check]) -> bool:
    """True when a check that guards saving (database, schema, disk) is in error."""
    return any(c.blocks_sales and c.level is Level.ERROR for c in checks)


def problems(checks: Iterable[Check]) -> list[Check]:
    """The checks that are not OK, errors first, in their order otherwise."""
    return sorted((c for c in checks if not c.ok), key=lambda c: -c.level.rank)
