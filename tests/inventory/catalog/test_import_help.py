"""The import page lists every column the importer reads, from the importer's own list, so
the help cannot fall behind the file again (it stopped at ``maks_per_transaksi`` while the
import and export also had ``lpg`` and ``subsidi``)."""
from __future__ import annotations

import html
import re

from pos.inventory.catalog import transfer
from tests.factories import login, make_user


def test_the_import_help_lists_every_column_the_import_reads(client, db):
    with db.transaction() as s:
        login(client, make_user(s, "manajer", "manager", "1234").id)
    page = html.unescape(client.get("/katalog/impor").get_data(as_text=True))
    listed = re.search(r"Kolom:\s*<code>([^<]*)</code>", page)
    assert listed is not None, page
    assert [c.strip() for c in listed.group(1).split(",")] == list(transfer.IMPORT_COLUMNS)
    assert "lpg" in transfer.IMPORT_COLUMNS and "subsidi" in transfer.IMPORT_COLUMNS
    for word in ("isi_ulang", "tabung_baru", "urea", "npk_kakao", "organik"):  # their values
        assert word in page
    empty = re.search(r"kecuali kolom <code>([^<]*)</code> \(kosong = tidak ada\)", page)
    assert empty is not None and "lpg" in empty.group(1) and "subsidi" in empty.group(1)
