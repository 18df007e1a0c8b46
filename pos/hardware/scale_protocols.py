"""What weighing scales say on the wire, as pure parsers and frame builders (no I/O).

This module owns the ``Reading`` a scale reports, the cashier-readable ``ScaleError``
family, the checks a weight must pass before it goes on a sale (``stable_grams``),
and one ``ScaleProtocol`` per supported wire format.  ``pos.hardware.scale`` moves
the bytes; ``pos.hardware.scale_sim`` uses the builders here to play a scale.

Weights are integer grams, parsed from the digits (never through floating point).

Mettler Toledo 8217 (request/response; usually 9600 7E1).  Sources: the Odoo IoT
scale driver (``hw_drivers/iot_handlers/drivers/SerialScaleDriver.py``), which cites
the Mettler Toledo Viva service manual (manualslib 861274, p. 51) for the frames
and status bits.  (Weigh-Tronix/NCR SCP-01 status bytes, e.g. in java-nci, answer an
``S`` command and lay their bits out differently; they are not used here.)
  * host sends ``W``; a valid weight is ``STX [spaces] weight [N] CR`` where weight
    is 5 or 6 characters: ``01.234`` (kg, decimal point sent) or ``01234`` (no point:
    three implied decimals, i.e. grams).  ``1.5`` with fewer decimals also parses.
  * when there is no valid weight (motion, under zero, over capacity) the answer is
    ``STX ? <status> CR``.  Status bits, as in the Viva manual: 0 motion, 1 over
    capacity, 2 under zero, 3 outside zero capture range, 4 centre of zero, 5 net
    weight, 6 bad command from host, 7 parity.  Bit 7 is masked (8N1 links may
    deliver it) and bit 6 is ignored: Odoo's example answer ``?D`` (0x44) has it set
    for an ordinary under-zero scale, which keeps the character printable.  A status
    frame never yields a weight, whatever its bits.
  * Out of scope: pound scales (``lb`` frames look the same, so configure the scale
    for kg), more than three decimals, and the ``S``/``Z``/``T`` commands (zero and
    tare are done on the scale's own keys; see ``stable_grams`` for software tare).

CAS continuous ("stream") output, e.g. CAS PD-II, AD and ER series indicators:
``ST,GS,+  1.234kg CR LF`` -- ``ST`` stable / ``US`` unstable / ``OL`` overload,
``GS`` gross / ``NT`` net (after the scale's TARE key), sign, padded value, and
unit ``kg`` or ``g``.  The host sends nothing; frames arrive several times a second.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from pos.hardware.ports import HardwareError
from pos.units import format_number

STX, CR, LF = b"\x02", b"\r", b"\n"


@dataclass(frozen=True)
class Reading:
    """One report from a scale: net integer grams (as reported, may be negative)."""

    grams: int
    stable: bool
    overload: bool = False
    underload: bool = False  # under zero: the scale reports a negative weight
    net: bool = False  # the scale's own tare is active

    @property
    def zero(self) -> bool:
        return self.grams == 0


class ScaleError(HardwareError):
    """A scale reading that must not go on a sale; ``str()`` is for the cashier."""

    message = "Timbangan bermasalah."

    def __init__(self, message: str | None = None):
        super().__init__(message or self.message)


class ScaleSilent(ScaleError):
    message = "Timbangan tidak menjawab. Periksa kabel dan daya timbangan."


class ScaleUnstable(ScaleError):
    message = "Berat belum stabil. Tunggu sampai angka berhenti lalu timbang lagi."


class ScaleNegative(ScaleError):
    message = "Berat negatif. Kosongkan timbangan lalu tekan ZERO/TARE."


class ScaleOverload(ScaleError):
    message = "Melebihi kapasitas timbangan."


class ScaleZero(ScaleError):
    message = "Timbangan menunjukkan nol. Letakkan barang di timbangan."


class ScaleTareTooBig(ScaleError):
    """The typed tara is not less than the (positive) weight the scale reads: a typing slip."""

    def __init__(self, tare_grams: int, grams: int):
        super().__init__(f"Tara ({format_number(tare_grams)} g) tidak lebih kecil dari berat di "
                         f"timbangan ({format_number(grams)} g). Periksa isian Tara.")


class ScaleGarbage(ScaleError):
    message = "Data timbangan tidak terbaca. Periksa setelan protokol/baud."


def stable_grams(reading: Reading, tare_grams: int = 0) -> int:
    """The grams to sell, after ``tare_grams`` (a container); else the matching ScaleError.

    Checked in this order so the cashier gets the most useful message first: an
    overloaded or negative scale is wrong whether or not it has settled; a weight
    still in motion (a status frame carries none) is not yet worth taring; an empty scale
    says so whatever the tara; a tara not below the weight on the scale is the tara's fault.
    """
    if reading.overload:
        raise ScaleOverload()
    if reading.underload or reading.grams < 0:
        raise ScaleNegative()
    if not reading.stable:
        raise ScaleUnstable()
    if reading.zero:
        raise ScaleZero()
    if tare_grams >= reading.grams:
        raise ScaleTareTooBig(tare_grams, reading.grams)
    return reading.grams - tare_grams


_NUMBER = re.compile(r"(\d+)(?:\.(\d{1,3}))?")


def thousandths(text: str) -> int:
    """``"01.234"`` -> 1234, ``"1.5"`` -> 1500, ``"7"`` -> 7000; exact integer maths."""
    match = _NUMBER.fullmatch(text)
    if match is None:
        raise ScaleGarbage()
    whole, fraction = match.group(1), match.group(2) or ""
    return int(whole) * 1000 + int(fraction.ljust(3, "0"))


def _text(frame: bytes) -> str:
    try:
        return frame.decode("ascii")
    except UnicodeDecodeError:
        raise ScaleGarbage() from None


# --- Mettler Toledo 8217 -------------------------------------------------------------

_MOTION, _OVER, _UNDER, _CENTRE_OF_ZERO, _NET = 0x01, 0x02, 0x04, 0x10, 0x20
_STATUS_ALWAYS = 0x40  # bit 6, set as in Odoo's "?D" example: a printable character


def parse_toledo8217(frame: bytes) -> Reading:
    """``STX weight CR`` or ``STX ? status CR`` -> Reading; ScaleGarbage otherwise."""
    if len(frame) < 3 or frame[:1] != STX or frame[-1:] != CR:
        raise ScaleGarbage()
    body = frame[1:-1]
    if body[:1] == b"?":
        return _toledo_status(body[1:])
    text = _text(body).lstrip(" ")
    if text.endswith("N"):  # some scales flag a net weight with a trailing N
        text = text[:-1]
    if not 1 <= len(text) <= 6:
        raise ScaleGarbage()
    grams = thousandths(text) if "." in text else int(_digits(text))
    return Reading(grams=grams, stable=True)


def _digits(text: str) -> str:
    if not text.isascii() or not text.isdigit():
        raise ScaleGarbage()
    return text


def _toledo_status(status: bytes) -> Reading:
    if len(status) != 1:
        raise ScaleGarbage()
    bits = status[0] & 0x7F
    return Reading(grams=0, stable=not bits & _MOTION, overload=bool(bits & _OVER),
                   underload=bool(bits & _UNDER), net=bool(bits & _NET))


def toledo8217_frame(reading: Reading) -> bytes:
    """What an 8217 scale answers to ``W`` in the state ``reading`` (0..99 999 g)."""
    bits = _STATUS_ALWAYS
    bits |= _OVER if reading.overload else 0
    bits |= _UNDER if reading.underload or reading.grams < 0 else 0
    bits |= _MOTION if not reading.stable else 0
    if bits != _STATUS_ALWAYS:
        return STX + b"?" + bytes([bits | (_NET if reading.net else 0)]) + CR
    if reading.grams > 99_999:
        raise ValueError("an 8217 frame holds at most 99.999 kg")
    kilos, grams = divmod(reading.grams, 1000)
    return STX + f"{kilos:02d}.{grams:03d}".encode() + CR


# --- CAS continuous ------------------------------------------------------------------

_CAS = re.compile(r"(ST|US|OL),(GS|NT),([+-]) *([0-9.]+) *(kg|g)")
_CAS_OVERLOAD = re.compile(r"OL,(GS|NT),.*")


def parse_cas(frame: bytes) -> Reading:
    """``ST,GS,+  1.234kg\\r\\n`` -> Reading; ScaleGarbage on anything else."""
    text = _text(frame).removesuffix("\n").removesuffix("\r")
    match = _CAS.fullmatch(text)
    if match is None:
        # an overloaded indicator may show dashes or "OL" instead of digits
        overload = _CAS_OVERLOAD.fullmatch(text)
        if overload is None:
            raise ScaleGarbage()
        return Reading(grams=0, stable=False, overload=True, net=overload.group(1) == "NT")
    state, kind, sign, value, unit = match.groups()
    grams = thousandths(value) if unit == "kg" else _whole_grams(value)
    grams = -grams if sign == "-" else grams
    return Reading(grams=grams, stable=state == "ST", overload=state == "OL",
                   underload=grams < 0, net=kind == "NT")


def _whole_grams(value: str) -> int:
    """A ``g`` value: ``150`` or ``150.0``; a fraction of a gram is not a weight we sell."""
    milligrams = thousandths(value)
    if milligrams % 1000:
        raise ScaleGarbage()
    return milligrams // 1000


def cas_frame(reading: Reading, unit: str = "kg") -> bytes:
    """The CAS stream frame for ``reading``, in ``kg`` (3 decimals) or ``g``."""
    state = "OL" if reading.overload else "ST" if reading.stable else "US"
    sign = "-" if reading.grams < 0 else "+"
    grams = abs(reading.grams)
    value = f"{grams // 1000}.{grams % 1000:03d}" if unit == "kg" else str(grams)
    return f"{state},{'NT' if reading.net else 'GS'},{sign}{value:>7}{unit:>2}\r\n".encode()


# --- Protocol registry ---------------------------------------------------------------

@dataclass(frozen=True)
class ScaleProtocol:
    """How to get one frame from a scale; the transport needs nothing else."""

    name: str
    request: bytes | None  # sent before each read; None: the scale streams by itself
    terminator: bytes  # last byte(s) of every frame
    start: bytes | None  # first byte of a frame, to skip line noise before it
    max_frame: int  # stop reading after this many bytes without a terminator
    parse: Callable[[bytes], Reading]
    build: Callable[[Reading], bytes]


TOLEDO8217 = ScaleProtocol("toledo8217", request=b"W", terminator=CR, start=STX, max_frame=16,
                           parse=parse_toledo8217, build=toledo8217_frame)
CAS_CONTINUOUS = ScaleProtocol("cas", request=None, terminator=LF, start=None, max_frame=32,
                               parse=parse_cas, build=cas_frame)
PROTOCOLS: dict[str, ScaleProtocol] = {p.name: p for p in (TOLEDO8217, CAS_CONTINUOUS)}
