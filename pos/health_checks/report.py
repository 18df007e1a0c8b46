"""The checks as JSON (``/healthz``, ``pos doctor --json``) and as text for a person (``pos doctor``).

JSON keys are stable: ``status`` (ok | warn | error), ``selling`` (false when no sale can be
saved), ``outlet``, then one entry per check: ``database``, ``migrations``, ``disk``, ``clock``,
``scale``, ``ledger``, ``het_zone``, ``codes``, ``backup`` as objects and ``printers``, ``display`` as
lists (one per till). Every entry has ``level`` and its figures; ``detailed`` (a manager, the
command line) adds the device addresses, error texts, and ``problem`` and ``fix`` of what is
not OK.
"""
from __future__ import annotations

from collections.abc import Sequence

from pos.health_checks.check import Check, Level, overall, problems, selling_blocked

PER_TILL = ("printers", "display")
WORDS = {Level.OK: "OK", Level.WARN: "PERINGATAN", Level.ERROR: "GALAT"}
EXIT_CODES = {Level.OK: 0, Level.WARN: 1, Level.ERROR: 2}   # as monitoring plugins count


def http_status(checks: Sequence[Check]) -> int:
    """503 only when no sale can be saved (database, schema, disk); warnings and errors that
    leave selling possible keep 200."""
    return 503 if selling_blocked(checks) else 200


def exit_code(checks: Sequence[Check]) -> int:
    """0 all OK, 1 a warning, 2 an error (``pos doctor``)."""
    return EXIT_CODES[overall(checks)]


def to_json(checks: Sequence[Check], *, detailed: bool, outlet: str) -> dict:
    body: dict = {"status": overall(checks).value, "selling": not selling_blocked(checks),
                  "outlet": outlet}
    for check in checks:
        entry = {"level": check.level.value, **check.figures}
        if detailed:
            entry.update(check.details)
            if not check.ok:
                entry.update(problem=check.problem, fix=check.fix)
        if check.key in PER_TILL:
            body.setdefault(check.key, []).append(entry)
        else:
            body[check.key] = entry
    return body


def to_text(checks: Sequence[Check], heading: str) -> str:
    """One line per check, the problem and its fix under what is not OK, and a verdict."""
    width = max(len(word) for word in WORDS.values()) + 2
    lines = [heading, ""]
    for check in checks:
        lines.append(f"{WORDS[check.level]:<{width}}{check.title}: {check.summary}")
        if not check.ok:
            lines += _indented(width, f"Masalah: {check.problem}")
            lines += _indented(width, f"Perbaikan: {check.fix}")
    lines += ["", verdict(checks)]
    return "\n".join(lines)


def _indented(width: int, text: str) -> list[str]:
    """A problem or fix under its check; a list's lines (``- …``) two spaces further in."""
    first, *rest = text.split("\n")
    return [f"{'':<{width}}{first}"] + [f"{'':<{width + 2}}{line}" for line in rest]


def verdict(checks: Sequence[Check]) -> str:
    found = problems(checks)
    if not found:
        return "Semua baik."
    errors = sum(1 for c in found if c.level is Level.ERROR)
    text = f"{len(found) - errors} peringatan, {errors} galat."
    if selling_blocked(checks):
        text += " Penjualan tidak dapat disimpan sampai galat diperbaiki."
    return text
