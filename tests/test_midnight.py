"""The guard that keeps a test from straddling midnight in the outlet's zone (tests/midnight.py)."""
from __future__ import annotations

import shutil
from datetime import date, datetime, timedelta

from pos import clock
from tests import midnight


class FakeClock:
    """A naive-UTC clock that moves only when slept on."""

    def __init__(self, at: datetime):
        self.at, self.slept = at, []

    def now(self) -> datetime:
        return self.at

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.at += timedelta(seconds=seconds)


def test_a_test_starting_just_before_midnight_wita_waits_for_the_new_day():
    fake = FakeClock(datetime(2026, 12, 6, 15, 59, 30))          # 23:59:30 WITA
    slept = midnight.wait_past_turn(fake.now, fake.sleep, "Asia/Makassar", longest=60)
    assert 30 <= slept <= 31
    assert clock.business_date(fake.at, "Asia/Makassar") == date(2026, 12, 7)
    assert midnight.seconds_to_turn(fake.at, "Asia/Makassar") > 86_000


def test_a_test_starting_with_time_to_spare_starts_at_once():
    for at in (datetime(2026, 12, 6, 15, 58, 59), datetime(2026, 12, 6, 16, 0, 0),
               datetime(2026, 12, 6, 3, 0)):
        fake = FakeClock(at)
        assert midnight.wait_past_turn(fake.now, fake.sleep, "Asia/Makassar", longest=60) == 0
        assert fake.slept == []


def test_a_clock_that_does_not_move_is_waited_on_no_longer_than_a_test_takes():
    stopped = datetime(2026, 12, 6, 15, 59, 50)
    slept = []
    midnight.wait_past_turn(lambda: stopped, slept.append, "Asia/Makassar", longest=60)
    assert 60 <= sum(slept) < 75          # (then the test runs: a minute lost, never a run)


def test_the_turn_is_midnight_in_the_zone_asked_for():
    at = datetime(2026, 12, 6, 16, 59, 50)                         # 23:59:50 WIB, 00:59:50 WITA
    assert midnight.seconds_to_turn(at, "Asia/Jakarta") == 10
    assert midnight.seconds_to_turn(at, "Asia/Makassar") == 23 * 3600 + 10


def test_a_day_file_is_made_again_once_the_day_has_turned(tmp_path, monkeypatch):
    moment = [datetime(2026, 12, 6, 15, 0)]
    monkeypatch.setattr(clock, "utcnow", lambda: moment[0])
    made = []

    def make():
        path = tmp_path / f"made{len(made)}.db"
        path.write_text(str(clock.business_date(moment[0], "Asia/Makassar")))
        made.append(path)
        return path

    template = midnight.DayFile(make)
    shutil.copyfile(template, tmp_path / "a.db")
    shutil.copyfile(template, tmp_path / "b.db")
    assert len(made) == 1 and (tmp_path / "b.db").read_text() == "2026-12-06"
    moment[0] = datetime(2026, 12, 6, 16, 0, 1)                    # 00:00:01 WITA
    shutil.copyfile(template, tmp_path / "c.db")
    assert len(made) == 2 and (tmp_path / "c.db").read_text() == "2026-12-07"
