"""The parts of ``make bench`` beyond the in-process scan and checkout (``bench.runner``).

Each module named here has ``measure(ctx: bench.figures.Context) -> dict[str, dict]`` returning
figures made with ``bench.figures.figure``; ``python -m bench --parts a,b`` runs a subset.
"""
from __future__ import annotations

import importlib

from bench.figures import Context

PARTS: dict[str, str] = {
    "disk": "bench.disk",          # fsync counts, a slow eMMC, one core
    "server": "bench.server",      # the production server over HTTP: 4 tills, a login flood, RSS
    "browser": "bench.browser",    # the scan as Chromium shows it, empty cart and 60 lines
    "lookup": "bench.lookup",      # live product and member search, 50,000 products vs 500
    "reports": "bench.reports",    # day, month and Z reports on a year of history
}


def measure(names: list[str], ctx: Context) -> dict[str, dict]:
    figures: dict[str, dict] = {}
    for name in names:
        module = importlib.import_module(PARTS[name])
        print(f"measuring {name}…", flush=True)
        figures.update(module.measure(ctx))
    return figures
