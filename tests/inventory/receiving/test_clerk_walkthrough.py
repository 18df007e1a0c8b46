"""The receiving screens' fixes from a stock clerk's walk-through: a delivery note kept whole
(never "SJ-" over "PBF-88200"), the supplier's kind without brackets in brackets, and the list
opening in its supplier field."""
from __future__ import annotations

import re

from pos.inventory.receiving.models import SupplierKind
from tests.factories import login
from tests.inventory.receiving.test_receiving import draft, post, product


def test_a_supplier_kind_reads_without_brackets_in_brackets(client, db, gr):
    assert all("(" not in kind.label for kind in SupplierKind)
    tea = product(db, name="Teh Celup", on_hand=0)
    receipt_id = draft(db, gr, (tea, "pcs", 4, 3_000, {}))
    login(client, gr["clerk"])
    page = " ".join(client.get(f"/penerimaan/{receipt_id}").get_data(as_text=True).split())
    assert "PBF Sehat (PBF farmasi) · surat jalan" in page
    assert not re.search(r"\([^()]*\(", page.split("gr-head")[1].split("</header>")[0])


def test_delivery_notes_are_kept_whole_on_every_receiving_screen(client, db, gr):
    tea = product(db, name="Teh Celup", on_hand=0)
    posted, drafted = (draft(db, gr, (tea, "pcs", 4, 3_000, {})) for _ in range(2))
    post(db, gr, posted)
    login(client, gr["clerk"])
    head = client.get(f"/penerimaan/{drafted}").get_data(as_text=True)
    assert re.search(r'surat jalan <b class="nowrap">SJ-\d+</b>', head)
    shown = client.get(f"/penerimaan/{posted}").get_data(as_text=True)
    assert re.search(r'<dd><span class="nowrap">SJ-\d+</span>', shown)
    listed = client.get("/penerimaan").get_data(as_text=True)
    assert len(re.findall(r'<td class="gr-aside nowrap">SJ-\d+</td>', listed)) == 2
    assert len(re.findall(r'<span class="gr-under nowrap">SJ-\d+</span>', listed)) == 2


def test_the_receipt_list_opens_in_its_supplier_field(client, db, gr):
    login(client, gr["clerk"])
    page = client.get("/penerimaan").get_data(as_text=True)
    assert re.search(r'<select id="supplier_id"[^>]* autofocus>', page)
    assert page.count("autofocus") == 1
    added = client.post("/penerimaan/pemasok", headers={"HX-Request": "true"},
                        data={"name": "UMKM Amplang Bu Ida", "kind": "umkm"})
    assert added.status_code == 200 and "autofocus" not in added.get_data(as_text=True)
