"""A device whose setting cannot be used: its own module, so ``presence`` (which ``escpos_printer``
reads for the words of a printer that cannot be opened) knows it without importing the package."""
from __future__ import annotations

from pos.hardware.ports import HardwareError


class Misconfigured:
    """A device whose setting cannot be used (``POS_PRINTER=lp0``, an unknown scale
    protocol): the server still starts and sells, as with the device unplugged. Every use
    raises a ``HardwareError`` saying which setting is wrong (a receipt waits as unprinted, for
    Cetak ulang once the setting is right); the device page and ``pos doctor`` show it too."""

    installed = False   # as a scale: the till asks for a typed weight, where a manager allows it

    def __init__(self, setting: str, error: HardwareError):
        self.message = f"Setelan {setting} salah: {error}"

    def _refuse(self, *_args, **_kwargs):
        raise HardwareError(self.message)

    print_receipt = print_labels = open_drawer = show = read = read_stable_grams = _refuse

    def status(self) -> str:
        return self.message

    def close(self) -> None:
        pass
