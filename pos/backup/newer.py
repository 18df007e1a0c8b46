"""After ``pos restore``: the backups newer than the one restored are set aside, where the
rotation never removes them.

A backup taken after the one restored may hold sales (and members, stock, prices, staff,
settings) the restored database lacks; nothing here reads them to know, so the line that says
they were set aside says "mungkin" and what was compared (``compared``). The rotation keeps the
newest backup of each day, and the first backup after the restore is the newest of its day: it
would remove that day's earlier backups, among them perhaps the only copy of those sales. So
once the restore went through, every backup named ``gerai-YYYYMMDD-HHMMSS`` (either kind,
``.db.gz`` or ``.pgdump``) taken after the restored one is moved into
``sebelum-pulih-YYYYMMDD-HHMMSS/`` inside its own folder: the rotation looks only at the files of
the folder itself, and the names stay as they were, to be restored from there.

Newer means taken after the restored backup's own moment (its name), else after its newest
sale (a file renamed or kept aside: every backup that may hold more), else, when nothing tells
(no name, no sale), every backup. The folders looked into are the restored file's own, the
instance's ``backup/`` and the backups' folder of every mounted drive (``usb``); a folder
already set aside is left as it is (a backup restored from one: the folder it is in)."""
from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pos.backup import copy, files, rotation
from pos.clock import to_local
from pos.text import os_reason

FOLDER = "sebelum-pulih-"


# What ``since`` compared, as the set-aside line says it: nothing in the backups themselves is
# read, so what they hold that the restored one lacks is a "perhaps" (the same sales, but a new
# cashier, setting or till, say)
BY_NAME = "lebih baru daripada cadangan ini"
BY_SALE = "lebih baru, dibuat sesudah penjualan terakhir di cadangan ini"
UNTOLD = "mungkin lebih baru (kapan cadangan ini dibuat tidak diketahui)"


def compared(backup: Path, newest_sale: datetime | None) -> str:
    """How ``since`` judged newer, for ``SetAside``."""
    return BY_NAME if taken(backup.name) is not None else BY_SALE if newest_sale is not None else UNTOLD


@dataclass(frozen=True)
class SetAside:
    folder: Path        # where they went
    names: list[str]    # the backups moved there
    basis: str = BY_NAME   # what was compared (``compared``)

    def __str__(self) -> str:
        return (f"Disisihkan ke {self.folder}: {len(self.names)} cadangan yang {self.basis}, yang "
                "mungkin berisi perubahan yang tidak ada di cadangan ini (penjualan, anggota, stok, "
                "pengguna, setelan), agar rotasi tidak menghapusnya "
                f"({', '.join(self.names[:3])}{', …' if len(self.names) > 3 else ''}).")


@dataclass(frozen=True)
class Stuck:
    path: Path          # a newer backup that could not be moved
    reason: str

    def __str__(self) -> str:
        return (f"Cadangan {self.path} lebih baru daripada cadangan ini tetapi tidak dapat disisihkan "
                f"({self.reason}): pindahkan sendiri ke folder lain sebelum pencadangan berikutnya, "
                "agar rotasi tidak menghapusnya.")


def taken(name: str) -> datetime | None:
    """When the backup named ``name`` was taken (local time), of either kind; None for a file
    named otherwise."""
    return next((at for at in (copy.taken_at(name, suffix) for suffix in rotation.KINDS) if at), None)


def since(backup: Path, newest_sale: datetime | None, zone: str) -> datetime | None:
    """The moment (local, naive) after which a backup holds what ``backup`` lacks: its name's,
    else its newest sale's (``newest_sale``, naive UTC); None when neither tells."""
    at = taken(backup.name)
    if at is not None or newest_sale is None:
        return at
    return to_local(newest_sale, zone).replace(tzinfo=None)


def folders(backup: Path, instance: str | Path, mounted: Iterable[Path] = ()) -> list[Path]:
    """Where backups newer than ``backup`` may be: its own folder (the folder a set-aside one is
    in, when it was restored from there), the instance's ``backup/`` and ``mounted``."""
    own = backup.parent
    if own.name.startswith(FOLDER):
        own = own.parent
    return [own, Path(instance).joinpath("backup"), *mounted]


def newer(folder: Path, after: datetime | None, restored: Path) -> list[Path]:
    """The backups in ``folder`` taken after ``after`` (every one when None), but ``restored``."""
    found = []
    for path in folder.iterdir():
        at = taken(path.name)
        if at is None or (after is not None and at <= after) or not path.is_file():
            continue
        if not (restored.exists() and path.samefile(restored)):
            found.append(path)
    return sorted(found)


def set_aside(folders: Iterable[Path], after: datetime | None, restored: Path,
              now: datetime, basis: str = BY_NAME) -> tuple[list[SetAside], list[Stuck]]:
    """Move the backups in ``folders`` newer than ``after`` into ``sebelum-pulih-<now>/`` in each
    folder; what was moved, and what could not be (a drive gone read-only) with why."""
    moved: list[SetAside] = []
    stuck: list[Stuck] = []
    seen: set[Path] = set()
    for folder in folders:
        try:
            if not folder.is_dir() or folder.name.startswith(FOLDER) or folder.resolve() in seen:
                continue
            seen.add(folder.resolve())
            found = newer(folder, after, restored)
        except OSError:   # a folder that cannot be read holds nothing the rotation could remove
            continue
        if not found:
            continue
        into = folder.joinpath(f"{FOLDER}{now.strftime(copy.STAMP)}")
        names = []
        for path in found:
            try:
                into.mkdir(exist_ok=True)
                os.replace(path, into.joinpath(path.name))
            except OSError as error:
                stuck.append(Stuck(path, os_reason(error)))
                continue
            names.append(path.name)
        if names:
            files.fsync_dir(into)
            files.fsync_dir(folder)
            moved.append(SetAside(into, names, basis))
    return moved, stuck
