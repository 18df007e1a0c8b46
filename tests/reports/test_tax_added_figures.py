"""A PKP outlet pricing before tax (``POS_TAX_INCLUSIVE=false``, ``Sale.tax_added``): the lines'
amounts are without PPN, so the receipt's DPP, the day report's tax base and margins, the
sales reports' margin (live and from a closed day's summary) and the SHU basis take nothing out
of them; a sale with the PPN inside its prices is stated as before."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from pos import money
from pos.closing.export import lines as export_lines
from pos.closing.service import close_day
from pos.members.accounts.purchases import year_basis
from pos.reports.day import day_summary
from pos.reports.day_full import full_summary
from pos.reports.sales import sales_report
from pos.returns.service import Wanted
from pos.sales import checkout, pricing, receipt
from pos.settings import service as app_settings
from tests.closing.conftest import close_shifts
from tests.returns.conftest import DAY, SOAP, give_back, line_ids, manager, sell, shop  # noqa: F401

ADDED = pricing.TaxSettings(pkp=True, rate_bp=1100, inclusive=False)
INSIDE = pricing.TaxSettings(pkp=True, rate_bp=1100, inclusive=True)
ZONE = "Asia/Makassar"


def _pkp(db, shop) -> None:  # noqa: F811
    with db.transaction() as s:
        app_settings.put_pkp(s, True, shop["manager"])


def test_the_receipt_states_the_dpp_of_the_lines_before_the_ppn_added(db, shop):  # noqa: F811
    _pkp(db, shop)
    sale = sell(db, shop, (SOAP, 3), tax=ADDED)               # Rp9.000 + PPN Rp990 = Rp9.990
    assert (sale.total, sale.tax, sale.tax_added) == (9_990, 990, True)
    text = receipt.tax_summary(sale, 40)
    assert any(x.startswith("DPP Nilai Lain (11/12)") and x.endswith("Rp8.250") for x in text), text
    assert any(x.startswith("PPN 12%") and x.endswith("Rp990") for x in text), text
    with db.reading() as s:                                   # a reprint reads the sale back
        assert receipt.tax_summary(checkout.get_sale(s, sale.id), 40) == text


def test_the_receipt_of_prices_with_the_ppn_inside_is_as_before(db, shop):  # noqa: F811
    _pkp(db, shop)
    sale = sell(db, shop, (SOAP, 3), tax=INSIDE)              # Rp9.000, Rp892 PPN inside
    assert (sale.total, sale.tax, sale.tax_added) == (9_000, 892, False)
    text = receipt.tax_summary(sale, 40)
    want = money.format_rupiah(money.dpp_nilai_lain(9_000 - 892))
    assert any(x.startswith("DPP Nilai Lain (11/12)") and x.endswith(want) for x in text), text


def test_the_day_report_takes_no_ppn_out_of_lines_it_was_added_to(db, shop):  # noqa: F811
    _pkp(db, shop)
    sell(db, shop, (SOAP, 3), tax=ADDED)                      # cost 3 x Rp2.000
    with db.reading() as s:
        day = day_summary(s, DAY, outlet_pkp=True)
    assert day["tax_classes"]["ppn"]["dpp"] == 8_250           # 11/12 of Rp9.000
    assert day["margin"] == 3_000
    assert day["business_units"]["sembako"]["margin"] == 3_000


def test_the_day_report_of_prices_with_the_ppn_inside_is_as_before(db, shop):  # noqa: F811
    _pkp(db, shop)
    sell(db, shop, (SOAP, 3), tax=INSIDE)
    with db.reading() as s:
        day = day_summary(s, DAY, outlet_pkp=True)
    assert day["tax_classes"]["ppn"]["dpp"] == money.dpp_nilai_lain(9_000 - 892)
    assert day["margin"] == day["business_units"]["sembako"]["margin"] == 9_000 - 892 - 6_000


def _margins(db) -> list[tuple]:
    with db.reading() as s:
        return [(by, r["margin"], r["margin_pct"]) for by in ("product", "category", "unit")
                for r in [*sales_report(s, by, DAY, DAY, zone=ZONE).rows,
                          sales_report(s, by, DAY, DAY, zone=ZONE).totals]]


def _close(db, shop) -> None:  # noqa: F811
    close_shifts(db, shop, now=datetime(2026, 11, 30, 12))
    with db.transaction() as s:
        close_day(s, day=DAY, user_id=shop["manager"], now=datetime(2026, 12, 1, 12),
                  today=date(2026, 12, 1), zone=ZONE, outlet_pkp=True)


def test_the_sales_reports_margin_is_of_the_lines_before_the_ppn_added(db, shop):  # noqa: F811
    _pkp(db, shop)
    sell(db, shop, (SOAP, 3), tax=ADDED)
    sell(db, shop, (SOAP, 1), tax=INSIDE)                     # Rp3.000, Rp297 PPN inside
    net = 9_000 + 3_000 - 297
    want = money.round_half_up((net - 8_000) * 10_000, net)
    live = _margins(db)
    assert {(m, p) for _, m, p in live} == {(net - 8_000, want)}, live
    _close(db, shop)                                          # read from the day's summary rows
    assert _margins(db) == live


def test_the_shu_basis_counts_goods_as_paid_with_the_ppn_added(db, shop):  # noqa: F811
    _pkp(db, shop)
    sale = sell(db, shop, (SOAP, 3), tax=ADDED, member=shop["member"])
    sell(db, shop, (SOAP, 1), tax=INSIDE, member=shop["member"])
    give_back(db, manager(shop), sale.id, Wanted(line_ids(db, sale.id)[0], 1))   # Rp3.330 back
    with db.reading() as s:
        basis = year_basis(s, DAY.year)
    # the goods' worth as paid (the PPN in, as in a price that holds it), as the purchases are
    assert basis.units["sembako"]["member"] == 9_990 + 3_000 - 3_330
    assert basis.total["member_paid"] == basis.total["member"]


def test_the_closing_export_names_the_ppn_of_returns_for_either_pricing(db, shop):  # noqa: F811
    _pkp(db, shop)
    sale = sell(db, shop, (SOAP, 3), tax=ADDED)
    give_back(db, manager(shop), sale.id, Wanted(line_ids(db, sale.id)[0], 1))
    with db.reading() as s:
        rows = export_lines(full_summary(s, DAY, zone=ZONE, outlet_pkp=True))
    taxed = [r for r in rows if r["section"] == "Retur" and "PPN" in r["item"]]
    assert [(r["item"], r["amount"]) for r in taxed] == [("PPN retur", -330)]


def test_the_units_table_adds_up_with_the_ppn_added_to_prices(db, shop):  # noqa: F811
    """The units' lines hold no PPN when it was added to the prices: a row says what was
    added, so the units, that row and the rounding make Total penjualan (the summary's export
    too), and a sale with the PPN inside adds none."""
    _pkp(db, shop)
    sell(db, shop, (SOAP, 3), tax=ADDED)                      # Rp9.000 + Rp990
    sell(db, shop, (SOAP, 1), tax=INSIDE)                     # Rp3.000, PPN inside
    with db.reading() as s:
        summary = full_summary(s, DAY, zone=ZONE, outlet_pkp=True)
    units = [(r["item"], r["amount"]) for r in export_lines(summary) if r["section"] == "Per unit usaha"]
    assert ("PPN ditambahkan ke harga", 990) in units
    assert units[-1] == ("Total penjualan", 12_990) and sum(a for _, a in units[:-1]) == 12_990


def test_the_day_report_and_tutup_hari_show_the_ppn_added_row(db, shop, client):  # noqa: F811
    from tests.factories import login
    _pkp(db, shop)
    sell(db, shop, (SOAP, 3), tax=ADDED)
    login(client, shop["manager"], None, shift=False)
    day = client.get(f"/laporan/harian?tanggal={DAY:%d-%m-%Y}").get_data(as_text=True)
    row = day[day.index('id="day-units-tax-added"'):].split("</tr>")[0]
    assert "PPN ditambahkan ke harga" in row and "Rp990" in row


def test_the_receipt_adds_up_from_its_lines_to_the_total(db, shop):  # noqa: F811
    """Prices before tax: the lines say Rp9.000 and TOTAL Rp9.990; a Subtotal and the PPN
    added stand between them, so the buyer can add it up (prices with the PPN inside: none)."""
    from pos.sales.receipt import OutletInfo, build
    outlet = OutletInfo("Koperasi", "Jl. Poros")
    _pkp(db, shop)
    text = build(sell(db, shop, (SOAP, 3), tax=ADDED), outlet, "Siti", 32).lines
    at = text.index(next(x for x in text if x.startswith("TOTAL")))
    assert text[at - 2].startswith("Subtotal") and text[at - 2].endswith("Rp9.000")
    assert text[at - 1].startswith("PPN") and text[at - 1].endswith("Rp990")
    inside = build(sell(db, shop, (SOAP, 1), tax=INSIDE), outlet, "Siti", 32).lines
    assert not any(x.startswith("Subtotal") for x in inside)


@pytest.mark.parametrize("tax, each", [(ADDED, 3_330), (INSIDE, 3_000)])
def test_the_returns_restocked_and_damaged_rows_add_up_to_the_returns(db, shop, tax, each):  # noqa: F811
    """Baris kembali ke stok and Baris rusak are the returned lines' worth as refunded: with
    the PPN added to the prices, each unit's PPN too, as in a price that holds it."""
    _pkp(db, shop)
    sale = sell(db, shop, (SOAP, 3), tax=tax)                 # 3 x Rp3.000 (+ PPN 11% added)
    line = line_ids(db, sale.id)[0]
    give_back(db, manager(shop), sale.id, Wanted(line, 1))                  # back on the shelf
    give_back(db, manager(shop), sale.id, Wanted(line, 1, restock=False))   # damaged
    with db.reading() as s:
        summary = full_summary(s, DAY, zone=ZONE, outlet_pkp=True)
    back = summary["returns"]
    assert back["amount"] == 2 * each
    assert back["restocked"] == {"lines": 1, "amount": each}
    assert back["written_off"] == {"lines": 1, "amount": each}
    rows = {r["item"]: r["amount"] for r in export_lines(summary) if r["section"] == "Retur"}
    assert rows["Baris kembali ke stok"] + rows["Baris rusak (dimusnahkan)"] == 2 * each
