"""Counting a good again on the count screen. The entry of a good with packs came with "0" in
Kemasan utuh and in Ditambah lepasan: the same code scanned again and Enter at once (a scanner's
second Enter, a hurried clerk) saved a count of 0 kg over the 4.212,5 kg counted before, without
a word, and approved it would have written the whole stock off. The fields come empty now, so an
untouched entry is refused as an empty one is, and the entry says what a new count replaces."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from pos.inventory.catalog.models import PackUnit
from pos.inventory.counts.models import CountLine
from tests.factories import login, make_product, make_user

HX = {"HX-Request": "true"}


class _Form(HTMLParser):
    """What a browser sends for the count form as it came: each named input's value (none
    given: empty), each select's first option; an input's ``aria-describedby`` by name."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self.described: dict[str, str] = {}
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name"):
            self.values[a["name"]] = a.get("value") or ""
            self.described[a["name"]] = a.get("aria-describedby") or ""
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select:
            self.values[self._select] = a.get("value") or ""
            self._select = None


def sent_as_shown(html: str) -> tuple[dict[str, str], dict[str, str]]:
    form = _Form()
    form.feed(html)
    return form.values, form.described


@pytest.fixture
def shop(db):
    with db.transaction() as s:
        clerk = make_user(s, "gudang1", "clerk").id
        urea = make_product(s, name="Pupuk Urea Subsidi 50 kg", base_unit="gram", cost=1_458,
                            price=1_800, on_hand=4_250_000, category="Pupuk Subsidi")
        mie = make_product(s, name="Indomie Goreng", on_hand=10, category="Pupuk Subsidi")
        sack = PackUnit(product_id=urea.id, name="karung 50 kg", qty=50_000)
        s.add(sack)
        s.flush()
        return {"clerk": clerk, "urea": urea.id, "mie": mie.id, "sack": sack.id}


def entry(clerk, count_id: int, product_id: int) -> str:
    """The count form for a product, as a scan or a pick brings it."""
    return clerk.get(f"/opname/{count_id}/pilih?product_id={product_id}", headers=HX).get_data(as_text=True)


def counted(db, product_id):
    with db.reading() as s:
        return s.scalar(select(CountLine.counted).where(CountLine.product_id == product_id))


def test_an_untouched_entry_is_refused_and_the_count_before_it_stays(app, db, shop):
    clerk = app.test_client()
    login(clerk, shop["clerk"])
    count_id = int(clerk.post("/opname", data={"scope": "all"}).headers["Location"].rsplit("/", 1)[1])
    url = f"/opname/{count_id}/hitung"
    first = entry(clerk, count_id, shop["urea"])
    values, _ = sent_as_shown(first)
    assert values == {"product_id": str(shop["urea"]), "packs": "", "pack_id": str(shop["sack"]),
                      "counted": ""}                      # empty, not "0"
    assert "Sudah dihitung" not in first
    saved = clerk.post(url, headers=HX, data={**values, "packs": "84", "counted": "12,5"})
    assert saved.status_code == 200 and counted(db, shop["urea"]) == 4_212_500

    again = entry(clerk, count_id, shop["urea"])
    assert "Sudah dihitung 4.212,5 kg." in again          # what a new count replaces, said first
    assert "Hasil baru menggantikannya, tidak ditambahkan." in again
    values, described = sent_as_shown(again)
    assert described["packs"] == "count-before" and 'id="count-before"' in again
    refused = clerk.post(url, headers=HX, data=values)   # Enter at once: nothing typed
    assert refused.status_code == 422
    assert "Isi jumlah kemasan utuh atau jumlah lepasan" in refused.get_data(as_text=True)
    assert counted(db, shop["urea"]) == 4_212_500         # the good count stays

    zero = clerk.post(url, headers=HX, data={**values, "packs": "0"})   # really none left: typed
    assert zero.status_code == 200 and counted(db, shop["urea"]) == 0


def test_an_untouched_entry_without_packs_is_refused_as_before(app, db, shop):
    clerk = app.test_client()
    login(clerk, shop["clerk"])
    count_id = int(clerk.post("/opname", data={"scope": "all"}).headers["Location"].rsplit("/", 1)[1])
    url = f"/opname/{count_id}/hitung"
    assert clerk.post(url, headers=HX, data={"product_id": shop["mie"], "counted": "9"}).status_code == 200
    form = entry(clerk, count_id, shop["mie"])
    values, described = sent_as_shown(form)
    assert values == {"product_id": str(shop["mie"]), "counted": ""}
    assert "Sudah dihitung 9 pcs." in form and described["counted"] == "count-before"
    refused = clerk.post(url, headers=HX, data=values)
    assert refused.status_code == 422 and "Jumlah dihitung wajib diisi." in refused.get_data(as_text=True)
    assert counted(db, shop["mie"]) == 9
