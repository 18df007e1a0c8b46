"""``pos day close`` / ``pos day status`` and ``pos report day`` for a closed day."""
from __future__ import annotations

import hashlib
import json
from datetime import timedelta

from pos.clock import business_date, utcnow
from pos.days.models import BusinessDay
from tests.closing.conftest import DAY, SOAP, close_shifts, lived_before, sell_on, start_shift
from tests.factories import make_user


def test_closing_from_the_command_line_once(runner, db, shop):
    sell_on(db, shop, (SOAP, 2))
    refused = runner.invoke(args=["day", "close", "--date", DAY.isoformat()])
    assert refused.exit_code != 0 and "shift masih terbuka" in refused.output
    status = runner.invoke(args=["day", "status", "--date", DAY.isoformat()])
    assert "Hari 20-11-2026: terbuka" in status.output and "Kasir-1, Kasir1" in status.output
    close_shifts(db, shop)
    done = runner.invoke(args=["day", "close", "--date", DAY.isoformat()])
    assert done.exit_code == 0, done.output
    with db.reading() as s:
        row = s.get(BusinessDay, DAY)
    assert done.output.splitlines() == ["Hari 20-11-2026 ditutup", f"sha256 {row.summary_hash}"]
    assert row.closed_by == shop["manager"]
    assert hashlib.sha256(row.summary.encode()).hexdigest() == row.summary_hash
    again = runner.invoke(args=["day", "close", "--date", DAY.isoformat()])
    assert again.exit_code != 0 and "sudah ditutup; penutupan tidak diulang" in again.output
    status = runner.invoke(args=["day", "status", "--date", DAY.isoformat()])
    assert "Hari 20-11-2026: ditutup" in status.output and "oleh Manajer1" in status.output
    shown = runner.invoke(args=["report", "day", "--date", DAY.isoformat(), "--json"])
    assert shown.stdout == row.summary + "\n"
    text = runner.invoke(args=["report", "day", "--date", DAY.isoformat()]).output
    assert "(ditutup): 1 transaksi" in text and "selisih kas Rp0" in text


def test_the_closer_must_be_a_manager(runner, db, shop):
    lived_before(db, shop)
    refused = runner.invoke(args=["day", "close", "--date", DAY.isoformat(), "--user", "kasir1"])
    assert refused.exit_code != 0 and "Hanya manajer" in refused.output
    with db.transaction() as s:
        other = make_user(s, "manajer2", "manager", "3333").id
    done = runner.invoke(args=["day", "close", "--date", DAY.isoformat(), "--user", "manajer2"])
    assert done.exit_code == 0, done.output
    with db.reading() as s:
        assert s.get(BusinessDay, DAY).closed_by == other


def test_bad_dates_and_an_open_day_report(runner, db, shop):
    lived_before(db, shop)   # the outlet's books begin the day before DAY
    bad = runner.invoke(args=["day", "close", "--date", "31-11-2026"])
    assert bad.exit_code == 2 and "31-11-2026 tidak ada: November 2026 hanya 30 hari." in bad.output
    day_first = runner.invoke(args=["day", "status", "--date", DAY.strftime("%d-%m-%Y")])
    assert day_first.exit_code == 0, day_first.output                  # as the screens write it
    assert day_first.output.startswith(f"Hari {DAY:%d-%m-%Y}: terbuka")
    future = runner.invoke(args=["day", "close", "--date", "2099-01-01"])
    assert future.exit_code != 0 and "belum tiba" in future.output
    for slip in ("2999-01-01", "0001-01-01", "20261120", "2026-W47-5"):  # never a traceback
        refused = runner.invoke(args=["day", "close", "--date", slip])
        assert refused.exit_code == 2 and "--date" in refused.output, slip
    before = runner.invoke(args=["day", "close", "--date", "2020-01-01"])
    assert before.exit_code != 0 and "tidak dapat ditutup: kegiatan pertama gerai" in before.output
    start_shift(db, shop)
    report = json.loads(runner.invoke(args=["report", "day", "--date", DAY.isoformat(),
                                            "--json"]).stdout)
    assert report["closed"] is False and report["shifts"][0]["closed_at"] is None


def test_a_day_not_yet_come_or_before_the_first_activity_is_refused_by_report_and_status(runner, db, shop):
    """``pos report day --date <besok>`` printed "(terbuka): 0 transaksi, total Rp0" and exit 0,
    ``pos day status`` "Hari 31-12-2026: terbuka", and 01-01-2020 a day of zeros: each now one
    Galat line, worded as the screens' and the close's refusals."""
    today = business_date(utcnow(), "Asia/Makassar")
    later = today + timedelta(days=1)
    for args in (["report", "day", "--date", later.isoformat()],
                 ["report", "day", "--date", later.isoformat(), "--json"]):
        ahead = runner.invoke(args=args)
        assert ahead.exit_code == 1 and ahead.output == (
            f"Galat: Hari {later:%d-%m-%Y} belum tiba (hari ini {today:%d-%m-%Y}): belum ada ringkasan.\n")
    status = runner.invoke(args=["day", "status", "--date", later.isoformat()])
    assert status.exit_code == 1
    assert status.output == f"Galat: Hari {later:%d-%m-%Y} belum tiba (hari ini {today:%d-%m-%Y}).\n"
    sell_on(db, shop, (SOAP, 1))
    early = runner.invoke(args=["report", "day", "--date", "2020-01-01"])
    assert early.exit_code == 1 and early.output == (
        f"Galat: Hari 01-01-2020 tidak punya ringkasan: kegiatan pertama gerai pada {DAY:%d-%m-%Y}. "
        "Periksa tanggalnya.\n")
    never = runner.invoke(args=["day", "status", "--date", "2020-01-01"])
    assert never.exit_code == 1 and "Hari 01-01-2020 tidak pernah dibuka: kegiatan pertama" in never.output
    assert runner.invoke(args=["report", "day", "--date", DAY.isoformat()]).exit_code == 0
    assert runner.invoke(args=["day", "status", "--date", DAY.isoformat()]).exit_code == 0
    assert runner.invoke(args=["day", "status", "--date", today.isoformat()]).exit_code == 0
