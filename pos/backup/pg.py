"""PostgreSQL's client programs for backups: how to reach the database (``Target``, from the
app's database URL), running ``pg_dump`` / ``pg_restore`` without a shell, and reading a
custom-format archive (``toc``, ``read_through``, ``rows``).

Host, port, user and database go on the command line; the password only in ``PGPASSWORD``
in the child's environment (the operator's exported one, or the URL's when it holds one),
never in its arguments (which ``ps`` shows to every user).
``--no-password`` keeps a timer-started backup from hanging at a password prompt."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL

from pos.backup.errors import BackupError
from pos.text import os_reason

PG_DUMP = "/usr/bin/pg_dump"
PG_RESTORE = "/usr/bin/pg_restore"
MAX_ERROR = 300  # characters of a tool's error message shown to the manager
# Reading an archive back: pg_restore can spin forever on some damaged blocks (seen with
# PostgreSQL 15), so it gets this long before it is stopped and the file called damaged.
READ_MIN_SECONDS = 60
READ_BYTES_PER_SECOND = 2 << 20  # far below any disk's and zlib's speed


@dataclass(frozen=True)
class Target:
    """One PostgreSQL database as the client programs reach it."""

    host: str | None
    port: int | None
    user: str | None
    password: str | None
    dbname: str
    sslmode: str | None = None

    @classmethod
    def from_url(cls, url: URL) -> Target:
        query = dict(url.query)
        host = url.host or query.get("host")  # ?host=/run/postgresql: a Unix socket directory
        return cls(host if isinstance(host, str) else None, url.port, url.username, url.password,
                   url.database or "", query.get("sslmode") if isinstance(query.get("sslmode"), str)
                   else None)

    def args(self, dbname: str | None = None) -> list[str]:
        """Connection arguments for pg_dump / pg_restore (``dbname`` for another database)."""
        found = [("--host", self.host), ("--port", str(self.port) if self.port else None),
                 ("--username", self.user), ("--dbname", dbname or self.dbname)]
        return ["--no-password", *(f"{flag}={value}" for flag, value in found if value)]

    def env(self) -> dict[str, str]:
        """The child's environment: ours (an exported ``PGPASSWORD`` too, which the app's own
        connection uses as well), with the password of the URL instead when it holds one, and
        the URL's SSL mode."""
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password
        if self.sslmode:
            env["PGSSLMODE"] = self.sslmode
        return env


def program(path: str) -> str:
    """The client program at ``path`` (else by its name on PATH); ``BackupError`` if absent."""
    found = path if os.access(path, os.X_OK) else shutil.which(os.path.basename(path))
    if not found:
        raise BackupError(f"Program {os.path.basename(path)} tidak ditemukan. Pasang paket "
                          "postgresql-client dengan versi yang sama dengan server PostgreSQL.")
    return found


def _message(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    text = "; ".join(lines[-3:]) or "tanpa pesan"
    return text[:MAX_ERROR]


def run(path: str, args: Sequence[str], target: Target, what: str,
        timeout: int | None = None) -> str:
    """Run a client program (never through a shell); its output, or ``BackupError`` saying
    ``what`` failed and the program's own last words. A program still running after
    ``timeout`` seconds is killed and the run refused."""
    try:
        done = subprocess.run([program(path), *args], env=target.env(), capture_output=True,
                              text=True, errors="replace", check=False, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise BackupError(f"{what} gagal: {os.path.basename(path)} tidak selesai dalam "
                          f"{timeout} detik dan dihentikan.") from None
    except OSError as error:
        raise BackupError(f"{what} gagal: {os_reason(error)}.") from None
    if done.returncode != 0:
        raise BackupError(f"{what} gagal: {_message(done.stderr)}.")
    return done.stdout


def reading_seconds(archive: Path) -> int:
    """How long reading ``archive`` through may take before it counts as stuck."""
    return READ_MIN_SECONDS + archive.stat().st_size // READ_BYTES_PER_SECOND


def toc(archive: Path, target: Target) -> list[str]:
    """The archive's table of contents (``pg_restore --list``); ``BackupError`` when it cannot
    be read (not a pg_dump custom archive, cut off, damaged)."""
    listing = run(PG_RESTORE, ["--list", str(archive)], target, "Membaca daftar isi cadangan",
                  reading_seconds(archive))
    return [line for line in listing.splitlines() if line and not line.startswith(";")]


def has_data(entries: list[str], table: str) -> bool:
    """Whether the table of contents holds ``public.<table>``'s rows."""
    return any(line.split(";", 1)[-1].split()[2:6] == ["TABLE", "DATA", "public", table]
               for line in entries if ";" in line)


def read_through(archive: Path, target: Target) -> None:
    """Read and decompress every block of the archive (``pg_restore`` into nothing): a
    damaged or cut-off block fails here even when the table of contents is whole."""
    run(PG_RESTORE, [f"--file={os.devnull}", str(archive)], target, "Memeriksa isi cadangan",
        reading_seconds(archive))


def _columns(header: str) -> list[str]:
    """``COPY public.sale (id, "user", ...) FROM stdin;`` -> its column names."""
    inside = header[header.index("(") + 1:header.rindex(")")]
    return [name.strip().strip('"') for name in inside.split(",")]


def rows(archive: Path, table: str, column: str, target: Target) -> Iterator[str]:
    """The text of ``column`` in every row of ``public.<table>`` in the archive, streamed from
    ``pg_restore --data-only`` (a large sales table is never held in memory)."""
    with closing(records(archive, table, (column,), target)) as found:
        for values in found:
            yield values[0]


def records(archive: Path, table: str, columns: Sequence[str], target: Target) -> Iterator[list[str]]:
    """The text of ``columns`` in every row of ``public.<table>`` in the archive (``\\N``: null),
    streamed as ``rows``."""
    with tempfile.TemporaryFile() as errors:
        args = [program(PG_RESTORE), "--data-only", "--schema=public", f"--table={table}",
                "--file=-", str(archive)]
        with subprocess.Popen(args, env=target.env(), stdout=subprocess.PIPE, stderr=errors,
                              text=True, errors="replace") as child:
            indexes = None
            for line in child.stdout:
                if indexes is None:
                    if line.startswith(f"COPY public.{table} ("):
                        header = _columns(line)
                        indexes = [header.index(column) for column in columns]
                    continue
                if line.startswith("\\."):
                    break
                fields = line.rstrip("\n").split("\t")
                yield [fields[index] for index in indexes]
            child.stdout.read()  # the rest, so the program ends on its own
        if child.returncode != 0:
            errors.seek(0)
            raise BackupError(f"Membaca tabel {table} dari cadangan gagal: "
                              f"{_message(errors.read().decode(errors='replace'))}.")


def contains(archive: Path, table: str, column: str, value: str, target: Target) -> bool:
    """Whether a row of ``public.<table>`` in the archive has ``value`` in ``column``."""
    with closing(rows(archive, table, column, target)) as values:
        return value in values
