"""Every check, in the order people read them: first what stops selling, then the rest."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from pos.clock import utc_iso
from pos.hardware.registry import Devices
from pos.health_checks import catalog, operations, storage
from pos.health_checks.check import Check, Level
from pos.health_checks.devices import TillDevices, device_checks
from pos.tills.service import all_tills


def run(session: Session, config: Mapping, instance: str | Path, registry: Devices,
        now: datetime) -> list[Check]:
    """The checks for this gerai at ``now`` (naive UTC), reading through ``session``.

    When the database does not answer or its schema is not the code's, the checks that read
    its tables say so (the clock's is left out); the disk, the outlet's devices and the backup
    are still looked at."""
    database = storage.database(session)
    checks = [database]
    if database.figures["ok"]:
        checks.append(storage.migrations(session, database.figures["revision"]))
    else:
        checks.append(_unknown("migrations", "Skema basis data", {"current": None, "head": None}))
    # the tables are read only when the schema is the code's: an empty or older one may lack them
    readable = checks[-1].level is not Level.ERROR
    checks.append(storage.disk(data_folder(session, instance), config))
    checks.append(_guarded(readable, "clock", "Jam komputer", {"now": utc_iso(now, "seconds")},
                           lambda: operations.clock(session, now, config["TIMEZONE"])))
    try:
        tills = [TillDevices(t.code, t.printer, t.display) for t in all_tills(session) if t.active] \
            if readable else []
    except Exception:  # a table that cannot be read: the outlet's devices are still looked at
        tills = []
    checks += device_checks(tills, registry, config, instance)
    checks.append(_guarded(readable, "ledger", "Buku besar koperasi",
                           {"queued": None, "rejected": None, "oldest_age_s": None},
                           lambda: operations.ledger(session, now, config)))
    checks.append(_guarded(readable, "het_zone", "Zona HET", {"zone": None, "zones": None},
                           lambda: operations.het_zone(session, config, instance)))
    checks.append(_guarded(readable, "cash_rounding", "Pembulatan tunai",
                           {"coin": config["CASH_ROUNDING"], "newest_cash_rounding": None},
                           lambda: operations.cash_rounding(session, config, instance)))
    checks.append(_guarded(readable, "codes", catalog.TITLE, {"collisions": None},
                           lambda: catalog.codes(session)))
    checks.append(_guarded(readable, "member_numbers", catalog.NUMBERS_TITLE, {"small_letters": None},
                           lambda: catalog.member_numbers(session)))
    checks.append(operations.backup(instance, now, config["TIMEZONE"]))
    return checks


def _guarded(readable: bool, key: str, title: str, figures: dict, check: Callable[[], Check]) -> Check:
    """``check()`` when the tables can be read and it does not fail; else "tidak dapat diperiksa"."""
    if readable:
        try:
            return check()
        except Exception:  # the probe reports; it never crashes on a table it cannot read
            pass
    return _unknown(key, title, figures)


def data_folder(session: Session, instance: str | Path) -> Path:
    """Where the sales are written: the SQLite file's folder, else the instance folder."""
    url = session.get_bind().url
    if url.get_backend_name() == "sqlite" and url.database and not url.database.startswith(("file:", ":")):
        return Path(url.database).resolve().parent
    return Path(instance)


def _unknown(key: str, title: str, figures: dict) -> Check:
    """A check that needs the database's tables, which cannot be read (the checks above say why)."""
    return Check(key, Level.ERROR if key == "migrations" else Level.WARN, title,
                 "tidak dapat diperiksa", figures, {},
                 f"{title} tidak dapat diperiksa: basis data atau skemanya belum siap.",
                 "Perbaiki basis data dan skemanya lebih dahulu (lihat baris di atas).",
                 blocks_sales=key == "migrations")
