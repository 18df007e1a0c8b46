"""A USB drive by its label: /dev/disk/by-label/LABEL and its mount point in /proc/mounts."""
from __future__ import annotations

import os
from pathlib import Path

from pos.backup.errors import BackupError

BY_LABEL = Path("/dev/disk/by-label")
MOUNTS = Path("/proc/mounts")
FOLDER = "gerai-pos-cadangan"   # the backups' folder on a drive (``pos backup --usb-label``)
DRIVES = ("/media", "/run/media", "/mnt")   # where removable drives are mounted (udisks, by hand)


def _unescape(field: str) -> str:
    """/proc/mounts writes a space as \\040, a tab as \\011, a backslash as \\134."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def check_label(label: str) -> None:
    """``BackupError`` for what cannot be a drive's label (a typing mistake, not a missing drive)."""
    if not label or "/" in label:
        raise BackupError(f"Label flashdisk tidak sah: {label!r}. Tidak ada cadangan yang dibuat.")


def mount_point(label: str, by_label: Path = BY_LABEL, mounts: Path = MOUNTS) -> Path:
    """Where the drive labelled ``label`` is mounted; ``BackupError`` when it is not."""
    check_label(label)
    link = by_label.joinpath(label.replace(" ", "\\x20"))
    if not link.exists():
        link = by_label.joinpath(label)
    if not link.exists():
        raise BackupError(f"Flashdisk berlabel {label} tidak ditemukan. "
                          "Colokkan flashdisk itu lalu coba lagi.")
    device = os.path.realpath(link)
    for line in mounts.read_text().splitlines():
        fields = line.split()
        if len(fields) >= 2 and os.path.realpath(_unescape(fields[0])) == device:
            return Path(_unescape(fields[1]))
    raise BackupError(f"Flashdisk berlabel {label} tercolok tetapi belum terpasang (mount). "
                      "Buka flashdisk itu di pengelola berkas atau pasang dengan `udisksctl mount`, "
                      "lalu coba lagi.")


def mounted_folders(mounts: Path | None = None, drives: tuple[str, ...] = DRIVES) -> list[Path]:
    """The backups' folder (``FOLDER``) of every drive mounted under ``drives`` that has one (a
    network share elsewhere, which may hang, is not looked into)."""
    try:
        lines = (mounts or MOUNTS).read_text().splitlines()
    except OSError:
        return []
    found = []
    for line in lines:
        fields = line.split()
        point = Path(_unescape(fields[1])) if len(fields) >= 2 else None
        if point is not None and any(point.is_relative_to(drive) for drive in drives):
            folder = point.joinpath(FOLDER)
            try:
                if folder.is_dir() and folder not in found:
                    found.append(folder)
            except OSError:   # a mount that cannot be looked into (no permission, gone)
                continue
    return found
