"""The Tutup hari screen: the days and their status, the preview, the confirm step, the
refusals, and the closed day's summary page with CSV, XLSX and PDF equal to the screen."""
from __future__ import annotations

import io
import re
from datetime import timedelta

from openpyxl import load_workbook

from pos.clock import business_date, utcnow
from pos.days.models import BusinessDay
from tests.closing.conftest import DAY, MEDICINE, SOAP, close_shifts, sell_on
from tests.factories import csv_rows, login

ISO = DAY.isoformat()


def cells(html: str, table_id: str) -> list[list[str]]:
    """The text of each row of the table ``table_id`` (tags stripped)."""
    body = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def test_only_managers_open_the_screen(client, db, shop):
    login(client, shop["cashier"], shift=False)
    assert client.get("/tutup-hari").status_code == 403
    assert client.post(f"/tutup-hari/{ISO}/tutup", data={"yakin": "1"},
                       headers={"HX-Request": "true"}).status_code == 403
    with db.reading() as s:
        assert s.get(BusinessDay, DAY) is None


def test_a_date_typed_wrong_shows_today_with_the_message(client, db, shop):
    """/tutup-hari?tanggal=12-31-2026 was a bare error page."""
    login(client, shop["manager"], shift=False)
    answer = client.get("/tutup-hari?tanggal=12-31-2026")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422 and 'id="closing-days"' in page
    assert "bulan harus 01 sampai 12" in page and "Ditampilkan hari ini" in page


def test_the_screen_lists_days_refuses_with_open_shifts_then_closes(client, db, shop):
    sell_on(db, shop, (SOAP, 2))
    sell_on(db, shop, (MEDICINE, 1), member=shop["member"])
    login(client, shop["manager"], shift=False)
    page = client.get("/tutup-hari?tanggal=20-11-2026").get_data(as_text=True)
    today = business_date(utcnow(), "Asia/Makassar")
    assert "20-11-2026" in page and f"{today:%d-%m-%Y}" in page and "Terbuka" in page
    assert 'href="/shift/' in page and 'id="closing-blocked"' in page
    assert "Rp11.000" in page and 'id="closing-member">Rp5.000' in page
    assert 'id="closing-non-member">Rp6.000' in page
    confirm = client.get(f"/tutup-hari/{ISO}/tutup").get_data(as_text=True)
    assert 'id="closing-refused"' in confirm and 'id="closing-confirm"' not in confirm
    refused = client.post(f"/tutup-hari/{ISO}/tutup", data={"yakin": "1"},
                          headers={"HX-Request": "true"})
    assert refused.status_code == 409 and "shift masih terbuka" in refused.get_data(as_text=True)
    close_shifts(db, shop)
    confirm = client.get(f"/tutup-hari/{ISO}/tutup").get_data(as_text=True)
    assert 'id="closing-confirm"' in confirm
    # Without the confirm field the post only goes back to the confirm step.
    back = client.post(f"/tutup-hari/{ISO}/tutup")
    assert back.status_code == 303 and back.headers["Location"].endswith(f"/tutup-hari/{ISO}/tutup")
    with db.reading() as s:
        assert s.get(BusinessDay, DAY) is None
    done = client.post(f"/tutup-hari/{ISO}/tutup", data={"yakin": "1"}, follow_redirects=True)
    page = done.get_data(as_text=True)
    assert done.status_code == 200 and 'Hari <span class="date">20-11-2026</span> ditutup.' in page
    assert re.search(r"Ditutup \d\d-\d\d-\d{4} \d\d:\d\d oleh Manajer1", page)
    again = client.post(f"/tutup-hari/{ISO}/tutup", data={"yakin": "1"},
                        headers={"HX-Request": "true"})
    assert again.status_code == 409
    assert "sudah ditutup; penutupan tidak diulang" in again.get_data(as_text=True)
    listed = client.get("/tutup-hari").get_data(as_text=True)
    if business_date(utcnow(), "Asia/Makassar") - DAY <= timedelta(days=14):   # in the list's window
        assert "Ditutup " in listed and "oleh Manajer1" in listed
    else:                                     # older: listed only while open, and it is closed now
        assert "20-11-2026" not in listed


def test_an_open_day_older_than_the_list_stays_on_it_until_closed(client, db, shop):
    """After weeks offline, a day 20 days back with sales was not on Tutup hari (it listed 14
    days), so it was never closed and never reached the ledger."""
    old = business_date(utcnow(), "Asia/Makassar") - timedelta(days=20)
    sell_on(db, shop, (SOAP, 1), day=old)
    close_shifts(db, shop)
    login(client, shop["manager"], shift=False)
    listed = " ".join(client.get("/tutup-hari").get_data(as_text=True).split())
    assert f"{old:%d-%m-%Y}" in listed and "Terbuka" in listed
    done = client.post(f"/tutup-hari/{old.isoformat()}/tutup", data={"yakin": "1"})
    assert done.status_code == 303
    assert f"{old:%d-%m-%Y}" not in client.get("/tutup-hari").get_data(as_text=True)


def test_a_future_day_cannot_be_closed(client, db, shop):
    login(client, shop["manager"], shift=False)
    later = business_date(utcnow(), "Asia/Makassar") + timedelta(days=2)
    refused = client.post(f"/tutup-hari/{later.isoformat()}/tutup", data={"yakin": "1"},
                          headers={"HX-Request": "true"})
    assert refused.status_code == 422 and "belum tiba" in refused.get_data(as_text=True)
    for url in (f"/tutup-hari/{later.isoformat()}", f"/tutup-hari/{later.isoformat()}?unduh=csv"):
        ahead = client.get(url)   # a summary and exports of zeros read as a day with nothing in it
        said = ahead.get_data(as_text=True)
        assert ahead.status_code == 404 and f"Hari {later:%d-%m-%Y} belum tiba" in said
    assert client.get("/tutup-hari/2026-02-30").status_code == 404
    for slip in ("0001-01-01", "9999-12-31", "20261120", "2026-W47-5"):  # was a 500 (overflow)
        for url in (f"/tutup-hari/{slip}", f"/tutup-hari/{slip}/tutup",
                    f"/tutup-hari/{slip}?unduh=csv"):
            assert client.get(url).status_code == 404, url


def test_a_day_before_the_first_activity_is_refused_on_its_confirm_page(client, db, shop):
    """The page showed the warning and "Ya, tutup hari" for 01-01-2020; only the press said the
    gerai had done nothing then."""
    old = business_date(utcnow(), "Asia/Makassar") - timedelta(days=20)
    sell_on(db, shop, (SOAP, 1), day=old)
    close_shifts(db, shop)
    login(client, shop["manager"], shift=False)
    slip = old - timedelta(days=400)
    page = " ".join(client.get(f"/tutup-hari/{slip.isoformat()}/tutup").get_data(as_text=True).split())
    assert (f'id="closing-refused">Hari {slip:%d-%m-%Y} tidak dapat ditutup: kegiatan pertama gerai '
            f"pada {old:%d-%m-%Y}. Periksa tanggalnya.") in page
    assert 'id="closing-confirm"' not in page
    assert 'id="closing-confirm"' in client.get(f"/tutup-hari/{old.isoformat()}/tutup").get_data(as_text=True)


def test_a_day_not_yet_come_or_before_the_first_activity_has_no_preview_nor_summary(client, db, shop):
    """/tutup-hari?tanggal=<besok> drew "Pratinjau hari <besok>", all zeros, with no word, and
    /tutup-hari/2020-01-01 a zero Ringkasan with Unduh CSV/XLSX/PDF: now both say why, in the
    words of the day report and of the close's refusal."""
    old = business_date(utcnow(), "Asia/Makassar") - timedelta(days=20)
    sell_on(db, shop, (SOAP, 1), day=old)
    close_shifts(db, shop)
    login(client, shop["manager"], shift=False)
    today = business_date(utcnow(), "Asia/Makassar")
    later = today + timedelta(days=1)
    ahead = client.get(f"/tutup-hari?tanggal={later:%d-%m-%Y}")
    page = " ".join(ahead.get_data(as_text=True).split())
    assert ahead.status_code == 422 and (f"Hari {later:%d-%m-%Y} belum tiba (hari ini {today:%d-%m-%Y}): "
                                         "belum ada ringkasan. Ditampilkan hari ini.") in page
    assert f'Pratinjau hari <span class="date">{today:%d-%m-%Y}</span>' in page
    assert f"{later:%d-%m-%Y}</span>" not in page.split('id="closing-preview"')[1]
    slip = old - timedelta(days=400)
    said = (f"Hari {slip:%d-%m-%Y} tidak punya ringkasan: kegiatan pertama gerai pada {old:%d-%m-%Y}. "
            "Periksa tanggalnya.")
    early = client.get(f"/tutup-hari?tanggal={slip:%d-%m-%Y}")
    assert early.status_code == 422 and said in " ".join(early.get_data(as_text=True).split())
    for url in (f"/tutup-hari/{slip.isoformat()}", f"/tutup-hari/{slip.isoformat()}?unduh=csv"):
        refused = client.get(url)
        body = " ".join(refused.get_data(as_text=True).split())
        assert refused.status_code == 404 and said in body and "Unduh CSV" not in body, url
    assert client.get(f"/tutup-hari?tanggal={old:%d-%m-%Y}").status_code == 200
    assert client.get(f"/tutup-hari/{old.isoformat()}").status_code == 200
    tomorrow = " ".join(client.get(f"/tutup-hari/{later.isoformat()}/tutup").get_data(as_text=True).split())
    assert (f'id="closing-refused">Hari {later:%d-%m-%Y} belum tiba (hari ini {today:%d-%m-%Y}): '
            "tidak dapat ditutup.") in tomorrow and 'id="closing-confirm"' not in tomorrow


def test_exports_equal_the_screen(client, db, shop):
    sell_on(db, shop, (SOAP, 2))
    close_shifts(db, shop, short=500)
    login(client, shop["manager"], shift=False)
    client.post(f"/tutup-hari/{ISO}/tutup", data={"yakin": "1"})
    page = client.get(f"/tutup-hari/{ISO}").get_data(as_text=True)
    screen = cells(page, "closing-lines")
    assert ["Selisih", "Selisih kas hari ini", "", "-Rp500"] in screen
    assert {row[0] for row in screen} >= {"Per kasir (mesin)", "Per kasir (orang)"}
    assert ["Barang diatur", "Penebusan pupuk bersubsidi: 0 kg", "0", ""] in screen   # not "0 gram"
    rows = csv_rows(client.get(f"/tutup-hari/{ISO}?unduh=csv"))
    assert rows[0] == screen[0] and len(rows) == len(screen)
    for shown, written in zip(screen[1:], rows[1:], strict=True):
        assert shown[:2] == written[:2]
        assert shown[2] == written[2]
        assert shown[3].replace("Rp", "").replace(".", "") == written[3]
    book = load_workbook(io.BytesIO(client.get(f"/tutup-hari/{ISO}?unduh=xlsx").data))
    sheet = [[c.value for c in r] for r in book.active.iter_rows()]
    assert [str(v) for v in sheet[0]] == screen[0] and len(sheet) == len(screen)
    assert [r[:2] for r in sheet[1:]] == [r[:2] for r in rows[1:]]
    assert [("" if r[3] is None else str(r[3])) for r in sheet[1:]] == [r[3] for r in rows[1:]]
    made = client.get(f"/tutup-hari/{ISO}?unduh=pdf")
    assert made.mimetype == "application/pdf" and made.data.startswith(b"%PDF")
    unknown = client.get(f"/tutup-hari/{ISO}?unduh=doc")
    assert unknown.status_code == 400 and "Format unduhan tidak dikenal" in unknown.get_data(as_text=True)


def test_the_home_page_and_reports_link_here(client, db, shop):
    login(client, shop["manager"], shift=False)
    assert 'href="/tutup-hari"' in client.get("/").get_data(as_text=True)
    assert 'href="/tutup-hari"' in client.get("/laporan").get_data(as_text=True)
    login(client, shop["cashier"], shift=False)
    assert 'href="/tutup-hari"' not in client.get("/").get_data(as_text=True)


def test_the_umkm_unit_is_written_umkm_on_the_preview_the_export_and_the_day_report(client, db, shop):
    """The Tutup hari preview and the day summary said "Umkm"."""
    from sqlalchemy import select, update

    from pos.inventory.catalog.models import BusinessUnit, Product, ProductBarcode

    with db.transaction() as s:
        soap = s.scalar(select(ProductBarcode.product_id).where(ProductBarcode.code == SOAP))
        s.execute(update(Product).where(Product.id == soap).values(business_unit=BusinessUnit.UMKM))
    sell_on(db, shop, (SOAP, 2))
    close_shifts(db, shop)
    login(client, shop["manager"], shift=False)
    preview = client.get(f"/tutup-hari/{ISO}").get_data(as_text=True)
    report = client.get(f"/laporan/harian?tanggal={DAY:%d-%m-%Y}").get_data(as_text=True)
    for page in (preview, report):
        assert "<td>UMKM</td>" in page and "Umkm" not in page
    client.post(f"/tutup-hari/{ISO}/tutup", data={"yakin": "1"})
    rows = csv_rows(client.get(f"/tutup-hari/{ISO}?unduh=csv"))
    assert ["Per unit usaha", "UMKM"] in [r[:2] for r in rows]


def test_a_float_short_of_the_last_closing_shows_on_the_preview_summary_and_exports(client, db, shop):
    """Rp521.200 counted the evening before, Rp500.000 in the drawer in the morning: the
    Rp21.200 shows on Tutup hari (the preview and the closed day's summary) and in its CSV."""
    from pos.shifts.service import Cash
    from pos.shifts.service import open_shift as open_with_float
    from tests.closing.conftest import NOW, cashier, close_shifts

    with db.transaction() as s:
        old = start_shift_counted(s, shop, DAY - timedelta(days=1), 521_200)
        open_with_float(s, till_id=shop["till"], cashier_id=shop["cashier"], cash=Cash(500_000),
                        note="Rp21.200 dibawa bendahara", day=DAY, now=NOW,
                        actor=cashier(shop, approved_by=shop["manager"]))
    assert old.counted_cash == 521_200
    close_shifts(db, shop)
    login(client, shop["manager"], shift=False)
    preview = client.get(f"/tutup-hari?tanggal={DAY:%d-%m-%Y}").get_data(as_text=True)
    assert 'id="closing-opening-difference">-Rp21.200<' in preview
    assert "Rp21.200 dibawa bendahara" in preview
    # on its own line under the till and cashier (it ran into the cashier's name)
    assert re.search(r"· [^<]*\S<br><small class=\"hint\">kas awal Rp500\.000, tutup sebelumnya", preview)
    client.post(f"/tutup-hari/{ISO}/tutup", data={"yakin": "1"})
    page = client.get(f"/tutup-hari/{ISO}").get_data(as_text=True)
    screen = cells(page, "closing-lines")
    label = "Selisih kas awal shift (kas awal - tutup shift sebelumnya)"
    assert ["Selisih", label, "", "-Rp21.200"] in screen
    assert any("dihitung saat tutup shift sebelumnya Rp521.200: Rp21.200 dibawa bendahara" in row[1]
               and row[3] == "-Rp21.200" for row in screen)
    rows = csv_rows(client.get(f"/tutup-hari/{ISO}?unduh=csv"))
    assert ["Selisih", label, "", "-21200"] in rows


def start_shift_counted(s, shop, day, counted: int):
    """A shift of ``day`` at the shop's till, closed with ``counted`` in the drawer."""
    from tests.factories import open_shift

    shift = open_shift(s, shop["till"], shop["manager"], day=day)
    shift.closed_at, shift.counted_cash, shift.expected_cash = shift.opened_at, counted, counted
    s.flush()
    return shift
