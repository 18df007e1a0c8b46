"""The last backup, kept in the instance folder (``backup-status.json``) so the manager's home
page can say when backups fail or stop: written atomically after every attempt. A status that
cannot be written (the instance folder read-only, the disk full) never undoes the backup it is
about: the writers return why, for the operator, and raise nothing."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pos.backup import files
from pos.clock import to_local, utc_iso
from pos.config import DefaultConfig
from pos.text import os_reason

FILE_NAME = "backup-status.json"
MAX_AGE = timedelta(days=1)
AHEAD = timedelta(minutes=5)   # a time past now by more: written while the clock ran fast


@dataclass(frozen=True)
class Status:
    last_ok: datetime | None      # the last backup that succeeded (UTC)
    failed_at: datetime | None    # the last attempt, when it failed (UTC)
    message: str                  # what went wrong, or where the last backup is
    restored_at: datetime | None = None   # the database replaced by ``pos restore`` (UTC)
    restored_from: str = ""               # the backup it was restored from

    def restored_since(self) -> datetime | None:
        """When the database was restored, if no backup was made since."""
        if self.restored_at is None or (self.last_ok is not None and self.last_ok >= self.restored_at):
            return None
        return self.restored_at


def _path(instance: str | Path) -> Path:
    return Path(instance) / FILE_NAME


def read(instance: str | Path) -> Status:
    try:
        data = json.loads(_path(instance).read_text())
    except (OSError, ValueError):
        return Status(None, None, "")
    def when(key):
        return _naive_utc(datetime.fromisoformat(data[key])) if data.get(key) else None
    return Status(when("last_ok"), when("failed_at"), str(data.get("message", "")), when("restored_at"),
                  str(data.get("restored_from", "")))


def _naive_utc(moment: datetime) -> datetime:
    """A time as the file holds it (with its offset; an older version's without one, in UTC) as
    the naive UTC the app holds."""
    return moment if moment.tzinfo is None else moment.astimezone(UTC).replace(tzinfo=None)


def _write(instance: str | Path, status: Status) -> str | None:
    """None once written; else why not, in the operator's words (the file left as it was)."""
    path = _path(instance)
    temp = path.with_name(path.name + files.TEMP_SUFFIX)
    data = {"last_ok": utc_iso(status.last_ok), "failed_at": utc_iso(status.failed_at),
            "message": status.message, "restored_at": utc_iso(status.restored_at),
            "restored_from": status.restored_from}
    try:
        with open(temp, "w") as out:
            json.dump(data, out)
            out.flush()
            os.fsync(out.fileno())
        files.publish(temp, path)
    except OSError as error:
        files.remove_quietly(temp)
        return (f"Hasil pencadangan ini tidak dapat dicatat di {path}: {os_reason(error)}; beranda dan "
                "pos doctor belum mengetahuinya.")
    return None


def succeeded(instance: str | Path, at: datetime, where: Path) -> str | None:
    """Record a good backup; None, or why it could not be recorded."""
    return _write(instance, Status(at, None, str(where)))


def failed(instance: str | Path, at: datetime, message: str) -> str | None:
    """Record a failed attempt (the last good one stays known); None, or why it could not be."""
    before = read(instance)
    return _write(instance, Status(before.last_ok, at, message, before.restored_at, before.restored_from))


def restored(instance: str | Path, at: datetime, source: Path) -> str | None:
    """Record that ``pos restore`` replaced the database with ``source``: the running database was
    never backed up, whatever backup came before (``problem`` says so until one is made). None,
    or why it could not be recorded."""
    before = read(instance)
    return _write(instance, Status(before.last_ok, None, before.message if before.failed_at is None else "",
                                   at, source.name))


def restored_message(status: Status, zone: str) -> str | None:
    """``Basis data dipulihkan dari cadangan … pada 07-12-2026 08:30 dan belum dicadangkan sejak
    itu.``, or None when a backup was made since (or there was no restore)."""
    since = status.restored_since()
    if since is None:
        return None
    return (f"Basis data dipulihkan dari cadangan {status.restored_from or '-'} pada "
            f"{to_local(since, zone):%d-%m-%Y %H:%M} dan belum dicadangkan sejak itu.")


def ahead(status: Status, now: datetime) -> datetime | None:
    """The status's time (of the last good backup or the last failure) later than ``now`` by more
    than ``AHEAD``: taken while the clock ran fast. None when neither is."""
    return max((at for at in (status.last_ok, status.failed_at) if at is not None and at - now > AHEAD),
               default=None)


def problem(instance: str | Path, now: datetime, zone: str) -> tuple[str, str] | None:
    """(what is wrong, what to do) for the manager, or None when the backups are fine; dates in
    the outlet's ``zone``."""
    status = read(instance)
    later = ahead(status, now)
    if later is not None:   # never "older than a day", however long no backup is made
        return (f"Tanggal cadangan terakhir ({to_local(later, zone):%d-%m-%Y}) lebih baru dari jam komputer.",
                f"Periksa jam komputer, lalu {AGAIN[0].lower()}{AGAIN[1:]}.")
    restored_note = restored_message(status, zone)
    if status.failed_at is not None:
        good = ("" if status.last_ok is None else f" Cadangan baik terakhir: {ago(now, status.last_ok)}."
                ) if restored_note is None else f" {restored_note}"
        return (f"Pencadangan terakhir gagal: {status.message}{good}", f"{AGAIN}, lalu periksa pesannya.")
    if restored_note is not None:
        return restored_note, f"{AGAIN}."
    if status.last_ok is None:
        return "Basis data belum pernah dicadangkan.", f"{AGAIN}."
    if now - status.last_ok > MAX_AGE:
        return (f"Cadangan terakhir sudah {ago(now, status.last_ok)}.",
                f"Periksa timer pencadangan, atau {AGAIN[0].lower()}{AGAIN[1:]}.")
    return None


# What the manager does about it: the button on Perangkat, or the command at the mini-PC.
AGAIN = "Tekan Cadangkan sekarang di Perangkat (atau jalankan pos backup di mini-PC)"


def ago(now: datetime, then: datetime) -> str:
    """``2 hari 3 jam yang lalu``, ``5 jam yang lalu``, ``12 menit yang lalu``, ``kurang dari 1
    menit yang lalu`` (a backup minutes old is not "0 jam yang lalu")."""
    seconds = max(int((now - then).total_seconds()), 0)
    if seconds < 60:
        return "kurang dari 1 menit yang lalu"
    if seconds < 3600:
        return f"{seconds // 60} menit yang lalu"
    hours = seconds // 3600
    return (f"{hours // 24} hari {hours % 24} jam" if hours >= 24 else f"{hours} jam") + " yang lalu"


def warning(instance: str | Path, now: datetime, zone: str = DefaultConfig.TIMEZONE) -> str | None:
    """The problem and its fix as one sentence pair, or None when the backups are fine."""
    found = problem(instance, now, zone)
    return f"{found[0]} {found[1]}" if found else None
