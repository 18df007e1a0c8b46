"""Is a device there?  A quick look for ``pos doctor`` and ``/healthz``, by the device's URL.

It never prints, never opens a serial line or a printer, and waits at most ``timeout``
seconds (a network printer gets one TCP connect, closed at once; a printer named by host
name gets its look-up within the same wait, in a thread, since the resolver has no timeout of
its own): the check runs on the manager's home page and must not hold it up.  A device
object without a ``url`` lives in memory (``dummy://``, the test fakes, no device configured)
and is always there.

USB printers are looked for in ``/sys/bus/usb/devices`` (vendor and product id), device
files and serial ports by their path (present and writable by this process; a ``file://``
printer must also be a character device under /dev/, as it must to print).
"""
from __future__ import annotations

import ipaddress
import os
import socket
import stat
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from pos.hardware.addresses import device_path, serial_address, usb_address
from pos.hardware.misconfigured import Misconfigured
from pos.hardware.ports import HardwareError
from pos.text import os_reason

USB_DEVICES = Path("/sys/bus/usb/devices")
TIMEOUT = 0.3  # seconds: a printer on the shop's LAN answers a connect in a few milliseconds

# What to do about a device that is not there, by the kind of its address: ``pos doctor``'s fix
# and the end of the sentence staff read when a print could not open its printer (``not_found``).
FIXES = {
    "usb": "Periksa kabel USB dan daya {what}, colok ulang, lalu coba lagi{where}.",
    "network": "Periksa {what} menyala dan tersambung ke jaringan toko, dan alamat IP-nya sama dengan "
               "setelan{where}.",
    "path": "Periksa kabel dan daya {what}; setelah dicolok ulang namanya bisa berubah (lihat ls /dev/usb "
            "/dev/serial/by-id), lalu ubah alamatnya{where}.",
}


def kind(url: str) -> str:
    """Which of ``FIXES`` fits a device at ``url``: usb, network, or a path (serial, file)."""
    scheme = urlsplit(url).scheme
    return "usb" if scheme == "usb" else "network" if scheme in ("network", "socket", "rfc2217") else "path"


def not_found(title: str, what: str, url: str, reason: str, where: str | None = None) -> tuple[str, str]:
    """(problem, fix) for a device that is not there, the one wording of ``pos doctor``'s check
    and of a print that could not open its printer (``cannot_open``): "Printer KASIR-3 tidak
    ditemukan: /dev/ttyUSB0 tidak ada (…)." and what to do; ``where``: where its address is set."""
    return (f"{title} tidak ditemukan: {reason.rstrip('.')}.",
            FIXES[kind(url)].format(what=what, where=f" ({where})" if where else ""))


def cannot_open(url: str, timeout: float = TIMEOUT, usb_root: Path = USB_DEVICES) -> str:
    """What staff read when the printer at ``url`` could not be found or opened (Cetak uji, a
    receipt, labels): why, looked for as ``pos doctor`` does (hexadecimal USB ids, the path, the
    host), and what to do. The library's own words (English, decimal USB ids) are for the log."""
    reason = url_missing(url, timeout, usb_root) or _there_but_closed(url)
    return " ".join(not_found("Printer", "printer", url, reason))


def _there_but_closed(url: str) -> str:
    """The reason when the look finds the printer there after all: it would not open (another
    program holds it, no permission for its USB device) or it has just come back."""
    parts = urlsplit(url)
    if parts.scheme == "usb":
        return f"printer USB {usb_address(url).ids} tersambung, tetapi tidak dapat dibuka (izin USB, " \
               "atau dipakai program lain)"
    if parts.scheme == "network":
        return f"{parts.hostname}:{parts.port or 9100} tidak menjawab"
    return f"{parts.path} tidak dapat dibuka (dipakai program lain?)"


def missing(device: object, timeout: float = TIMEOUT, usb_root: Path = USB_DEVICES) -> str | None:
    """Why ``device`` is not there (Indonesian, names its address), or None when it is."""
    if isinstance(device, Misconfigured):   # its setting could not be used at start
        return device.message
    url = getattr(device, "url", None)
    return url_missing(url, timeout, usb_root) if url else None


def printer_state(printer: object, timeout: float = TIMEOUT) -> str:
    """A printer's state for a screen (Perangkat, ``pos hardware status``): "siap", or why it is
    not there and what to do, by a look within ``timeout`` (never a connect of the printer's own,
    3 s on a host that does not answer). A printer with no address to look at (a recording
    ``dummy://`` one, a setting that could not be used, a test's fake) says its own state."""
    url = getattr(printer, "url", None)
    if not url or urlsplit(url).scheme == "dummy" or isinstance(printer, Misconfigured):
        return printer.status()
    reason = url_missing(url, timeout)
    return "siap" if reason is None else " ".join(not_found("Printer", "printer", url, reason))


def url_missing(url: str, timeout: float = TIMEOUT, usb_root: Path = USB_DEVICES) -> str | None:
    """Why the device at ``url`` is not there, or None when it is."""
    parts = urlsplit(url)
    scheme = parts.scheme
    if scheme in ("dummy", "loop"):
        return None
    if scheme == "file":   # a printer port: a character device under /dev/
        try:
            path = device_path(url)
        except HardwareError as error:
            return str(error).rstrip(".")
        return _path_missing(path) or _not_a_device(path)
    if scheme == "serial":
        try:
            return _path_missing(serial_address(url, allowed=None)[0])
        except HardwareError as error:
            return str(error).rstrip(".")
    if scheme == "":
        return _path_missing(parts.path)
    if scheme in ("network", "socket", "rfc2217"):
        if not parts.hostname:
            return f"alamat jaringan tanpa nama host: {url}"
        try:
            port = parts.port or 9100
        except ValueError:
            return f"nomor port salah: {url}"
        return _tcp_missing(parts.hostname, port, timeout)
    if scheme == "usb":
        try:
            return _usb_missing(usb_address(url).ids, usb_root)
        except HardwareError as error:
            return str(error).rstrip(".")
    return f"jenis alamat {scheme}:// tidak dapat diperiksa"


def _path_missing(path: str) -> str | None:
    if not path:
        return "alamat perangkat kosong"
    if not os.path.exists(path):
        return f"{path} tidak ada (kabel tercabut, perangkat mati, atau namanya berubah)"
    if not os.access(path, os.R_OK | os.W_OK):
        return f"{path} ada, tetapi Gerai POS tidak boleh menulis ke sana (izin berkas)"
    return None


def _not_a_device(path: str) -> str | None:
    try:
        if stat.S_ISCHR(os.stat(path).st_mode):
            return None
    except OSError as error:
        return f"{path} tidak dapat diperiksa ({os_reason(error)})"
    return f"{path} bukan perangkat printer (berkas biasa, bukan character device)"


def _tcp_missing(host: str, port: int, timeout: float) -> str | None:
    begin = time.monotonic()
    try:
        addresses = _resolve(host, port, timeout)
    except OSError:
        return f"nama {host} tidak dikenal di jaringan ini; pakai alamat IP printer"
    if addresses is None:
        return f"nama {host} tidak dapat dicari dalam {timeout:g} detik (DNS); pakai alamat IP printer"
    problem: OSError = OSError("tidak ada alamat")
    for address in addresses:   # as create_connection does: each address the name has, in order
        left = max(timeout - (time.monotonic() - begin), 0.05)
        try:
            with socket.create_connection(address, timeout=left):
                return None
        except OSError as error:
            problem = error
    return f"{host}:{port} tidak menjawab ({os_reason(problem)})"


def _resolve(host: str, port: int, timeout: float) -> list[tuple[str, int]] | None:
    """The TCP addresses of ``host`` found within ``timeout`` seconds; None when the look-up
    takes longer (``OSError`` when the name is unknown). An IP address is its own answer.

    The look-up runs in a daemon thread of its own: getaddrinfo has no timeout, and a shop LAN
    whose DNS server is gone holds it for seconds; one that outlives the wait ends unseen and
    never holds up the server's exit."""
    try:
        ipaddress.ip_address(host)
        return [(host, port)]
    except ValueError:
        pass
    answer: list = []

    def look_up() -> None:
        try:
            answer.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except OSError as error:
            answer.append(error)

    worker = threading.Thread(target=look_up, name="pos-resolve", daemon=True)
    worker.start()
    worker.join(timeout)
    if not answer:
        return None
    if isinstance(answer[0], OSError):
        raise answer[0]
    return [info[4][:2] for info in answer[0]]


def _usb_missing(ids: str, usb_root: Path) -> str | None:
    """None when a USB device with ``ids`` (``0416:5011``, from ``addresses.usb_address``) is
    plugged in."""
    if not usb_root.is_dir():
        return f"printer USB {ids} tidak dapat dicari: daftar perangkat USB tidak dapat dibaca di " \
               "komputer ini"
    for device in usb_root.iterdir():
        try:
            found = ":".join((device / name).read_text().strip() for name in ("idVendor", "idProduct"))
        except OSError:
            continue  # interfaces and hubs without ids
        if found == ids:
            return None
    return f"printer USB {ids} tidak tersambung"
