"""ESC/POS commands for receipts and labels, written through python-escpos to any printer object.

A generic profile per paper width (58 mm: 32 columns, 80 mm: 48) keeps cut, QR
and barcodes working and keeps escpos from printing to stdout; ESC @ is sent
first because escpos does not send it by itself.  ``render_*`` give the bytes
through escpos's Dummy printer (the recording printer and the tests use them).

Every text that goes on paper passes ``printable`` first: a product or member
name holding ESC, NUL or another control character (an old database, an import
before cleaning) must never become a printer command such as ESC p, which kicks
the cash drawer.  It also keeps to CP437, the code page set up front, so escpos never
switches code page for a name.  The only control bytes sent are the ones escpos itself makes.
"""
from __future__ import annotations

import contextlib
import copy
import io

from pos.hardware import escpos_capabilities
from pos.hardware.label_sheets import check_ean13
from pos.hardware.ports import Label, Receipt
from pos.text import nearest

_PROFILES: dict[int, object] = {}
# Every printer object is made with these: CP437 from the start and never another code page.
# Text reaches escpos only through ``printable`` (CP437 already), so escpos's "magic" search
# for a code page, a Python call per character, only cost time: drawing a receipt's bytes took
# 0.42 ms of CPU with it and 0.26 without, in the print thread, which holds the interpreter's
# lock while the tills' requests wait. The bytes are the same (tests/hardware/test_receipt_bytes.py).
ENCODING = {"encoding": "CP437", "disabled": True}
# C0 controls, DEL and C1 controls: none of them is text on a receipt.
_CONTROLS = dict.fromkeys([*range(0x20), 0x7F, *range(0x80, 0xA0)])


def printable(text: str) -> str:
    """``text`` without any control character (tab and newline included), in characters the
    printer's CP437 has: others become their nearest (``À`` -> ``A``) or ``?`` (Chinese, emoji).
    Left to escpos, a name would choose the bytes: an ``ESC t`` switching the code page, or
    GB18030 bytes that print as rubbish."""
    text = text.translate(_CONTROLS)
    if text.isascii():
        return text
    return nearest(text, _in_cp437)


def _in_cp437(ch: str) -> bool:
    try:
        ch.encode("cp437")
    except UnicodeEncodeError:
        return False
    return True


def generic_profile(columns: int):
    """A copy of escpos's default profile with the media width of 58 or 80 mm paper."""
    if columns not in _PROFILES:
        escpos_capabilities.ready()
        from escpos.capabilities import CAPABILITIES, Profile

        pixels, mm = (576, 80) if columns >= 48 else (384, 58)

        class GenericProfile(Profile):
            def __init__(self):
                data = copy.deepcopy(CAPABILITIES["profiles"]["default"])
                data["media"] = {"dpi": 203, "width": {"mm": mm, "pixels": pixels}}
                self.profile_data = data
                super().__init__(columns=columns, features=data["features"])

        _PROFILES[columns] = GenericProfile()
    return _PROFILES[columns]


def write_receipt(printer, receipt: Receipt) -> None:
    """Send ``receipt`` to an escpos printer object."""
    printer.hw("INIT")
    for index, line in enumerate(receipt.lines):
        printer.set(bold=index in receipt.emphasis)
        printer.textln(printable(line))
    printer.set_with_default()
    if receipt.qr_payload:
        # Native QR (GS ( k) cannot be centred by escpos itself; alignment does it.
        printer.set(align="center")
        printer.qr(receipt.qr_payload, size=4, native=True)
        printer.set(align="left")
    printer.textln("")
    printer.cut()
    if receipt.open_drawer:
        printer.cashdraw(2)


def _dummy(columns: int):
    """escpos's Dummy printer, which keeps the bytes it is sent, for paper of ``columns``."""
    escpos_capabilities.ready()  # before escpos is first imported
    from escpos.printer import Dummy

    return Dummy(profile=generic_profile(columns), magic_encode_args=ENCODING)


def render_escpos(receipt: Receipt) -> bytes:
    dummy = _dummy(receipt.columns)
    write_receipt(dummy, receipt)
    return dummy.output


def write_label(printer, label: Label) -> None:
    """Send one label to an escpos printer object: name, big price, EAN-13, cut."""
    check_ean13(label.code)
    printer.hw("INIT")
    printer.set(align="center")
    printer.textln(printable(label.name))
    printer.set(align="center", bold=True, double_width=True, double_height=True)
    printer.textln(printable(label.price_text + label.unit_text))
    printer.set_with_default(align="center")
    # escpos announces its renderer with print(); keep that out of the server log.
    with contextlib.redirect_stdout(io.StringIO()):
        printer.barcode(label.code, "EAN13", height=80, width=2, pos="BELOW", font="A",
                        align_ct=True, function_type="B")
    printer.textln("")
    printer.cut()


def render_labels(labels: list[Label], columns: int = 32) -> bytes:
    """The ESC/POS bytes ``labels`` would send, through escpos's Dummy printer."""
    dummy = _dummy(columns)
    for label in labels:
        write_label(dummy, label)
    return dummy.output
