"""A cash difference is written one way wherever it is shown: +Rp14.800 over, -Rp14.800 short
(``pos.money.format_difference``). Rp14.800 over was "Selisih total Rp14.800" on the Z screen,
"Selisih kas Rp14.800" in Tutup hari's shift table and `pos shift list`, and "selisih kas
Rp14.800" in `pos report day`, while the cards, paper and `pos shift show` said "+Rp14.800"."""
from __future__ import annotations

import re

from pos.approvals.service import Actor
from pos.auth.models import Role
from pos.auth.service import RIGHTS
from pos.clock import utcnow
from pos.shifts import service
from tests.factories import login, open_shift


def one_line(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_cash_surplus_keeps_its_plus_on_every_screen_and_command(db, client, runner, staff):
    manager = Actor(staff["manager"], staff["till"], RIGHTS[Role.MANAGER], reason="tutup")
    with db.transaction() as s:
        shift = open_shift(s, staff["till"], staff["manager"], opening_float=100_000)
        shift_id, day = shift.id, shift.business_date
    with db.transaction() as s:
        service.close_shift(s, manager, shift_id=shift_id, cash=service.Cash(114_800),
                            counted_other={}, reason="kembalian tidak diambil", now=utcnow())
    login(client, staff["manager"], staff["till"], shift=False)

    z = one_line(client.get(f"/shift/{shift_id}").get_data(as_text=True))
    assert "Selisih total +Rp14.800" in z
    closing = one_line(client.get(f"/tutup-hari?tanggal={day:%d-%m-%Y}").get_data(as_text=True))
    assert "Rp100.000 Rp114.800 +Rp14.800" in closing          # Ringkasan shift: its Selisih kas
    listed = runner.invoke(args=["shift", "list", "--date", day.isoformat()]).output
    assert "selisih kas +Rp14.800" in listed
    summed = runner.invoke(args=["report", "day", "--date", day.isoformat()]).output
    assert "selisih kas +Rp14.800" in summed
    audit = one_line(client.get(f"/laporan/log-audit?dari={day:%d-%m-%Y}&sampai={day:%d-%m-%Y}")
                     .get_data(as_text=True))
    assert "dihitung Rp114.800, selisih +Rp14.800" in audit
    assert not re.search(r"[Ss]elisih[a-z ]* Rp14\.800", " ".join([z, closing, listed, summed, audit]))
