"""What a device address says, read in one place: the device page's and the command line's
check (``check_url``), the builders of the printer (``POS_PRINTER`` as a till's own), the pole
display and the scale, and ``pos doctor``'s look for the device (``presence``).

A USB printer is ``usb://VENDOR:PRODUCT`` in hexadecimal as ``lsusb`` shows them (0x0416:0x5011
or 0416:5011), each id 0 to ffff, with the endpoints python-escpos's ``Usb`` takes as options:
``?in_ep=0x82&out_ep=0x01`` (its defaults). A serial device is ``serial:///dev/ttyUSB0`` with
``?baudrate=9600`` (9600 when none). Anything else in the address is refused with an example
when it is saved or read from a setting, not found out later by a print that never comes
(``usb://zz`` was saved, and ``pos doctor`` then said to check the cable).
"""
from __future__ import annotations

import ipaddress
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import SplitResult, parse_qsl, urlparse, urlsplit

from pos.hardware.ports import HardwareError

USB_EXAMPLE = "usb://0x0416:0x5011"
SERIAL_EXAMPLE = "serial:///dev/ttyUSB0?baudrate=9600"
_USB_IDS = re.compile(r"(?:0x)?([0-9a-f]{1,4}):(?:0x)?([0-9a-f]{1,4})", re.IGNORECASE)
_ENDPOINT = re.compile(r"(?:0x)?([0-9a-f]{1,2})", re.IGNORECASE)
# escpos's Usb: the endpoint it reads (IN: 0x81-0x8f) and writes (OUT: 0x01-0x0f); its defaults.
ENDPOINTS = {"in_ep": (0x82, range(0x81, 0x90)), "out_ep": (0x01, range(0x01, 0x10))}
BAUDRATES = range(50, 4_000_001)   # what Linux serial ports take, the standard ones 1200-115200

PRINTER_SCHEMES = ("network", "usb", "serial", "file", "dummy")
DISPLAY_SCHEMES = ("serial",)


# What each kind of address looks like, for the refusal of one that is none of them.
EXAMPLES = {"network": "network://192.168.1.50:9100", "usb": USB_EXAMPLE,
            "serial": SERIAL_EXAMPLE, "file": "file:///dev/usb/lp0",
            "dummy": "dummy://kasir1"}


def check_url(url: str, schemes: tuple[str, ...], what: str) -> str:
    """``url`` when it names one of ``schemes``; a ``HardwareError`` saying which otherwise.
    A ``file://`` address must name a device under /dev/ (``device_path``); a ``usb://`` one
    hexadecimal ids (``usb_address``) and a ``serial://`` one a device path and a baud rate
    (``serial_address``)."""
    try:
        parts = urlparse(url or "")
    except ValueError:   # "network://[::1": an unclosed IPv6 bracket
        parts = None
    if parts is None or parts.scheme not in schemes or len(url) > 200 or not (
            parts.netloc or parts.path or parts.scheme == "dummy"):
        raise HardwareError(f"Alamat {what} tidak dikenal: {url[:60]!r}. Contoh: "
                            + ", ".join(EXAMPLES.get(s, f"{s}://") for s in schemes) + ".")
    if parts.scheme == "file":
        device_path(url)
    if parts.scheme == "network":
        _check_network(url, parts)
    if parts.scheme == "usb":
        usb_address(url)
    if parts.scheme == "serial":
        serial_address(url, f"{what} serial")
    return url


def _check_network(url: str, parts) -> None:
    """A network printer is a host and, when one is written, a port from 1 to 65535 (9100 when
    none), and nothing else: no user@, no path, option or #fragment (escpos reads none of them).
    A port out of range, a host with a space, a user@ or a /path were stored and only ``pos
    doctor`` (or a print that never came) said so later."""
    try:
        port = parts.port
    except ValueError:
        port = 0
    if not parts.hostname or port == 0 or (port is None and parts.netloc.endswith(":")) \
            or "@" in parts.netloc or parts.path not in ("", "/") or parts.query or parts.fragment \
            or "#" in url or "?" in url or not _host_ok(_written_host(parts.netloc)):
        raise HardwareError(f"Alamat printer jaringan {url[:60]!r} salah: tulis nama host atau IP "
                            "dan port 1 sampai 65535, misalnya network://192.168.1.50:9100.")


_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)", re.IGNORECASE)


def _written_host(netloc: str) -> str:
    """The host as written, port taken off (``parts.hostname`` lowers it and drops what follows
    an IPv6 address's closing bracket: ``[::1]x``)."""
    if netloc.startswith("["):
        host, _, rest = netloc.partition("]")
        return host + "]" if rest == "" or rest.startswith(":") else netloc
    return netloc.rsplit(":", 1)[0] if ":" in netloc else netloc


def _host_ok(host: str) -> bool:
    """An IPv4 address (192.168.1.999 is none), an IPv6 one in brackets (``[fe80::1]``: escpos
    connects with ``socket.create_connection``, which takes either), or a host name: labels of
    letters, digits and hyphens, 1 to 63 each, none starting or ending with a hyphen."""
    if host.startswith("[") and host.endswith("]"):
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            return False
        return True
    if re.fullmatch(r"[0-9.]+", host):
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            return False
        return True
    return len(host) <= 253 and all(_LABEL.fullmatch(label) for label in host.split("."))


DEVICE_DIR = "/dev/"
NOT_DEVICES = ("/dev/shm/", "/dev/mqueue/")   # file systems of ordinary files under /dev


def device_path(url: str) -> str:
    """The device node a ``file://`` printer URL names; a ``HardwareError`` unless it is under
    ``/dev/`` (``file:///dev/usb/lp0``), with no ``?option`` or ``#`` (none is read): a printer is
    never a file of the computer."""
    try:
        parts = urlparse(url)
    except ValueError:
        parts = None
    path = posixpath.normpath(parts.path) if parts is not None and parts.path else ""
    if parts is None or parts.netloc not in ("", "localhost") or not path.startswith(DEVICE_DIR) \
            or path.startswith(NOT_DEVICES) or parts.query or parts.fragment or "?" in url or "#" in url:
        raise HardwareError(f"Printer file:// hanya untuk perangkat di {DEVICE_DIR} "
                            f"(mis. file:///dev/usb/lp0), bukan {url[:60]!r}.")
    return path


@dataclass(frozen=True)
class UsbAddress:
    vendor: int
    product: int
    in_ep: int = 0x82
    out_ep: int = 0x01

    @property
    def ids(self) -> str:
        """``0416:5011``, as ``lsusb`` and /sys/bus/usb/devices write them."""
        return f"{self.vendor:04x}:{self.product:04x}"


def _split(url: str, what: str, example: str) -> SplitResult:
    try:
        return urlsplit(url)
    except ValueError:   # "usb://[x": an unclosed bracket
        raise HardwareError(f"Alamat {what} {url[:60]!r} tidak dapat dibaca. Contoh: {example}.") from None


def _options(parts: SplitResult, url: str, allowed, what: str, example: str) -> dict[str, str]:
    """The address's ``?name=value`` options; each at most once and one of ``allowed`` (any when
    None: ``presence`` looks for the device only)."""
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    options = dict(pairs)
    unknown = sorted({name for name, _ in pairs if allowed is not None and name not in allowed})
    shown = (f"pilihan {unknown[0]!r} tidak dikenal" if unknown else "pilihan ditulis dua kali"
             if len(options) < len(pairs) else "pilihan kosong" if parts.query and not pairs else None)
    if shown:
        used = f" (yang dipakai: {', '.join(sorted(allowed))})" if allowed is not None else ""
        raise HardwareError(f"Alamat {what} {url[:60]!r} salah: {shown}{used}. Contoh: {example}.")
    return options


def usb_address(url: str) -> UsbAddress:
    """The ids and endpoints a ``usb://`` printer address names; a ``HardwareError`` saying what
    is wrong (ids not hexadecimal or above ffff, anything after them, an unknown option)."""
    what = "printer USB"
    parts = _split(url, what, USB_EXAMPLE)
    ids = _USB_IDS.fullmatch(parts.netloc)
    if ids is None or parts.path not in ("", "/") or parts.fragment or "#" in url:
        raise HardwareError(f"Alamat {what} {url[:60]!r} salah: tulis hanya id vendor:produk printer dalam "
                            f"heksadesimal, masing-masing 0000 sampai ffff (lihat lsusb), misalnya "
                            f"{USB_EXAMPLE}.")
    options = _options(parts, url, ENDPOINTS, what, f"{USB_EXAMPLE}?in_ep=0x81&out_ep=0x03")
    endpoints = {}
    for name, (default, allowed) in ENDPOINTS.items():
        given = _ENDPOINT.fullmatch(options.get(name, f"{default:x}"))
        endpoints[name] = int(given.group(1), 16) if given else -1
        if endpoints[name] not in allowed:
            raise HardwareError(f"Alamat {what} {url[:60]!r} salah: {name} harus 0x{allowed[0]:02x} sampai "
                                f"0x{allowed[-1]:02x}, misalnya {USB_EXAMPLE}?in_ep=0x81&out_ep=0x03.")
    return UsbAddress(int(ids.group(1), 16), int(ids.group(2), 16), **endpoints)


def serial_address(url: str, what: str = "perangkat serial",
                   allowed=frozenset({"baudrate"})) -> tuple[str, int]:
    """(device path, baud rate) of a ``serial://`` address (9600 when it names none); a
    ``HardwareError`` when the path is missing or the baud rate is no whole number a port takes.
    ``allowed``: the options the device reads (the scale reads more than ``baudrate``; None:
    any)."""
    parts = _split(url, what, SERIAL_EXAMPLE)
    if parts.netloc or not parts.path.startswith("/") or parts.path.rstrip("/") == "" \
            or parts.fragment or "#" in url:
        raise HardwareError(f"Alamat {what} {url[:60]!r} salah: tulis jalur perangkatnya sesudah "
                            f"serial:// (tiga garis miring), misalnya {SERIAL_EXAMPLE}.")
    options = _options(parts, url, allowed, what, SERIAL_EXAMPLE)
    baudrate = options.get("baudrate", "9600")
    if not re.fullmatch(r"[0-9]{2,7}", baudrate) or int(baudrate) not in BAUDRATES:
        raise HardwareError(f"Alamat {what} {url[:60]!r} salah: baudrate harus bilangan bulat "
                            f"{BAUDRATES[0]} sampai {BAUDRATES[-1]} (lihat buku panduan perangkatnya), "
                            f"misalnya 9600 atau 115200: {SERIAL_EXAMPLE}.")
    return parts.path, int(baudrate)
