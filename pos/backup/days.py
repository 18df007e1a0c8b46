"""A restore never reopens a closed business day without being asked to.

A business day is closed by a row in ``business_day`` (the lock on its sales), and its ledger
document goes out through ``ledger_outbox`` to the cooperative's ledger hub. A backup made
before a day was closed does not have that row: restoring it opens the day again, the tills sell
on it, and closing it a second time makes a ledger document the hub refuses (it already holds
that day's, with other figures), so the outlet and the hub disagree for good.

So before anything changes, the days closed in the database being replaced (``closed``) are
compared with the backup's (``sqlite_closed``, ``pg_closed``); a day closed only in the replaced
one refuses the restore unless asked for (``pos restore --buka-hari-lagi``), and with the option
it is said as a warning. The tables are named here (this package imports no domain: a test
holds the names to the models)."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import column, inspect, select, table
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from pos.backup import pg

OPTION = "--buka-hari-lagi"
DAYS = table("business_day", column("business_date"))
OUTBOX = table("ledger_outbox", column("business_date"), column("kind"), column("status"))
DAY_DOCUMENT, SENT = "day", "sent"   # ``LedgerOutbox.kind`` of a day's document; ``OutboxStatus.SENT``


@dataclass(frozen=True)
class Reopened:
    day: date
    sent: bool   # its ledger document reached the hub


def _day(value: object) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def closed(engine: Engine) -> dict[date, bool] | None:
    """The days closed in the database ``engine`` opens, each with whether its ledger document
    was sent to the hub; None when it cannot be read (a damaged database: the restore says so)."""
    if engine.dialect.name == "sqlite" and not Path(engine.url.database or "").is_file():
        return {}
    try:
        with engine.connect() as conn:
            have = set(inspect(conn).get_table_names())
            if DAYS.name not in have:
                return {}
            days = {_day(value): False for value in conn.execute(select(DAYS.c.business_date)).scalars()}
            if OUTBOX.name in have:
                sent = conn.execute(select(OUTBOX.c.business_date).where(
                    OUTBOX.c.kind == DAY_DOCUMENT, OUTBOX.c.status == SENT)).scalars()
                days.update({_day(value): True for value in sent if _day(value) in days})
    except SQLAlchemyError:
        return None
    return {day: sent for day, sent in days.items() if day is not None}


def sqlite_closed(plain: Path) -> set[date]:
    """The days closed in a decompressed SQLite backup (none in a schema without them)."""
    conn = sqlite3.connect(f"file:{plain}?mode=ro", uri=True)
    try:
        values = [row[0] for row in conn.execute(f"SELECT {DAYS.c.business_date.name} FROM {DAYS.name}")]
    except sqlite3.OperationalError:
        return set()
    finally:
        conn.close()
    return {day for day in map(_day, values) if day is not None}


def pg_closed(archive: Path, target: pg.Target) -> set[date]:
    """The days closed in a ``pg_dump`` archive (none in a schema without them)."""
    if not pg.has_data(pg.toc(archive, target), DAYS.name):
        return set()
    with closing(pg.rows(archive, DAYS.name, DAYS.c.business_date.name, target)) as found:
        return {day for day in map(_day, found) if day is not None}


def reopened(replaced: dict[date, bool], backup: Iterable[date]) -> list[Reopened]:
    """The days closed in the replaced database and not in the backup, oldest first."""
    theirs = set(backup)
    return [Reopened(day, sent) for day, sent in sorted(replaced.items()) if day not in theirs]


def message(found: list[Reopened]) -> str:
    """What restoring the backup does to those days, and what to do instead."""
    sent = [r for r in found if r.sent]
    shown = ", ".join(f"{r.day:%d-%m-%Y}" + (" (terkirim ke hub)" if r.sent else "") for r in found)
    hub = ("hub buku besar sudah menerima angka hari itu, dan penutupan ulang akan ditolak hub, "
           "sehingga gerai dan hub berselisih. " if sent else
           "dokumen buku besarnya yang belum terkirim ikut hilang. ")
    return (f"{'Hari' if len(found) == 1 else 'Hari-hari'} {shown} sudah ditutup sesudah cadangan ini "
            f"dibuat: memulihkan cadangan ini membuka hari itu lagi, dan penjualan sesudah cadangan "
            f"hilang; {hub}Pulihkan cadangan yang lebih baru (dibuat sesudah hari itu ditutup), atau "
            f"hubungi pemegang buku koperasi dulu.")


def refusal(found: list[Reopened]) -> str:
    return f"{message(found)} Bila memang itu maksudnya, ulangi dengan {OPTION}. Tidak ada yang diubah."


def warning(found: list[Reopened]) -> str:
    return f"Perhatian ({OPTION}): {message(found)}"


UNREAD = ("Hari yang sudah ditutup di basis data lama tidak terbaca: periksa dengan pos day status "
          "bahwa hari yang sudah ditutup (dan terkirim ke hub) tidak terbuka lagi.")
