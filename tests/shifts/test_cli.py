"""``pos shift list`` and ``pos shift show``: the day's shifts and a report, as text and JSON."""
from __future__ import annotations

import json
from datetime import timedelta

from pos.approvals.service import Actor
from pos.auth.models import Role
from pos.auth.service import RIGHTS
from pos.clock import business_date, utcnow
from pos.shifts import service
from pos.shifts.models import CashDirection
from tests.factories import open_shift


def test_list_and_show_a_closed_and_an_open_shift(db, runner, staff):
    manager = Actor(staff["manager"], staff["till"], RIGHTS[Role.MANAGER], reason="tutup")
    with db.transaction() as s:
        first = open_shift(s, staff["till"], staff["manager"], opening_float=100_000)
        day = first.business_date
        service.move_cash(s, manager, direction=CashDirection.OUT, amount=30_000,
                          reason="setor bank", day=day, now=utcnow(), approval_above=500_000)
    with db.transaction() as s:
        service.close_shift(s, manager, shift_id=first.id, cash=service.Cash(60_000),
                            counted_other={}, reason="kurang", now=utcnow())
    with db.transaction() as s:
        second = open_shift(s, staff["till"], staff["cashier"], opening_float=60_000)

    listed = json.loads(runner.invoke(args=["shift", "list", "--date", day.isoformat(),
                                            "--json"]).output)
    assert [(r["id"], r["difference"], r["cash_difference"]) for r in listed] == [
        (first.id, -10_000, -10_000), (second.id, None, None)]
    text = runner.invoke(args=["shift", "list", "--date", day.isoformat()]).output
    assert "2 shift" in text and "selisih kas -Rp10.000" in text

    shown = json.loads(runner.invoke(args=["shift", "show", str(first.id), "--json"]).output)
    assert {k: shown[k] for k in ("id", "till", "opening_float", "expected", "counted",
                                  "difference", "reason")} == {
        "id": first.id, "till": "Kasir-1", "opening_float": 100_000, "expected": {"cash": 70_000},
        "counted": {"cash": 60_000}, "difference": -10_000, "reason": "kurang"}
    assert shown["closed_at"] and shown["business_date"] == day.isoformat()
    assert shown["movements"][0]["reason"] == "setor bank"
    report = runner.invoke(args=["shift", "show", str(first.id)]).output
    assert "LAPORAN Z" in report and "setor bank" in report and "Alasan: kurang" in report
    x = runner.invoke(args=["shift", "show", str(second.id)]).output
    assert "LAPORAN X" in x
    missing = runner.invoke(args=["shift", "show", "999"])
    assert missing.exit_code != 0 and "Shift tidak ditemukan" in missing.output
    bad = runner.invoke(args=["shift", "list", "--date", "31-11-2026"])
    assert bad.exit_code == 2 and "31-11-2026 tidak ada" in bad.output


def test_show_gives_the_floats_difference_from_the_last_closing(db, runner, staff):
    """Rp60.000 counted at the close, Rp50.000 in the drawer at the next opening: the JSON says
    so (new keys), its other keys as they were."""
    manager = Actor(staff["manager"], staff["till"], RIGHTS[Role.MANAGER], reason="tutup")
    with db.transaction() as s:
        first = open_shift(s, staff["till"], staff["manager"], opening_float=60_000)
    with db.transaction() as s:
        service.close_shift(s, manager, shift_id=first.id, cash=service.Cash(60_000),
                            counted_other={}, reason=None, now=utcnow())
        second = service.open_shift(s, till_id=staff["till"], cashier_id=staff["manager"],
                                    cash=service.Cash(50_000), note="Rp10.000 ke bendahara",
                                    day=first.business_date, now=utcnow(), actor=manager)
    shown = json.loads(runner.invoke(args=["shift", "show", str(second.id), "--json"]).output)
    assert {k: shown[k] for k in ("previous_counted", "opening_difference", "opening_note",
                                  "opening_approved_by")} == {
        "previous_counted": 60_000, "opening_difference": -10_000,
        "opening_note": "Rp10.000 ke bendahara", "opening_approved_by": "Manajer1"}
    assert (shown["opening_float"], shown["difference"], shown["counted"]) == (50_000, None, None)
    first_shown = json.loads(runner.invoke(args=["shift", "show", str(first.id), "--json"]).output)
    assert (first_shown["previous_counted"], first_shown["opening_difference"]) == (None, None)
    text = runner.invoke(args=["shift", "show", str(second.id)]).output
    assert "Selisih kas awal" in text and "-Rp10.000" in text and "Rp10.000 ke bendahara" in text


def test_list_gives_each_floats_difference_as_show_does(db, runner, staff):
    """``pos shift list --json`` had no opening difference where ``show --json`` has one: the
    same keys, the same values, per shift; the text line says it when there is one."""
    manager = Actor(staff["manager"], staff["till"], RIGHTS[Role.MANAGER], reason="tutup")
    with db.transaction() as s:
        first = open_shift(s, staff["till"], staff["manager"], opening_float=60_000)
    with db.transaction() as s:
        service.close_shift(s, manager, shift_id=first.id, cash=service.Cash(60_000),
                            counted_other={}, reason=None, now=utcnow())
        second = service.open_shift(s, till_id=staff["till"], cashier_id=staff["manager"],
                                    cash=service.Cash(50_000), note="Rp10.000 ke bendahara",
                                    day=first.business_date, now=utcnow(), actor=manager)
    day = first.business_date.isoformat()
    listed = json.loads(runner.invoke(args=["shift", "list", "--date", day, "--json"]).output)
    keys = ("opening_float", "previous_counted", "opening_difference", "opening_note",
            "opening_approved_by")
    for row, shift in zip(listed, (first, second), strict=True):
        shown = json.loads(runner.invoke(args=["shift", "show", str(shift.id), "--json"]).output)
        assert row["id"] == shift.id and {k: row[k] for k in keys} == {k: shown[k] for k in keys}
    assert {k: listed[1][k] for k in keys} == {
        "opening_float": 50_000, "previous_counted": 60_000, "opening_difference": -10_000,
        "opening_note": "Rp10.000 ke bendahara", "opening_approved_by": "Manajer1"}
    assert (listed[0]["previous_counted"], listed[0]["opening_difference"]) == (None, None)
    text = runner.invoke(args=["shift", "list", "--date", day]).output.splitlines()
    assert "selisih kas awal" not in text[0] and text[1].endswith("selisih kas awal -Rp10.000")


def test_list_refuses_a_day_not_yet_come(db, runner, staff):
    """``pos shift list --date <besok>`` printed "0 shift", as if the day had had none."""
    today = business_date(utcnow(), "Asia/Makassar")
    later = today + timedelta(days=1)
    for args in (["shift", "list", "--date", later.isoformat()],
                 ["shift", "list", "--date", later.isoformat(), "--json"]):
        ahead = runner.invoke(args=args)
        assert ahead.exit_code == 1
        assert ahead.output == f"Galat: Hari {later:%d-%m-%Y} belum tiba (hari ini {today:%d-%m-%Y}).\n"
    assert runner.invoke(args=["shift", "list", "--date", today.isoformat()]).output == "0 shift\n"


def test_report_day_text_gives_the_floats_difference_the_cash_moved_and_every_tenders_difference(
        db, runner, staff):
    """``pos report day`` said only "selisih kas", where the closing screen, its CSV/XLSX and the
    JSON also give the float's difference from the last closing (only when there is one, as the
    screen), the Kas masuk/keluar and the difference over every tender."""
    manager = Actor(staff["manager"], staff["till"], RIGHTS[Role.MANAGER], reason="tutup")
    with db.transaction() as s:
        first = open_shift(s, staff["till"], staff["manager"], opening_float=60_000)
        day = first.business_date
        service.move_cash(s, manager, direction=CashDirection.IN, amount=50_000,
                          reason="uang kecil", day=day, now=utcnow(), approval_above=500_000)
        service.move_cash(s, manager, direction=CashDirection.OUT, amount=20_000,
                          reason="beli plastik", day=day, now=utcnow(), approval_above=500_000)
    with db.transaction() as s:   # the cash as expected, QRIS Rp5.000 more than sold
        service.close_shift(s, manager, shift_id=first.id, cash=service.Cash(90_000),
                            counted_other={"qris": 5_000}, reason="QRIS lebih", now=utcnow())
    before = runner.invoke(args=["report", "day", "--date", day.isoformat()]).output
    assert "selisih kas Rp0" in before and "selisih kas awal shift" not in before
    assert "selisih semua cara bayar +Rp5.000" in before
    with db.transaction() as s:
        service.open_shift(s, till_id=staff["till"], cashier_id=staff["manager"],
                           cash=service.Cash(80_000), note="Rp10.000 ke bendahara", day=day,
                           now=utcnow(), actor=manager)
    lines = [line.strip() for line in
             runner.invoke(args=["report", "day", "--date", day.isoformat()]).output.splitlines()]
    assert "kas masuk 1  Rp50.000" in lines and "kas keluar 1  -Rp20.000" in lines
    assert "selisih kas awal shift -Rp10.000" in lines
    assert "selisih semua cara bayar +Rp5.000" in lines
