"""Receipts as ESC/POS bytes on 58 mm and 80 mm paper, and a gerai with every device unplugged."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from pos.hardware import build_hardware
from pos.hardware.escpos_render import render_escpos
from pos.sales.models import PrintJob, Sale
from tests.factories import cashier_at_till
from tests.sales.test_pricing_receipt import OUTLET, sale

INIT, CUT, KICK = b"\x1b@", b"\x1dV\x00", b"\x1bp\x00"


def text_block(receipt) -> bytes:
    """What the lines must look like on the wire: bold on/off, CP437 text, line feed."""
    return b"".join(b"\x1bE" + bytes([index in receipt.emphasis]) + line.encode("cp437") + b"\n"
                    for index, line in enumerate(receipt.lines))


def qr_store(payload: str) -> bytes:
    data = b"1P0" + payload.encode()
    return b"\x1d(k" + len(data).to_bytes(2, "little") + data


@pytest.mark.parametrize("columns", [32, 48])
def test_receipt_bytes_for_each_paper_width(columns):
    from pos.sales import receipt

    slip = receipt.build(sale(), OUTLET, "Siti", columns, secret="s3cret")
    data = render_escpos(slip)
    assert data.startswith(INIT + text_block(slip))
    assert max(len(line) for line in slip.lines) == columns  # the rules fill the paper
    assert qr_store(slip.qr_payload) in data
    assert data.endswith(CUT + KICK + b"22")  # cut, then open the drawer on pin 2
    assert len(data) < 2_000  # native QR and text: no raster images on the wire


def test_copies_are_cut_but_never_kick_the_drawer():
    from pos.sales import receipt

    slip = receipt.build(sale(), OUTLET, "Siti", 32, copy=True, secret="s3cret")
    data = render_escpos(slip)
    assert b"*** SALINAN ***" in data and data.endswith(CUT) and KICK not in data


def test_verification_code_depends_on_the_secret_and_the_sale():
    from pos.sales.receipt import verification_code

    one = verification_code("a", sale())
    assert one == verification_code("a", sale()) and len(one) == 9 and one[4] == "-"
    assert one != verification_code("b", sale())
    assert one != verification_code("a", sale(total=28_001))


def test_the_gerai_boots_and_sells_with_every_device_unplugged(tmp_path, app_factory, db_url=None):
    config = {"PRINTER": "serial:///dev/does-not-exist?baudrate=9600",
              "SCALE": "serial:///dev/no-scale-here?protocol=toledo8217"}
    app = app_factory(**config)
    app.extensions["pos_hardware"] = build_hardware(app.config)  # the real adapters
    from pos.db import get_db

    database = get_db(app)
    client = cashier_at_till(app)
    headers = {"HX-Request": "true"}
    assert client.get("/healthz").status_code == 200
    client.post("/kasir/pindai", data={"code": "8998866200301"}, headers=headers)
    response = client.post("/kasir/bayar", headers=headers, data={
        "tendered": "5000", "idempotency_key": str(uuid.uuid4())})
    assert response.status_code == 200 and "Struk belum tercetak" in response.get_data(as_text=True)
    with database.reading() as s:
        assert s.scalar(select(func.count()).select_from(Sale)) == 1
        assert s.scalar(select(PrintJob.status)).value == "pending"
    weigh = client.post("/kasir/timbang/1", data={"tare": "0"}, headers=headers)
    assert weigh.status_code == 422
