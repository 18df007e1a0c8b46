"""The weighing scale: protocol parsers (pure), then the pyserial transport on a real pty.

Transport tests talk to ``ScaleSimulator`` over a pty pair with 8N1 settings (parity on
ptys breaks on reconfigure, pyserial #196), plus one pyserial ``loop://`` test.
"""
from __future__ import annotations

import dataclasses
import threading
import time

import pytest
import serial
from hypothesis import given
from hypothesis import strategies as st

from pos.hardware import HardwareError
from pos.hardware.scale import NoScale, ScaleUnavailable, SerialScale, build_scale
from pos.hardware.scale_protocols import (
    PROTOCOLS,
    TOLEDO8217,
    Reading,
    ScaleGarbage,
    ScaleNegative,
    ScaleOverload,
    ScaleSilent,
    ScaleTareTooBig,
    ScaleUnstable,
    ScaleZero,
    cas_frame,
    parse_cas,
    parse_toledo8217,
    stable_grams,
    toledo8217_frame,
)
from pos.hardware.scale_sim import ScaleSimulator

STX, CR = b"\x02", b"\r"


# --- Toledo 8217 parser ----------------------------------------------------------

@pytest.mark.parametrize("body, grams", [
    (b"01.234", 1234), (b"1.5", 1500), (b"00.005", 5), (b"99.999", 99_999),
    (b"01234", 1234), (b" 1.234", 1234), (b"01.234N", 1234), (b"0", 0),
])
def test_toledo_weight_frames_give_exact_grams(body, grams):
    assert parse_toledo8217(STX + body + CR) == Reading(grams=grams, stable=True)


@pytest.mark.parametrize("status, expected", [
    (b"A", Reading(0, stable=False)),                        # motion
    (b"B", Reading(0, stable=True, overload=True)),          # over capacity
    (b"D", Reading(0, stable=True, underload=True)),         # under zero (Odoo's example)
    (b"\x04", Reading(0, stable=True, underload=True)),      # ... without bit 6
    (b"E", Reading(0, stable=False, underload=True)),        # both
    (b"P", Reading(0, stable=True)),                         # centre of zero
    (b"h", Reading(0, stable=True, net=True)),               # net, outside zero range
    (b"@", Reading(0, stable=True)),                         # nothing at all: still no weight
    (bytes([0x80 | 0x41]), Reading(0, stable=False)),        # parity bit delivered on 8N1
])
def test_toledo_status_frames_never_give_a_weight(status, expected):
    assert parse_toledo8217(STX + b"?" + status + CR) == expected


@pytest.mark.parametrize("status, error", [
    (b"A", ScaleUnstable), (b"B", ScaleOverload), (b"D", ScaleNegative), (b"@", ScaleZero),
    (b"C", ScaleOverload),  # overload wins over motion
])
def test_toledo_status_frames_map_to_cashier_messages(status, error):
    with pytest.raises(error):
        stable_grams(parse_toledo8217(STX + b"?" + status + CR))


@pytest.mark.parametrize("frame", [
    b"\x0301.234\r",          # wrong start byte
    b"01.234\r",              # no start byte
    b"\x0201.2a4\r",          # not digits
    b"\x02-1.234\r",          # 8217 never sends a sign
    b"\x0201.234",            # truncated: no CR
    b"\x02\r", b"", b"\x02",  # empty
    b"\x020001.234\r",        # too long
    b"\x021234567\r",         # too long without a point
    b"\x0201.2345\r",         # finer than a gram
    b"\x021.2.3\r", b"\x02.5\r", b"\x02N\r",
    b"\x02?\r", b"\x02?12\r",  # status frame without / with two status bytes
    b"\x0201.234\xff\r",      # not ASCII
])
def test_toledo_garbage(frame):
    with pytest.raises(ScaleGarbage):
        parse_toledo8217(frame)


# --- CAS continuous parser -------------------------------------------------------

@pytest.mark.parametrize("frame, expected", [
    (b"ST,GS,+  1.234kg\r\n", Reading(1234, stable=True)),
    (b"US,GS,+  1.234kg\r\n", Reading(1234, stable=False)),
    (b"ST,NT,+  0.250kg\r\n", Reading(250, stable=True, net=True)),
    (b"ST,GS,-  0.150kg\r\n", Reading(-150, stable=True, underload=True)),
    (b"ST,GS,+   1234 g\r\n", Reading(1234, stable=True)),
    (b"ST,GS,+1234g\r\n", Reading(1234, stable=True)),
    (b"ST,GS,+  150.0 g\r\n", Reading(150, stable=True)),
    (b"ST,GS,+    1.5kg\n", Reading(1500, stable=True)),
    (b"ST,GS,+  0.000kg\r\n", Reading(0, stable=True)),
    (b"OL,GS,+ 35.500kg\r\n", Reading(35_500, stable=False, overload=True)),
    (b"OL,GS,+ ------kg\r\n", Reading(0, stable=False, overload=True)),
])
def test_cas_frames(frame, expected):
    assert parse_cas(frame) == expected


@pytest.mark.parametrize("frame, error", [
    (b"ST,GS,+  1.234kg\r\n", None),
    (b"US,GS,+  1.234kg\r\n", ScaleUnstable),
    (b"ST,GS,-  0.150kg\r\n", ScaleNegative),
    (b"US,GS,-  0.150kg\r\n", ScaleNegative),  # negative wins over unstable
    (b"OL,GS,+ ------kg\r\n", ScaleOverload),
    (b"ST,GS,+  0.000kg\r\n", ScaleZero),
])
def test_cas_checks(frame, error):
    if error is None:
        assert stable_grams(parse_cas(frame)) == 1234
    else:
        with pytest.raises(error):
            stable_grams(parse_cas(frame))


@pytest.mark.parametrize("frame", [
    b"XX,GS,+  1.234kg\r\n", b"ST,XX,+  1.234kg\r\n", b"ST,GS,*  1.234kg\r\n",
    b"ST,GS,+  1.2a4kg\r\n", b"ST,GS,+  1.234lb\r\n", b"ST,GS,+  1.2345kg\r\n",
    b"ST,GS,+  150.5 g\r\n", b"ST,GS,+      kg\r\n", b"S,GS,+  1.234kg\r\n",
    b"\x00\xff\r\n", b"", b"\r\n", b"OL\r\n",
])
def test_cas_garbage(frame):
    with pytest.raises(ScaleGarbage):
        parse_cas(frame)


# --- Checks and tare -------------------------------------------------------------

def test_tare_is_taken_off_and_may_not_go_below_zero():
    assert stable_grams(Reading(1250, stable=True), tare_grams=250) == 1000
    with pytest.raises(ScaleTareTooBig):
        stable_grams(Reading(250, stable=True), tare_grams=250)
    with pytest.raises(ScaleTareTooBig):
        stable_grams(Reading(200, stable=True), tare_grams=250)


@pytest.mark.parametrize("tare, grams", [(1600, 1500), (2000, 1500), (250, 250), (1500, 1500)])
def test_a_tara_not_below_the_weight_on_the_scale_says_so(tare, grams):
    """Tara 1.600 with 1.500 g on the scale said "Berat negatif. Kosongkan timbangan lalu tekan
    ZERO/TARE."; tara 250 with 250 g "Timbangan menunjukkan nol. Letakkan barang …"."""
    with pytest.raises(ScaleTareTooBig) as refused:
        stable_grams(Reading(grams, stable=True), tare_grams=tare)
    assert str(refused.value) == (f"Tara ({tare:,} g) tidak lebih kecil dari berat di timbangan "
                                  f"({grams:,} g). Periksa isian Tara.").replace(",", ".")


def test_the_scale_own_negative_or_zero_keeps_its_message_whatever_the_tara():
    with pytest.raises(ScaleNegative):
        stable_grams(Reading(-150, stable=True, underload=True), tare_grams=250)
    with pytest.raises(ScaleZero):
        stable_grams(Reading(0, stable=True), tare_grams=250)


def test_messages_are_for_the_cashier():
    assert str(ScaleSilent()) == "Timbangan tidak menjawab. Periksa kabel dan daya timbangan."
    assert isinstance(ScaleGarbage(), HardwareError)
    assert Reading(0, stable=True).zero and not Reading(1, stable=True).zero


# --- Properties: builders and parsers agree; noise is only ever garbage ---------

@given(st.integers(0, 99_999), st.booleans())
def test_toledo_round_trip(grams, net):
    assert parse_toledo8217(toledo8217_frame(Reading(grams, stable=True))) == \
        Reading(grams, stable=True)
    unstable = parse_toledo8217(toledo8217_frame(Reading(grams, stable=False, net=net)))
    assert unstable == Reading(0, stable=False, net=net)


@given(st.integers(-99_999, 99_999), st.booleans(), st.booleans(), st.sampled_from(["kg", "g"]))
def test_cas_round_trip(grams, stable, net, unit):
    reading = Reading(grams, stable=stable, underload=grams < 0, net=net)
    assert parse_cas(cas_frame(reading, unit)) == reading


@given(st.binary(max_size=40))
def test_random_bytes_are_garbage_or_a_reading(data):
    for parse in (parse_toledo8217, parse_cas):
        try:
            reading = parse(data)
        except ScaleGarbage:
            continue
        assert isinstance(reading.grams, int)


@given(st.binary(min_size=1, max_size=8))
def test_noise_inside_a_toledo_frame_is_garbage_or_a_reading(body):
    try:
        assert isinstance(parse_toledo8217(STX + body + CR).grams, int)
    except ScaleGarbage:
        pass


# --- Transport on a pty ----------------------------------------------------------

def open_scale(sim: ScaleSimulator, timeout: str = "0.5") -> SerialScale:
    url = f"serial://{sim.port}?baudrate=9600&bytesize=8&parity=N&stopbits=1" \
          f"&protocol={sim.protocol.name}&timeout={timeout}"
    return SerialScale.from_url(url)


@pytest.fixture(params=["toledo8217", "cas"])
def sim(request):
    with ScaleSimulator(request.param) as simulator:
        yield simulator


@pytest.fixture
def scale(sim):
    device = open_scale(sim)
    yield device
    device.close()


def test_reads_the_weight_on_the_scale(sim, scale):
    sim.set(1234)
    assert scale.read_stable_grams() == 1234
    sim.set(250, net=True)
    assert scale.read() == Reading(250, stable=True, net=sim.protocol.name == "cas")
    assert scale.read_stable_grams(tare_grams=50) == 200


@pytest.mark.parametrize("state, error", [
    ({"grams": 800, "stable": False}, ScaleUnstable),
    ({"grams": -20}, ScaleNegative),
    ({"grams": 99_000, "overload": True}, ScaleOverload),
    ({"grams": 0}, ScaleZero),
])
def test_conditions_give_their_message(sim, scale, state, error):
    sim.set(**state)
    with pytest.raises(error):
        scale.read_stable_grams()


def test_silent_scale(sim, scale):
    sim.silent = True
    started = time.monotonic()
    with pytest.raises(ScaleSilent):
        scale.read()
    assert time.monotonic() - started < 1
    sim.silent = False
    sim.set(500)
    assert scale.read_stable_grams() == 500


@pytest.mark.parametrize("garbage", [b"\x02AB.CDE\r\n", b"\x00\xff\xfe\r\n", b"hello\n\r"])
def test_garbage(sim, scale, garbage):
    sim.garbage = garbage
    with pytest.raises(ScaleGarbage):
        scale.read()


def test_garbage_without_terminator_is_garbage_not_silence():
    with ScaleSimulator("toledo8217") as sim:
        sim.garbage = b"\x0201.2"
        scale = open_scale(sim, timeout="0.2")
        with pytest.raises(ScaleGarbage):
            scale.read()
        scale.close()


def test_line_noise_before_the_frame_is_skipped():
    with ScaleSimulator("toledo8217") as sim:
        sim.garbage = b"\x00junk\x02" + toledo8217_frame(Reading(750, stable=True))
        scale = open_scale(sim)
        assert scale.read_stable_grams() == 750
        scale.close()


def test_unplugged_scale_is_a_hardware_error_and_a_new_one_works(sim):
    scale = open_scale(sim)
    sim.set(100)
    assert scale.read_stable_grams() == 100
    sim.stop()
    said = []
    for _ in range(2):  # the failed port is closed, so the second read tries to reopen
        with pytest.raises(ScaleUnavailable, match="Timbangan tidak terhubung") as unplugged:
            scale.read()
        said.append(str(unplugged.value))
    # in Indonesian ("(Input/output error)", "(could not open port …: [Errno 2] …)" were shown)
    assert said[1] == ("Timbangan tidak terhubung. Periksa kabel USB/serial timbangan. "
                       f"(port {sim.port} tidak ada)")
    assert all("rror" not in text and "could not" not in text for text in said)
    scale.close()
    with ScaleSimulator(sim.protocol.name) as replugged:
        replugged.set(321)
        again = open_scale(replugged)
        assert again.read_stable_grams() == 321
        again.close()


@pytest.mark.serial   # the adapter's burst must come within the till's quiet wait: alone
@pytest.mark.parametrize("protocol", ["cas", "toledo8217"])
def test_the_weight_on_the_scale_now_is_sold_not_one_held_up_on_the_way(protocol):
    """2 kg weighed, then 1,6 kg on the scale: the till sold 2 kg (Rp44.000). Between weighings
    the port stays open and nobody reads; its queue fills and the adapter (socat in the walk-
    through) holds older frames, which arrive after the flush, before the scale's newest."""
    with ScaleSimulator(protocol, interval=0.02, backlog=200, queue=60) as sim:
        sim.set(2000)
        scale = open_scale(sim)
        assert scale.read_stable_grams() == 2000
        time.sleep(0.6)   # the queue and the adapter full of 2 kg frames (a CAS scale streams)
        sim.set(1600)
        time.sleep(0.2)
        assert scale.read_stable_grams() == 1600
        assert scale.read_stable_grams() == 1600
        scale.close()


def test_a_streaming_scale_whose_frames_do_not_agree_is_unstable_whatever_they_say():
    """Frames marked stable that change from one to the next: the weight has not settled."""
    with ScaleSimulator("cas", interval=0.02) as sim:
        sim.garbage = cas_frame(Reading(1000, stable=True)) + cas_frame(Reading(2000, stable=True))
        scale = open_scale(sim)
        with pytest.raises(ScaleUnstable):
            scale.read_stable_grams()
        sim.garbage = None
        sim.set(1500)
        assert scale.read_stable_grams() == 1500
        scale.close()


def test_concurrent_reads_share_the_port_one_at_a_time(sim, scale):
    sim.set(2500)
    results, errors = [], []

    def till():
        try:
            results.extend(scale.read_stable_grams() for _ in range(3))
        except Exception as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=till) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=5)
    assert errors == [] and results == [2500] * 12


def test_the_port_opens_lazily():
    with ScaleSimulator() as sim:
        scale = open_scale(sim)
        assert sim.requests == 0
        scale.read()
        assert sim.requests == 1
        scale.close()


# --- URLs, loop:// and no scale --------------------------------------------------

def test_loop_url_reaches_pyserial_without_our_options():
    # loop:// echoes what we write: our 'W' comes back, and 'W' is not a frame
    scale = SerialScale.from_url("loop://?protocol=toledo8217&baudrate=9600&timeout=0.1")
    with pytest.raises(ScaleGarbage):
        scale.read()
    scale.close()


def test_request_response_path_on_loop():
    # Because loop:// echoes, a protocol whose "request" is the scale's reply exercises
    # flush, write, read_until and frame location end to end on a real pyserial port.
    reply = b"noise" + toledo8217_frame(Reading(1234, stable=True))
    port = serial.serial_for_url("loop://", timeout=0.1, do_not_open=True)
    scale = SerialScale(port, dataclasses.replace(TOLEDO8217, request=reply))
    assert scale.read_stable_grams() == 1234
    scale.close()
    silent = SerialScale(serial.serial_for_url("loop://", timeout=0.1, do_not_open=True),
                         dataclasses.replace(TOLEDO8217, request=b""))
    with pytest.raises(ScaleSilent):
        silent.read()
    silent.close()


@pytest.mark.parametrize("url", [
    "serial:///dev/ttyUSB1?protocol=nope",
    "serial:///dev/ttyUSB1?bytesize=9",
    "serial:///dev/ttyUSB1?parity=X",
    "serial:///dev/ttyUSB1?stopbits=3",
    "serial:///dev/ttyUSB1?timeout=soon",
])
def test_bad_settings_are_hardware_errors(url):
    with pytest.raises(HardwareError):
        SerialScale.from_url(url)


def test_production_url_builds_without_touching_the_device():
    scale = build_scale("serial:///dev/ttyUSB1?baudrate=9600&bytesize=7&parity=E"
                        "&stopbits=1&protocol=toledo8217&timeout=0.5")
    assert scale.protocol is PROTOCOLS["toledo8217"]
    with pytest.raises(ScaleUnavailable):  # no such device here: a clear error, no crash
        scale.read()
    scale.close()


def test_no_scale_configured():
    scale = build_scale("")
    assert isinstance(scale, NoScale)
    with pytest.raises(HardwareError, match="Timbangan belum dipasang."):
        scale.read_stable_grams()


def test_port_failures_are_said_in_indonesian():
    import errno
    import termios

    from pos.hardware.serial_errors import port_reason

    opened = serial.SerialException(errno.ENOENT, "could not open port /tmp/ttyV0: [Errno 2] No such file")
    assert port_reason(opened, "/tmp/ttyV0", 0.5) == "port /tmp/ttyV0 tidak ada"
    assert port_reason(termios.error(errno.EIO, "Input/output error"), "/dev/ttyUSB1", 0.5) == \
        "galat baca/tulis pada port /dev/ttyUSB1"
    # pyserial's "read failed: [Errno 5] …" carries no errno of its own: the one it was raised in has
    wrapped = serial.SerialException("read failed: [Errno 5] Input/output error")
    wrapped.__context__ = OSError(errno.EIO, "Input/output error")
    assert port_reason(wrapped, "/dev/ttyUSB1", 0.5) == "galat baca/tulis pada port /dev/ttyUSB1"
    assert port_reason(serial.SerialException(errno.EACCES, "could not open port"), "/dev/ttyS0", 1) == \
        "tidak ada izin membuka port /dev/ttyS0"
    assert port_reason(serial.SerialTimeoutException("Write timeout"), "/dev/ttyUSB2", 0.5) == \
        "tidak menjawab dalam 0,5 detik"
    assert port_reason(TimeoutError("timed out"), "socket://10.0.0.9:4001", 2) == \
        "tidak menjawab dalam 2 detik"
    assert port_reason(serial.SerialException("device reports readiness to read but returned no data"),
                       "/dev/ttyUSB1", 0.5) == "galat pada port /dev/ttyUSB1 (rinciannya di log server)"
