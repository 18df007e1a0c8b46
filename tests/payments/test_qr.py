"""QR codes of QRIS payloads read back by an independent decoder (zbar through pyzbar).

On screen: the inline SVG is drawn pixel by pixel from its own path data.  On the
receipt: the QR commands the printer receives (GS ( k: model, module size, error
level, the stored data) are taken from the printed bytes and drawn as the printer
would draw them.  Under CI=true a missing zbar fails instead of skipping.
"""
from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import pytest
import segno
from hypothesis import given, settings
from hypothesis import strategies as st

from pos.hardware.escpos_render import render_escpos
from pos.hardware.ports import Receipt
from pos.payments import qr, qris
from tests.conftest import unavailable
from tests.payments.vectors import SAMPLE1, STATIC


@pytest.fixture(scope="module")
def zbar():
    try:
        from pyzbar import pyzbar
    except ImportError as error:  # the module, or the libzbar0 it loads, is missing
        unavailable(f"zbar decoder unavailable ({error}): pip install pyzbar, apt-get install zbar-tools")
    return pyzbar


def read_qr(zbar, image) -> list[str]:
    return [s.data.decode("ascii") for s in zbar.decode(image, symbols=[zbar.ZBarSymbol.QRCODE])]


def draw_svg(svg: str, scale: int = 4):
    """A PIL image of ``svg`` as segno draws it: a white square, dark runs along each row."""
    from PIL import Image, ImageDraw

    root = ET.fromstring(svg)
    _, _, width, height = (int(n) for n in root.get("viewBox").split())
    image = Image.new("L", (width * scale, height * scale), 255)
    pen = ImageDraw.Draw(image)
    line = next(p for p in root.iter("path") if p.get("stroke") == "#000")
    x = y = 0.0
    for command, args in re.findall(r"([A-Za-z])([^A-Za-z]*)", line.get("d")):
        numbers = [float(n) for n in args.split()]
        if command == "M":
            x, y = numbers
        elif command == "m":
            x, y = x + numbers[0], y + numbers[1]
        elif command == "h":  # a run of dark modules: the stroke is one module wide, centred on y
            top = int((y - 0.5) * scale)
            pen.rectangle([int(x * scale), top, int((x + numbers[0]) * scale) - 1, top + scale - 1], fill=0)
            x += numbers[0]
        else:
            raise AssertionError(f"unexpected path command {command}")
    return image


def qr_commands(data: bytes) -> dict[str, bytes]:
    """The GS ( k (QR code) functions in printed bytes: A model, C size, E level, P data, Q print."""
    found, at = {}, data.find(b"\x1d(k")
    while at >= 0:
        size = data[at + 3] + 256 * data[at + 4]
        body = data[at + 5:at + 5 + size]
        assert body[:1] == b"1", "only QR code functions (cn 49) are sent"
        found[chr(body[1])] = body[2:]
        at = data.find(b"\x1d(k", at + 5 + size)
    return found


def as_printed(data: bytes):
    """The QR of a receipt's bytes drawn as the printer draws it, as a PIL image."""
    from PIL import Image

    functions = qr_commands(data)
    assert functions["A"][:1] == b"2" and "Q" in functions  # model 2, and printed
    stored = functions["P"]
    assert stored[:1] == b"0"
    level = "LMQH"[functions["E"][0] - ord("0")]
    code = segno.make_qr(stored[1:].decode("ascii"), error=level, boost_error=False)
    png = io.BytesIO()
    code.save(png, kind="png", scale=functions["C"][0], border=4)
    return Image.open(io.BytesIO(png.getvalue()))


def test_svg_is_inline_with_presentation_attributes_only():
    svg = qr.svg(qris.dynamic(SAMPLE1, 25_000))
    root = ET.fromstring(svg)
    assert root.tag == "svg" and root.get("class") == "qr" and root.get("viewBox")
    attributes = {name for element in root.iter() for name in element.attrib}
    assert attributes <= {"viewBox", "width", "height", "class", "fill", "stroke", "d", "transform"}
    assert root.get("width") == root.get("height") == "264"
    assert "style" not in svg and "href" not in svg and "<script" not in svg
    assert root.find("title").text == "QRIS"


@pytest.mark.parametrize("static", STATIC)
def test_the_svg_on_screen_decodes_to_the_exact_payload(zbar, static):
    payload = qris.dynamic(static, 1_234_567)
    assert read_qr(zbar, draw_svg(qr.svg(payload))) == [payload]


@settings(max_examples=15, deadline=None)
@given(static=st.sampled_from(STATIC), amount=st.integers(min_value=1, max_value=qris.MAX_AMOUNT))
def test_any_amount_shown_on_screen_decodes(zbar, static, amount):
    payload = qris.dynamic(static, amount)
    assert read_qr(zbar, draw_svg(qr.svg(payload))) == [payload]


@pytest.mark.parametrize("columns", [32, 48])
@pytest.mark.parametrize("static", STATIC)
def test_a_dynamic_payload_printed_on_the_receipt_decodes(zbar, static, columns):
    payload = qris.dynamic(static, 80_001)
    slip = Receipt("GRA-000001", ["Total        Rp80.001", "Bayar dengan QRIS"], columns, qr_payload=payload)
    printed = render_escpos(slip)
    assert read_qr(zbar, as_printed(printed)) == [payload]
    assert qris.amount_of(read_qr(zbar, as_printed(printed))[0]) == 80_001
