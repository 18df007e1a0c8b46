"""Tax modes: whether the outlet is PKP, kept in the database, switched on Pengaturan by a
manager (with a confirmation, logged) or by `pos init --pkp`; a new outlet is not PKP."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pos.config import DefaultConfig
from pos.db import get_db
from pos.errors import PosError
from pos.settings import service
from pos.settings.models import OutletSetting, OutletSettingChange
from tests.conftest import build_app
from tests.factories import login, make_user


def stored(db) -> tuple[str | None, list[tuple]]:
    with db.reading() as s:
        return (service.get(s, service.PKP),
                s.execute(select(OutletSettingChange.old_value, OutletSettingChange.new_value,
                                 OutletSettingChange.user_id)
                          .where(OutletSettingChange.key == service.PKP)
                          .order_by(OutletSettingChange.id)).all())


@pytest.fixture
def manager(app, db, client):
    with db.transaction() as s:
        boss = make_user(s, "bos", "manager", "9999").id
    login(client, boss)
    return boss


def test_a_new_outlet_is_not_pkp_and_the_stored_setting_wins_over_the_configuration(db):
    assert DefaultConfig.PKP is False
    with db.reading() as s:
        assert service.pkp(s, {"PKP": False}) is False and service.pkp(s, {}) is False
        assert service.pkp(s, {"PKP": True}) is True
        assert service.pkp_source(s) == "POS_PKP"
    with db.transaction() as s:
        assert service.put_pkp(s, True, None) is True
        assert service.put_pkp(s, "true", None) is False  # no change, nothing logged
    with db.reading() as s:
        assert service.pkp(s, {"PKP": False}) is True and service.pkp_source(s) == "Pengaturan"
    with db.transaction() as s:
        service.put_pkp(s, False, None)
    with db.reading() as s:
        assert service.pkp(s, {"PKP": True}) is False
    assert stored(db) == ("false", [(None, "true", None), ("true", "false", None)])


@pytest.mark.parametrize("value", ["ya", "1", "", "TRUE", None])
def test_a_pkp_value_that_is_not_true_or_false_changes_nothing(db, value):
    with db.transaction() as s:
        service.put_pkp(s, "true", None)
    with pytest.raises(PosError, match="Status PKP tidak sah"), db.transaction() as s:
        service.put_pkp(s, value, None)
    assert stored(db) == ("true", [(None, "true", None)])


def test_the_switch_asks_for_a_confirmation_then_changes_and_logs(client, db, manager):
    page = client.get("/pengaturan").get_data(as_text=True)
    assert "Gerai ini PKP (memungut PPN)" in page and 'id="pkp-now">bukan PKP' in page
    assert "dari konfigurasi mini-PC, POS_PKP" in page
    assert "PKP (memungut PPN)</th>" not in page   # not also a read-only fact beside its form
    asked = client.post("/pengaturan/pkp", data={"pkp": "true"})
    html = asked.get_data(as_text=True)
    assert asked.status_code == 200 and 'role="alertdialog"' in html
    assert "Jadikan gerai ini PKP?" in html and "Penjualan yang sudah terjadi tetap" in html
    # which goods stay without PPN: the Bebas PPN class, not every sembako (minyak goreng is taxed)
    said = " ".join(html.split())
    assert "hanya barang kelas Bebas PPN" in said and "sembako tetap bebas PPN" not in said
    assert 'name="konfirmasi" value="ya"' in html
    assert stored(db) == (None, [])  # nothing changes before the confirmation
    done = client.post("/pengaturan/pkp", data={"pkp": "true", "konfirmasi": "ya"})
    assert done.status_code == 303
    assert stored(db) == ("true", [("false", "true", manager)])   # POS_PKP's no, then yes
    page = client.get("/pengaturan").get_data(as_text=True)
    assert "sekarang PKP" in page and 'id="pkp-now">PKP, memungut PPN' in page
    assert "Status PKP" in page and 'id="pkp-source">(disimpan di sini)' in page   # log, source
    back = client.post("/pengaturan/pkp", data={"pkp": "false"}).get_data(as_text=True)
    assert "Jadikan gerai ini bukan PKP?" in back and "tidak ada PPN yang dipungut" in back
    client.post("/pengaturan/pkp", data={"pkp": "false", "konfirmasi": "ya"})
    assert stored(db) == ("false", [("false", "true", manager), ("true", "false", manager)])


def test_with_prices_before_tax_the_switch_says_the_customer_pays_the_ppn_on_top(app_factory):
    """It said "Harga jual tidak berubah" to an outlet whose PPN is added to its prices
    (``POS_TAX_INCLUSIVE=false``): there, PKP adds 11% to what the customer pays, and leaving it
    takes 11% off."""
    app = app_factory(TAX_INCLUSIVE=False)
    client = app.test_client()
    with get_db(app).transaction() as s:
        login(client, make_user(s, "manajer1", "manager").id)
    became = " ".join(client.post("/pengaturan/pkp", data={"pkp": "true"}).get_data(as_text=True).split())
    assert "Harga jual tidak berubah" not in became and "dianggap sudah termasuk PPN" not in became
    assert "efektif 11%) ditambahkan di atas harga jual" in became
    client.post("/pengaturan/pkp", data={"pkp": "true", "konfirmasi": "ya"})
    left = " ".join(client.post("/pengaturan/pkp", data={"pkp": "false"}).get_data(as_text=True).split())
    assert "Harga jual tidak berubah" not in left
    assert "pembeli tidak lagi membayar PPN di atas harga jual" in left


def test_choosing_the_status_in_force_from_the_configuration_stores_it(app, client, db, manager):
    """"Tidak (belum PKP)" while POS_PKP (or its default) says no: the screen said "Status PKP
    tidak berubah." and stored nothing, so a later POS_PKP=true overturned the manager's
    choice, though the page says what is saved here replaces POS_PKP. Now it is stored and
    logged at once (no confirmation: sales are priced as before); a second time changes nothing."""
    response = client.post("/pengaturan/pkp", data={"pkp": "false"})
    assert response.status_code == 303
    page = client.get("/pengaturan").get_data(as_text=True)
    assert "Status PKP disimpan di Pengaturan: bukan PKP" in page
    assert 'id="pkp-source">(disimpan di sini)' in page
    assert stored(db) == ("false", [("false", "false", manager)])
    app.config["PKP"] = True                      # POS_PKP=true later: the choice stands
    assert 'id="pkp-now">bukan PKP' in client.get("/pengaturan").get_data(as_text=True)
    again = client.post("/pengaturan/pkp", data={"pkp": "false", "konfirmasi": "ya"})
    assert again.status_code == 303
    assert "Status PKP tidak berubah." in client.get("/pengaturan").get_data(as_text=True)
    assert stored(db) == ("false", [("false", "false", manager)])


@pytest.mark.parametrize("form", [{}, {"pkp": "ya", "konfirmasi": "ya"}, {"pkp": "1"},
                                  {"pkp": "TRUE", "konfirmasi": "ya"}])
def test_a_tampered_pkp_form_is_refused(client, db, manager, form):
    response = client.post("/pengaturan/pkp", data=form)
    assert response.status_code == 400 or response.headers["Location"]  # a page: flashed
    assert client.post("/pengaturan/pkp", data=form, headers={"HX-Request": "true"}).status_code == 400
    assert stored(db) == (None, [])


@pytest.mark.parametrize("role", ["cashier", "clerk"])
def test_only_managers_switch_pkp(client, db, role):
    with db.transaction() as s:
        login(client, make_user(s, "staf", role).id)
    assert client.get("/pengaturan").status_code == 403
    response = client.post("/pengaturan/pkp", data={"pkp": "true", "konfirmasi": "ya"})
    assert response.status_code in (303, 403)  # a page post goes back with the message
    assert stored(db) == (None, [])


@pytest.fixture
def bare_app(tmp_path, printer):
    """A database file with no tables, so `pos init` really migrates it."""
    app = build_app(tmp_path, f"sqlite:///{tmp_path / 'init.db'}", printer)
    yield app
    get_db(app).engine.dispose()


def pos_cmd(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_init_leaves_a_new_outlet_non_pkp_and_pkp_only_when_asked(bare_app):
    first = pos_cmd(bare_app, "init")
    assert first.exit_code == 0, first.output
    assert "Gerai bukan PKP" in first.output
    db = get_db(bare_app)
    assert stored(db) == (None, [])  # no row: POS_PKP (default false) decides
    made = pos_cmd(bare_app, "init", "--pkp")
    assert made.exit_code == 0 and "Gerai PKP" in made.output
    assert stored(db) == ("true", [("false", "true", None)])
    again = pos_cmd(bare_app, "init")  # without the flag a stored choice is kept
    assert again.exit_code == 0 and "Gerai PKP" in again.output
    assert stored(db)[0] == "true"
    off = pos_cmd(bare_app, "init", "--no-pkp")
    assert off.exit_code == 0 and "Gerai bukan PKP" in off.output
    assert stored(db) == ("false", [("false", "true", None), ("true", "false", None)])


def test_the_demo_outlet_is_not_pkp(bare_app):
    result = pos_cmd(bare_app, "demo")
    assert result.exit_code == 0, result.output
    db = get_db(bare_app)
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(OutletSetting)
                        .where(OutletSetting.key == service.PKP)) == 0
        assert service.pkp(s, bare_app.config) is False
