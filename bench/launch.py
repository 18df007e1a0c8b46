"""``waitress-serve --call bench.launch:create_app``: ``pos:create_app`` with the bench's
switches for looking inside the server (never used by the production command).

- ``BENCH_PROFILE=<file>``: cProfile every request (all threads' time inside the app) and,
  on SIGTERM, write the cumulative stats to ``<file>`` (``pstats`` format) and the top 40 to
  ``<file>.txt``; also the engine's pool status and, with ``BENCH_TRACEMALLOC=1``, the
  biggest Python allocations made after the start. ``BENCH_PROFILE_OFF=1`` keeps the dump
  but not the profiler.
"""
from __future__ import annotations

import os
import pstats
import signal
import sys
import threading
import tracemalloc

from pos import create_app as pos_create_app


def create_app():
    app = pos_create_app()
    if os.environ.get("BENCH_TRACEMALLOC"):  # after the start: what the requests allocate
        tracemalloc.start(1)
    target = os.environ.get("BENCH_PROFILE")
    if not target:
        return app
    import cProfile

    profile, lock = cProfile.Profile(), threading.Lock()
    inner = app.wsgi_app

    def profiled(environ, start_response):
        if os.environ.get("BENCH_PROFILE_OFF"):
            return inner(environ, start_response)
        with lock:  # one profiler: requests are profiled one at a time
            return profile.runcall(lambda: list(inner(environ, start_response)))

    app.wsgi_app = profiled

    def dump(_signum, _frame):
        with open(target + ".txt", "w") as out:
            if profile.getstats():
                profile.dump_stats(target)
                stats = pstats.Stats(target, stream=out)
                stats.sort_stats("cumulative").print_stats(60)
                stats.sort_stats("tottime").print_stats(40)
            out.write(f"\npool: {app.extensions['pos_db'].engine.pool.status()}\n")
            if tracemalloc.is_tracing():
                for stat in tracemalloc.take_snapshot().statistics("filename")[:40]:
                    out.write(f"{stat}\n")
        sys.exit(0)

    signal.signal(signal.SIGTERM, dump)
    return app
