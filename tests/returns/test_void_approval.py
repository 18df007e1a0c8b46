"""Voids before payment above POS_VOID_APPROVAL_ABOVE (default Rp100.000) need a manager: a line
removed (F4) or a cart emptied (F10) only logged its reason, whatever it was worth.  Above the
setting the cashier's void answers with the approval dialog and nothing goes; with a manager's
name and PIN (the dialog's seal) it goes, logged under Persetujuan; at or below it, or with the
setting empty, nothing is asked; a manager at the till voids alone, logged as their own."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pos.approvals.models import Override
from pos.returns.models import CartVoid
from pos.sales.models import CartLine
from tests.factories import login, sealed
from tests.returns.conftest import MEDICINE, SOAP

HX = {"HX-Request": "true", "HX-Target": "cart"}
MANAGER = {"approval_user": "manajer1", "approval_pin": "2222"}


def scanned(client, *codes: str) -> list[int]:
    for code in codes:
        assert client.post("/kasir/pindai", data={"code": code}, headers=HX).status_code == 200
    return lines(client)


def lines(client) -> list[int]:
    from pos.db import get_db
    with get_db(client.application).reading() as s:
        return list(s.scalars(select(CartLine.id).order_by(CartLine.id)))


def logged(db) -> tuple[list[tuple], list[tuple]]:
    """(the voids logged, the void approvals logged)."""
    with db.reading() as s:
        voids = [tuple(r) for r in s.execute(select(CartVoid.qty, CartVoid.amount, CartVoid.whole_cart,
                                                    CartVoid.reason).order_by(CartVoid.id))]
        approvals = [tuple(r) for r in s.execute(
            select(Override.asked_by, Override.approved_by, Override.description, Override.before,
                   Override.after, Override.reason).where(Override.kind == "void").order_by(Override.id))]
    return voids, approvals


def test_a_line_above_the_setting_stays_until_a_manager_approves(db, client, shop):
    login(client, shop["cashier"], shop["till"])
    big, small = scanned(client, f"40*{SOAP}", MEDICINE)             # Rp120.000 and Rp5.000
    path, form = f"/kasir/baris/{big}/hapus", {"reason": "Salah pindai"}
    asked = client.post(path, data=form, headers=HX)
    said = asked.get_data(as_text=True)
    assert 'id="approval-form"' in said and asked.headers["HX-Retarget"] == "#approval-dialog"
    assert "Hapus Sabun Mandi" in said and "40 pcs, Rp120.000" in said
    assert 'name="approval_reason" value="Salah pindai"' in said      # the void's reason, filled in
    assert lines(client) == [big, small] and logged(db) == ([], [])
    wrong = client.post(path, data=sealed(client, path, {**form, **MANAGER, "approval_pin": "9999",
                                                         "approval_reason": "Salah pindai"}), headers=HX)
    assert wrong.status_code == 403 and lines(client) == [big, small]
    done = client.post(path, headers=HX, data=sealed(client, path, {
        **form, **MANAGER, "approval_reason": "Salah pindai"}))
    assert done.status_code == 200, done.get_data(as_text=True)
    assert lines(client) == [small]
    assert logged(db) == ([(40, 120_000, False, "Salah pindai")],
                          [(shop["cashier"], shop["manager"], "Hapus Sabun Mandi", "40 pcs, Rp120.000",
                            "Dihapus: Salah pindai", "Salah pindai")])
    # at or below the setting: gone at once, nothing asked
    assert client.post(f"/kasir/baris/{small}/hapus", data=form, headers=HX).status_code == 200
    assert lines(client) == [] and len(logged(db)[1]) == 1


def test_a_cart_above_the_setting_is_emptied_only_with_a_manager(db, client, shop):
    login(client, shop["cashier"], shop["till"])
    both = scanned(client, f"30*{SOAP}", MEDICINE)                   # Rp90.000 + Rp5.000 each alone
    form = {"reason_text": "pembeli lupa dompet"}
    assert client.post("/kasir/kosongkan", data=form, headers=HX).status_code == 200   # Rp95.000
    assert lines(client) == []
    scanned(client, f"40*{SOAP}")
    asked = client.post("/kasir/kosongkan", data=form, headers=HX)
    said = asked.get_data(as_text=True)
    assert 'id="approval-form"' in said and asked.headers["HX-Retarget"] == "#approval-dialog"
    assert "Kosongkan keranjang (1 baris)" in said and "Total Rp120.000" in said
    assert 'name="approval_reason" value="pembeli lupa dompet"' in said   # a typed reason too
    assert len(lines(client)) == 1
    done = client.post("/kasir/kosongkan", headers=HX, data=sealed(client, "/kasir/kosongkan", {
        **form, **MANAGER, "approval_reason": "pembeli lupa dompet"}))
    assert done.status_code == 200 and lines(client) == []
    voids, approvals = logged(db)
    assert len(both) == 2 and voids[-1] == (40, 120_000, True, "pembeli lupa dompet")
    assert approvals == [(shop["cashier"], shop["manager"], "Kosongkan keranjang (1 baris)",
                          "Total Rp120.000", "Dihapus: pembeli lupa dompet", "pembeli lupa dompet")]


def test_a_manager_at_the_till_voids_alone_and_it_is_logged(db, client, shop):
    login(client, shop["manager"], shop["till"])
    [big] = scanned(client, f"40*{SOAP}")
    assert client.post(f"/kasir/baris/{big}/hapus", data={"reason": "Pembeli batal"},
                       headers=HX).status_code == 200
    assert lines(client) == []
    assert logged(db)[1] == [(shop["manager"], shop["manager"], "Hapus Sabun Mandi", "40 pcs, Rp120.000",
                              "Dihapus: Pembeli batal", "Pembeli batal")]


@pytest.fixture
def never(app_factory):
    return app_factory(VOID_APPROVAL_ABOVE=None)


def test_with_the_setting_empty_no_void_asks(never, shop):
    from pos.db import get_db
    client = never.test_client()
    login(client, shop["cashier"], shop["till"])
    [big] = scanned(client, f"400*{SOAP}")
    assert client.post(f"/kasir/baris/{big}/hapus", data={"reason": "Salah pindai"},
                       headers=HX).status_code == 200
    with get_db(never).reading() as s:
        assert s.scalar(select(func.count()).select_from(Override)) == 0
