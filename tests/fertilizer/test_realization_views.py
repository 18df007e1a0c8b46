"""The realization page and its files, the redemption report per receipt (screen and XLSX),
and the farmer list's download links."""
from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from pos.fertilizer import realization
from tests.factories import login
from tests.fertilizer.test_realization import sold  # noqa: F401  (the fixture)


@pytest.fixture
def backend():
    return "sqlite"


def test_realization_page_shows_poktan_subtotals_rates_sacks_and_rupiah(client, farm, sold):  # noqa: F811
    login(client, farm["manager"])
    page = client.get("/pupuk/realisasi").get_data(as_text=True)   # the season in force
    assert ('Musim MT I 2026 (<span class="date">01-10-2026</span> s.d. '
            '<span class="date">31-03-2027</span>)') in page
    totals = page.split('id="realization-totals"')[1].split("</table>")[0]
    assert "350 kg" in totals and "200 kg" in totals and "(4 karung)" in totals
    assert "57,14%" in totals and "Rp180.000" in totals
    assert "Subtotal Poktan Tani Makmur" in page and "Subtotal Poktan Sumber Rejeki" in page
    assert "6402********0001" in page and "6402101505700001" not in page   # masked
    assert page.index("Poktan Sumber Rejeki") < page.index("Poktan Tani Makmur")
    assert "100,00%" in page and "25,00%" in page
    villages = page.split('id="realization-villages"')[1].split("</table>")[0]
    assert "Batuah" in villages and "Loa Janan Ulu" in villages
    chosen = client.get(f"/pupuk/realisasi?musim={farm['season']}")
    assert chosen.status_code == 200
    assert client.get("/pupuk/realisasi?musim=99999").status_code == 404
    assert client.get("/pupuk/realisasi?musim=abc").status_code == 400


def test_realization_files(client, farm, sold):  # noqa: F811
    login(client, farm["manager"])
    response = client.get(f"/pupuk/realisasi.xlsx?musim={farm['season']}")
    assert response.status_code == 200
    assert "realisasi-pupuk-mt-i-2026.xlsx" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).worksheets[0]
    assert sheet.title == "Realisasi"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(realization.COLUMNS)
    total = next(r for r in rows if r[0] == "total" and r[5] == "Urea")
    assert total[6:] == (350, 200, "4 karung", 150, 0.5714, 180_000, "3 karung")
    text = client.get("/pupuk/realisasi.csv").get_data(as_text=True)
    assert "total,,,,,Urea,350,200,4 karung,150,\"57,14\",180000,3 karung" in text
    assert "6402101505700001" not in text and "6402********0001" in text
    assert client.get("/pupuk/realisasi.pdf").status_code == 404


def test_the_farmer_list_links_its_download(client, farm):
    login(client, farm["manager"])
    page = client.get("/pupuk").get_data(as_text=True)
    assert f"/pupuk/realisasi.xlsx?musim={farm['season']}" in page
    assert f"/pupuk/realisasi.csv?musim={farm['season']}" in page


def test_cashiers_may_not_open_the_realization(client, farm):
    login(client, farm["user"])
    assert client.get("/pupuk/realisasi").status_code == 403
    assert client.get("/pupuk/realisasi.csv").status_code == 403


def test_redemptions_per_receipt_on_screen_and_as_xlsx(client, farm, sold):  # noqa: F811
    login(client, farm["manager"])
    page = client.get("/pupuk/penebusan?dari=01-11-2026&sampai=30-11-2026&rinci=1").get_data(as_text=True)
    table = page.split('id="redemption-receipts"')[1].split("</table>")[0]
    first = table.split(sold[0].receipt_no)[1].split("</tr>")[0]
    assert "30-11-2026" in table and "Sri Wahyuni (keluarga, NIK 6402104405900003)" in first
    assert "(1 karung)" in first and "Rp90.000" in first
    returned = table.split("retur struk")[1].split("</tr>")[0]
    assert "-50 kg" in returned and "(-1 karung)" in returned and "-Rp90.000" in returned
    assert 'id="redemption-rows"' not in page
    plain = client.get("/pupuk/penebusan?dari=01-11-2026&sampai=30-11-2026").get_data(as_text=True)
    assert 'id="redemption-rows"' in plain and 'id="redemption-receipts"' not in plain
    response = client.get("/pupuk/penebusan.xlsx?dari=01-11-2026&sampai=30-11-2026&rinci=1")
    assert "penebusan-pupuk-per-struk-2026-11-01-2026-11-30.xlsx" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).worksheets[0]
    assert sheet.title == "Penebusan per struk"
    rows = list(sheet.iter_rows(values_only=True))
    assert sheet["L2"].data_type == "n" and sheet["N2"].number_format == '"Rp"#,##0;-"Rp"#,##0'
    assert rows[1] == ("30-11-2026", sold[0].receipt_no, "penebusan", sold[0].receipt_no, "6402101505700001",
                       "Darmo Santoso", "Poktan Tani Makmur", "Loa Janan Ulu", "MT I 2026",
                       "Sri Wahyuni (keluarga, NIK 6402104405900003)", "Urea", 50, "1 karung", 90_000)
    assert rows[2][2:4] == ("penebusan", sold[1].receipt_no) and rows[2][11:] == (100, "2 karung", 180_000)
    assert rows[3][2:4] == ("retur", sold[1].receipt_no) and rows[3][11:] == (-50, "-1 karung", -90_000)


def test_no_season_yet(client, db):
    from tests.factories import make_user
    with db.transaction() as s:
        manager = make_user(s, "manajer1", "manager", "2222").id
    login(client, manager)
    page = client.get("/pupuk/realisasi")
    assert page.status_code == 200 and "Belum ada daftar e-RDKK" in page.get_data(as_text=True)
    assert client.get("/pupuk/realisasi.xlsx").status_code == 404


def test_the_farmer_list_shows_sacks_beside_the_kg_where_the_type_has_a_sack(client, db, farm):
    """The /pupuk list said kg alone where the realization report shows the sacks too."""
    from pos.inventory.catalog.models import PackUnit

    with db.transaction() as s:
        s.add(PackUnit(product_id=farm["urea"], name="karung 50 kg", qty=50_000))
    login(client, farm["manager"])
    page = client.get("/pupuk?q=darmo").get_data(as_text=True)
    quotas = page.split('class="quota-list"')[1].split("</ul>")[0]
    words = " ".join(re.sub(r"<[^>]+>", "", quotas).split())
    assert "Urea 150 kg (3 karung) / 100 kg (2 karung) / 50 kg (1 karung)" in words
    assert "NPK 200 kg / 0 kg / 200 kg" in words   # no sack pack: kg alone
    assert '<span class="quota-left"><span class="quota-figure">50 kg <span class="sacks">' in quotas


def test_the_farmer_list_refuses_a_season_that_does_not_exist(client, db, farm):
    """/pupuk?musim=999 answered 200 with the season in force, as if that were the one asked for,
    while /pupuk/realisasi.csv?musim=0 says the season does not exist: now both do."""
    login(client, farm["manager"])
    for url in ("/pupuk?musim=999", "/pupuk?musim=0&q=darmo", "/pupuk/realisasi.csv?musim=0"):
        refused = client.get(url)
        assert refused.status_code == 404, url
        assert "Musim itu tidak ada." in refused.get_data(as_text=True), url
    live = client.get("/pupuk?musim=999&q=darmo", headers={"HX-Request": "true"})
    assert live.status_code == 404 and "Musim itu tidak ada." in live.get_data(as_text=True)
    assert client.get("/pupuk?musim=abc").status_code == 400
    chosen = client.get(f"/pupuk?musim={farm['season']}&q=darmo")
    assert chosen.status_code == 200 and "Darmo Santoso" in chosen.get_data(as_text=True)
    assert "Darmo Santoso" in client.get("/pupuk?q=darmo").get_data(as_text=True)   # the season in force
