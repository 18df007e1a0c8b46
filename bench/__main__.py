"""``python -m bench``: build the outlet once, measure scan and checkout, print and save.

Exits 0 whether or not the goals are met (this is a measurement); exits 1 only
when a request failed, because then the numbers mean nothing.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from bench import dataset, figures, machine, parts, report
from bench.runner import QUICK, Plan, environment, run

HERE = Path(__file__).resolve().parent


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--rebuild", action="store_true", help="regenerate the outlet database")
    parser.add_argument("--db", type=Path, default=HERE / "outlet.db",
                        help="cached outlet database")
    parser.add_argument("--out", type=Path, default=HERE / "results.json", help="results file")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="folder for the scratch copy and the app's instance (default: "
                             "beside --db)")
    parser.add_argument("--scans", type=int, default=Plan.scans, help="timed scans per side")
    parser.add_argument("--checkouts", type=int, default=Plan.checkouts,
                        help="timed checkouts per side")
    parser.add_argument("--rounds", type=int, default=Plan.rounds, help="interleaved rounds")
    parser.add_argument("--no-settle", action="store_true",
                        help="do not wait for an idle CPU before each round")
    parser.add_argument("--parts", default=",".join(["core", *parts.PARTS]),
                        help="comma-separated parts to run: core (in-process scan and checkout) "
                             f"and {', '.join(parts.PARTS) or 'none yet'}")
    parser.add_argument("--quick", action="store_true",
                        help="small counts in every part: checks the harness, not the speed")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    began = time.monotonic()
    if dataset.ensure(args.db, rebuild=args.rebuild):
        print(f"built {args.db} in {time.monotonic() - began:.1f} s")
    plan = QUICK if args.quick else Plan(scans=args.scans, checkouts=args.checkouts,
                                         rounds=args.rounds, settle=not args.no_settle)
    names = [name for name in args.parts.split(",") if name]
    unknown = sorted(set(names) - {"core", *parts.PARTS})
    if unknown:
        print(f"unknown parts: {', '.join(unknown)}", file=sys.stderr)
        return 2
    cpu = machine.sample()
    workdir = args.workdir or args.db.parent
    workdir.mkdir(parents=True, exist_ok=True)
    results = run(args.db, workdir, plan) if "core" in names else {"figures": {}}
    ctx = figures.Context(outlet=args.db, workdir=workdir, quick=args.quick,
                          settle=not args.no_settle)
    results["figures"].update(parts.measure([name for name in names if name != "core"], ctx))
    # The whole run's machine context (a part-only run gets it too), over every part measured.
    yardstick = results.get("yardstick_sum_range_ms") or machine.yardstick_ms()
    results.update(environment(yardstick, cpu, began))
    results["parts"] = names
    results["all_goals_pass"] = report.goals_pass(results["figures"])
    report.write_json(results, args.out)
    print(figures.table(results["figures"]))
    print(f"\nyardstick sum(range(10**6)): {results['yardstick_sum_range_ms']} ms · "
          f"SQLite {results['sqlite_version']} · other processes used "
          f"{_percent(results['other_processes_cpu_share'])} of the CPUs · "
          f"{results['duration_s']} s · results in {args.out}")
    print("all goals pass" if results["all_goals_pass"] else "some goals are missed (see FAIL)")
    failed = {name: count for name, count in results.get("failures", {}).items() if count}
    if failed:
        print(f"REQUESTS FAILED, the numbers are not valid: {failed}", file=sys.stderr)
        return 1
    return 0


def _percent(share: float | None) -> str:
    return "?" if share is None else f"{share:.0%}"


if __name__ == "__main__":
    sys.exit(main())
