"""A PostgreSQL server of the crash suite's own: a throwaway cluster on a free port, so the
suite can crash and restart the server (``pg_ctl stop -m immediate``, which ends every
backend without a checkpoint, then a start that replays the WAL) without touching the shared
server at 127.0.0.1:5432 that other test processes use.

Made with the installed server's ``initdb`` and ``pg_ctl`` (Debian: ``/usr/lib/postgresql/
<version>/bin``, package ``postgresql``).  PostgreSQL will not run as root: under root the
cluster belongs to the ``postgres`` user and its commands run through ``runuser``.
"""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import unavailable

TIMEOUT = 60


def _bin() -> Path | None:
    """The newest installed server's bin folder (``/usr/lib/postgresql/<version>/bin``)."""
    found = [Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")]
    return max(found, key=lambda b: int(b.parent.name) if b.parent.name.isdigit() else 0,
               default=None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """A running cluster: ``url(database)``, ``crash_restart()``; stopped by ``private``."""

    def __init__(self, bin_dir: Path, folder: Path, port: int, owner: str | None):
        self.bin, self.folder, self.port, self.owner = bin_dir, folder, port, owner
        self.data, self.log = folder / "data", folder / "server.log"
        self.restarts = 0

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.owner is not None:
            command = ["runuser", "-u", self.owner, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
        if done.returncode != 0:
            tail = self.log.read_text()[-2000:] if self.log.exists() else ""
            raise AssertionError(f"{' '.join(args[:2])} failed: {done.stdout}{done.stderr}{tail}")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                   "-c max_connections=60 -c shared_buffers=16MB")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w",
                  "-t", str(TIMEOUT), "start")

    def crash_restart(self) -> None:
        """Stop as a crash would (every backend ends at once, no shutdown checkpoint), then
        start: the server recovers from its WAL before it takes connections."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        self.start()
        self.restarts += 1


@contextmanager
def private() -> Iterator[Cluster]:
    """A new cluster (trust authentication, user ``postgres``), removed afterwards; a
    machine without the server binaries skips, or fails under CI=true."""
    bin_dir = _bin()
    if bin_dir is None or shutil.which("runuser") is None and os.geteuid() == 0:
        unavailable("PostgreSQL server binaries (initdb, pg_ctl) not installed")
    folder = Path(tempfile.mkdtemp(prefix="gerai-pg-"))
    owner = "postgres" if os.geteuid() == 0 else None
    if owner is not None:
        shutil.chown(folder, owner)
    cluster = Cluster(bin_dir, folder, _free_port(), owner)
    try:
        cluster._run("initdb", "-D", str(cluster.data), "-U", "postgres", "--auth=trust",
                     "-E", "UTF8", "--locale=C", "--no-sync")
        cluster.start()
        try:
            yield cluster
        finally:
            cluster._run("pg_ctl", "-D", str(cluster.data), "-m", "immediate", "-w", "stop")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
