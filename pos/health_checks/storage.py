"""Where sales are saved: the database answers and takes writes, its schema is the code's, and
the disk under it has room.  An error in any of these means no sale can be saved."""
from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from pos.errors import damage, damaged
from pos.health_checks.check import Check, Level
from pos.migrate import revisions_by_name

RESTART = "lalu mulai ulang layanan: sudo systemctl restart pos-web."


def database(session: Session) -> Check:
    """SELECT 1, the schema revision, and whether this connection may write; a SQLite file that
    is not there is said so, and not made (connecting would make an empty one)."""
    engine = session.get_bind()
    dialect = engine.dialect.name
    if (missing := _missing_file(engine)) is not None:
        return missing
    try:
        session.execute(text("SELECT 1"))
        revision = _revision(session)
        read_only = _read_only(session, engine)
    except Exception as error:  # any failure is the answer, never a crash of the probe
        if isinstance(error, DBAPIError) and damaged(error):
            return _damaged(engine, error)
        fix = ("Periksa bahwa server PostgreSQL menyala dan POS_DATABASE_URL benar, " if dialect != "sqlite"
               else "Periksa bahwa disk terpasang dan berkas basis data ada, ") + RESTART
        return Check("database", Level.ERROR, "Basis data", "tidak menjawab",
                     {"ok": False, "dialect": dialect, "error": "database tidak menjawab"},
                     {"error": str(error)[:200]},
                     "Basis data tidak menjawab: penjualan tidak dapat disimpan.", fix, blocks_sales=True)
    figures = {"ok": True, "dialect": dialect, "revision": revision, "writable": not read_only}
    if read_only:
        fix = ("Arahkan POS_DATABASE_URL ke server PostgreSQL utama (bukan replika hanya-baca), "
               + RESTART) if dialect != "sqlite" else (
            "Biasanya disk bermasalah dan dipasang ulang hanya-baca, atau izin berkas berubah. "
            "Periksa ruang disk dan izin folder basis data, lalu mulai ulang mini-PC; bila berulang, "
            "ganti disk dan pulihkan dari cadangan (pos restore).")
        return Check("database", Level.ERROR, "Basis data", "hanya-baca", figures, {},
                     "Basis data hanya-baca: penjualan tidak dapat disimpan.", fix, blocks_sales=True)
    return Check("database", Level.OK, "Basis data", f"{dialect}, menjawab dan dapat ditulis", figures)


def _damaged(engine: Engine, error: DBAPIError) -> Check:
    """A SQLite file whose bytes are damaged: starting again never helps, a backup does."""
    return Check("database", Level.ERROR, "Basis data", "berkas rusak",
                 {"ok": False, "dialect": "sqlite", "error": "berkas basis data rusak"},
                 {"error": str(error.orig)[:200]},
                 f"Berkas basis data {os.path.abspath(engine.url.database)} rusak ({damage(error.orig)}): "
                 "penjualan tidak dapat disimpan.",
                 "Hentikan server (sudo systemctl stop pos-web), pulihkan cadangan baik yang terakhir dengan "
                 "pos restore FILE (cadangan gerai-….db.gz di folder backup atau di flashdisk; lihat README, "
                 "Backups and restore), lalu nyalakan server lagi. Penjualan sesudah cadangan itu dicatat "
                 "ulang dari struk.", blocks_sales=True)


def _missing_file(engine: Engine) -> Check | None:
    """The error of a SQLite database whose file is not there; None when it is (or not SQLite)."""
    path = engine.url.database if engine.dialect.name == "sqlite" else None
    if not path or path == ":memory:" or path.startswith("file:") or os.path.exists(path):
        return None
    return Check("database", Level.ERROR, "Basis data", "berkas tidak ada",
                 {"ok": False, "dialect": "sqlite", "error": "berkas basis data tidak ada"},
                 {"error": f"{os.path.abspath(path)} tidak ada"},
                 f"Berkas basis data {os.path.abspath(path)} tidak ada: penjualan tidak dapat disimpan.",
                 "Untuk gerai baru jalankan: pos init. Bila gerai ini sudah berjalan, periksa "
                 "POS_INSTANCE_PATH dan POS_DATABASE_URL (berkasnya mungkin dipindah), atau pulihkan "
                 "dari cadangan: pos restore FILE.", blocks_sales=True)


def _revision(session: Session) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(session.connection()).get_current_revision()


def _read_only(session: Session, engine: Engine) -> bool:
    if engine.dialect.name != "sqlite":
        return session.execute(text("SHOW transaction_read_only")).scalar() == "on"
    if session.execute(text("PRAGMA query_only")).scalar() or "mode=ro" in str(engine.url):
        return True
    path = engine.url.database
    if not path or path == ":memory:" or path.startswith("file:"):
        return False
    folder = os.path.dirname(os.path.abspath(path))  # SQLite writes -wal and -shm beside it
    return not (os.access(path, os.W_OK) and os.access(folder, os.W_OK))


def migrations(session: Session, current: str | None) -> Check:
    """The schema's revision against the newest migration this code ships."""
    known, head = revisions_by_name()
    figures = {"current": current, "head": head}
    if current == head:
        return Check("migrations", Level.OK, "Skema basis data", f"mutakhir ({current})", figures)
    if current is None and not inspect(session.connection()).has_table("sale"):
        return Check("migrations", Level.ERROR, "Skema basis data", "kosong", figures, {},
                     "Basis data masih kosong: belum ada tabel.", "Jalankan: pos init.", blocks_sales=True)
    if current is None:
        return Check("migrations", Level.WARN, "Skema basis data", "versi tidak tercatat", figures, {},
                     "Tabel ada, tetapi versi skemanya tidak tercatat (dibuat tanpa migrasi), "
                     "jadi pembaruan program tidak dapat memastikannya.",
                     "Buat basis data dengan pos init dan pindahkan datanya, atau minta teknisi "
                     "menandai versinya (alembic stamp) setelah memeriksa skemanya.")
    if current not in known:
        return Check("migrations", Level.ERROR, "Skema basis data", f"lebih baru ({current})", figures, {},
                     f"Skema basis data ({current}) lebih baru daripada program ini ({head}).",
                     "Pasang kembali versi Gerai POS yang membuat basis data ini, " + RESTART,
                     blocks_sales=True)
    return Check("migrations", Level.ERROR, "Skema basis data", f"belum mutakhir ({current})", figures, {},
                 f"Skema basis data belum mutakhir ({current}, seharusnya {head}).",
                 "Jalankan: pos db upgrade, " + RESTART, blocks_sales=True)


def disk(folder: str | Path, config: Mapping) -> Check:
    """Free space of the filesystem holding ``folder`` (the database's), against the settings."""
    try:
        usage = shutil.disk_usage(folder)
    except OSError as error:
        return Check("disk", Level.WARN, "Ruang disk", "tidak dapat diperiksa",
                     {"free_bytes": None, "free_percent": None}, {"folder": str(folder)},
                     f"Ruang disk tidak dapat diperiksa: {error}", "Periksa folder data Gerai POS.")
    percent = usage.free * 100 // usage.total if usage.total else 0
    figures = {"free_bytes": usage.free, "total_bytes": usage.total, "free_percent": percent}
    summary = f"sisa {size_text(usage.free)} ({percent} %)"
    fix = (f"Kosongkan ruang di disk yang memuat {folder}: pindahkan cadangan lama ke flashdisk, "
           "hapus unduhan dan log lama (sudo journalctl --vacuum-size=100M), "
           "atau pasang disk yang lebih besar.")
    if usage.free < config["DISK_ERROR_BYTES"]:
        return Check("disk", Level.ERROR, "Ruang disk", summary, figures, {"folder": str(folder)},
                     f"Disk hampir penuh: {summary}. Penjualan akan ditolak bila disk penuh.", fix,
                     blocks_sales=True)
    if usage.free < config["DISK_WARN_BYTES"] or percent < config["DISK_WARN_PERCENT"]:
        return Check("disk", Level.WARN, "Ruang disk", summary, figures, {"folder": str(folder)},
                     f"Ruang disk menipis: {summary}.", fix)
    return Check("disk", Level.OK, "Ruang disk", summary, figures)


def size_text(size: int) -> str:
    """Bytes for people, one decimal with a comma: "1,5 GB", "850,0 MB"."""
    for unit, scale in (("GB", 1024 ** 3), ("MB", 1024 ** 2)):
        if size >= scale:
            tenths = size * 10 // scale
            return f"{tenths // 10},{tenths % 10} {unit}"
    return f"{size // 1024} KB"
