"""What a sale of subsidised fertiliser leaves behind: the receipt's notice, ``pos fertilizer
quota`` (text and JSON) and the distributor's redemption report (screen and XLSX)."""
from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from pos.approvals.service import Actor
from pos.auth.models import Role
from pos.auth.service import RIGHTS
from pos.inventory.catalog.packs import add_pack
from pos.returns.service import Wanted
from pos.sales import checkout, receipt
from pos.sales.models import SaleLine
from tests.factories import login
from tests.fertilizer.conftest import DARMO, DARMO_CARD, SUPARMI, UREA_CODE, pay, scan, set_buyer
from tests.returns.conftest import give_back

PROXY = dict(proxy_name="Sri Wahyuni", proxy_nik="6402104405900003", proxy_relation="keluarga")


@pytest.fixture
def backend():
    """Reading back what checkout wrote: SQLite is enough (quota tests race on both)."""
    return "sqlite"


@pytest.fixture
def sold(db, farm):
    """Darmo's last sack through his wife; two sacks to Suparmi, one of them returned."""
    set_buyer(db, farm["till"], DARMO, "Darmo Santoso", **PROXY)
    scan(db, farm["till"], UREA_CODE)
    first = pay(db, farm).sale
    set_buyer(db, farm["till"], SUPARMI, "Suparmi")
    scan(db, farm["till"], UREA_CODE, times=2)
    second = pay(db, farm).sale
    with db.reading() as s:
        line = s.scalar(select(SaleLine.id).where(SaleLine.sale_id == second.id))
    boss = Actor(farm["manager"], farm["till"], RIGHTS[Role.MANAGER], reason="karung basah")
    give_back(db, boss, second.id, Wanted(line, 50_000))   # the same day (NOW)
    return first, second


def test_the_receipt_says_ppn_is_not_collected_and_who_collected_it(db, farm, sold):
    with db.reading() as s:
        sale = checkout.get_sale(s, sold[0].id)
    text = "\n".join(receipt.build(sale, receipt.OutletInfo("Gerai Uji"), "Kasir", 48).lines)
    assert "Pupuk bersubsidi: PPN tidak dipungut" in text
    assert "Petani: Darmo Santoso" in text
    assert "Diambil oleh: Sri Wahyuni (keluarga), NIK 6402********0003" in " ".join(text.split())
    assert DARMO not in text and "6402104405900003" not in text


def test_quota_command_shows_allocation_taken_and_remaining(runner, db, farm, sold):
    result = runner.invoke(args=["fertilizer", "quota", DARMO_CARD, "--date", "2026-11-30"])
    assert result.exit_code == 0, result.output
    assert "Darmo Santoso (NIK 6402********0001)" in result.output
    assert "musim MT I 2026 (01-10-2026 s.d. 31-03-2027)" in result.output
    urea = next(line for line in result.output.splitlines() if line.startswith("Urea"))
    assert urea.split() == ["Urea", "150", "kg", "150", "kg", "0", "kg"]
    result = runner.invoke(args=["fertilizer", "quota", SUPARMI, "--json", "--date", "30-11-2026"])
    found = json.loads(result.output)
    assert (found["nik"], found["name"], found["season"]) == ("6402********0002", "Suparmi", "MT I 2026")
    assert found["types"] == [{"type": "urea", "label": "Urea", "allocated_g": 200_000,
                               "taken_g": 50_000, "remaining_g": 150_000, "allocated_kg": "200",
                               "taken_kg": "50", "remaining_kg": "150", "sack_g": None,
                               "remaining_sacks": None}]
    with db.transaction() as s:                     # urea sold by the 50 kg sack: 3 sacks still due
        add_pack(s, farm["urea"], "karung 50 kg", 50_000)
    result = runner.invoke(args=["fertilizer", "quota", SUPARMI, "--json", "--date", "30-11-2026"])
    [urea] = json.loads(result.output)["types"]
    assert (urea["sack_g"], urea["remaining_sacks"]) == (50_000, 3)
    refused = runner.invoke(args=["fertilizer", "quota", "6402101803770009", "--date", "2026-11-30"])
    assert refused.exit_code == 1
    assert "tidak terdaftar di e-RDKK musim MT I 2026" in refused.output


def test_the_redemption_report_on_screen_and_as_xlsx(client, farm, sold):
    login(client, farm["manager"])
    page = client.get("/pupuk/penebusan?dari=01-11-2026&sampai=30-11-2026").get_data(as_text=True)
    assert "6402101505700001" in page  # the distributor's full NIK
    assert "Sri Wahyuni (keluarga, NIK 6402104405900003)" in page and sold[0].receipt_no in page
    totals = page.split('id="redemption-totals"')[1].split("</table>")[0]
    assert "Urea" in totals and "100 kg" in totals  # 50 + 100 sold, 50 returned
    urea = totals[totals.index("Urea"):].split("</tr>")[0]   # Ditebus, Dikembalikan, Bersih
    assert [c.split(">")[-1] for c in urea.split("</td>")[1:4]] == ["150 kg", "50 kg", "100 kg"]
    empty = client.get("/pupuk/penebusan?dari=01-10-2026&sampai=31-10-2026").get_data(as_text=True)
    assert "Tidak ada penebusan pada periode ini." in empty
    response = client.get("/pupuk/penebusan.xlsx?dari=01-11-2026&sampai=30-11-2026")
    assert response.status_code == 200
    assert "penebusan-pupuk-2026-11-01-2026-11-30.xlsx" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data), read_only=True).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert sheet.title == "Penebusan"
    assert rows[0] == ["nik", "nama", "kelompok_tani", "desa", "musim", "jenis_pupuk", "kg", "gram",
                       "struk", "diambil_oleh", "ditebus_gram", "dikembalikan_gram"]
    assert rows[1] == [DARMO, "Darmo Santoso", "Poktan Tani Makmur", "Loa Janan Ulu", "MT I 2026",
                       "Urea", 50, 50_000, sold[0].receipt_no,
                       "Sri Wahyuni (keluarga, NIK 6402104405900003)", 50_000, 0]   # kg a number Excel sums
    assert rows[2][:1] + rows[2][5:8] + rows[2][9:12] == [
        SUPARMI, "Urea", 50, 50_000, "petani sendiri", 100_000, 50_000]   # as the screen says
    assert rows[2][8].startswith(f"{sold[1].receipt_no}, R-")   # the sale, then its return
    bad = client.get("/pupuk/penebusan?dari=30-11-2026&sampai=01-11-2026")
    assert bad.status_code == 422 and "Tanggal awal harus sebelum" in bad.get_data(as_text=True)


def test_a_farmers_own_collection_beside_a_proxys_is_named_too(client, db, farm, sold):
    """Suparmi took her sacks herself, then one through a proxy: the row named only the proxy."""
    set_buyer(db, farm["till"], SUPARMI, "Suparmi", **PROXY)
    scan(db, farm["till"], UREA_CODE)
    pay(db, farm)
    login(client, farm["manager"])
    response = client.get("/pupuk/penebusan.xlsx?dari=01-11-2026&sampai=30-11-2026")
    rows = [list(r) for r in load_workbook(io.BytesIO(response.data), read_only=True)
            .worksheets[0].iter_rows(values_only=True)]
    assert rows[2][0] == SUPARMI and rows[2][7] == 100_000
    assert rows[2][9] == "petani sendiri, Sri Wahyuni (keluarga, NIK 6402104405900003)"
    page = client.get("/pupuk/penebusan?dari=01-11-2026&sampai=30-11-2026").get_data(as_text=True)
    assert "petani sendiri, Sri Wahyuni (keluarga, NIK 6402104405900003)" in page


def test_cashiers_may_not_open_the_report(client, farm):
    login(client, farm["user"])
    assert client.get("/pupuk/penebusan").status_code == 403
    assert client.get("/pupuk").status_code == 403


def test_report_command_lists_rows_and_totals_and_writes_xlsx(runner, farm, sold, tmp_path):
    path = tmp_path / "penebusan.xlsx"
    result = runner.invoke(args=["fertilizer", "report", "--from", "2026-11-01", "--to", "2026-11-30",
                                 "--xlsx", str(path)])
    assert result.exit_code == 0, result.output
    assert f"{DARMO}  Darmo Santoso" in result.output
    assert "Jumlah Urea: 100 kg" in result.output
    rows = list(load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 3 and rows[1][0] == DARMO
    assert rows[1][6] == 50   # kg as a number
