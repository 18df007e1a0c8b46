"""The SHU screens: behind the login, simulate from the form, bad input in Indonesian with
nothing stored, freeze with its confirmation, the XLSX and a member's printable slip."""
from __future__ import annotations

import io
import re

from openpyxl import load_workbook

from pos.ledger_hub import shu_runs
from tests.ledger_hub.shu_helpers import clean_shu_tables  # noqa: F401  (autouse fixture)
from tests.ledger_hub.test_shu_runs import year_2025  # noqa: F401  (fixture)
from tests.ledger_hub.web_helpers import sign_in

FORM = {"reserve": "25", "jasa_anggota": "30", "jasa_modal": "20", "pendidikan": "10", "pengurus": "10",
        "lainnya": "5", "dasar_simpanan": "pokok_wajib", "pool": ""}


def test_shu_pages_need_an_operator(hub_client):
    answer = hub_client.get("/shu/?tahun=2025")
    assert answer.status_code == 303 and "/masuk" in answer.headers["Location"]
    assert hub_client.get("/shu/2025/anggota/A-001").status_code == 303


def test_simulate_freeze_slip_and_xlsx(hub_client, hub_db, year_2025):  # noqa: F811
    token = sign_in(hub_client, hub_db)
    page = hub_client.get("/shu/?tahun=2025")
    assert page.status_code == 200 and "Belum ada simulasi SHU tahun 2025" in page.text
    assert "script-src" in page.headers["Content-Security-Policy"] and "<script>" not in page.text
    bad = hub_client.post("/shu/2025/simulasi", data={**FORM, "reserve": "24", "csrf_token": token})
    assert bad.status_code == 422 and "harus 100%, sekarang 99,00%" in bad.text
    worse = hub_client.post("/shu/2025/simulasi", data={**FORM, "reserve": "dua", "csrf_token": token})
    assert worse.status_code == 422 and "Cadangan: tulis persen sebagai angka" in worse.text
    with hub_db.reading() as s:
        assert shu_runs.years(s) == []
    done = hub_client.post("/shu/2025/simulasi", data={**FORM, "csrf_token": token})
    assert done.status_code == 303 and done.headers["Location"].endswith("/shu/?tahun=2025")
    page = hub_client.get("/shu/?tahun=2025")
    assert "Simulasi (belum disahkan)" in page.text and "Rp134.583" in page.text and "A-003" in page.text
    with hub_db.reading() as s:
        run_id = shu_runs.show(s, 2025).id
    unconfirmed = hub_client.post("/shu/2025/bekukan", data=_freeze_form(token, run_id, konfirmasi=""))
    assert unconfirmed.status_code == 422 and "Centang konfirmasi" in unconfirmed.text
    answer = hub_client.post("/shu/2025/bekukan", data=_freeze_form(token, run_id))
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/shu/?tahun=2025")
    frozen = hub_client.get("/shu/?tahun=2025")   # a reload sends nothing again
    assert frozen.status_code == 200 and "SHU tahun 2025 dibekukan." in frozen.text
    assert "SHU tahun 2025 dibekukan." not in hub_client.get("/shu/?tahun=2025").text   # said once
    assert "2025 · dibekukan" in frozen.text and "final" not in frozen.text   # as the page says it
    assert 'id="shu-form"' not in frozen.text   # no settings form for a frozen year
    again = hub_client.post("/shu/2025/simulasi", data={**FORM, "csrf_token": token})
    assert again.status_code == 409 and "sudah dibekukan" in again.text
    slip = hub_client.get("/shu/2025/anggota/A-001")
    assert slip.status_code == 200 and "Rp134.583" in slip.text and "Andi" in slip.text
    assert "Dibekukan (disahkan rapat anggota)" in slip.text and "Ketua Rapat" in slip.text
    assert hub_client.get("/shu/2025/anggota/Z-9").status_code == 404
    small = hub_client.get("/shu/2025/anggota/a-001")     # as typed, in small letters: found
    assert small.status_code == 200 and "Rp134.583" in small.text
    sheet = hub_client.get("/shu/2025/xlsx")
    assert sheet.status_code == 200 and "shu_2025_dibekukan.xlsx" in sheet.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(sheet.data))
    rows = list(book["SHU tahun buku 2025"].iter_rows(values_only=True))
    assert rows[-1][0] == "Jumlah" and rows[-1][6] == 134_583 + 164_167 + 107_500
    summary = {r[0]: r[1:] for r in book["Ringkasan"].iter_rows(values_only=True)}
    assert summary["Cadangan"] == ("25,00%", 203_125) and summary["Status"][0].startswith("Dibekukan")


def test_a_missing_year_and_a_bad_year(hub_client, hub_db):
    token = sign_in(hub_client, hub_db)
    assert hub_client.get("/shu/2025/xlsx").status_code == 404
    assert hub_client.get("/shu/?tahun=abc").status_code == 400
    old = hub_client.get("/shu/?tahun=1999")   # a year is written 2000, not 2.000
    assert "Tahun buku harus antara 2000 dan 2100" in old.text and "2.000" not in old.text
    early = hub_client.post("/shu/1999/simulasi", data={**FORM, "csrf_token": token})
    assert early.status_code == 422 and "Tahun buku harus antara 2000 dan 2100" in early.text


def test_a_year_with_no_books_is_not_simulated_and_a_typed_pool_stays(hub_client, hub_db, year_2025):  # noqa: F811
    """2022 holds nothing: its SHU of Rp0 for nobody could be frozen for good. A pool typed for
    2025 is shown again beside its simulation (the field came back empty, and the next
    Simulasikan went back to the PHU without a word)."""
    token = sign_in(hub_client, hub_db)
    empty = hub_client.post("/shu/2022/simulasi", data={**FORM, "csrf_token": token})
    assert empty.status_code == 422 and "belum menerima pembukuan tahun 2022" in empty.text
    frozen = hub_client.post("/shu/2022/bekukan",
                             data={"oleh": "Ketua", "konfirmasi": "ya", "csrf_token": token})
    assert frozen.status_code == 422 and "Belum ada simulasi SHU tahun 2022" in frozen.text
    with hub_db.reading() as s:
        assert shu_runs.years(s) == []
    done = hub_client.post("/shu/2025/simulasi", data={**FORM, "pool": "1000000", "csrf_token": token})
    assert done.status_code == 303
    page = hub_client.get("/shu/?tahun=2025").text
    assert 'name="pool" inputmode="numeric" data-rp value="1.000.000"' in page
    assert "UTC" not in page
    assert re.search(r'Disimulasikan <span class="date">[0-9-]+ [0-9:]+</span> WIB', page)
    hub_client.post("/shu/2025/simulasi", data={**FORM, "csrf_token": token})   # back to the PHU
    assert 'data-rp value=""' in hub_client.get("/shu/?tahun=2025").text


def test_an_empty_simulation_kept_from_before_is_not_frozen(hub_db):
    """A simulation stored before years without books were refused holds no sales and no
    member: freezing it is refused too."""
    import json
    from datetime import date, datetime

    from pos.errors import PosError
    from pos.ledger_hub.shu_models import HubShuRun

    with hub_db.transaction() as s:
        s.add(HubShuRun(year=2023, status=shu_runs.SIMULATION, settings="{}", pool=0,
                        figures=json.dumps({"sales": 0, "phu": 0}), created_at=datetime(2024, 1, 2),
                        created_by="x"))
    try:
        with hub_db.transaction() as s:
            shu_runs.freeze(s, 2023, "Ketua", datetime(2024, 2, 1), date(2024, 2, 1))
        raise AssertionError("an empty simulation was frozen")
    except PosError as refused:
        assert "kosong" in refused.message


def _freeze_form(token: str, run_id: int, **changed) -> dict:
    """What Bekukan sends: the settings form as it stands on the page, the run shown, who, the box."""
    return {**FORM, "run": str(run_id), "oleh": "Ketua Rapat", "konfirmasi": "ya", "csrf_token": token,
            **changed}


def test_freezing_refuses_percentages_typed_but_not_simulated(hub_client, hub_db, year_2025):  # noqa: F811
    """40/30/30/0/0/0 on "semua" typed after simulating the defaults, then Bekukan: the year was
    frozen at the OLD percentages with "SHU tahun 2025 dibekukan." and no word of the change."""
    token = sign_in(hub_client, hub_db)
    assert hub_client.post("/shu/2025/simulasi", data={**FORM, "csrf_token": token}).status_code == 303
    with hub_db.reading() as s:
        run_id = shu_runs.show(s, 2025).id
    page = hub_client.get("/shu/?tahun=2025").text
    assert f'name="run" value="{run_id}"' in page and 'form="shu-form"' in page
    typed = {"reserve": "40", "jasa_anggota": "30", "jasa_modal": "30", "pendidikan": "0", "pengurus": "0",
             "lainnya": "0", "dasar_simpanan": "semua"}
    for changed, message in ((typed, "Persentase diubah tetapi belum disimulasikan: simulasikan dulu"),
                             ({"reserve": "dua"}, "Persentase diubah tetapi belum disimulasikan"),
                             ({"dasar_simpanan": "semua"}, "Dasar jasa modal diubah tetapi belum"),
                             ({"pool": "500.000"}, "SHU dibagi diubah tetapi belum disimulasikan")):
        refused = hub_client.post("/shu/2025/bekukan", data=_freeze_form(token, run_id, **changed))
        assert refused.status_code == 422 and message in refused.text, (changed, refused.text)
        assert "SHU tahun 2025 dibekukan." not in refused.text
        assert f'value="{next(iter(changed.values()))}"' in refused.text or "selected" in refused.text
    stale = hub_client.post("/shu/2025/bekukan", data=_freeze_form(token, run_id + 1000))
    assert stale.status_code == 409 and "sudah diganti" in stale.text
    old_page = hub_client.post("/shu/2025/bekukan", data={"oleh": "Ketua", "konfirmasi": "ya",
                                                           "csrf_token": token})
    assert old_page.status_code == 422 and "Muat ulang halaman SHU" in old_page.text
    with hub_db.reading() as s:
        assert not shu_runs.show(s, 2025).frozen and shu_runs.show(s, 2025).id == run_id
    same = hub_client.post("/shu/2025/bekukan", data=_freeze_form(token, run_id, reserve="25,00%"))
    assert same.status_code == 303
    with hub_db.reading() as s:
        run = shu_runs.show(s, 2025)
    assert run.frozen and run.settings["split"]["reserve"] == 2500 and run.frozen_by == "Ketua Rapat"


def test_a_typed_pool_is_frozen_only_as_simulated(hub_client, hub_db, year_2025):  # noqa: F811
    token = sign_in(hub_client, hub_db)
    hub_client.post("/shu/2025/simulasi", data={**FORM, "pool": "1.000.000", "csrf_token": token})
    with hub_db.reading() as s:
        run_id = shu_runs.show(s, 2025).id
    for pool in ("", "999.999", "satu"):
        refused = hub_client.post("/shu/2025/bekukan", data=_freeze_form(token, run_id, pool=pool))
        assert refused.status_code == 422 and "SHU dibagi diubah" in refused.text, pool
    done = hub_client.post("/shu/2025/bekukan", data=_freeze_form(token, run_id, pool="Rp1000000"))
    assert done.status_code == 303
    with hub_db.reading() as s:
        assert shu_runs.show(s, 2025).frozen


def test_a_bad_pool_is_named_as_its_field(hub_client, hub_db, year_2025):  # noqa: F811
    """"Jumlah uang tidak valid" named no field, the percentages' errors name theirs."""
    token = sign_in(hub_client, hub_db)
    for typed in ("-100", "abc"):
        bad = hub_client.post("/shu/2025/simulasi", data={**FORM, "pool": typed, "csrf_token": token})
        assert bad.status_code == 422 and "SHU dibagi tidak valid. Tulis angka Rupiah" in bad.text
        assert "Jumlah uang tidak valid" not in bad.text
    with hub_db.reading() as s:
        assert shu_runs.years(s) == []
