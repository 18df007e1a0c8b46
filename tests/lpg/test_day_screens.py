"""The day's LPG 3 kg on Tutup hari's preview, its confirm page and Laporan harian, before the
day closes (tubes sold with the number of sales, returned that day with the number of returns,
net), from the figures the closed day keeps: they showed only the subsidised fertiliser."""
from __future__ import annotations

import uuid
from datetime import timedelta

from pos.approvals.service import Actor
from pos.auth.models import Role
from pos.auth.service import RIGHTS
from pos.returns.service import RefundTo, Wanted, make_return
from tests.factories import login
from tests.limits.conftest import DAY, NIK_A, NIK_B, noon, pay, scan, set_buyer
from tests.lpg.test_lpg import NEW, REFILL, shop  # noqa: F401 (the fixture)
from tests.lpg.test_return_day import ZONE, close
from tests.returns.conftest import line_ids

SHOWN = DAY.strftime("%d-%m-%Y")


def block(page: str, table_id: str) -> str:
    assert f'id="{table_id}"' in page, page
    return " ".join(page.split(f'id="{table_id}"')[1].split("</table>")[0].split())


def sell_and_return_one(db, shop) -> None:  # noqa: F811
    """4 tubes in 2 sales, one refill back the same day."""
    set_buyer(db, shop["till"], NIK_A, category="rumah_tangga")
    scan(db, shop["till"], REFILL, times=2)
    scan(db, shop["till"], NEW)
    sale = pay(db, shop).sale
    set_buyer(db, shop["till"], NIK_B, category="petani")
    scan(db, shop["till"], REFILL)
    pay(db, shop)
    boss = Actor(shop["manager"], shop["till"], RIGHTS[Role.MANAGER], reason="tabung bocor")
    with db.transaction() as s:
        make_return(s, boss, sale_id=sale.id, wanted=[Wanted(line_ids(db, sale.id)[0], 1)],
                    refund_to=RefundTo.CASH, reason="tabung bocor", outlet_code="TST01",
                    timezone=ZONE, now=noon(DAY) + timedelta(hours=1),
                    idempotency_key=str(uuid.uuid4()))


def shows_the_day(text: str) -> None:
    assert "4 tabung" in text and "(2 penjualan)" in text
    assert "1 tabung" in text and "(1 retur)" in text
    assert "3 tabung" in text


def test_the_day_before_closing_shows_lpg_sold_returned_and_net(db, client, shop):  # noqa: F811
    sell_and_return_one(db, shop)
    login(client, shop["manager"])
    preview = client.get(f"/tutup-hari?tanggal={SHOWN}").get_data(as_text=True)
    shows_the_day(block(preview, "closing-lpg"))
    confirm = client.get(f"/tutup-hari/{DAY.isoformat()}/tutup").get_data(as_text=True)
    shows_the_day(block(confirm, "closing-lpg"))
    report = client.get(f"/laporan/harian?tanggal={SHOWN}").get_data(as_text=True)
    assert "LPG 3 kg" in report
    shows_the_day(block(report, "day-lpg"))
    close(db, shop, DAY, noon(DAY) + timedelta(hours=8))
    shows_the_day(block(client.get(f"/tutup-hari/{DAY.isoformat()}").get_data(as_text=True),
                        "closing-lpg"))


def test_a_day_without_lpg_shows_no_lpg_block(db, client, shop):  # noqa: F811
    login(client, shop["manager"])
    report = client.get(f"/laporan/harian?tanggal={SHOWN}").get_data(as_text=True)
    preview = client.get(f"/tutup-hari?tanggal={SHOWN}").get_data(as_text=True)
    assert 'id="day-lpg"' not in report and 'id="closing-lpg"' not in preview
