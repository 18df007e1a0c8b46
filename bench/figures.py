"""One entry per figure in ``bench/results.json``: the value, its floor where there is one,
the ratio, the goal and the spread over rounds.

Every part of the benchmark (``bench.parts``) returns ``{key: figure(...)}``; the keys are the
ones the README's table names (``scan_p99_ms``, ``checkout_fsyncs``, ``catalog_ratio``...).
"""
from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Context:
    """What every part gets: the cached 50,000-product outlet, a folder for scratch files,
    whether to make a quick run (the smoke test, a developer's check) and whether to wait
    for an idle CPU before each round."""

    outlet: Path
    workdir: Path
    quick: bool = False
    settle: bool = True


def figure(value: float, unit: str, *, floor: float | None = None, max_ratio: float | None = None,
           max_value: float | None = None, spread: Sequence[float] | None = None,
           n: int | None = None, note: str | None = None) -> dict:
    """One figure. ``max_ratio`` is a goal against ``floor``; ``max_value`` an absolute goal in
    ``unit``; with neither the figure is reported only (``pass`` is None). ``spread`` is the
    per-round values the median came from; it is stored as [min, max]."""
    ratio = None if floor in (None, 0) else round(value / floor, 2)
    verdicts = []
    if max_ratio is not None and ratio is not None:
        verdicts.append(ratio <= max_ratio)
    if max_value is not None:
        verdicts.append(value <= max_value)
    entry = {"value": _round(value), "unit": unit, "floor": _round(floor), "ratio": ratio,
             "max_ratio": max_ratio, "max_value": max_value,
             "pass": all(verdicts) if verdicts else None,
             "spread": [_round(min(spread)), _round(max(spread))] if spread else None, "n": n}
    if note:
        entry["note"] = note
    return entry


def median_of(rounds: Sequence[float]) -> float:
    """The median of per-round values (the figure the table shows)."""
    return statistics.median(rounds)


def _round(value: float | None) -> float | None:
    if value is None:
        return None
    return round(value, 4 if abs(value) < 10 else 2)


def table(figures: dict[str, dict]) -> str:
    """Plain-text rows: key, value, floor, ratio, goal, spread, verdict."""
    head = f"{'figure':<36}{'value':>12}{'floor':>11}{'ratio':>8}  {'goal':<16}{'spread':<22}result"
    rows = [head, "-" * len(head)]
    for key, entry in figures.items():
        goal = (f"<= {entry['max_ratio']:g}x floor" if entry["max_ratio"] is not None
                else f"<= {entry['max_value']:g} {entry['unit']}" if entry["max_value"] is not None
                else "reported")
        floor = "" if entry["floor"] is None else f"{entry['floor']:g}"
        ratio = "" if entry["ratio"] is None else f"{entry['ratio']:.2f}x"
        spread = "" if entry["spread"] is None else f"{entry['spread'][0]:g}-{entry['spread'][1]:g}"
        verdict = {True: "PASS", False: "FAIL", None: ""}[entry["pass"]]
        rows.append(f"{key:<36}{entry['value']:>10g} {entry['unit']:<2}{floor:>10}{ratio:>8}  "
                    f"{goal:<16}{spread:<22}{verdict}")
    return "\n".join(rows)
