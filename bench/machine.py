"""The machine under the numbers: a speed yardstick, an idle wait and other processes' CPU.

The yardstick is ``python -m timeit "sum(range(10**6))"`` measured in process
(best of 5 runs), so figures can be scaled to another machine.  CPU shares come
from ``/proc/stat`` minus this process's own time; kernel threads doing this
process's disk writes count as "other".  Where ``/proc/stat`` is missing the
share is ``None`` and nobody waits.
"""
from __future__ import annotations

import os
import time
import timeit
from pathlib import Path
from typing import NamedTuple

PROC_STAT = Path("/proc/stat")


def yardstick_ms() -> float:
    """Best-of-5 milliseconds for ``sum(range(10**6))``, like ``python -m timeit``."""
    timer = timeit.Timer("sum(range(10**6))")
    number, _ = timer.autorange()
    return min(timer.repeat(5, number)) / number * 1000


class CpuSample(NamedTuple):
    busy: float  # CPU-seconds all processes used since boot
    own: float   # CPU-seconds this process used (all its threads)
    wall: float


def sample() -> CpuSample | None:
    """A reading of the CPU counters, or None where ``/proc/stat`` is missing."""
    if not PROC_STAT.exists():
        return None
    fields = [int(v) for v in PROC_STAT.read_text().split("\n", 1)[0].split()[1:9]]
    busy_jiffies = sum(fields) - fields[3] - fields[4]  # all but idle and iowait
    times = os.times()
    return CpuSample(busy_jiffies / os.sysconf("SC_CLK_TCK"), times.user + times.system,
                     time.monotonic())


def other_share(before: CpuSample | None, after: CpuSample | None) -> float | None:
    """Share of all CPUs that other processes used between two samples."""
    if before is None or after is None or after.wall <= before.wall:
        return None
    others = (after.busy - before.busy) - (after.own - before.own)
    return max(0.0, others) / ((after.wall - before.wall) * (os.cpu_count() or 1))


def wait_for_idle(max_other: float = 0.15, window: float = 0.7, timeout: float = 15.0) -> float:
    """Wait until other processes used at most ``max_other`` of the CPUs for ``window`` s.

    Returns the seconds waited.  This process's own threads (the app's WAL
    checkpointer) do not count.
    """
    begin = time.monotonic()
    while time.monotonic() - begin < timeout:
        before = sample()
        time.sleep(window)
        share = other_share(before, sample())
        if share is None or share <= max_other:
            break
    return time.monotonic() - begin
