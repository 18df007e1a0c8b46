"""The drawers' reports (Shift dan selisih kas, Kas masuk/keluar) and the audit log's shift,
cash and closed-day rows, from shifts run through the real services; their CSV and XLSX
equal the screen."""
from __future__ import annotations

import io
import re
import uuid
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from pos.approvals.service import Actor, Approval
from pos.auth.models import Role
from pos.auth.service import RIGHTS
from pos.closing.service import close_day
from pos.inventory.catalog.lookup import lookup_barcode
from pos.reports import audit, registry, shape
from pos.reports.shifts import STILL_OPEN, cash_movements, shift_report
from pos.sales import cart, checkout
from pos.sales.models import PaymentMethod
from pos.sales.pricing import TaxSettings
from pos.shifts import service as shifts
from pos.shifts.models import CashDirection
from tests.factories import csv_rows, login, make_product, make_till, make_user

ZONE = "Asia/Makassar"
DAY, NEXT = date(2026, 11, 21), date(2026, 11, 22)
SOAP = "8990000950011"


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """Naive UTC of ``hour:minute`` WITA (UTC+8) on ``day``."""
    return datetime(day.year, day.month, day.day, hour - 8, minute)


@pytest.fixture
def drawers(db):
    """21-11: Siti's shift (float Rp200.000 by denomination, a Rp25.000 sale paid with
    Rp50.000, Kas keluar Rp30.000, Kas masuk Rp100.000 approved by Andi, counted Rp1.000
    short), then Andi's own shift at the same till; the day closed.  22-11: Siti's shift,
    still open, one Rp25.000 sale."""
    with db.transaction() as s:
        till = make_till(s).id
        siti = make_user(s, "kasir1", "cashier", "1111")
        andi = make_user(s, "manajer1", "manager", "9999")
        siti.full_name, andi.full_name = "Siti Rahmawati", "Andi Baso"
        make_product(s, name="Sabun", price=25_000, on_hand=50, barcodes_=[SOAP])
    ids = dict(till=till, siti=siti.id, andi=andi.id)
    cashier = Actor(siti.id, till, RIGHTS[Role.CASHIER], reason="laci",
                    approval=Approval(andi.id, "uang kecil"))
    boss = Actor(andi.id, till, RIGHTS[Role.MANAGER], reason="dihitung")

    def sell(user: int, when: datetime, handed: int) -> None:
        with db.transaction() as s:
            cart.add(s, till, lookup_barcode(s, SOAP))
            checkout.checkout(s, till_id=till, cashier_id=user, idempotency_key=str(uuid.uuid4()),
                              tenders=[checkout.Tender(PaymentMethod.CASH, handed)],
                              outlet_code="TST01", timezone=ZONE, tax=TaxSettings(), now=when)

    with db.transaction() as s:
        first = shifts.open_shift(s, till_id=till, cashier_id=siti.id, note=None, day=DAY,
                                  cash=shifts.Cash.of({"k100000": 1, "k50000": 2}, None),
                                  now=at(DAY, 8)).id
    sell(siti.id, at(DAY, 9), 50_000)
    with db.transaction() as s:
        shifts.move_cash(s, cashier, direction=CashDirection.OUT, amount=30_000,
                         reason="Beli galon air", day=DAY, now=at(DAY, 10), approval_above=50_000)
        shifts.move_cash(s, cashier, direction=CashDirection.IN, amount=100_000,
                         reason="Uang kecil dari bendahara", day=DAY, now=at(DAY, 11),
                         approval_above=50_000)
    with db.transaction() as s:
        shifts.close_shift(s, boss, shift_id=first, cash=shifts.Cash(294_000), counted_other={},
                           reason="Salah beri kembalian", now=at(DAY, 14))
        second = shifts.open_shift(s, till_id=till, cashier_id=andi.id, note="Receh ditukar",
                                   cash=shifts.Cash(290_000), day=DAY, now=at(DAY, 14, 5)).id
    with db.transaction() as s:
        shifts.close_shift(s, boss, shift_id=second, cash=shifts.Cash(290_000), counted_other={},
                           reason=None, now=at(DAY, 20))
        close_day(s, day=DAY, user_id=andi.id, now=at(DAY, 20, 30), today=NEXT)
    with db.transaction() as s:
        shifts.open_shift(s, till_id=till, cashier_id=siti.id, note=None, day=NEXT,
                          cash=shifts.Cash(290_000), now=at(NEXT, 8))
    sell(siti.id, at(NEXT, 9), 25_000)
    return ids


def test_shift_report_rows_and_totals(db, drawers):
    with db.reading() as s:
        report = shift_report(s, DAY, NEXT, zone=ZONE)
    picked = [(r["date"], r["cashier"], r["float"], r["opening_difference"], r["expected"],
               r["counted"], r["difference"], r["reason"], r["approver"]) for r in report.rows]
    assert picked == [
        (DAY, "Siti Rahmawati", 200_000, None, 295_000, 294_000, -1_000, "Salah beri kembalian",
         "Andi Baso"),
        # Rp294.000 counted at 14:00, Rp290.000 in the drawer at 14:05: the Rp4.000 is kept
        (DAY, "Andi Baso", 290_000, -4_000, 290_000, 290_000, 0, "Kas awal: Receh ditukar",
         "Kas awal: Andi Baso; Andi Baso"),
        (NEXT, "Siti Rahmawati", 290_000, 0, 315_000, None, None, STILL_OPEN, ""),
    ]
    assert report.rows[0]["opened"] == datetime(2026, 11, 21, 8, 0)   # WITA, not UTC
    assert report.rows[2]["closed"] is None
    # only the differences are added up: the floats (carried from shift to shift) summed to
    # Rp780.000 that no drawer ever held
    assert report.totals == {"date": "Total", "opening_difference": -4_000, "difference": -1_000}
    with db.reading() as s:
        one_day = shift_report(s, DAY, DAY, zone=ZONE)
        second_page = shift_report(s, DAY, NEXT, zone=ZONE, page=2, per_page=2)
    assert one_day.row_count == 2 and one_day.totals["difference"] == -1_000
    assert second_page.pages == 2 and [r["date"] for r in second_page.rows] == [NEXT]
    assert second_page.totals == report.totals


def test_cash_movements_report(db, drawers):
    with db.reading() as s:
        report = cash_movements(s, DAY, NEXT, zone=ZONE)
        first_page = cash_movements(s, DAY, NEXT, zone=ZONE, page=1, per_page=1)
        other_day = cash_movements(s, NEXT, NEXT, zone=ZONE)
    assert [(r["at"], r["kind"], r["cash_in"], r["cash_out"], r["reason"], r["approver"])
            for r in report.rows] == [
        (datetime(2026, 11, 21, 10, 0), "Kas keluar", 0, 30_000, "Beli galon air", ""),
        (datetime(2026, 11, 21, 11, 0), "Kas masuk", 100_000, 0, "Uang kecil dari bendahara",
         "Andi Baso")]
    assert (report.totals["cash_in"], report.totals["cash_out"]) == (100_000, 30_000)
    assert first_page.row_count == 2 and len(first_page.rows) == 1
    assert first_page.totals == report.totals
    assert other_day.rows == [] and other_day.totals["cash_in"] == 0


def test_audit_log_has_shifts_cash_and_closed_days(db, drawers):
    with db.reading() as s:
        log = audit.audit_log(s, DAY, NEXT, zone=ZONE)
        closes = audit.audit_log(s, DAY, NEXT, zone=ZONE, kind="shift_close")
        days = audit.audit_log(s, DAY, NEXT, zone=ZONE, kind="day_close")
        by_siti = audit.audit_log(s, DAY, NEXT, zone=ZONE, kind="cash", user_id=drawers["siti"])
    kinds = [r["kind"] for r in log.rows]
    assert kinds.count("Buka shift") == 3 and kinds.count("Tutup shift") == 2
    assert kinds.count("Kas masuk/keluar") == 2 and kinds.count("Tutup hari") == 1
    first_close = closes.rows[-1]   # newest first
    assert first_close["user"] == "Andi Baso" and first_close["approver"] == "Andi Baso"
    assert ("tunai diharapkan Rp295.000, dihitung Rp294.000, selisih -Rp1.000; alasan"
            in first_close["detail"])   # every tender's difference is the cash's: not said twice
    assert "alasan: Salah beri kembalian" in first_close["detail"]
    assert days.rows[0]["detail"] == "Tutup hari 21-11-2026"
    assert [r["detail"] for r in by_siti.rows] == [
        "Kas masuk Rp100.000; alasan: Uang kecil dari bendahara",
        "Kas keluar Rp30.000; alasan: Beli galon air"]
    assert by_siti.rows[0]["approver"] == "Andi Baso"


def _xlsx_text(column: shape.Column, value) -> str:
    """A spreadsheet cell as the CSV writes it: dates dd-mm-yyyy, numbers bare."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d-%m-%Y %H:%M" if column.kind == "time" else "%d-%m-%Y")
    return str(value)


@pytest.mark.parametrize("slug", ["shift", "kas-masuk-keluar"])
def test_exports_equal_the_screen(db, client, drawers, slug):
    login(client, drawers["andi"])
    url = f"/laporan/{slug}?dari=21-11-2026&sampai=22-11-2026"
    page = client.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", html)]
    with db.reading() as s:
        report = registry.build(s, slug, registry.Query(DAY, NEXT, ZONE, NEXT, page=None))
    body = client.get(url + "&unduh=csv")
    assert body.headers["Content-Disposition"].endswith('.csv"')
    rows = csv_rows(body)
    # the screen's columns: one per column, or several stacked a line each (shape.Stack)
    screen = report.screen or [shape.Stack((c.label,), c.label, ((c.key,),)) for c in report.columns]
    assert rows[0] == [c.label for c in report.columns]
    assert rows[1:] == [[shape.cell_text(r, c, screen=False) for c in report.columns]
                        for r in report.rows + [report.totals]]
    flat = [re.sub(r"\s+", "", c) for c in cells]   # a stacked cell's lines run together
    assert flat == [re.sub(r"\s+", "", x) for x in ["".join(s.heads) for s in screen] + [
        "".join("–".join(texts) for _, texts in s.cells(r, report))
        for r in report.rows + [report.totals] for s in screen]]
    assert {c.key for c in report.columns} == {k for s in screen for line in s.lines for k in line}
    assert rows[-1][0] == "Total"
    sheet = [list(r) for r in load_workbook(io.BytesIO(client.get(url + "&unduh=xlsx").data))
             .active.iter_rows(values_only=True)]
    assert sheet[0] == rows[0]
    assert [[_xlsx_text(c, v) for c, v in zip(report.columns, r, strict=True)]
            for r in sheet[1:]] == rows[1:]
    if slug == "shift":   # 12 columns did not fit 1024 px: 6 on screen, every figure in them
        assert len(screen) == 6 and "-Rp1.000" in "".join(cells)
        assert any(c.endswith("-Rp4.000") for c in cells)   # the float against 14:00's count
        assert "KasawalSelisihawal" in flat and any(STILL_OPEN in c for c in cells)
        # on screen a shift's times on its own date are the time alone, under its date; the
        # cashier over the till; the CSV keeps the date with the times
        assert flat[6:8] == ["21-11-202608:00–14:00", "SitiRahmawatiKasir-1"]
        assert rows[1][3:5] == ["21-11-2026 08:00", "21-11-2026 14:00"]


def test_menu_lists_both(db, client, drawers):
    login(client, drawers["andi"])
    menu = client.get("/laporan").get_data(as_text=True)
    assert "/laporan/shift" in menu and "/laporan/kas-masuk-keluar" in menu
    assert "Shift dan selisih kas" in menu and "Kas masuk/keluar" in menu


def test_the_audit_log_says_the_cash_difference_when_another_tender_makes_up_for_it(db, drawers):
    """Cash Rp10.000 short and QRIS Rp10.000 over: the log said "diharapkan Rp295.000,
    dihitung Rp285.000, selisih Rp0" (every tender's sum beside the cash's figures)."""
    from sqlalchemy import select

    from pos.shifts.models import Shift
    with db.transaction() as s:
        first = s.scalars(select(Shift).order_by(Shift.id)).first()
        first.counted_cash, first.difference = 285_000, 0
    with db.reading() as s:
        closes = audit.audit_log(s, DAY, NEXT, zone=ZONE, kind="shift_close")
    assert ("tunai diharapkan Rp295.000, dihitung Rp285.000, selisih -Rp10.000; "
            "selisih semua pembayaran Rp0; alasan" in closes.rows[-1]["detail"])


def test_a_difference_over_is_shown_with_its_plus_on_screen_and_in_the_spreadsheet():
    """Shift dan selisih kas wrote a drawer Rp14.800 over as "Rp14.800" where the Z report, the
    cards and paper write "+Rp14.800"; the files keep the number (14800)."""
    from pos.reports.shifts import SHIFT_COLUMNS

    over = {"difference": 14_800, "opening_difference": 0}
    for key in ("difference", "opening_difference"):
        column = next(c for c in SHIFT_COLUMNS if c.key == key)
        assert column.signed
    difference = next(c for c in SHIFT_COLUMNS if c.key == "difference")
    assert shape.cell_text(over, difference) == "+Rp14.800"
    assert shape.cell_text({"difference": -1_000}, difference) == "-Rp1.000"
    assert shape.cell_text({"difference": 0}, difference) == "Rp0"
    assert shape.cell_text(over, difference, screen=False) == "14800"
    report = shape.Report("shift", "Shift", [difference], [over], row_count=1)
    sheet = load_workbook(io.BytesIO(shape.to_xlsx(report))).active
    assert sheet.cell(2, 1).value == 14_800 and sheet.cell(2, 1).number_format == shape.SIGNED
