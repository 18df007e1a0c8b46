"""A report's Dari/Sampai typed wrong: the report page again, the fields as typed and the
message by them (422), no table; a download link or an htmx request gets the message alone."""
from __future__ import annotations

import pytest

from tests.factories import login, make_user

WRONG = {"31-02-2026": "Tanggal awal 31-02-2026 tidak ada: Februari 2026 hanya 28 hari.",
         "abc": "Tanggal awal tidak dikenali; tulis HH-BB-TTTT, misalnya 15-11-2026.",
         "2026/12/01": "Tanggal awal tidak dikenali; tulis HH-BB-TTTT, misalnya 15-11-2026.",
         "<b>x</b>": "Tanggal awal tidak dikenali; tulis HH-BB-TTTT, misalnya 15-11-2026."}


@pytest.fixture
def manager(db, client):
    with db.transaction() as s:
        login(client, make_user(s, "manajer1", "manager", "9999").id)
    return client


@pytest.mark.parametrize("slug", ["penjualan-hari", "penjualan-barang", "log-audit", "shift",
                                  "kas-masuk-keluar"])
@pytest.mark.parametrize("typed", list(WRONG))
def test_a_date_typed_wrong_shows_the_report_page_again(manager, slug, typed):
    page = manager.get(f"/laporan/{slug}", query_string={"dari": typed, "sampai": "30-11-2026"})
    html = page.get_data(as_text=True)
    assert page.status_code == 422 and "Kesalahan" not in html
    assert f'id="range-problem">{WRONG[typed]}</div>' in html.replace("&lt;", "<").replace("&gt;", ">")
    assert 'value="30-11-2026"' in html and 'name="dari" value="' in html
    assert "<b>x</b>" not in html                       # what was typed is put back escaped
    assert 'id="report-rows"' not in html and "Unduh CSV" not in html   # no table from a bad range
    assert 'action="/laporan/' + slug + '"' in html      # the form, to correct it


def test_the_typed_text_stays_in_its_field(manager):
    html = manager.get("/laporan/penjualan-barang?dari=31-02-2026&sampai=abc").get_data(as_text=True)
    assert 'name="dari" value="31-02-2026"' in html and 'name="sampai" value="abc"' in html
    assert html.count('aria-invalid="true"') == 1   # the first field wrong is the one marked


def test_a_range_backwards_keeps_both_dates(manager):
    page = manager.get("/laporan/penjualan-hari?dari=22-11-2026&sampai=21-11-2026")
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "Tanggal awal harus sebelum atau sama dengan tanggal akhir." in html
    assert 'value="22-11-2026"' in html and 'value="21-11-2026"' in html
    assert html.count('aria-invalid="true"') == 2 and 'id="report-rows"' not in html


@pytest.mark.parametrize("download", ["csv", "xlsx"])
def test_a_download_with_a_wrong_date_is_a_plain_message(manager, download):
    got = manager.get(f"/laporan/penjualan-hari?dari=31-02-2026&unduh={download}")
    assert got.status_code == 400 and got.mimetype == "text/plain"
    assert got.get_data(as_text=True) == WRONG["31-02-2026"]


def test_htmx_gets_the_message_in_the_messages_box(manager):
    got = manager.get("/laporan/penjualan-hari?dari=abc", headers={"HX-Request": "true"})
    assert got.status_code == 422 and got.headers["HX-Retarget"] == "#messages"
    assert WRONG["abc"] in got.get_data(as_text=True)


def test_a_right_range_still_draws_the_table(manager):
    page = manager.get("/laporan/penjualan-hari?dari=01-11-2026&sampai=30-11-2026")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="report-rows"' in html and "range-problem" not in html
    assert "aria-invalid" not in html


def test_a_stock_report_takes_no_range(manager):
    assert manager.get("/laporan/nilai-stok?dari=abc").status_code == 200


# The pages kept outside the Laporan menu read their range the same way (``web.date_range``).
OTHER_PAGES = [("/persetujuan", "Dari tanggal", "overrides"),
               ("/retur/daftar", "Dari tanggal", "returns"),
               ("/apotek", "Dari tanggal", "dispensed"),
               ("/pupuk/penebusan", "Tanggal awal", "redemption-rows")]


@pytest.mark.parametrize(("url", "label", "table"), OTHER_PAGES)
def test_the_other_range_pages_show_themselves_again(manager, url, label, table):
    page = manager.get(url, query_string={"dari": "31-02-2026", "sampai": "10-03-2026"})
    html = page.get_data(as_text=True)
    assert page.status_code == 422 and "Kesalahan" not in html
    assert f"{label} 31-02-2026 tidak ada: Februari 2026 hanya 28 hari." in html
    assert 'value="31-02-2026"' in html and 'value="10-03-2026"' in html and f'id="{table}"' not in html
    backwards = manager.get(url, query_string={"dari": "02-03-2026", "sampai": "01-03-2026"})
    assert backwards.status_code == 422 and "range-problem" in backwards.get_data(as_text=True)
    right = manager.get(url, query_string={"dari": "01-03-2026", "sampai": "10-03-2026"})
    assert right.status_code == 200 and f'id="{table}"' in right.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/apotek/resep.csv", "/pupuk/penebusan.xlsx"])
def test_the_other_downloads_refuse_with_a_plain_message(manager, url):
    got = manager.get(url, query_string={"dari": "abc"})
    assert got.status_code == 400 and got.mimetype == "text/plain"
    assert "tidak dikenali; tulis HH-BB-TTTT" in got.get_data(as_text=True)
