"""Stok awal: an expiry more than 5 years away (19-09-2099, 15-01-2072 for 15-01-2027) is a year
typed wrong, as receiving asks (``receiving.expiry.far``).  A file has no box per row: the rows
are refused, named, with a hint how to import them when the dates are right, the upload's tick
box or ``--far-expiry-ok``, as a catalogue's price under cost is confirmed."""
from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import select

from pos.inventory.catalog.spreadsheets import Hint, ImportErrors, read_csv
from pos.inventory.models import Batch
from pos.inventory.opening import rows, service
from pos.inventory.receiving.expiry import years_after
from tests.factories import login, make_product, make_user, outlet_today, poll_until_finished

HEADER = "sku,nama,satuan,jumlah,harga_pokok,batch,kedaluwarsa\n"
TODAY = outlet_today()
FIVE = years_after(TODAY, 5)
FILE = (f"APT-0101,,pcs,10,9500,S88-001,19-09-2099\n"
        f"APT-0101,,pcs,4,9500,S88-002,{FIVE:%d-%m-%Y}\n")          # five years to the day: asked never
SAID = ["Baris 2: kedaluwarsa 19-09-2099 lebih dari 5 tahun lagi: periksa tahunnya.",
        "Bila tanggal kedaluwarsa yang lebih dari 5 tahun lagi memang benar, unggah lagi dengan centang "
        "“Kedaluwarsa lebih dari 5 tahun lagi memang benar” (perintah: pos inventory opening-stock "
        "--far-expiry-ok)."]


@pytest.fixture
def drug(db):
    with db.transaction() as s:
        return make_product(s, on_hand=0, sku="APT-0101", price=12_000, cost=0, batch_tracked=True,
                            business_unit="apotek").id


def found(text: str):
    return read_csv((HEADER + text).encode(), rows.COLUMNS, rows.KEY)


def stored(db):
    with db.reading() as s:
        return sorted(s.execute(select(Batch.batch_no, Batch.expiry, Batch.on_hand)).all())


def test_a_far_expiry_is_refused_by_the_check_and_the_import_with_how_to_proceed(db, drug):
    with db.reading() as s:
        checked = service.OpeningStockFile(TODAY).validate(s, found(FILE))
    assert checked == SAID and isinstance(checked[1], Hint)
    with pytest.raises(ImportErrors) as refused, db.transaction() as s:
        service.OpeningStockFile(TODAY).import_rows(s, found(FILE))
    assert refused.value.errors == SAID and refused.value.problems == 1
    assert stored(db) == []


def test_confirmed_it_is_imported(db, drug):
    with db.transaction() as s:
        service.OpeningStockFile(TODAY, far_expiry_ok=True).import_rows(s, found(FILE))
    assert stored(db) == [("S88-001", date(2099, 9, 19), 10), ("S88-002", FIVE, 4)]


def test_the_command_names_it_and_takes_it_with_its_flag(db, drug, runner, tmp_path):
    path = tmp_path / "stok.csv"
    path.write_text(HEADER + FILE, encoding="utf-8")
    for args in (["--dry-run"], []):
        refused = runner.invoke(args=["inventory", "opening-stock", str(path), *args])
        assert refused.exit_code == 1 and SAID[0] in refused.output and "--far-expiry-ok" in refused.output
    assert stored(db) == []
    done = runner.invoke(args=["inventory", "opening-stock", str(path), "--far-expiry-ok"])
    assert done.exit_code == 0, done.output
    assert stored(db)[0] == ("S88-001", date(2099, 9, 19), 10)


def test_the_page_offers_the_box_and_takes_it(db, client, drug):
    with db.transaction() as s:
        login(client, make_user(s, "gudang", "clerk", "2222").id)
    page = client.get("/stok-awal").get_data(as_text=True)
    assert 'name="far_expiry_ok"' in page and "Kedaluwarsa lebih dari 5 tahun lagi memang benar" in page

    def upload(**form):
        answer = client.post("/stok-awal/impor", content_type="multipart/form-data",
                             headers={"HX-Request": "true"},
                             data={"file": (io.BytesIO((HEADER + FILE).encode()), "stok.csv"), **form})
        return poll_until_finished(client, answer.get_data(as_text=True))

    refused = upload()
    assert SAID[0] in refused and "Tidak ada yang disimpan" in refused
    assert "Impor selesai" in upload(far_expiry_ok="1")
    assert len(stored(db)) == 2
