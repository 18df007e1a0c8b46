"""The audit log merges the logs in time order, filtered by kind and user, by outlet-local
dates; the Dasbor's charts are valid SVG without style; the stock reports."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, datetime

from flask import render_template

from pos.approvals.models import Override
from pos.auth.models import StaffSession
from pos.inventory.catalog.models import PriceChange
from pos.reports import charts
from pos.reports.audit import audit_log
from pos.reports.dashboard import dashboard
from pos.reports.registry import Query, build
from pos.sales.models import DrawerEvent
from pos.settings.models import OutletSettingChange
from pos.tills.models import TillEvent
from tests.factories import login, make_product, make_till, make_user
from tests.reports.helpers import insert_sale

ZONE = "Asia/Makassar"
DAY = date(2026, 11, 21)


def _logs(db):
    with db.transaction() as s:
        till = make_till(s).id
        cashier, manager = make_user(s, "kasir1").id, make_user(s, "manajer1", "manager", "9999").id
        product = make_product(s, name="Minyak 1 L")
        s.add_all([
            StaffSession(token_hash="a" * 64, user_id=cashier, till_id=till, address="10.0.0.5",
                         created_at=datetime(2026, 11, 20, 23, 0), last_seen=datetime(2026, 11, 20, 23, 0),
                         ended_at=datetime(2026, 11, 21, 9, 0), end_reason="keluar"),
            Override(kind="price_override", description="Harga Minyak 1 L", asked_by=cashier,
                     approved_by=manager, reason="rusak", before="Rp20.000", after="Rp15.000",
                     created_at=datetime(2026, 11, 21, 2, 0)),
            PriceChange(product_id=product.id, field="het", old=15_000, new=15_500, changed_by=manager,
                        changed_at=datetime(2026, 11, 21, 3, 0)),
            PriceChange(product_id=product.id, field="price", old=10_000, new=11_000, changed_by=manager,
                        changed_at=datetime(2026, 11, 21, 3, 30)),
            OutletSettingChange(key="pkp", old_value=None, new_value="true", user_id=manager,
                                changed_at=datetime(2026, 11, 21, 4, 0)),
            DrawerEvent(till_id=till, user_id=manager, reason="tukar uang", opened=True,
                        created_at=datetime(2026, 11, 21, 5, 0)),
            TillEvent(till_id=till, user_id=cashier, kind="take", created_at=datetime(2026, 11, 21, 6, 0)),
            # 16:30 UTC is 00:30 WITA of the 22nd: outside the 21st
            DrawerEvent(till_id=till, user_id=manager, reason="besok",
                        created_at=datetime(2026, 11, 21, 16, 30)),
        ])
    return cashier, manager


def test_audit_log_merges_in_time_order_and_filters(db):
    cashier, manager = _logs(db)
    with db.reading() as s:
        log = audit_log(s, DAY, DAY, zone=ZONE)
        by_manager = audit_log(s, DAY, DAY, zone=ZONE, user_id=manager)
        drawers = audit_log(s, DAY, DAY, zone=ZONE, kind="drawer")
        het = audit_log(s, DAY, DAY, zone=ZONE, kind="het")
        paged = audit_log(s, DAY, DAY, zone=ZONE, page=2, per_page=3)
        next_day = audit_log(s, date(2026, 11, 22), date(2026, 11, 22), zone=ZONE)
    kinds = [row["kind"] for row in log.rows]
    assert kinds == ["Keluar", "Mesin kasir", "Laci kas dibuka", "Ubah pengaturan", "Ubah harga/pokok",
                     "Ubah HET", "Persetujuan manajer", "Masuk"]
    times = [row["at"] for row in log.rows]
    assert times == sorted(times, reverse=True) and times[0] == datetime(2026, 11, 21, 17, 0)  # WITA
    assert log.row_count == 8 and paged.row_count == 8 and [r["kind"] for r in paged.rows] == kinds[3:6]
    override = log.rows[6]
    assert (override["user"], override["approver"]) == ("Kasir1", "Manajer1")
    assert override["detail"] == "Harga Minyak 1 L (Ubah harga; Rp20.000 -> Rp15.000; alasan: rusak)"
    assert log.rows[5]["detail"].endswith("Minyak 1 L: HET Rp15.000 -> Rp15.500")   # Rupiah, not 15000
    assert log.rows[4]["detail"].endswith("Minyak 1 L: Harga jual Rp10.000 -> Rp11.000")
    assert log.rows[1]["detail"] == "KASIR-1: mulai memakai"       # the till named; not "take"
    assert log.rows[0]["detail"] == "keluar"
    assert log.rows[3]["detail"] == "Status PKP: (kosong) -> Ya"    # as Pengaturan says it, not "pkp"
    assert {r["kind"] for r in by_manager.rows} == {"Laci kas dibuka", "Ubah pengaturan", "Ubah harga/pokok",
                                                     "Ubah HET", "Persetujuan manajer"}
    assert [r["detail"] for r in drawers.rows] == ["KASIR-1, di luar shift: tukar uang"]   # no shift open
    assert [r["kind"] for r in het.rows] == ["Ubah HET"]
    assert [r["detail"] for r in next_day.rows] == ["KASIR-1, di luar shift: besok"]


def test_audit_page_filters(db, client):
    _, manager = _logs(db)
    login(client, manager)
    page = client.get(f"/laporan/log-audit?dari=21-11-2026&sampai=21-11-2026&jenis=drawer&pengguna={manager}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "tukar uang" in html and "pkp" not in html
    assert client.get("/laporan/log-audit?jenis=apa").status_code == 400


def test_the_menus_audit_links_show_what_they_are_named(db, client):
    """"Persetujuan & perubahan harga oleh manajer" opened the till approvals alone: a catalog
    price change (Ubah harga/pokok) was never under it."""
    _, manager = _logs(db)
    login(client, manager)
    menu = client.get("/laporan").get_data(as_text=True)
    links = dict((label, href.replace("&amp;", "&")) for href, label in re.findall(
        r'<a href="(/laporan/log-audit\?[^"]+)">([^<]+)</a>', menu))
    assert set(links) == {"Persetujuan manajer di kasir", "Perubahan harga jual &amp; pokok"}
    day = "&dari=21-11-2026&sampai=21-11-2026"
    approvals = client.get(links["Persetujuan manajer di kasir"] + day).get_data(as_text=True)
    assert "Harga Minyak 1 L (Ubah harga; Rp20.000 -&gt; Rp15.000" in approvals
    assert "Harga jual Rp10.000" not in approvals
    prices = client.get(links["Perubahan harga jual &amp; pokok"] + day).get_data(as_text=True)
    assert "Minyak 1 L: Harga jual Rp10.000 -&gt; Rp11.000" in prices and "rusak" not in prices


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    for node in root.iter():
        assert "style" not in node.attrib
        assert not node.tag.endswith("style") and not node.tag.endswith("script")
    return root


def test_charts_are_valid_svg_without_style():
    ns = "{http://www.w3.org/2000/svg}"
    points = [("07", 125_000), ("08", 0), ("09", 2_500_000)]
    for svg in (charts.bars("c1", "Per jam", "desc <&>", points, [100_000, 5, 0], "Rata-rata"),
                charts.line("c2", "30 hari", "d", points), charts.ranking("c3", "Top", "d", points),
                charts.shares("c4", "Cara bayar", "d", [("Tunai", 3), ("QRIS", 1)]),
                charts.bars("c5", "Kosong", "d", []), charts.shares("c6", "Kosong", "d", [])):
        root = _parse(str(svg))
        assert root.find(f"{ns}title") is not None and root.find(f"{ns}desc") is not None
        assert root.get("role") == "img"
    bars = _parse(str(charts.bars("c1", "t", "d", points)))
    heights = [int(r.get("height")) for r in bars.iter(f"{ns}rect")]
    assert heights[2] == 184 and heights[1] == 0 and 0 < heights[0] < heights[2]  # to scale
    assert "75,0%" in str(charts.shares("c4", "t", "d", [("Tunai", 3), ("QRIS", 1)]))


def test_a_long_legend_goes_on_to_another_row_inside_the_chart():
    """Four tenders' labels are wider than the chart: the last went past its right edge,
    where the SVG cut it off ("Kasbon a")."""
    ns = "{http://www.w3.org/2000/svg}"
    tenders = [("Tunai", 687), ("QRIS", 189), ("Transfer/Debit", 79), ("Kasbon anggota", 45),
               ("Simpanan sukarela", 1)]
    root = _parse(str(charts.shares("mix", "Cara bayar", "d", tenders)))
    height = int(root.get("viewBox").split()[3])
    labels = [t for t in root.iter(f"{ns}text")]
    assert [t.text for t in labels][-2:] == ["Kasbon anggota 4,5%", "Simpanan sukarela 0,1%"]
    for text in labels:
        right = int(text.get("x")) + 9 * len(text.text)
        assert right <= charts.WIDTH - 8, text.text
        assert int(text.get("y")) <= height - 8, text.text
    assert len({t.get("y") for t in labels}) == 2  # two rows
    # two short labels still share one row
    short = _parse(str(charts.shares("c4", "t", "d", [("Tunai", 3), ("QRIS", 1)])))
    assert len({t.get("y") for t in short.iter(f"{ns}text")}) == 1


def test_dashboard_figures_and_page(db, client):
    with db.transaction() as s:
        till, cashier = make_till(s).id, make_user(s).id
        manager = make_user(s, "manajer1", "manager", "9999").id
        products = [make_product(s, name="Gula 1 kg")]
        s.expunge(products[0])
        # today (the 21st, Saturday) 10:15 WITA, and the two Saturdays before at 10:xx
        for day, utc, amount in ((DAY, datetime(2026, 11, 21, 2, 15), 60_000),
                                 (date(2026, 11, 14), datetime(2026, 11, 14, 2, 0), 30_000),
                                 (date(2026, 11, 7), datetime(2026, 11, 7, 2, 0), 42_000)):
            insert_sale(s, till_id=till, cashier_id=cashier, products=products, when=utc, day=day,
                        lines=[(0, 1, amount, 0)], tenders=[("cash", amount)], member=day == DAY)
    with db.reading() as s:
        data = dashboard(s, DAY, ZONE)
    hours = dict(data["hourly"]["points"])
    average = dict(zip([h for h, _ in data["hourly"]["points"]], data["hourly"]["average"], strict=True))
    # (30.000 + 42.000) / the 2 Saturdays since the first sale, not / 6 weeks (12.000)
    assert hours["10"] == 60_000 and average["10"] == 36_000
    assert data["weeks"] == 2 and data["average_label"] == "Rata-rata 2 hari Sabtu sebelumnya"
    assert len(data["days"]) == 30 and data["days"][-1] == ("21-11", 60_000)
    assert ("14-11", 30_000) in data["days"]
    assert data["top"] == [("Gula 1 kg", 132_000)] and data["tenders"] == [("Tunai", 132_000)]
    assert dict(data["members"]) == {"Anggota": 60_000, "Bukan anggota": 72_000}
    login(client, manager)
    page = client.get("/laporan/dasbor").get_data(as_text=True)
    svgs = re.findall(r"<svg.*?</svg>", page, re.S)
    assert len(svgs) == 5 and all(_parse(svg) is not None for svg in svgs)
    assert "<style" not in page and 'style="' not in page and "reports.css" in page


def test_stock_reports(db):
    with db.transaction() as s:
        make_product(s, name="Sabun", category="Mandi", cost=2_000, on_hand=10).reorder_point = 12
        make_product(s, name="Sampo", category="Mandi", cost=3_000, on_hand=5)
        make_product(s, name="Obat", business_unit="apotek", cost=1_000, on_hand=4, batch_tracked=True,
                     expiry=date(2026, 12, 1))
    q = Query(DAY, DAY, ZONE, DAY, page=None, expiry_days=30)
    with db.reading() as s:
        unit, category = build(s, "nilai-stok", q), build(s, "nilai-stok-kategori", q)
        low, near = build(s, "stok-menipis", q), build(s, "hampir-kedaluwarsa", q)
    assert unit.totals["cost"] == category.totals["cost"] == 10 * 2_000 + 5 * 3_000 + 4 * 1_000
    assert {r["key"]: r["cost"] for r in category.rows} == {"Mandi": 35_000, "Tanpa kategori": 4_000}
    assert [r["name"] for r in low.rows] == ["Sabun"] and [r["name"] for r in near.rows] == ["Obat"]


def test_returns_and_voids_join_the_audit_log(db):
    from pos.returns.models import CartVoid, SaleReturn

    with db.transaction() as s:
        till = make_till(s).id
        cashier, manager = make_user(s, "kasir1").id, make_user(s, "manajer1", "manager", "9999").id
        product = make_product(s, name="Gula 1 kg")
        sale = insert_sale(s, till_id=till, cashier_id=cashier, products=[product],
                           when=datetime(2026, 11, 21, 1, 0), day=DAY, lines=[(0, 2, 30_000, 0)],
                           tenders=[("cash", 30_000)])
        s.add_all([
            SaleReturn(return_no="R-TST01-000001", seq_no=1, outlet_code="TST01", sale_id=sale,
                       till_id=till, cashier_id=cashier, approved_by=manager, business_date=DAY,
                       created_at=datetime(2026, 11, 21, 4, 0), reason="kemasan bocor",
                       refund_total=15_000),
            CartVoid(till_id=till, cashier_id=cashier, cart_id=1, product_id=product.id,
                     name="Gula 1 kg", qty=1, amount=15_000, reason="Salah pindai",
                     created_at=datetime(2026, 11, 21, 5, 0)),
        ])
    with db.reading() as s:
        log = audit_log(s, DAY, DAY, zone=ZONE)
        returns = audit_log(s, DAY, DAY, zone=ZONE, kind="return")
        by_manager = audit_log(s, DAY, DAY, zone=ZONE, user_id=manager)
    assert [r["kind"] for r in log.rows] == ["Hapus sebelum bayar", "Retur"]
    void, made = log.rows
    assert "Gula 1 kg x1 (Rp15.000); alasan: Salah pindai" == void["detail"] and void["user"] == "Kasir1"
    assert (made["user"], made["approver"]) == ("Kasir1", "Manajer1")
    assert made["detail"] == "R-TST01-000001: Rp15.000; alasan: kemasan bocor"
    assert [r["kind"] for r in returns.rows] == ["Retur"]
    assert [r["kind"] for r in by_manager.rows] == ["Retur"]


def test_a_new_gerai_has_no_average_line_until_a_weekday_comes_round(db, client):
    with db.transaction() as s:
        till, cashier = make_till(s).id, make_user(s).id
        products = [make_product(s, name="Gula 1 kg")]
        s.expunge(products[0])
        insert_sale(s, till_id=till, cashier_id=cashier, products=products,   # its first sale
                    when=datetime(2026, 11, 21, 2, 15), day=DAY, lines=[(0, 1, 60_000, 0)],
                    tenders=[("cash", 60_000)])
    with db.reading() as s:
        data = dashboard(s, DAY, ZONE)
    assert data["hourly"]["average"] is None and data["weeks"] == 0
    assert data["average_label"] == "Belum ada hari Sabtu sebelumnya"
    with client.application.test_request_context():
        page = render_template("reports/dashboard.html", data=data, charts=charts)
    assert "chart-compare" not in page and "garis putus-putus" not in page
    assert "Belum ada hari Sabtu sebelumnya" in page


def test_a_voided_line_reads_in_the_unit_the_till_shows(db):
    from pos.returns.models import CartVoid

    with db.transaction() as s:
        till, cashier = make_till(s).id, make_user(s, "kasir1").id
        milk = make_product(s, name="Susu Sapi Segar Peternak Lokal", base_unit="ml", price=20_000)
        rice = make_product(s, name="Beras Curah", base_unit="gram", price=14_000)
        soap = make_product(s, name="Sabun Mandi")
        for minute, (product, qty, amount) in enumerate([(milk, 2_500, 50_000), (rice, 1_250, 17_500),
                                                         (soap, 1_500, 3_000_000)]):
            s.add(CartVoid(till_id=till, cashier_id=cashier, cart_id=1, product_id=product.id,
                           name=product.name, qty=qty, amount=amount, reason="Pembeli batal",
                           created_at=datetime(2026, 11, 21, 5, minute)))
    with db.reading() as s:
        details = [r["detail"] for r in audit_log(s, DAY, DAY, zone=ZONE, kind="void").rows]
    assert details == ["Sabun Mandi x1.500 (Rp3.000.000); alasan: Pembeli batal",
                       "Beras Curah x1,25 kg (Rp17.500); alasan: Pembeli batal",
                       "Susu Sapi Segar Peternak Lokal x2,5 liter (Rp50.000); alasan: Pembeli batal"]


def test_a_till_changed_by_the_command_line_names_it_as_oleh(db):
    """``pos till set-devices`` left Oleh empty."""
    from pos.reports.audit import COMMAND_LINE

    with db.transaction() as s:
        till = make_till(s).id
        s.add(TillEvent(till_id=till, user_id=None, kind="devices", detail="berat diketik: tidak -> ya",
                        created_at=datetime(2026, 11, 21, 6, 0)))
    with db.reading() as s:
        [row] = audit_log(s, DAY, DAY, zone=ZONE, kind="till").rows
    assert row["user"] == COMMAND_LINE and row["detail"].startswith("KASIR-1: perangkat diubah")
