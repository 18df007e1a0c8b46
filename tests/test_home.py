"""The manager's home page counts what waits, each a link to its list; every inner page but
the till has the way back to the menu."""
from __future__ import annotations

import re
import uuid
from datetime import date

import pytest

from pos.inventory.counts import adjustments, counting
from pos.inventory.receiving import posting, receipts, reversal
from pos.sales import printing
from pos.sales.models import Sale
from tests.factories import login, make_product, make_till, make_user


@pytest.fixture
def shop(db):
    with db.transaction() as s:
        till = make_till(s)
        ids = {"till": till.id, "clerk": make_user(s, "gudang1", "clerk").id,
               "manager": make_user(s, "manajer1", "manager").id,
               "cashier": make_user(s, "kasir1", "cashier").id,
               "mie": make_product(s, name="Indomie Goreng", on_hand=10).id}
        supplier = receipts.create_supplier(s, "Toko Grosir", "lainnya")
        receipt_id = receipts.create_draft(s, supplier, "SJ-1", ids["clerk"])
        receipts.add_line(s, receipt_id, ids["mie"], None, 2, 3_000)
        posting.post(s, receipt_id, ids["clerk"], date(2026, 1, 5))
        ids["receipt"] = receipt_id
        ids["count"] = counting.open_count(s, "all", ids["clerk"])
    return ids


def waiting(page: str, name: str) -> tuple[str, str]:
    """(href, number) of one "Menunggu" link."""
    found = re.search(rf'<a id="waiting-{name}" class="[a-z]*" href="([^"]+)">\s*<b>([^<]+)</b>', page)
    assert found, name
    return found.group(1), found.group(2)


def unprinted_sale(db, shop) -> None:
    with db.transaction() as s:
        sale = Sale(receipt_no=f"TST01-{uuid.uuid4().hex[:8]}", seq_no=1, idempotency_key=str(uuid.uuid4()),
                    outlet_code="TST01", till_id=shop["till"], cashier_id=shop["cashier"],
                    business_date=date(2026, 1, 5), gross=3_500, tax=0, total=3_500, tendered=5_000,
                    change=1_500)
        s.add(sale)
        s.flush()
        printing.enqueue(s, sale.id)


def test_the_manager_sees_what_waits_with_links_to_the_lists(app, db, shop):
    with db.transaction() as s:
        reversal.create_reversal(s, shop["receipt"], shop["clerk"], "Salah pemasok")
        adjustments.request_adjustment(s, shop["mie"], -1, "Kemasan sobek", shop["clerk"])
        adjustments.request_writeoff(s, shop["mie"], 1, "Kedaluwarsa", shop["clerk"])
    unprinted_sale(db, shop)
    client = app.test_client()
    login(client, shop["manager"])
    page = client.get("/").get_data(as_text=True)
    assert waiting(page, "corrections") == ("/penerimaan?status=koreksi", "1")
    assert waiting(page, "adjustments") == ("/penyesuaian#pending", "2")
    assert waiting(page, "counts") == ("/opname?status=open", "1")
    assert waiting(page, "prints") == ("/perangkat", "1")
    for url in ("/penerimaan?status=koreksi", "/penyesuaian", "/opname?status=open"):
        assert client.get(url).status_code == 200
    assert "Opname terbuka" in client.get("/opname?status=open").get_data(as_text=True)


def test_a_clerk_sees_open_counts_only(app, db, shop):
    client = app.test_client()
    login(client, shop["clerk"])
    page = client.get("/").get_data(as_text=True)
    assert waiting(page, "counts") == ("/opname?status=open", "1")
    assert "waiting-adjustments" not in page and "waiting-prints" not in page


def test_every_inner_page_but_the_till_leads_back_to_the_menu(app, db, shop):
    client = app.test_client()
    login(client, shop["manager"], shop["till"])
    pages = ["/penerimaan", f"/penerimaan/{shop['receipt']}", "/opname", f"/opname/{shop['count']}",
             "/penyesuaian", "/katalog", f"/katalog/{shop['mie']}", "/katalog/impor", "/katalog/stok",
             "/barang/label", "/laporan/harian", "/perangkat"]
    for url in pages:
        page = client.get(url).get_data(as_text=True)
        assert re.search(r'<nav class="crumbs" aria-label="Navigasi"><a href="/">&larr; Menu</a>', page), url
    nested = client.get(f"/penerimaan/{shop['receipt']}").get_data(as_text=True)
    assert re.search(r'<a href="/penerimaan">Penerimaan barang</a>\s*<span aria-hidden="true">›</span> '
                     r'<span aria-current="page">GR-000001</span>', nested)
    assert 'class="crumbs"' not in client.get("/").get_data(as_text=True)
    assert 'class="crumbs"' not in client.get("/kasir").get_data(as_text=True)
