"""The live SQLite database ``pos restore`` replaces, kept aside as ``pos.db.sebelum-pulih-…``.

A readable file is copied through SQLite's backup API into one self-contained file, itself
restorable to undo the restore. A damaged one (``pos.errors.damage``: pages overwritten, or its
header gone), the very case ``pos doctor`` sends the operator to ``pos restore`` for, cannot be
read page by page: it is kept as it is, its bytes and those of its ``-wal`` and ``-shm`` copied
(each fsynced and renamed into place), for whoever wants to look at it later; the restored file
then takes its place by a rename, never written into the damaged one (whose ``-wal`` would be
laid over it)."""
from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from pos.backup import files
from pos.errors import damage

SIDES = ("-wal", "-shm")   # what SQLite keeps beside a database in WAL mode


@dataclass(frozen=True)
class Kept:
    path: Path                  # ``pos.db.sebelum-pulih-YYYYMMDD-HHMMSS``
    damage: str | None = None   # why the replaced file was kept as it is (None: it was readable)

    def __str__(self) -> str:
        if self.damage is None:
            return f"Basis data lama disimpan di {self.path}."
        return (f"Basis data lama rusak ({self.damage}): disimpan apa adanya di {self.path} "
                "(dengan berkas -wal dan -shm-nya bila ada), untuk diperiksa bila perlu.")


def keep(live: Path, aside: Path, copy) -> Kept:
    """``live`` kept at ``aside``: through ``copy(live, temp, self_contained=True)`` (the backup
    API), or its bytes when SQLite finds it damaged. Raises ``sqlite3.Error`` or ``OSError``
    for anything else, leaving no temporary file."""
    temp = _temp(aside)
    files.remove_quietly(temp)
    try:
        copy(live, temp, self_contained=True)
    except sqlite3.DatabaseError as error:
        files.remove_quietly(temp, *_beside(temp, "-journal", *SIDES))
        said = damage(error)
        if said is None:
            raise
        _as_it_is(live, aside)
        return Kept(aside, said)
    except BaseException:
        files.remove_quietly(temp, *_beside(temp, "-journal", *SIDES))
        raise
    files.publish(temp, aside)
    return Kept(aside)


def put_in_place(restored: Path, live: Path) -> None:
    """The restored file (complete, self-contained, in ``live``'s folder) renamed over the
    damaged ``live``, whose ``-wal`` and ``-shm`` (kept aside) go first."""
    with open(restored, "rb") as file:
        os.fsync(file.fileno())
    for side in _beside(live, *SIDES):
        side.unlink(missing_ok=True)
    files.publish(restored, live)


def _as_it_is(live: Path, aside: Path) -> None:
    """The bytes of ``live`` and of its ``-wal``/``-shm`` beside it, each under ``aside``'s name;
    on a failure none of them."""
    made: list[Path] = []
    try:
        for end in ("", *SIDES):
            source, target = live.with_name(live.name + end), aside.with_name(aside.name + end)
            if end and not source.is_file():
                continue
            temp = _temp(target)
            made.append(temp)
            with open(source, "rb") as read, open(temp, "wb") as write:
                shutil.copyfileobj(read, write, files.CHUNK)
                write.flush()
                os.fsync(write.fileno())
            files.publish(temp, target)
            made.append(target)
    except BaseException:
        files.remove_quietly(*made)
        raise


def _temp(path: Path) -> Path:
    return path.with_name(path.name + files.TEMP_SUFFIX)


def _beside(path: Path, *ends: str) -> list[Path]:
    return [path.with_name(path.name + end) for end in ends]
