"""The day's subsidised fertiliser on Laporan harian and on Tutup hari's preview (kg per type
redeemed and returned), and the types in the e-RDKK order everywhere, the closed day's stored
summary too (its JSON keys come back sorted: NPK read before Urea)."""
from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from pos.closing import export
from pos.days.models import BusinessDay
from tests.factories import login
from tests.fertilizer.conftest import DAY, NOW
from tests.fertilizer.test_day_types import give_back, sell
from tests.fertilizer.test_ledger_journal import close

SHOWN = DAY.strftime("%d-%m-%Y")


def block(page: str, table_id: str) -> str:
    assert f'id="{table_id}"' in page, page
    return page.split(f'id="{table_id}"')[1].split("</table>")[0]


def cells(html: str) -> list[str]:
    return [row.split("</tr>")[0] for row in html.split("<tr")[1:]]


def test_the_day_report_shows_the_fertiliser_per_type_in_the_types_order(client, db, farm):
    give_back(db, farm, sell(db, farm), 12_500)   # urea 150 kg, NPK 50 kg; 12,5 kg urea back
    login(client, farm["manager"])
    page = client.get(f"/laporan/harian?tanggal={SHOWN}").get_data(as_text=True)
    rows = cells(block(page, "day-fertilizer"))
    assert "Pupuk bersubsidi" in page
    urea = rows.index(next(r for r in rows if "Urea" in r))
    npk = rows.index(next(r for r in rows if "NPK" in r))
    assert urea < npk
    assert "150 kg" in rows[urea] and "12,5 kg" in rows[urea] and "137,5 kg" in rows[urea]
    assert "50 kg" in rows[npk]
    assert "187,5 kg" in rows[-1] and "Total" in rows[-1]


def test_a_day_without_fertiliser_shows_no_block(client, db, farm):
    login(client, farm["manager"])
    sell(db, farm)
    page = client.get(f"/laporan/harian?tanggal={(DAY + timedelta(days=1)):%d-%m-%Y}").get_data(as_text=True)
    assert 'id="day-fertilizer"' not in page


def test_the_preview_and_the_closed_summary_list_urea_before_npk(client, db, farm):
    sell(db, farm)
    login(client, farm["manager"])
    preview = client.get(f"/tutup-hari?tanggal={SHOWN}").get_data(as_text=True)
    rows = cells(block(preview, "closing-fertilizer"))
    assert "Urea" in rows[1] and "150 kg" in rows[1] and "NPK" in rows[2] and "50 kg" in rows[2]
    close(db, farm, DAY, NOW + timedelta(hours=8))
    with db.reading() as s:
        stored = json.loads(s.scalar(select(BusinessDay.summary).where(BusinessDay.business_date == DAY)))
    assert list(stored["fertilizer_types"]) == ["npk", "urea"]   # as JSON keeps them
    items = [row["item"] for row in export.lines(stored) if row["section"] == "Barang diatur"]
    assert items[1:3] == ["Penebusan pupuk bersubsidi Urea: 150 kg", "Penebusan pupuk bersubsidi NPK: 50 kg"]
    closed = client.get(f"/tutup-hari/{DAY.isoformat()}").get_data(as_text=True)
    rows = cells(block(closed, "closing-fertilizer"))
    assert "Urea" in rows[1] and "NPK" in rows[2]
    lines = block(closed, "closing-lines")
    assert lines.index("pupuk bersubsidi Urea") < lines.index("pupuk bersubsidi NPK")
