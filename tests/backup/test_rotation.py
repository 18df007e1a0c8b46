"""Rotation keeps the newest backup of each of the last 14 days and of each of the last 12
months, never fewer than the newest 14 whatever their dates, deletes nothing when today is far
past the newest backup, and deletes only backups."""
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
    # the last 14 days' backups (2-15 June), so the newest 14 are there and the windows decide
    daily = {datetime(2026, 6, day, 21) for day in range(2, 16)}
    taken = [*daily, datetime(2026, 6, 1, 3), datetime(2026, 6, 1, 21), datetime(2026, 5, 2, 21),
             datetime(2025, 6, 30, 21), datetime(2025, 7, 1, 3), datetime(2026, 6, 16, 1)]
    kept = rotation.keep(taken, TODAY)
    # June 2025 is 13 months back; 16 June 2026 is after today (the clock was set back): kept;
    # 1 June is neither in the 14 days nor June's newest
    assert kept == daily | {datetime(2026, 5, 2, 21), datetime(2025, 7, 1, 3), datetime(2026, 6, 16, 1)}


def test_rotate_deletes_only_old_backups(tmp_path):
    names = [copy.name_for(datetime(2026, 6, 15, 21)), copy.name_for(datetime(2026, 6, 15, 3)),
             copy.name_for(datetime(2026, 5, 30, 21)), copy.name_for(datetime(2026, 5, 31, 21)),
             copy.name_for(datetime(2024, 1, 1, 21)), "catatan.txt", "gerai-rusak.db.gz"]
    daily = [copy.name_for(datetime(2026, 6, day, 21)) for day in range(2, 15)]   # 14 with 15 June's
    for name in [*names, *daily]:
        (tmp_path / name).write_bytes(b"x")
    rotated = rotation.rotate(tmp_path, TODAY)
    assert rotated.held is None
    assert sorted(p.name for p in rotated.gone) == sorted([names[1], names[2], names[4]])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([names[0], names[3], "catatan.txt",
                                                                 "gerai-rusak.db.gz", *daily])


def test_a_clock_running_ahead_never_leaves_fewer_than_the_newest_14():
    """A clock 20 days fast: no backup falls in the 14 days before its today, and the rule alone
    kept one of the last 14 real days (May's newest). Whatever their dates, the newest 14 stay."""
    real = [datetime(2026, 5, day, 21) for day in range(1, 32)]     # every evening of May
    kept = rotation.keep([*real, datetime(2026, 6, 20, 21)], date(2026, 6, 20))
    assert kept == set(real[-13:]) | {datetime(2026, 6, 20, 21)}
    few = [datetime(2025, 1, 5, 21), datetime(2025, 3, 5, 21), datetime(2026, 6, 15, 21)]
    assert rotation.keep(few, TODAY) == set(few)                       # fewer than 14: all stay


def test_nothing_is_deleted_when_today_is_far_past_the_newest_backup_and_it_says_why(tmp_path):
    old = [datetime(2026, 1, 5, 21), datetime(2026, 3, 5, 21), datetime(2026, 5, 14, 21)]
    for at in old:
        (tmp_path / copy.name_for(at)).write_bytes(b"x")
    made = tmp_path / copy.name_for(datetime(2026, 6, 15, 21))   # 32 days after the newest
    made.write_bytes(b"x")
    rotated = rotation.rotate(tmp_path, TODAY, made=made)
    assert rotated.gone == [] and len(list(tmp_path.iterdir())) == 4
    assert rotated.held == (
        "Cadangan lama tidak dihapus: cadangan terbaru sebelum ini bertanggal 14-05-2026, 32 hari "
        "sebelum tanggal komputer (15-06-2026). Jam komputer mungkin terlalu cepat, atau pencadangan "
        "sudah lama terhenti. Periksa tanggal komputer (date atau timedatectl) dan setel bila salah "
        "sebelum pencadangan berikutnya.")
    (tmp_path / copy.name_for(datetime(2026, 5, 15, 21))).write_bytes(b"x")   # 31 days: rotated
    assert rotation.rotate(tmp_path, TODAY, made=made) == rotation.Rotated([], None)
