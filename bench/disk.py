"""Bench part ``disk``: fsyncs per scan and per checkout, a slow eMMC, one core.

Every run is ``python -m bench.probe`` (scans, then 5-line checkouts, through the app as
``bench.app_bench`` builds it) in a process of its own, on one scratch copy of the outlet:

* under ``strace -f -e trace=fsync,fdatasync,access``: the fsync and fdatasync calls of every
  thread between the probe's markers, per scan and per checkout.  A scan counts what its own
  request makes (the background checkpointer's share is in the note); a checkout counts
  everything it sets off: the sale's commit, the print worker's bookkeeping, and the WAL
  checkpointer's fsyncs (which come once per ~4 MB of WAL, so spread over many checkouts);
* with ``LD_PRELOAD`` of a shim compiled here with gcc, which sleeps ``DELAY_US`` before every
  fsync/fdatasync (a slow eMMC) and counts them;
* pinned to one CPU (``os.sched_setaffinity`` in the probe; every thread inherits it), beside
  an unpinned run for comparison.

A missing ``strace`` or ``gcc`` skips only its figures, with a note saying why.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench import machine
from bench.app_bench import BenchError
from bench.dataset import remove_db, scratch_copy
from bench.figures import Context, figure
from bench.report import percentile_ms

ROOT = Path(__file__).resolve().parent.parent
DELAY_US = 10_000          # one slow eMMC fsync
SETTLE_S = 1.2             # the checkpointer looks every 0.5 s: two looks fit in a settle
BACKGROUND = {"pos-printer": "print worker", "pos-wal-checkpoint": "checkpointer"}
SHIM_C = r"""
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long delayed;

static void slow(void) {
    const char *text = getenv("GERAI_FSYNC_DELAY_US");
    long us = text ? atol(text) : 10000;
    struct timespec left = {us / 1000000, (us % 1000000) * 1000};
    while (nanosleep(&left, &left) != 0) {}
    __atomic_fetch_add(&delayed, 1, __ATOMIC_RELAXED);
}

int fsync(int fd) {
    static int (*real)(int);
    if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    slow();
    return real(fd);
}

int fdatasync(int fd) {
    static int (*real)(int);
    if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
    slow();
    return real(fd);
}

__attribute__((destructor)) static void report(void) {
    const char *path = getenv("GERAI_FSYNC_COUNT_FILE");
    FILE *out = path ? fopen(path, "w") : NULL;
    if (out) { fprintf(out, "%ld\n", delayed); fclose(out); }
}
"""


@dataclass(frozen=True)
class Load:
    scans: int
    checkouts: int
    warmup: int  # warm-up carts (20 scans and a checkout each), untimed


FULL_LOAD, QUICK_LOAD = Load(scans=1500, checkouts=200, warmup=3), Load(scans=40, checkouts=6, warmup=1)


def measure(ctx: Context) -> dict[str, dict]:
    load = QUICK_LOAD if ctx.quick else FULL_LOAD
    work = ctx.workdir / "disk-part"
    work.mkdir(parents=True, exist_ok=True)
    scratch = scratch_copy(ctx.outlet, work / "scratch.db")
    probe = _Probe(scratch, work, load, ctx.settle)
    try:
        figures = fsync_figures(probe)
        figures.update(slow_disk_figures(probe))
        figures.update(one_core_figures(probe, compare=not ctx.quick))
    finally:
        remove_db(scratch)
        shutil.rmtree(work, ignore_errors=True)  # the instance folder, the shim, the trace
    return figures


class _Probe:
    """Runs ``python -m bench.probe`` on the scratch copy with a given prefix and environment."""

    def __init__(self, db: Path, work: Path, load: Load, settle: bool):
        self.db, self.work, self.load, self.settle = db, work, load, settle

    def run(self, prefix: list[str] | None = None, env: dict[str, str] | None = None,
            wait: float = 0.0, cpu: int | None = None) -> dict:
        if self.settle:
            machine.wait_for_idle()
        command = [*(prefix or []), sys.executable, "-m", "bench.probe", "--db", str(self.db),
                   "--instance", str(self.work / "instance"), "--scans", str(self.load.scans),
                   "--checkouts", str(self.load.checkouts), "--warmup", str(self.load.warmup),
                   "--settle", str(wait)]
        if cpu is not None:
            command += ["--cpu", str(cpu)]
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False,
                              env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})
        if done.returncode != 0:
            raise BenchError(f"bench.probe failed ({done.returncode}): {done.stderr[-2000:]}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
        if any(result["failures"].values()):
            raise BenchError(f"bench.probe: operations failed: {result['failures']}")
        return result


def fsync_figures(probe: _Probe) -> dict[str, dict]:
    strace = shutil.which("strace")
    if strace is None:
        return {key: _skipped("strace is not installed") for key in ("scan_fsyncs", "checkout_fsyncs")}
    trace = probe.work / "fsyncs.trace"
    result = probe.run([strace, "-f", "-qq", "--seccomp-bpf", "-o", str(trace),
                        "-e", "trace=fsync,fdatasync,access,faccessat,faccessat2"], wait=SETTLE_S)
    windows = count_fsyncs(trace.read_text(), _thread_roles(result))
    trace.unlink()
    scans, checkouts = len(result["scan_ns"]), len(result["checkout_ns"])
    scan, checkout = windows.get("scan", Counter()), windows.get("checkout", Counter())
    background = sum(n for role, n in scan.items() if role != "request")
    return {
        "scan_fsyncs": figure(
            scan["request"] / scans, "fsync", max_value=0, n=scans,
            note=f"fsync+fdatasync made by the scan requests (strace); off the request path the "
                 f"checkpointer made {background} in the scan window ({background / scans:.3f} "
                 "per scan, once per ~4 MB of WAL)"),
        "checkout_fsyncs": figure(
            sum(checkout.values()) / checkouts, "fsync", max_value=2, n=checkouts,
            note="every thread, per 5-line checkout (its scans, the sale, the receipt's "
                 "bookkeeping, the WAL checkpoints): " + _split(checkout, checkouts)),
    }


def count_fsyncs(trace: str, roles: dict[int, str]) -> dict[str, Counter]:
    """fsync/fdatasync calls per window ("scan", "checkout") and per thread role.

    ``trace`` is ``strace -f`` output (each line starts with the thread id); a window opens at
    the probe's ``<window>-start`` marker and closes at the next marker that is not a start.
    """
    windows: dict[str, Counter] = {}
    current: str | None = None
    for line in trace.splitlines():
        tid, _, call = line.partition(" ")
        mark = re.search(r"gerai-bench-marker/(\w+)-(\w+)", call)
        if mark:
            current = mark.group(1) if mark.group(2) == "start" else None
            continue
        if current is not None and re.match(r"\s*(fsync|fdatasync)\(", call):
            role = roles.get(int(tid), "other") if tid.isdigit() else "other"
            windows.setdefault(current, Counter())[role] += 1
    return windows


def _thread_roles(result: dict) -> dict[int, str]:
    roles = {tid: BACKGROUND.get(name, "other") for name, tid in result["threads"].items()}
    roles[result["threads"][result["request_thread"]]] = "request"
    return roles


def _split(counts: Counter, per: int) -> str:
    return ", ".join(f"{role} {n / per:.2f}" for role, n in counts.most_common()) or "none"


def slow_disk_figures(probe: _Probe) -> dict[str, dict]:
    keys = ("scan_p99_ms_slow_disk", "checkout_p99_ms_slow_disk")
    shim = build_shim(probe.work)
    if shim is None:
        return {key: _skipped("gcc is not installed: no slow-disk shim") for key in keys}
    counted = probe.work / "fsyncs-delayed.txt"
    result = probe.run(env={"LD_PRELOAD": str(shim), "GERAI_FSYNC_DELAY_US": str(DELAY_US),
                            "GERAI_FSYNC_COUNT_FILE": str(counted)})
    delayed = int(counted.read_text()) if counted.exists() else 0
    counted.unlink(missing_ok=True)
    how = (f"every fsync/fdatasync {DELAY_US / 1000:g} ms slower (LD_PRELOAD shim, {delayed} delayed), "
           f"on top of this disk's own fdatasync of {fdatasync_ms(probe.work):.1f} ms (p50)")
    if delayed == 0:
        how += "; THE SHIM DELAYED NOTHING, so this is not a slow-disk figure"
    return {
        "scan_p99_ms_slow_disk": _timing(result["scan_ns"], 99, max_value=5, note=how),
        "checkout_p99_ms_slow_disk": _timing(result["checkout_ns"], 99, max_value=25,
                                             note=f"the checkout transaction; {how}"),
    }


def fdatasync_ms(workdir: Path, count: int = 20) -> float:
    """The median time of this disk's own fdatasync after a 4 KiB write, in ms."""
    path, times = workdir / "fdatasync.probe", []
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        for block in range(count):
            os.pwrite(fd, b"x" * 4096, block * 4096)
            begin = time.perf_counter_ns()
            os.fdatasync(fd)
            times.append(time.perf_counter_ns() - begin)
    finally:
        os.close(fd)
        path.unlink()
    return percentile_ms(times, 50)


def build_shim(workdir: Path) -> Path | None:
    """The slow-fsync shim, compiled into ``workdir``; None without gcc."""
    gcc = shutil.which("gcc")
    if gcc is None:
        return None
    source, shim = workdir / "slow_fsync.c", workdir / "slow_fsync.so"
    source.write_text(SHIM_C)
    subprocess.run([gcc, "-shared", "-fPIC", "-O2", "-o", str(shim), str(source), "-ldl"],
                   check=True, capture_output=True)
    return shim


def one_core_figures(probe: _Probe, compare: bool = True) -> dict[str, dict]:
    """Pinned to one CPU; with ``compare``, an unpinned run too, named in the notes."""
    cpu = min(os.sched_getaffinity(0))
    pinned, free = probe.run(cpu=cpu), probe.run() if compare else None
    figures = {}
    for op in ("scan", "checkout"):
        for pct in (50, 99):
            note = f"server and its threads on CPU {cpu} only"
            if free is not None:
                note += f"; unpinned in the same part: {percentile_ms(free[f'{op}_ns'], pct):.2f} ms"
            figures[f"one_core_{op}_p{pct}_ms"] = _timing(pinned[f"{op}_ns"], pct, note=note)
    return figures


def _timing(samples_ns: list[int], pct: int, *, max_value: float | None = None,
            note: str) -> dict:
    p50 = percentile_ms(samples_ns, 50)
    value = percentile_ms(samples_ns, pct)
    if pct != 50:
        note = f"{note}; p50 {p50:.2f} ms"
    return figure(value, "ms", max_value=max_value, n=len(samples_ns), note=note)


def _skipped(why: str) -> dict:
    return figure(float("nan"), "", note=f"not measured: {why}")
