"""Rotation keeps the newest backup of each of the last 14 days and of each of the last 12
months, and deletes only backups."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from pos.backup import copy, rotation

TODAY = date(2026, 6, 15)


def test_keep_daily_14_and_monthly_12_on_explicit_dates():
    # two backups a day (03:00 and 21:00) every day for two years before TODAY
    taken = [datetime(d.year, d.month, d.day, hour)
             for d in (TODAY - timedelta(days=n) for n in range(730)) for hour in (3, 21)]
    kept = rotation.keep(taken, TODAY)
    daily = {datetime(d.year, d.month, d.day, 21) for d in (TODAY - timedelta(days=n) for n in range(14))}
    # the newest of each month from July 2025 to June 2026 (June's is today's)
    ends = [(2026, 5, 31), (2026, 4, 30), (2026, 3, 31), (2026, 2, 28), (2026, 1, 31), (2025, 12, 31),
            (2025, 11, 30), (2025, 10, 31), (2025, 9, 30), (2025, 8, 31), (2025, 7, 31)]
    monthly = {datetime(2026, 6, 15, 21)} | {datetime(y, m, last, 21) for y, m, last in ends}
    assert kept == daily | monthly
    assert len(kept) == 14 + 11  # June's monthly is today's daily


def test_keep_with_gaps_and_a_late_month():
    taken = [datetime(2026, 6, 1, 3), datetime(2026, 6, 1, 21), datetime(2026, 5, 2, 21),
             datetime(2025, 6, 30, 21), datetime(2025, 7, 1, 3), datetime(2026, 6, 16, 1)]
    kept = rotation.keep(taken, TODAY)
    # June 2025 is 13 months back; 16 June 2026 is after today (the clock was set back): kept
    assert kept == {datetime(2026, 6, 1, 21), datetime(2026, 5, 2, 21), datetime(2025, 7, 1, 3),
                    datetime(2026, 6, 16, 1)}


def test_rotate_deletes_only_old_backups(tmp_path):
    names = [copy.name_for(datetime(2026, 6, 15, 21)), copy.name_for(datetime(2026, 6, 15, 3)),
             copy.name_for(datetime(2026, 5, 30, 21)), copy.name_for(datetime(2026, 5, 31, 21)),
             copy.name_for(datetime(2024, 1, 1, 21)), "catatan.txt", "gerai-rusak.db.gz"]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    gone = rotation.rotate(tmp_path, TODAY)
    assert sorted(p.name for p in gone) == sorted([names[1], names[2], names[4]])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([names[0], names[3], "catatan.txt",
                                                                 "gerai-rusak.db.gz"])
