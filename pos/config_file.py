"""The instance's ``pos.cfg`` (Python: ``HET_ZONE = "2"``), read into the app's configuration.

A file that cannot be read is a ``PosError`` naming it and its line, in one line, where Python
gave the server and every command a traceback of some fifty lines.  Its names are the settings'
own (``CASH_ROUNDING``); the environment's form (``POS_CASH_ROUNDING``), which the README's
tables use, is read as the same setting, and a name no setting has is refused with the nearest
one, where it had been kept and never read (rounding stayed 0, the name the default); so is a
setting's name not in capitals (``cash_rounding``), which Flask leaves out, with its capitals.
"""
from __future__ import annotations

import ast
import difflib
import json
import os
import traceback
import types
from pathlib import Path

from pos.errors import PosError


def read_file(config, path: Path) -> None:
    """``path`` into ``config`` when there is such a file (its names checked against ``config``'s,
    which holds every default by then)."""
    try:
        found, others = _settings_in(path)
    except FileNotFoundError:
        return
    except SyntaxError as error:
        _refuse(path, error.lineno, error.msg)
    except OSError as error:   # one it may not read (a missing file is none)
        raise PosError(f"{path} tidak dapat dibaca: {error.strerror or error}.") from None
    except Exception as error:   # runs, then fails: PRINTER = usb (a name, not text in quotes)
        lines = [frame.lineno for frame in traceback.extract_tb(error.__traceback__)
                 if frame.filename == str(path)]
        _refuse(path, lines[-1] if lines else None, f"{type(error).__name__}: {error}")
    for name in others:   # a helper of the file's own is kept out; a setting's name is not
        own = name.upper()[4:] if name.upper().startswith("POS_") else name.upper()
        if own in config:
            raise PosError(f"{path}: {name} tidak dibaca sebagai setelan: tulis dengan huruf besar: {own}.")
    for name in list(found):
        own = name[4:] if name.startswith("POS_") else name
        if own not in config:
            near = difflib.get_close_matches(own, list(config), n=1)
            hint = f" Maksud Anda {near[0]}?" if near else ""
            raise PosError(f"{path}: {name} bukan setelan Gerai POS.{hint} Di pos.cfg tulis nama "
                           "setelannya, mis. CASH_ROUNDING = 100.")
        if own != name:
            found.setdefault(own, found[name])   # the file's own name wins when both are there
            del found[name]
    config.update(found)


def written(path: Path, name: str) -> str | None:
    """What ``path`` has after ``NAME =`` (else ``POS_NAME =``), as typed (``10.000``, which
    Python reads as 10.0): for a message to quote; None when the file has no such line."""
    try:
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
    except (OSError, SyntaxError, ValueError):
        return None
    found: dict[str, str | None] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id in (name, f"POS_{name}"):
                    found[target.id] = ast.get_source_segment(source, node.value)
    return found.get(name) or found.get(f"POS_{name}")


def _settings_in(path: Path) -> tuple[dict, list[str]]:
    """The file's capitalised names, run as Flask's ``from_pyfile`` runs it, and its other names
    (not ``_private``)."""
    module = types.ModuleType("config")
    module.__file__ = str(path)
    exec(compile(path.read_bytes(), str(path), "exec"), module.__dict__)  # noqa: S102 (the admin's file)
    names = vars(module)
    return ({name: value for name, value in names.items() if name.isupper()},
            [name for name in names if not name.isupper() and not name.startswith("_")])


def _refuse(path: Path, line: int | None, reason: str) -> None:
    raise PosError(f"{path} baris {line} tidak dapat dibaca ({reason}): tulis setiap setelan sebagai "
                   'NAMA = nilai, teks di antara tanda kutip (mis. HET_ZONE = "2").') from None


def as_typed(key: str, value, config=None) -> str:
    """A setting's value as it was written: ``POS_SIMPANAN_WAJIB=10.000`` in the environment, or
    ``SIMPANAN_WAJIB = 10.000`` in the pos.cfg ``config`` read (Flask's config of an app whose
    config is instance-relative has the instance folder as its root; a plain mapping has none),
    reads as the float 10.0, and a message saying "bukan '10.0'" showed a value nobody typed."""
    instance = getattr(config, "root_path", None)
    raw, read = os.environ.get(f"POS_{key}"), None
    if raw is not None:
        try:
            read = json.loads(raw)   # as Flask's from_prefixed_env
        except ValueError:
            read = raw
    elif instance is not None and (raw := written(Path(instance) / "pos.cfg", key)) is not None:
        try:
            read = ast.literal_eval(raw)   # a Python literal as the file's own: else not quoted
        except (ValueError, SyntaxError):
            raw = None
        if isinstance(read, str):   # text in quotes: its words, as the environment's
            raw = None
    return (raw if raw is not None and read == value and type(read) is type(value) else str(value))[:40]
