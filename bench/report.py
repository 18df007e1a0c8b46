"""Turning timings into the results: percentiles, ratios to the floors, goals, table, JSON."""
from __future__ import annotations

import json
import math
from pathlib import Path

METRICS = ("scan", "checkout")
# (metric, percentile) -> largest allowed app / floor ratio (issue: perf goals).
GOALS: dict[tuple[str, int], float] = {
    ("scan", 50): 5.0, ("scan", 99): 5.0, ("checkout", 50): 3.0, ("checkout", 99): 2.0,
}


def percentile_ms(samples_ns: list[int], pct: int) -> float:
    """Nearest-rank percentile of nanosecond samples, in milliseconds."""
    ordered = sorted(samples_ns)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1] / 1e6


def summarize(samples: dict[str, list[int]]) -> dict:
    """The eight headline numbers plus n, ratios and goal verdicts.

    ``samples`` maps ``scan``, ``checkout``, ``floor_scan`` and ``floor_checkout``
    to their timings in ns.
    """
    results: dict = {}
    for metric in METRICS:
        for side in (metric, f"floor_{metric}"):
            results[f"n_{side}"] = len(samples[side])
            for pct in (50, 99):
                results[f"{side}_p{pct}_ms"] = round(percentile_ms(samples[side], pct), 4)
    goals = {}
    for (metric, pct), limit in GOALS.items():
        ratio = results[f"{metric}_p{pct}_ms"] / results[f"floor_{metric}_p{pct}_ms"]
        goals[f"{metric}_p{pct}"] = {"ratio": round(ratio, 2), "max_ratio": limit,
                                     "pass": ratio <= limit}
    results["goals"] = goals
    results["all_goals_pass"] = all(goal["pass"] for goal in goals.values())
    return results


def http_checkout(samples: dict[str, list[int]], results: dict) -> None:
    """The whole POST /kasir/bayar (request, CSRF, session, checkout, fragment), reported
    beside the goal, which PERF-FLOORS sets on the checkout commit path."""
    for pct in (50, 99):
        value = round(percentile_ms(samples["checkout_http"], pct), 4)
        results[f"checkout_http_p{pct}_ms"] = value
        results[f"checkout_http_p{pct}_ratio"] = round(value / results[f"floor_checkout_p{pct}_ms"], 2)
    results["n_checkout_http"] = len(samples["checkout_http"])


def table(results: dict) -> str:
    """A plain-text table: one row per metric, p50 and p99 against the floor."""
    head = (f"{'metric':<9}{'n':>6}{'p50 ms':>9}{'p99 ms':>9}{'floor p50':>11}{'floor p99':>11}"
            f"{'ratio p50/p99':>16}{'goal p50/p99':>15}  result p50/p99")
    rows = [head, "-" * len(head)]
    for metric in METRICS:
        p50, p99 = results["goals"][f"{metric}_p50"], results["goals"][f"{metric}_p99"]
        ratios = f"{p50['ratio']:.2f}x / {p99['ratio']:.2f}x"
        limits = f"<={p50['max_ratio']:g}x / <={p99['max_ratio']:g}x"
        verdict = " / ".join("PASS" if g["pass"] else "FAIL" for g in (p50, p99))
        app = "".join(f"{results[f'{metric}_p{pct}_ms']:>9.3f}" for pct in (50, 99))
        floor = "".join(f"{results[f'floor_{metric}_p{pct}_ms']:>11.3f}" for pct in (50, 99))
        rows.append(f"{metric:<9}{results[f'n_{metric}']:>6}{app}{floor}{ratios:>16}{limits:>15}"
                    f"  {verdict}")
    if "checkout_http_p50_ms" in results:
        rows.append(f"{'(http)':<9}{results['n_checkout_http']:>6}"
                    f"{results['checkout_http_p50_ms']:>9.3f}{results['checkout_http_p99_ms']:>9.3f}"
                    f"{'':>22}{results['checkout_http_p50_ratio']:>7.2f}x / "
                    f"{results['checkout_http_p99_ratio']:.2f}x   (whole POST /kasir/bayar, no goal)")
    if "report_month_p50_ms" in results:
        verdict = "PASS" if results["report_month_pass"] else "FAIL"
        rows.append(f"{'report':<9}{'':>6}{results['report_month_p50_ms']:>9.3f}"
                    f"{results['report_month_max_ms']:>9.3f}   (month sales by product, "
                    f"{results['report_month_rows']} rows; goal p50 <= "
                    f"{results['report_month_goal_ms']:g} ms, no floor) {verdict}")
    return "\n".join(rows)


def write_json(results: dict, path: Path) -> None:
    path.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
