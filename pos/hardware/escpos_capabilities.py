"""python-escpos's printer database, read once per machine instead of once per process.

On its first import escpos reads ``capabilities.json``, its 96 KB database of printer
profiles and code pages, through PyYAML's pure-Python parser: about 130 ms of CPU on the
2-core machine, at the first receipt after every start, in the print thread and holding the
interpreter's lock while the tills' requests wait (and in every command line that prints).
It would keep a pickle of what it parsed in ``ESCPOS_CAPABILITIES_PICKLE_DIR``, but that
defaults to a new temporary folder in every process, so it never finds one, and each
process left a folder with a 49 KB pickle behind in ``/tmp``. (escpos still makes an empty
temporary folder in each process: it computes the variable's default before reading it.)

``ready()``, called before escpos is first imported, points that variable at the folder the
app chose (``keep_in``: ``<instance>/cache/escpos``) and makes sure the pickle there is whole
and current. It writes the pickle itself, through a temporary file and a rename: escpos writes
it in place, and a power cut in that write would leave a pickle that breaks every later import
of escpos, so that no receipt would print. A pickle that does not load, or is older than the
database (an updated escpos), is written again. The pickle holds the file as ``json`` reads it;
escpos reads it as YAML, which gives the same values (``tests/hardware/test_escpos_capabilities.py``
holds the two side by side). The folder is the app's own, like its database: whoever could
replace the pickle there could replace the database too.
"""
from __future__ import annotations

import json
import os
import pickle
import threading
from pathlib import Path

VARIABLE = "ESCPOS_CAPABILITIES_PICKLE_DIR"

_folder: Path | None = None
_ready = False
_lock = threading.Lock()


def keep_in(folder: Path) -> None:
    """Keep the pickle in ``folder`` (the app calls it at start; the last call wins)."""
    global _folder
    _folder = folder


def ready() -> None:
    """Before any ``import escpos…``: the first call in a process readies the pickle and points
    escpos at it; later calls do nothing. Without a folder (no app) escpos does as it would."""
    global _ready
    if _ready or _folder is None:
        return
    with _lock:
        if not _ready:
            try:
                os.environ[VARIABLE] = str(prepare(_folder))
            except (OSError, ValueError):  # a read-only or full disk, an unreadable database:
                pass                       # escpos reads the file itself, as it always did
            _ready = True


def prepare(folder: Path, source: Path | None = None) -> Path:
    """Make ``folder``'s pickle of the database ``source`` (escpos's own file by default) whole
    and current; returns the folder."""
    import platform  # as escpos names the file: one pickle per Python version

    source = source or _database()
    target = folder / f"{platform.python_version()}.capabilities.pickle"
    if not _current(target, source):
        folder.mkdir(parents=True, exist_ok=True)
        data = json.loads(source.read_text(encoding="utf-8"))
        partial = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        try:
            partial.write_bytes(pickle.dumps(data, protocol=2))
            os.replace(partial, target)
        except OSError:
            partial.unlink(missing_ok=True)  # a full disk leaves no half-written file behind
            raise
    return folder


def _database() -> Path:
    """The database escpos will read: ``ESCPOS_CAPABILITIES_FILE``, else the one it ships."""
    if configured := os.environ.get("ESCPOS_CAPABILITIES_FILE"):
        return Path(configured)
    from importlib.resources import files

    return Path(str(files("escpos") / "capabilities.json"))


def _current(target: Path, source: Path) -> bool:
    """True when ``target`` is newer than ``source`` (escpos's own test) and loads."""
    try:
        if target.stat().st_mtime < source.stat().st_mtime:
            return False
        data = pickle.loads(target.read_bytes())
    except Exception:  # missing, unreadable, cut short or not a pickle: written again
        return False
    return isinstance(data, dict) and "profiles" in data and "encodings" in data
