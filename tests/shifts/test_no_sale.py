"""Buka laci (the drawer opened without a sale) as a service: refused without an open shift of
the cashier's at the till, a manager's approval unless the outlet lets a cashier, the reason
from the quick list and a note, recorded in the shift's drawer log with its approver, and the
shift's X/Z report (screen, paper, JSON) listing every opening with its time and reason."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pos.approvals.models import Override
from pos.approvals.service import Actor, Approval, NeedsApproval
from pos.auth.models import Role
from pos.auth.service import RIGHTS
from pos.clock import utcnow
from pos.reports import shift_report
from pos.sales.models import DrawerEvent
from pos.shifts import drawer, zreport, zreport_text
from pos.shifts.gate import NoOpenShift
from tests.factories import _today as today
from tests.factories import open_shift


def cashier(staff, approval: Approval | None = None, user: str = "cashier") -> Actor:
    role = Role.MANAGER if user == "manager" else Role.CASHIER
    return Actor(staff[user], staff["till"], RIGHTS[role], approval=approval)


def events(db) -> list[DrawerEvent]:
    with db.reading() as s:
        return list(s.scalars(select(DrawerEvent).order_by(DrawerEvent.id)))


def overrides(db) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(Override))


@pytest.fixture
def shift(db, staff) -> int:
    with db.transaction() as s:
        return open_shift(s, staff["till"], staff["cashier"], opening_float=100_000).id


def test_no_shift_open_at_the_till_refuses_and_writes_nothing(db, staff):
    with db.transaction() as s, pytest.raises(NoOpenShift) as refused:
        drawer.open_no_sale(s, cashier(staff, Approval(staff["manager"], "ok")),
                            reason="Tukar uang pecahan", day=today(), now=utcnow())
    assert "shift" in refused.value.message.lower()
    assert events(db) == [] and overrides(db) == 0


def test_another_cashiers_shift_at_the_till_is_not_theirs(db, staff, shift):
    with db.transaction() as s, pytest.raises(NoOpenShift):
        drawer.open_no_sale(s, Actor(staff["other"], staff["till"], RIGHTS[Role.CASHIER],
                                     approval=Approval(staff["manager"], "ok")),
                            reason="Tukar uang pecahan", day=today(), now=utcnow())
    assert events(db) == []


def test_a_cashier_alone_is_asked_for_a_manager_and_nothing_is_written(db, staff, shift):
    with db.transaction() as s, pytest.raises(NeedsApproval) as asked:
        drawer.open_no_sale(s, cashier(staff), reason="Perbaiki kembalian", day=today(), now=utcnow())
    assert asked.value.kind == "no_sale" and "Perbaiki kembalian" in asked.value.what
    assert asked.value.suggested == "Perbaiki kembalian"
    assert events(db) == [] and overrides(db) == 0


def test_with_a_managers_pin_it_is_recorded_in_the_shift_with_the_approver(db, staff, shift):
    with db.transaction() as s:
        opened = drawer.open_no_sale(s, cashier(staff, Approval(staff["manager"], "tukar uang")),
                                     reason="Tukar uang pecahan: Rp100.000", day=today(), now=utcnow())
    assert (opened.shift_id, opened.approved_by) == (shift, staff["manager"])
    (event,) = events(db)
    assert (event.id, event.no_sale, event.shift_id, event.approved_by, event.user_id, event.till_id,
            event.reason, event.sale_id, event.opened) == (
        opened.event_id, True, shift, staff["manager"], staff["cashier"], staff["till"],
        "Tukar uang pecahan: Rp100.000", None, False)   # not opened until the kick's outcome
    with db.reading() as s:
        logged = s.scalars(select(Override)).one()
    assert (logged.kind, logged.asked_by, logged.approved_by, logged.reason) == (
        "no_sale", staff["cashier"], staff["manager"], "tukar uang")
    with db.transaction() as s:
        drawer.outcome(s, opened.event_id, None)
    assert events(db)[0].opened is True


def test_the_outlet_may_let_a_cashier_open_it_alone(db, staff, shift):
    with db.transaction() as s:
        opened = drawer.open_no_sale(s, cashier(staff), reason="Periksa isi laci", day=today(),
                                     now=utcnow(), cashier_alone=True)
    assert opened.approved_by is None and overrides(db) == 0
    assert events(db)[0].no_sale and events(db)[0].approved_by is None


def test_a_manager_in_their_own_shift_approves_their_own(db, staff):
    with db.transaction() as s:
        mine = open_shift(s, staff["till"], staff["manager"]).id
        opened = drawer.open_no_sale(s, cashier(staff, user="manager"), reason="Periksa isi laci",
                                     day=today(), now=utcnow())
    assert (opened.shift_id, opened.approved_by) == (mine, staff["manager"])
    assert overrides(db) == 1


@pytest.mark.parametrize("choice, note, reason", [
    ("Tukar uang pecahan", "", "Tukar uang pecahan"),
    ("Perbaiki kembalian", "  salah Rp5.000 ", "Perbaiki kembalian: salah Rp5.000"),
    ("", "pembeli minta tukar", "pembeli minta tukar"),
    (None, "x" * 200, "x" * 200),
])
def test_the_reason_is_a_quick_choice_a_note_or_both(choice, note, reason):
    assert drawer.no_sale_reason(choice, note) == reason


@pytest.mark.parametrize("choice, note, words", [
    ("", "", "Tulis alasan membuka laci"), (None, " ab ", "minimal 3 huruf"),
    ("Ambil uang", "", "Pilih alasan dari daftar"), ("", "x" * 201, "terlalu panjang"),
    ("Tukar uang pecahan", "x" * 190, "paling banyak 180 huruf"),
])
def test_a_missing_or_bad_reason_is_refused_in_indonesian(choice, note, words):
    with pytest.raises(drawer.DrawerError) as refused:
        drawer.no_sale_reason(choice, note)
    assert words in refused.value.message


def test_the_x_and_z_report_list_the_openings_with_time_reason_and_approver(db, staff, shift):
    with db.transaction() as s:
        first = drawer.open_no_sale(s, cashier(staff, Approval(staff["manager"], "ok")),
                                    reason="Tukar uang pecahan", day=today(), now=utcnow())
        drawer.outcome(s, first.event_id, None)
        failed = drawer.open_no_sale(s, cashier(staff), reason="Perbaiki kembalian: Rp2.000",
                                     day=today(), now=utcnow(), cashier_alone=True)
        drawer.outcome(s, failed.event_id, "Printer tidak terhubung")
        drawer.log(s, till_id=staff["till"], user_id=staff["cashier"], reason="Kas masuk Rp5.000",
                   error=None)   # a cash movement's opening is not a no-sale one
    with db.reading() as s:
        z = zreport.build(s, shift)
    assert [(n.reason, n.by, n.approver, n.opened) for n in z.no_sales] == [
        ("Tukar uang pecahan", "Kasir1", "Manajer1", True),
        ("Perbaiki kembalian: Rp2.000", "Kasir1", None, False)]
    assert [n["reason"] for n in z.as_json()["no_sales"]] == ["Tukar uang pecahan",
                                                              "Perbaiki kembalian: Rp2.000"]
    text = "\n".join(zreport_text.lines(z, outlet_name="Gerai", timezone="Asia/Makassar", columns=32))
    assert "BUKA LACI TANPA PENJUALAN: 2x" in text
    assert "Tukar uang pecahan" in text and "disetujui Manajer1" in text
    assert "laci tidak terbuka" in text
    assert all(len(line) <= 32 for line in text.splitlines())
    exported = [r for r in shift_report.rows(z, "Asia/Makassar")
                if r["bagian"] == "Buka laci tanpa penjualan"]
    assert [(r["keterangan"], r["banyak"]) for r in exported] == [
        ("Berapa kali", 2), ("Tukar uang pecahan", None), ("Perbaiki kembalian: Rp2.000", None)]
    assert exported[1]["nilai"].endswith("Kasir1, disetujui Manajer1")
    assert exported[2]["nilai"].endswith("Kasir1; laci tidak terbuka")


def test_the_audit_log_says_an_opening_was_without_a_sale(db, staff, shift):
    from pos.reports.audit import audit_log

    with db.transaction() as s:
        drawer.open_no_sale(s, cashier(staff), reason="Periksa isi laci", day=today(), now=utcnow(),
                            cashier_alone=True)
        drawer.log(s, till_id=staff["till"], user_id=staff["cashier"], reason="Kas masuk Rp5.000",
                   error=None)
    with db.reading() as s:
        rows = audit_log(s, today(), today(), zone="Asia/Makassar", kind="drawer").rows
    assert sorted(r["detail"] for r in rows) == ["Kas masuk Rp5.000", "Tanpa penjualan: Periksa isi laci"]
