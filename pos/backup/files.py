"""Writing a file so that a power cut leaves either the old state or the whole new file:
a temporary name in the same directory, fsync, an atomic rename, fsync of the directory."""
from __future__ import annotations

import gzip
import os
import shutil
from pathlib import Path

from pos.backup.errors import BackupError

TEMP_SUFFIX = ".tmp"
CHUNK = 1024 * 1024


def refuse_empty(backup: Path) -> None:
    """``BackupError`` for a backup file of 0 bytes: a copy or download that never got written
    (said so, rather than "not a Gerai POS database" or a reader's complaint)."""
    if backup.stat().st_size == 0:
        raise BackupError(f"Berkas cadangan {backup.name} kosong (0 bita): salinan atau unduhan yang "
                          "tidak lengkap. Pulihkan dari salinan lain. Tidak ada yang diubah.")


def fsync_dir(directory: Path) -> None:
    """Make a rename in ``directory`` durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def compress(source: Path, target: Path) -> None:
    """``source`` gzip-compressed into ``target`` (flushed to disk)."""
    with open(source, "rb") as raw, open(target, "wb") as out:
        with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=6, mtime=0) as packed:
            shutil.copyfileobj(raw, packed, CHUNK)
        out.flush()
        os.fsync(out.fileno())


def packed(source: Path) -> bool:
    """Whether ``source`` starts as gzip does (else it is taken as a plain file)."""
    with open(source, "rb") as probe:
        return probe.read(2) == b"\x1f\x8b"


def decompress(source: Path, target: Path) -> None:
    """``source`` (gzip, or a plain SQLite file) written out plain into ``target``."""
    opener = gzip.open if packed(source) else open
    with opener(source, "rb") as raw, open(target, "wb") as out:
        shutil.copyfileobj(raw, out, CHUNK)
        out.flush()
        os.fsync(out.fileno())


def publish(temp: Path, final: Path) -> None:
    """Rename the finished ``temp`` to ``final`` atomically and make the rename durable."""
    os.replace(temp, final)
    fsync_dir(final.parent)


def remove_quietly(*paths: Path) -> None:
    """Remove what a failed run left, saying nothing: a disk that just refused the write (read
    only, pulled out) refuses this too, and the refusal of the write is the one to tell."""
    for path in paths:
        try:
            path.unlink()
        except OSError:
            pass
