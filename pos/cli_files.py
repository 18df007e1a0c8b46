"""The files and folders a ``pos`` command writes (an export, a report's CSV/XLSX, SIMKOPDES's
folder): ``OUT_FILE`` and ``OUT_FOLDER``, the click types of every such argument and option.

A place whose folder does not exist is refused while the command line is read, before the
command opens the database or writes anything: ``Galat: Folder … tidak ada.`` (exit 1), never
a FileNotFoundError traceback, and never a folder made unseen (a mistyped or unmounted place
filled on the internal disk), as ``pos backup --to`` refuses it. ``write`` writes a file so a
disk that refuses it (full, read-only, no permission) is one line too."""
from __future__ import annotations

from pathlib import Path

import click

from pos.console import Galat
from pos.text import os_reason


class OutFile(click.ParamType):
    """A file to write: its folder must exist; the file itself is made or replaced."""

    name = "file"   # BERKAS in the help (``cli_language.VALUE_NAMES``)

    def convert(self, value, param, ctx) -> Path:
        path = Path(value)
        if path.is_dir():
            raise Galat(f"{path} adalah folder, bukan berkas.")
        return _in_folder(path)


class OutFolder(click.ParamType):
    """A folder to write into: it exists, or its parent does (then it is made)."""

    name = "directory"   # FOLDER in the help

    def convert(self, value, param, ctx) -> Path:
        path = Path(value)
        if path.exists() and not path.is_dir():
            raise Galat(f"{path} adalah berkas, bukan folder.")
        return path if path.is_dir() else _in_folder(path)


def _in_folder(path: Path) -> Path:
    """``path``, whose folder exists; else a ``Galat`` saying the folder is missing, or a file."""
    if path.parent.is_dir():
        return path
    if path.parent.exists():
        raise Galat(f"{path.parent} adalah berkas, bukan folder.")
    raise Galat(f"Folder {path.parent} tidak ada.")


OUT_FILE = OutFile()
OUT_FOLDER = OutFolder()


def write(path: Path, data: bytes) -> None:
    """``data`` into ``path``; a disk that refuses it is a ``Galat`` naming the file."""
    try:
        path.write_bytes(data)
    except OSError as error:
        raise Galat(f"Berkas {path} tidak dapat ditulis: {os_reason(error)}.") from None
