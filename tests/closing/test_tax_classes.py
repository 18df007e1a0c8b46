"""A PKP day's *Pajak per kelas* (tax base and PPN per tax class): one name per class wherever
the table is shown (Laporan harian, the Tutup hari preview, Ringkasan hari, ``pos report day``)."""
from __future__ import annotations

import pytest

from pos.sales.pricing import TaxSettings
from pos.settings import service as settings
from tests.closing.conftest import DAY, SOAP, close_shifts, sell_on
from tests.closing.test_views import cells
from tests.factories import login, make_product

ISO = DAY.isoformat()
PKP = TaxSettings(pkp=True, rate_bp=1100, inclusive=True)
RICE = "8990000700043"
PPN_LABEL = "PPN 12% (DPP nilai lain 11/12)"   # POS_TAX_STATUTORY_RATE_BP, POS_TAX_DPP_* by default


@pytest.fixture
def rice(db, shop):
    """Rice (Bebas PPN) at Rp70.000, and the outlet PKP."""
    with db.transaction() as s:
        make_product(s, name="Beras 5 kg", price=70_000, cost=60_000, tax_class="bebas",
                     barcodes_=[RICE])
        settings.put_pkp(s, True, shop["manager"])


def _first_cells(html: str, table_id: str) -> list[str]:
    return sorted(row[0] for row in cells(html, table_id)[1:])


def test_every_screen_names_the_ppn_class_alike(client, db, shop, rice):
    """The Laporan harian said "PPN 12% (DPP nilai lain 11/12)", the Tutup hari preview and
    Ringkasan hari "PPN", ``pos report day`` "PPN" too: one class, three names."""
    sell_on(db, shop, (SOAP, 4), (RICE, 1), tax=PKP)
    login(client, shop["manager"], shift=False)
    day = client.get(f"/laporan/harian?tanggal={DAY:%d-%m-%Y}").get_data(as_text=True)
    assert _first_cells(day, "day-tax-classes") == ["Bebas PPN", PPN_LABEL]
    preview = client.get(f"/tutup-hari?tanggal={DAY:%d-%m-%Y}").get_data(as_text=True)
    assert _first_cells(preview, "closing-tax-classes") == ["Bebas PPN", PPN_LABEL]
    said = client.application.test_cli_runner().invoke(args=["report", "day", "--date", ISO]).output
    assert any(line.strip().startswith(f"{PPN_LABEL} DPP ") for line in said.splitlines()), said
    close_shifts(db, shop)
    client.post(f"/tutup-hari/{ISO}/tutup", data={"yakin": "1"})
    summary = client.get(f"/tutup-hari/{ISO}").get_data(as_text=True)
    assert _first_cells(summary, "closing-tax-classes") == ["Bebas PPN", PPN_LABEL]
