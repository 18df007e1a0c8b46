"""Each till's printer and pole display, and the scale: there or not, looked at without printing
(``pos.hardware.presence``), all at once so a dead network printer costs one short timeout.

The devices come from the registry (``pos.hardware.registry.Devices``): a till's own URL or
the outlet's device, the same objects the till prints on.  A missing device is a warning:
the till still sells, and receipts wait in the print queue.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from pos.config import setting_line
from pos.hardware import Misconfigured
from pos.hardware.ports import HardwareError
from pos.hardware.presence import missing, not_found
from pos.hardware.registry import Devices
from pos.health_checks.check import Check, Level

# the address itself is wrong (usb://zz, a bad baud rate): no cable makes it right
FIX_ADDRESS = "Perbaiki alamat {what} ({where}){then}: alamatnya yang salah, bukan kabelnya."
TILL_SETTING = "halaman Perangkat atau pos till set-devices"
REAL_PRINTER = "usb://0x0416:0x5011"   # the example of a real printer's address, as README's Hardware


@dataclass(frozen=True)
class TillDevices:
    """A till by code, with its own printer and display URLs (None: the outlet's)."""
    code: str | None      # None: no till yet, the outlet's devices alone
    printer: str | None
    display: str | None


def device_checks(tills: Sequence[TillDevices], registry: Devices, config: Mapping,
                  instance: str | Path) -> list[Check]:
    """One printer and one display check per till, then the scale; a fix names where the outlet's
    device is set (``config.setting_line``: pos.cfg in ``instance``, or the environment)."""
    tills = list(tills) or [TillDevices(None, None, None)]
    outlet = registry.outlet
    wanted: list[tuple[str, TillDevices, str, Callable[[], object]]] = []
    for till in tills:
        wanted.append(("printers", till, till.printer or config["PRINTER"],
                       lambda url=till.printer: registry.printer(url)))
        wanted.append(("display", till, till.display or config["DISPLAY"],
                       lambda url=till.display: registry.display(url)))
    wanted.append(("scale", TillDevices(None, None, None), config["SCALE"], lambda: outlet.scale))
    built = [_build(make) for _, _, _, make in wanted]
    unique = {id(device): device for device, _ in built if device is not None}
    with ThreadPoolExecutor(max_workers=min(8, len(unique) or 1)) as pool:
        found = dict(zip(unique, pool.map(missing, unique.values()), strict=True))
    return [_check(key, till, url, error or (found[id(device)] if device is not None else None), instance,
                   wrong_address=error is not None or isinstance(device, Misconfigured))
            for (key, till, url, _), (device, error) in zip(wanted, built, strict=True)]


def _build(make: Callable[[], object]) -> tuple[object | None, str | None]:
    try:
        return make(), None
    except HardwareError as error:   # a URL that names no device we know
        return None, str(error)


def _check(key: str, till: TillDevices, url: str, problem: str | None, instance: str | Path,
           wrong_address: bool = False) -> Check:
    """``wrong_address``: the device could not be built from its address (``Misconfigured``): the
    fix is to correct it, not to look at cables."""
    what = {"printers": "printer", "display": "layar pelanggan", "scale": "timbangan"}[key]
    title = what.capitalize() + (f" {till.code}" if till.code else " gerai")
    own = bool(till.printer if key == "printers" else till.display if key == "display" else False)
    figures = {"till": till.code, "own": own, "configured": bool(url)} if key != "scale" \
        else {"configured": bool(url)}
    details = {"url": url.split("?")[0] if url else None}
    recording = key == "printers" and urlsplit(url).scheme == "dummy"
    if problem is None and not recording:
        return Check(key, Level.OK, title, "siap" if url else "tidak dipasang", figures, details)
    setting = {"printers": "PRINTER", "display": "DISPLAY", "scale": "SCALE"}[key]
    where = TILL_SETTING if own else setting_line(setting, REAL_PRINTER if recording else url or "…",
                                                  instance) + (
        "; atau alamat sendiri untuk kasir ini di halaman Perangkat" if till.code else "")
    if problem is None:   # dummy:// (the installer's until one is set): nothing comes out on paper
        return Check(key, Level.WARN, title, "printer rekaman, tidak mencetak", figures, details,
                     f"{title} hanya printer rekaman (dummy://): struk dicatat di memori, tidak ada yang "
                     "tercetak di kertas, dan laci kasir tidak terbuka.",
                     f"Colok printer struk lalu setel alamatnya ({where}); alamat lain: network://IP:9100, "
                     "file:///dev/usb/lp0. " + ("Lalu" if own else "Sesudah itu mulai ulang server, lalu")
                     + " coba Cetak uji di halaman Perangkat.")
    if wrong_address:
        return Check(key, Level.WARN, title, "alamat salah", figures, details,
                     f"{title} tidak dapat dipakai: {problem.rstrip('.')}.",
                     FIX_ADDRESS.format(what=what, where=where,
                                        then="" if own else ", lalu mulai ulang server"))
    return Check(key, Level.WARN, title, "tidak ditemukan", figures, details,
                 *not_found(title, what, url, problem, where))
