"""Discounts, price overrides and the manager's dialog through HTTP (htmx requests)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pos.approvals.models import Override, RefusedApproval
from pos.sales import cart
from pos.sales.models import Cart, CartLine
from tests.approvals.conftest import shop  # noqa: F401  (fixture)
from tests.factories import login, make_user, sealed
from tests.sales.test_adjust import hit

HX = {"HX-Request": "true", "HX-Target": "cart"}
MANAGER = {"approval_user": "manajer1", "approval_pin": "9999", "approval_reason": "pelanggan tetap"}


@pytest.fixture
def line(db, client, shop):  # noqa: F811
    """kasir1 logged in at the till, two units of the product (10.000, cost 8.000) in the cart."""
    with db.transaction() as s:
        line_id = cart.add(s, shop["till"], hit(shop["product"]), times=2, cashier_id=shop["cashier"])
    login(client, shop["cashier"], shop["till"])
    return line_id


def values(db, line_id):
    with db.reading() as s:
        row = s.get(CartLine, line_id)
        logged = s.scalar(select(func.count()).select_from(Override))
        return row.discount_bp, row.discount_amount, row.price_override, logged


def test_the_forms_open_for_the_line_and_the_sale(client, line):
    page = client.get(f"/kasir/ubah/baris/{line}/diskon", headers=HX).get_data(as_text=True)
    assert 'id="adjust-discount"' in page and f"/kasir/ubah/baris/{line}/diskon" in page
    assert "paling besar 5%" in page
    page = client.get(f"/kasir/ubah/baris/{line}/harga", headers=HX).get_data(as_text=True)
    assert 'id="adjust-price"' in page and "HET Rp12.000" in page
    page = client.get("/kasir/ubah/diskon", headers=HX).get_data(as_text=True)
    assert "Diskon seluruh transaksi" in page
    assert client.get("/kasir/ubah/baris/999/harga", headers=HX).status_code == 404


def test_within_the_limit_the_cart_comes_back(client, db, line):
    answer = client.post(f"/kasir/ubah/baris/{line}/diskon", headers=HX,
                         data={"discount": "1.000", "reason": "kemasan penyok"})
    assert answer.status_code == 200 and 'id="cart"' in answer.get_data(as_text=True)
    assert values(db, line) == (0, 1000, None, 0)
    # the price form says a new price takes the discount away (it had stayed under it)
    page = client.get(f"/kasir/ubah/baris/{line}/harga", headers=HX).get_data(as_text=True)
    assert "Diskon baris ini ikut dihapus: harga baru adalah harga jualnya." in page


def test_beyond_the_limit_the_dialog_asks_a_manager_then_the_cashier_goes_on(client, db, line, shop):  # noqa: F811
    form = {"discount": "20%", "reason": "kemasan penyok"}
    answer = client.post(f"/kasir/ubah/baris/{line}/diskon", headers=HX, data=form)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert answer.headers["HX-Retarget"] == "#approval-dialog"
    assert 'id="approval-pin"' in page and 'hx-target="#cart"' in page
    assert f'hx-post="/kasir/ubah/baris/{line}/diskon"' in page
    assert '<input type="hidden" name="discount" value="20%">' in page
    assert "Rp20.000" in page and "Rp16.000" in page
    assert values(db, line) == (0, 0, None, 0)

    answer = client.post(f"/kasir/ubah/baris/{line}/diskon", headers=HX,
                         data=sealed(client, f"/kasir/ubah/baris/{line}/diskon", {**form, **MANAGER}))
    assert answer.status_code == 200 and 'id="approval-dialog" hx-swap-oob' in answer.get_data(as_text=True)
    assert values(db, line) == (2000, 0, None, 1)
    with db.reading() as s:
        row = s.scalars(select(Override)).one()
    assert (row.asked_by, row.approved_by, row.reason) == (shop["cashier"], shop["manager"],
                                                          "pelanggan tetap")
    till = client.get("/kasir")           # the cashier is still the one logged in
    assert till.status_code == 200 and "Kasir1" in till.get_data(as_text=True)
    assert client.post("/kasir/ubah/diskon", headers=HX,
                       data={"discount": "1%", "reason": "x"}).status_code == 200


def test_a_line_and_a_sale_discount_past_the_limit_together_open_the_dialog(client, db, line):
    """5% on the line (F5), then 5% on the sale (Shift+F5): 9,75% off without a manager. The
    second opens the dialog, saying the two together; the manager's PIN lets it through."""
    first = client.post(f"/kasir/ubah/baris/{line}/diskon", headers=HX,
                        data={"discount": "5%", "reason": "Promo"})
    assert first.status_code == 200 and "HX-Retarget" not in first.headers
    form = {"discount": "5%", "reason": "Langganan"}
    asked = client.post("/kasir/ubah/diskon", headers=HX, data=form)
    page = asked.get_data(as_text=True)
    assert asked.headers["HX-Retarget"] == "#approval-dialog"
    assert "bersama diskon baris: diskon manual Rp1.950 dari Rp20.000" in page
    with db.reading() as s:
        assert s.scalar(select(Cart.discount_bp)) == 0
    done = client.post("/kasir/ubah/diskon", headers=HX, data={**dialog_fields(page), **MANAGER})
    assert done.status_code == 200 and "HX-Retarget" not in done.headers
    with db.reading() as s:
        assert s.scalar(select(Cart.discount_bp)) == 500
    assert values(db, line) == (500, 0, None, 1)


def dialog_fields(page: str) -> dict:
    """The hidden fields the approval dialog posts back."""
    import html
    import re

    return {name: html.unescape(value) for name, value in
            re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page)}


@pytest.mark.parametrize("changed", [{"discount": "35%"}, {"discount": "20%", "reason": "lain"},
                                     {"extra": "1"}, {"approval_seal": "0" * 64}])
def test_the_manager_approves_only_what_the_dialog_showed(client, db, line, changed):
    """A walk-through changed a hidden field once the dialog was open (a 10% discount shown,
    35% sent): the PIN approved whatever came. The dialog's fields are sealed; a change to any
    of them is refused before the PIN is checked, and nothing is done or logged."""
    asked = client.post(f"/kasir/ubah/baris/{line}/diskon", headers=HX,
                        data={"discount": "20%", "reason": "kemasan penyok"})
    page = asked.get_data(as_text=True)
    assert "Rp16.000" in page
    fields = dialog_fields(page)
    assert set(fields) == {"discount", "reason", "approval_kind", "approval_seal"}
    refused = client.post(f"/kasir/ubah/baris/{line}/diskon", headers=HX,
                          data={**fields, **changed, **MANAGER})
    assert refused.status_code == 409
    assert "berubah sesudah dialog persetujuan dibuka" in refused.get_data(as_text=True)
    assert values(db, line) == (0, 0, None, 0) and refusals(db) == []
    done = client.post(f"/kasir/ubah/baris/{line}/diskon", headers=HX, data={**fields, **MANAGER})
    assert done.status_code == 200 and values(db, line) == (2000, 0, None, 1)


def test_a_wrong_pin_says_so_and_changes_nothing(client, db, line):
    answer = client.post(f"/kasir/ubah/baris/{line}/harga", headers=HX,
                         data=sealed(client, f"/kasir/ubah/baris/{line}/harga",
                                     {"price": "9000", "reason": "r", **MANAGER, "approval_pin": "1234"}))
    assert answer.status_code == 403 and "PIN manajer salah" in answer.get_data(as_text=True)
    assert answer.headers["HX-Retarget"] == "#messages"
    assert values(db, line) == (0, 0, None, 0)


def refusals(db) -> list[tuple]:
    with db.reading() as s:
        return [tuple(r) for r in s.execute(select(RefusedApproval.asked_by, RefusedApproval.till_id,
                                                   RefusedApproval.username, RefusedApproval.kind)
                                            .order_by(RefusedApproval.id))]


def test_a_wrong_pin_in_the_dialog_is_in_the_audit_log_with_who_asked_and_for_what(client, db, line, shop):  # noqa: F811
    """The dialog names the action it asks for; a wrong PIN or a name that is no account is
    written down (who asked, the till, the name typed, what for) and the manager reads it in the
    audit log. A dialog sent without a name or PIN writes nothing."""
    form = {"price": "9000", "reason": "r"}
    dialog = client.post(f"/kasir/ubah/baris/{line}/harga", headers=HX, data=form).get_data(as_text=True)
    assert '<input type="hidden" name="approval_kind" value="price_override">' in dialog
    sent = sealed(client, f"/kasir/ubah/baris/{line}/harga",
                  {**form, **MANAGER, "approval_kind": "price_override"})
    assert client.post(f"/kasir/ubah/baris/{line}/harga", headers=HX,
                       data={**sent, "approval_pin": "1234"}).status_code == 403
    assert client.post(f"/kasir/ubah/baris/{line}/harga", headers=HX,
                       data={**sent, "approval_user": "bos", "approval_kind": "<b>x</b>"}).status_code == 403
    assert client.post(f"/kasir/ubah/baris/{line}/harga", headers=HX,
                       data={**sent, "approval_pin": ""}).status_code == 422
    assert refusals(db) == [(shop["cashier"], shop["till"], "manajer1", "price_override"),
                            (shop["cashier"], shop["till"], "bos", "")]
    assert values(db, line) == (0, 0, None, 0)
    login(client, shop["manager"], shop["till"])
    page = client.get("/laporan/log-audit?jenis=pin_refused").get_data(as_text=True)
    assert page.count("PIN persetujuan salah") >= 2
    assert "nama manajer1 untuk Ubah harga di " in page and "nama bos di " in page
    assert "&lt;b&gt;" not in page and "<b>x</b>" not in page


def test_five_wrong_pins_lock_the_manager_at_this_till(client, db, line):
    form = sealed(client, f"/kasir/ubah/baris/{line}/harga", {"price": "9000", "reason": "r", **MANAGER})
    for _ in range(5):
        client.post(f"/kasir/ubah/baris/{line}/harga", headers=HX, data={**form, "approval_pin": "0000"})
    answer = client.post(f"/kasir/ubah/baris/{line}/harga", headers=HX, data=form)
    assert answer.status_code == 403
    assert values(db, line) == (0, 0, None, 0)
    assert len(refusals(db)) == 6          # the right PIN during the lock is refused, and logged


def test_a_cashier_cannot_approve_with_their_own_pin(client, db, line, shop):  # noqa: F811
    answer = client.post(f"/kasir/ubah/baris/{line}/harga", headers=HX,
                         data=sealed(client, f"/kasir/ubah/baris/{line}/harga", {
                             "price": "9000", "reason": "r", "approval_user": "kasir1",
                             "approval_pin": "1111", "approval_reason": "sendiri",
                             "approval_kind": "price_override"}))
    assert answer.status_code == 403 and "PIN manajer salah" in answer.get_data(as_text=True)
    assert values(db, line) == (0, 0, None, 0)
    assert refusals(db) == [(shop["cashier"], shop["till"], "kasir1", "price_override")]


def test_a_colleagues_right_pin_says_what_a_wrong_one_says_and_is_logged(client, db, line, shop):  # noqa: F811
    """kasir3's right PIN in the dialog said "pengguna ini tidak berhak", a wrong one "PIN
    manajer salah": a cashier could check a colleague's PIN there, and the manager's list of
    refused PINs never showed it. Both now say the same, and both are in the log."""
    with db.transaction() as s:
        make_user(s, "kasir3", "cashier", "3333")
    url = f"/kasir/ubah/baris/{line}/diskon"
    form = sealed(client, url, {"discount": "20%", "reason": "kemasan penyok",
                                "approval_user": "kasir3", "approval_reason": "coba",
                                "approval_kind": "line_discount"})
    said = []
    for pin in ("3333", "1234"):              # kasir3's right PIN, then a wrong one
        answer = client.post(url, headers=HX, data={**form, "approval_pin": pin})
        assert answer.status_code == 403 and answer.headers["HX-Retarget"] == "#messages"
        said.append(answer.get_data(as_text=True))
    assert said[0] == said[1] and "PIN manajer salah" in said[0] and "berhak" not in said[0]
    assert values(db, line) == (0, 0, None, 0)
    assert refusals(db) == [(shop["cashier"], shop["till"], "kasir3", "line_discount")] * 2
    login(client, shop["manager"], shop["till"])
    page = client.get("/laporan/log-audit?jenis=pin_refused").get_data(as_text=True)
    assert page.count("nama kasir3 untuk Diskon baris di ") == 2


def test_a_manager_at_the_till_is_not_asked(client, db, line, shop):  # noqa: F811
    login(client, shop["manager"], shop["till"])
    answer = client.post(f"/kasir/ubah/baris/{line}/harga", headers=HX,
                         data={"price": "9.500", "reason": "promo"})
    assert answer.status_code == 200 and "HX-Retarget" not in answer.headers
    assert values(db, line) == (0, 0, 9500, 1)
    answer = client.post(f"/kasir/ubah/baris/{line}/harga", headers=HX,
                         data={"price": "12.500", "reason": "promo"})
    assert answer.status_code == 422 and "HET" in answer.get_data(as_text=True)
    page = client.get("/persetujuan").get_data(as_text=True)
    assert "Ubah harga" in page and "Rp9.500" in page and "langsung oleh Manajer1" in page


@pytest.mark.parametrize("path, form, status", [
    ("diskon", {"discount": "abc", "reason": "x"}, 422),
    ("diskon", {"discount": "150%", "reason": "x"}, 422),
    ("diskon", {"discount": "99999999999999", "reason": "x"}, 422),
    ("harga", {"price": "-5", "reason": "x"}, 422),
    ("harga", {"price": "1e9", "reason": "x"}, 422),
    ("harga", {"price": "", "reason": "x"}, 422),
])
def test_tampered_forms_change_nothing(client, db, line, path, form, status):
    answer = client.post(f"/kasir/ubah/baris/{line}/{path}", headers=HX, data=form)
    assert answer.status_code == status
    assert values(db, line) == (0, 0, None, 0)


def test_another_tills_line_is_not_found(client, db, line, shop):  # noqa: F811
    login(client, shop["cashier"], shop["other_till"])
    answer = client.post(f"/kasir/ubah/baris/{line}/diskon", headers=HX,
                         data={"discount": "100", "reason": "x"})
    assert answer.status_code == 404
    assert values(db, line) == (0, 0, None, 0)


def test_without_htmx_the_need_is_flashed(client, db, line):
    answer = client.post(f"/kasir/ubah/baris/{line}/harga", data={"price": "9000", "reason": "r"})
    assert answer.status_code == 303
    assert values(db, line) == (0, 0, None, 0)


def test_a_sale_discount_beyond_the_limit_asks_and_removing_it_does_not(client, db, line):
    answer = client.post("/kasir/ubah/diskon", headers=HX, data={"discount": "10%", "reason": "r"})
    assert answer.headers.get("HX-Retarget") == "#approval-dialog"
    answer = client.post("/kasir/ubah/diskon", headers=HX,
                         data=sealed(client, "/kasir/ubah/diskon",
                                     {"discount": "10%", "reason": "r", **MANAGER}))
    assert answer.status_code == 200
    answer = client.post("/kasir/ubah/diskon", headers=HX, data={"hapus": "1", "discount": "10%"})
    assert answer.status_code == 200
    with db.reading() as s:
        assert s.execute(select(Cart.discount_bp, Cart.discount_amount)
                         .where(Cart.till_id.is_not(None))).one() == (0, 0)
        assert s.scalar(select(func.count()).select_from(Override)) == 1


def sale_discount(db):
    with db.reading() as s:
        return tuple(s.execute(select(Cart.discount_bp, Cart.discount_amount, Cart.discount_reason)
                               .where(Cart.till_id.is_not(None))).one())


def test_a_line_discount_holds_only_for_its_quantity(client, db, line):
    """Rp1.000 off two units is the cashier's 5%; the same Rp1.000 off one unit would be 10%."""
    client.post(f"/kasir/ubah/baris/{line}/diskon", headers=HX,
                data={"discount": "1.000", "reason": "kemasan penyok"})
    assert values(db, line) == (0, 1000, None, 0)
    answer = client.post(f"/kasir/baris/{line}/jumlah", headers=HX, data={"qty": "1"})
    assert answer.status_code == 200
    assert "Diskon dan harga khusus baris ini dihapus" in answer.get_data(as_text=True)
    assert values(db, line) == (0, 0, None, 0)
    with db.reading() as s:
        assert s.get(CartLine, line).adjust_reason is None


def test_more_units_of_a_line_with_its_own_price_go_on_a_new_line(client, db, line, shop):  # noqa: F811
    """A manager approved Rp9.500 for those two units, not for whatever is scanned next."""
    login(client, shop["manager"], shop["till"])
    client.post(f"/kasir/ubah/baris/{line}/harga", headers=HX, data={"price": "9.500", "reason": "promo"})
    with db.transaction() as s:
        more = cart.add(s, shop["till"], hit(shop["product"]), times=8)
    assert more != line
    with db.reading() as s:
        rows = s.execute(select(CartLine.qty, CartLine.price_override).order_by(CartLine.id)).all()
    assert [tuple(r) for r in rows] == [(2, 9_500), (8, None)]
    with db.transaction() as s:   # a line without its own price takes the next scan, as ever
        assert cart.add(s, shop["till"], hit(shop["product"])) == more


def test_a_sale_discount_as_an_amount_goes_when_the_sale_gets_smaller(client, db, line, shop):  # noqa: F811
    client.post("/kasir/ubah/diskon", headers=HX, data={"discount": "1.000", "reason": "langganan"})
    assert sale_discount(db) == (0, 1_000, "langganan")        # 5% of Rp20.000
    answer = client.post(f"/kasir/baris/{line}/jumlah", headers=HX, data={"qty": "3"})
    assert sale_discount(db) == (0, 1_000, "langganan")        # a bigger sale keeps it
    answer = client.post(f"/kasir/baris/{line}/jumlah", headers=HX, data={"qty": "1"})
    assert "Diskon nota (nominal) dihapus" in answer.get_data(as_text=True)
    assert sale_discount(db) == (0, 0, None)                   # it would have been 10%
    client.post("/kasir/ubah/diskon", headers=HX, data={"discount": "5%", "reason": "promo"})
    with db.transaction() as s:
        second = cart.add(s, shop["till"], hit(shop["product"], price=5_000))
    client.post(f"/kasir/baris/{line}/jumlah", headers=HX, data={"qty": "2"})
    client.post(f"/kasir/baris/{second}/hapus", headers=HX)
    assert sale_discount(db) == (500, 0, "promo")             # a rate scales with the sale
    client.post("/kasir/ubah/diskon", headers=HX, data={"discount": "500", "reason": "langganan"})
    with db.transaction() as s:
        second = cart.add(s, shop["till"], hit(shop["product"], price=5_000))
    removed = client.post(f"/kasir/baris/{second}/hapus", headers=HX)
    assert "Diskon nota (nominal) dihapus" in removed.get_data(as_text=True)
    assert sale_discount(db)[1] == 0


def test_a_pkp_outlets_discount_below_cost_with_ppn_asks_a_manager(client, db, line):
    """PKP: 15% off leaves Rp8.500 with PPN inside, below the Rp8.000 cost without it; the
    screen's tax settings reach the check (it passed within a 20% limit)."""
    from pos.settings import service as settings

    with db.transaction() as s:
        settings.put_pkp(s, True, None)
    client.application.config["CASHIER_MAX_DISCOUNT_BP"] = 2000
    answer = client.post(f"/kasir/ubah/baris/{line}/diskon", headers=HX,
                         data={"discount": "15%", "reason": "promo"})
    assert answer.headers["HX-Retarget"] == "#approval-dialog"
    assert "di bawah harga pokok" in answer.get_data(as_text=True)
    assert values(db, line) == (0, 0, None, 0)
    answer = client.post(f"/kasir/ubah/baris/{line}/diskon", headers=HX,
                         data={"discount": "10%", "reason": "promo"})   # Rp9.000 covers Rp8.880
    assert answer.status_code == 200 and values(db, line) == (1000, 0, None, 0)
