"""``pos restore`` of a backup made before a business day was closed: the restore would open the
day again (its closing, and the sales after the backup, gone; the hub already holding its figures,
so closing it again is refused there for good). The walk-through's: sell, backup, sell, close the
day, ``pos ledger push``, ``pos restore`` of the backup: nothing said, the day open again. Now
refused with the day named, unless ``--buka-hari-lagi``, which says it as a warning."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pos.backup import days
from pos.days.models import BusinessDay
from pos.ledger.models import LedgerOutbox, OutboxStatus
from pos.sales.models import Sale
from tests.backup.helpers import backups, sell, sqlite_only, stock_shop

DAY = date(2026, 12, 7)


def sales(db) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(Sale))


def closed_days(db) -> list[date]:
    with db.reading() as s:
        return list(s.scalars(select(BusinessDay.business_date)))


def take(runner, folder: Path) -> Path:
    result = runner.invoke(args=["backup", "--to", str(folder)])
    assert result.exit_code == 0, result.output
    return backups(folder)[-1] if backups(folder) else sorted(folder.glob("gerai-*.pgdump"))[-1]


def close_day(db, user_id: int, day: date = DAY, sent: bool = True) -> None:
    """The day's lock and its ledger document, as closing the day (and ``pos ledger push``) leave them."""
    with db.transaction() as s:
        s.add(BusinessDay(business_date=day, closed_by=user_id, summary="{}", summary_hash="0" * 64))
        s.add(LedgerOutbox(document_id=f"TST01-{day:%Y%m%d}", kind="day", business_date=day, body="{}",
                           content_hash="0" * 64, status=OutboxStatus.SENT if sent else OutboxStatus.PENDING))


def check_refused_then_reopened(db, runner, made: Path, aside) -> None:
    result = runner.invoke(args=["restore", "--yes", str(made)])
    assert result.exit_code == 1, result.output
    assert "Hari 07-12-2026 (terkirim ke hub) sudah ditutup sesudah cadangan ini dibuat" in result.output
    assert "hub buku besar sudah menerima angka hari itu" in result.output
    assert "--buka-hari-lagi" in result.output and "Tidak ada yang diubah." in result.output
    assert "Basis data dipulihkan" not in result.output
    assert sales(db) == 2 and closed_days(db) == [DAY] and aside() == []
    result = runner.invoke(args=["restore", "--yes", "--buka-hari-lagi", str(made)])
    assert result.exit_code == 0, result.output
    assert "Perhatian (--buka-hari-lagi): Hari 07-12-2026 (terkirim ke hub)" in result.output
    assert "Basis data dipulihkan" in result.output
    assert sales(db) == 1 and closed_days(db) == []


@sqlite_only
def test_a_backup_from_before_a_closed_day_is_refused_unless_asked_for(db, backend, runner, tmp_path):
    [shop] = stock_shop(db, 1)
    sell(db, *shop)
    made = take(runner, tmp_path / "cadangan")
    sell(db, *shop)
    close_day(db, shop[1])
    live = Path(db.engine.url.database)
    check_refused_then_reopened(db, runner, made,
                                lambda: list(live.parent.glob("pos.db.sebelum-pulih-*")))
    assert list(live.parent.glob(".pulih-*")) == []   # the refusal left no decompressed copy


@sqlite_only
def test_a_backup_made_after_the_day_was_closed_is_restored_without_a_word(db, backend, runner, tmp_path):
    [shop] = stock_shop(db, 1)
    sell(db, *shop)
    close_day(db, shop[1], sent=False)
    made = take(runner, tmp_path / "cadangan")
    close_day(db, shop[1], date(2026, 12, 8), sent=False)   # not sent yet: said so
    result = runner.invoke(args=["restore", "--yes", str(made)])
    assert result.exit_code == 1, result.output
    assert "Hari 08-12-2026 sudah ditutup" in result.output
    assert "dokumen buku besarnya yang belum terkirim ikut hilang" in result.output
    db.engine.dispose()
    with db.transaction() as s:
        s.delete(s.get(BusinessDay, date(2026, 12, 8)))
    result = runner.invoke(args=["restore", "--yes", str(made)])
    assert result.exit_code == 0, result.output
    assert "Perhatian" not in result.output and closed_days(db) == [DAY]


def test_the_tables_named_are_the_models():
    assert days.DAYS.name == BusinessDay.__tablename__ and days.OUTBOX.name == LedgerOutbox.__tablename__
    assert days.SENT == OutboxStatus.SENT.value


@pytest.mark.postgres
def test_a_pgdump_from_before_a_closed_day_is_refused_unless_asked_for(pg_db, pg_shop, pg_runner, tmp_path):
    sell(pg_db, *pg_shop[0])
    made = take(pg_runner, tmp_path / "cadangan")
    sell(pg_db, *pg_shop[0])
    close_day(pg_db, pg_shop[0][1])
    live = pg_db.engine.url.database

    def aside():
        with pg_db.engine.connect() as conn:
            return conn.exec_driver_sql("SELECT datname FROM pg_database WHERE starts_with(datname, %s) "
                                        "AND datname <> %s", (live, live)).scalars().all()
    check_refused_then_reopened(pg_db, pg_runner, made, aside)
