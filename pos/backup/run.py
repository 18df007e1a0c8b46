"""One backup of the outlet's database, as ``pos backup`` and the manager's **Cadangkan
sekarang** both take it: SQLite through its backup API (``copy``), PostgreSQL through
``pg_dump``; then the folder rotated, and the result, good or bad, written to ``record`` for
the manager's home page. ``aside``: the same backup before ``pos db upgrade``, in a folder of
its own, neither rotated nor recorded."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import Engine

from pos.backup import copy, pg_dump, record, rotation
from pos.backup.errors import BackupError
from pos.clock import to_local


def backend_of(engine: Engine, what: str = "Pencadangan") -> str:
    """``sqlite`` or ``postgresql``; ``BackupError`` for a database that cannot be backed up or
    restored (``what``: the command or screen the message names, ``pos restore``)."""
    url = engine.url
    backend = url.get_backend_name()
    if backend == "sqlite" and url.database in (None, "", ":memory:"):
        raise BackupError(f"{what} perlu basis data SQLite dalam berkas, bukan di memori.")
    if backend not in ("sqlite", "postgresql"):
        raise BackupError(f"{what} hanya untuk basis data SQLite dan PostgreSQL, bukan {backend}.")
    return backend


@dataclass(frozen=True)
class Taken:
    made: copy.Backup
    gone: list[Path]          # the older backups the rotation removed
    unrecorded: str | None    # why the home page could not be told (None: it was)
    held: str | None = None   # why the rotation deleted nothing (``rotation.Rotated.held``)


def take(engine: Engine, instance: str | Path, directory: Path, *, now: datetime, zone: str) -> Taken:
    """One backup and its rotation; the attempt is recorded either way, and a backup made stays
    made when its status cannot be recorded (``Taken.unrecorded`` says why). ``now`` is naive
    UTC; the file is named by the outlet's local time in ``zone``."""
    local = to_local(now, zone).replace(tzinfo=None)
    try:
        made = _made(engine, directory, local)
        rotated = rotation.rotate(directory, local.date(), made=made.path)
    except BackupError as error:
        raise failed(instance, now, error) from None
    except Exception as error:
        record.failed(instance, now, f"Kesalahan tak terduga: {error}.")
        raise
    return Taken(made, rotated.gone, record.succeeded(instance, now, made.path), rotated.held)


def aside(engine: Engine, directory: Path, *, now: datetime, zone: str) -> copy.Backup:
    """One backup into ``directory``, made and checked as every backup is, but neither rotated nor
    recorded: the database as it was before ``pos db upgrade`` changed it, in a folder of its own
    (``backup/pembaruan-<from>-<to>/``) that the daily rotation never looks into. ``BackupError``
    when it could not be made."""
    return _made(engine, directory, to_local(now, zone).replace(tzinfo=None))


def _made(engine: Engine, directory: Path, local: datetime) -> copy.Backup:
    if backend_of(engine) == "postgresql":
        return pg_dump.take(engine, directory, local)
    return copy.take(live_file(engine), directory, local)


def live_file(engine: Engine) -> Path:
    """The SQLite file behind ``engine``; of a ``file:`` URI (``…?mode=ro&uri=true``) its path."""
    name = engine.url.database
    return Path(name.removeprefix("file:") if engine.url.query.get("uri") else name)


def failed(instance: str | Path, now: datetime, error: BackupError) -> BackupError:
    """``error`` recorded for the home page; when that could not be done, with why."""
    unrecorded = record.failed(instance, now, error.message)
    return error if unrecorded is None else BackupError(f"{error.message} {unrecorded}")
