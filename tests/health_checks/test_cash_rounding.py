"""The cash rounding check: after ``pos restore`` onto a fresh mini-PC the settings kept outside
the database were gone, and with POS_CASH_ROUNDING unset the till stopped rounding cash that
the restored sales show rounded, and nothing said so. A warning while the newest cash sale is
rounded and the setting is 0; a cash sale made without rounding (turned off on purpose) ends it."""
from __future__ import annotations

import uuid

from pos.db import get_db
from pos.inventory.catalog.lookup import lookup_barcode
from pos.sales import cart, checkout
from pos.sales.models import PaymentMethod
from pos.sales.pricing import TaxSettings
from tests.factories import make_product, open_shift

CODE = "8998866200301"


def sell_cash(app, ids, coin: int) -> str:
    """One cash sale of Rp3.450 at the till, rounded to ``coin``; its receipt number."""
    database = get_db(app)
    with database.transaction() as s:
        cart.add(s, ids["till"], lookup_barcode(s, CODE))
    with database.transaction() as s:
        done = checkout.checkout(
            s, till_id=ids["till"], cashier_id=ids["cashier"], idempotency_key=str(uuid.uuid4()),
            tenders=[checkout.Tender(PaymentMethod.CASH, 5_000)], outlet_code="TST01",
            timezone="Asia/Makassar", tax=TaxSettings(pkp=False, rate_bp=1100, inclusive=True),
            cash_rounding=coin)
        return done.sale.receipt_no


def test_rounding_off_while_the_newest_cash_sale_is_rounded_is_a_warning(healthy):
    app, ids = healthy(CASH_ROUNDING=0)
    with get_db(app).transaction() as s:
        make_product(s, name="Sabun batang", price=3_450, on_hand=100, barcodes_=[CODE])
        open_shift(s, ids["till"], ids["cashier"])
    receipt = sell_cash(app, ids, 100)                     # before the restore: rounded to Rp100
    result = app.test_cli_runner().invoke(args=["doctor"])
    assert result.exit_code == 1, result.output
    assert "PERINGATAN  Pembulatan tunai: mati" in result.output
    assert (f"Masalah: Pembulatan tunai mati (POS_CASH_ROUNDING 0), padahal penjualan tunai terakhir "
            f"({receipt}) dibulatkan. Setelan gerai di luar basis data (") in result.output
    assert f"CASH_ROUNDING = 100 di {app.instance_path}/pos.cfg" in result.output
    body = app.test_client().get("/healthz").get_json()
    assert body["cash_rounding"] == {"level": "warn", "coin": 0, "newest_cash_rounding": 50}
    sell_cash(app, ids, 0)                                 # turned off on purpose: selling says so
    body = app.test_client().get("/healthz").get_json()
    assert body["cash_rounding"]["level"] == "ok"


def test_rounding_on_is_ok_whatever_the_sales(healthy):
    app, ids = healthy(CASH_ROUNDING=100)
    with get_db(app).transaction() as s:
        make_product(s, name="Sabun batang", price=3_450, on_hand=100, barcodes_=[CODE])
        open_shift(s, ids["till"], ids["cashier"])
    sell_cash(app, ids, 100)
    body = app.test_client().get("/healthz").get_json()
    assert body["cash_rounding"] == {"level": "ok", "coin": 100, "newest_cash_rounding": None}


def test_rounding_off_before_any_cash_sale_is_a_warning_about_small_change(healthy):
    """A new gerai (``pos init``, CASH_ROUNDING not set yet): the till would ask for change of
    Rp1-Rp99 that no drawer holds; said before the first sale, not only after a restore."""
    app, ids = healthy(CASH_ROUNDING=0)
    result = app.test_cli_runner().invoke(args=["doctor"])
    assert result.exit_code == 1, result.output
    assert "PERINGATAN  Pembulatan tunai: mati" in result.output
    assert "kembalian Rp1 sampai Rp99" in result.output
    assert f"CASH_ROUNDING = 100 di {app.instance_path}/pos.cfg" in result.output
    body = app.test_client().get("/healthz").get_json()
    assert body["cash_rounding"] == {"level": "warn", "coin": 0, "newest_cash_rounding": None}
    with get_db(app).transaction() as s:
        make_product(s, name="Sabun batang", price=3_450, on_hand=100, barcodes_=[CODE])
        open_shift(s, ids["till"], ids["cashier"])
    sell_cash(app, ids, 0)                                 # sold unrounded: off on purpose
    body = app.test_client().get("/healthz").get_json()
    assert body["cash_rounding"]["level"] == "ok"
