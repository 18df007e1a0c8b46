"""Turning the core part's timings into figures: per-round percentiles, medians over rounds,
ratios to the floors, goals; and the results file.

Each round's timings give that round's p50 and p99; a figure's value is the median of those
over the timed rounds (the warm-up round is dropped before), its spread their [min, max].
"""
from __future__ import annotations

import json
import math
import statistics
from pathlib import Path

from bench.figures import figure, median_of

METRICS = ("scan", "checkout", "checkout_http", "floor_scan", "floor_flask_scan", "floor_checkout",
           "scan_cold", "floor_flask_scan_cold")
# figure -> (the floor it is held to, the largest allowed ratio or None when only reported).
GOALS: dict[str, tuple[str, float | None]] = {
    "scan_p50_ms": ("floor_flask_scan_p50_ms", 2.0),
    "scan_p99_ms": ("floor_flask_scan_p99_ms", 2.0),
    "checkout_p50_ms": ("floor_checkout_p50_ms", 3.0),
    "checkout_p99_ms": ("floor_checkout_p99_ms", 2.0),
    "checkout_http_p50_ms": ("floor_checkout_p50_ms", None),
    "checkout_http_p99_ms": ("floor_checkout_p99_ms", None),
    "scan_cold_p50_ms": ("floor_flask_scan_cold_p50_ms", None),
    "scan_cold_p99_ms": ("floor_flask_scan_cold_p99_ms", None),
}
NOTES = {
    "scan": "POST /kasir/pindai through the app's WSGI stack",
    "checkout": "the checkout transaction, commit at synchronous=FULL",
    "checkout_http": "the whole POST /kasir/bayar (no goal)",
    "floor_scan": "raw sqlite3 + bare Jinja2, no web framework",
    "floor_flask_scan": "bare Flask app (signed-cookie session) over the raw scan",
    "floor_checkout": "raw sqlite3, one transaction at synchronous=FULL",
    "scan_cold": "the scan after an idle pause, as at a counter (no goal)",
    "floor_flask_scan_cold": "the bare-Flask floor's scan after the same pause",
}


def percentile_ms(samples_ns: list[int], pct: int) -> float:
    """Nearest-rank percentile of nanosecond samples, in milliseconds."""
    ordered = sorted(samples_ns)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1] / 1e6


def per_round_ms(rounds: list[list[int]], pct: int) -> list[float]:
    """Each (non-empty) round's nearest-rank percentile, in ms."""
    return [percentile_ms(samples, pct) for samples in rounds if samples]


def core_figures(samples: dict[str, list[list[int]]]) -> dict[str, dict]:
    """The floors first, then the app's figures held to them (``GOALS``).

    ``samples`` maps each of ``METRICS`` to its timings in ns, one list per round."""
    floors: dict[str, dict] = {}
    for metric in ("floor_scan", "floor_flask_scan", "floor_checkout", "floor_flask_scan_cold"):
        for pct in (50, 99):
            rounds = per_round_ms(samples[metric], pct)
            floors[f"{metric}_p{pct}_ms"] = figure(
                median_of(rounds), "ms", spread=rounds, n=sum(map(len, samples[metric])),
                note=NOTES[metric])
    app: dict[str, dict] = {}
    for metric in ("scan", "checkout", "checkout_http", "scan_cold"):
        for pct in (50, 99):
            key = f"{metric}_p{pct}_ms"
            floor_key, limit = GOALS[key]
            rounds = per_round_ms(samples[metric], pct)
            note = NOTES[metric]
            if metric == "scan":  # the raw floor stays beside the bare-Flask one
                raw = floors[f"floor_scan_p{pct}_ms"]["value"]
                note += f"; {median_of(rounds) / raw:.2f}x the raw floor_scan_p{pct}_ms"
            app[key] = figure(median_of(rounds), "ms", floor=floors[floor_key]["value"],
                              max_ratio=limit, spread=rounds, n=sum(map(len, samples[metric])),
                              note=note)
    return {**app, **floors}


def month_figure(month: dict) -> dict[str, dict]:
    """``report_bench.report_month``'s answer as one figure with an absolute goal."""
    return {"report_month_p50_ms": figure(
        month["report_month_p50_ms"], "ms", max_value=month["report_month_goal_ms"],
        n=month.get("report_month_runs"),
        note=f"month sales by product, {month['report_month_rows']} rows; "
             f"max {month['report_month_max_ms']:g} ms; no floor")}


def receipt_figure(samples_ns: list[int], lines: int) -> dict[str, dict]:
    """``app_bench.receipt_jobs``: the CPU a sale's receipt costs the print thread, which holds
    the interpreter's lock while the tills' requests wait. Reported, no goal."""
    if not samples_ns:
        raise ValueError("no receipt printed")
    ms = sorted(ns / 1e6 for ns in samples_ns)
    return {"receipt_job_cpu_ms": figure(
        statistics.median(ms), "ms", spread=ms, n=len(ms),
        note=f"a {lines}-line cash sale's print job in the print thread (reads, claim, drawer "
             f"log, ESC/POS bytes, result), median CPU; p90 {ms[int(0.9 * (len(ms) - 1))]:.2f} ms")}


def goals_pass(figures: dict[str, dict]) -> bool:
    """True when every figure that has a goal meets it."""
    return all(entry["pass"] for entry in figures.values() if entry["pass"] is not None)


def write_json(results: dict, path: Path) -> None:
    path.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
