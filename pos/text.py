"""Text that is safe to store, print and export (no control characters) and digits that are ASCII.

Names and notes typed at a till, imported from a spreadsheet or pasted from a chat
may carry control characters (ESC, NUL, BEL, ...).  Stored, they would reach the
receipt printer as commands (``ESC p`` kicks the cash drawer), make XLSX exports
fail and hide in CSV files.  ``clean`` removes them: every String/Text column calls
it on the way in (``pos.db``), and the ESC/POS adapter and the exports call it again
for rows stored before.

Python's ``\\d``, ``str.isdigit`` and ``int()`` accept any Unicode digit
(``８``, ``٣``, ``²``); ``is_digits`` is the one test for the digits a form may hold.
"""
from __future__ import annotations

# C0 controls, DEL and C1 controls.  Tab, line feed and carriage return become a
# space (two words stay two words); every other one is dropped.
_CONTROLS = {code: None for code in [*range(0x20), 0x7F, *range(0x80, 0xA0)]}
_CONTROLS.update({0x09: " ", 0x0A: " ", 0x0D: " "})


def clean(text: str) -> str:
    """``text`` without control characters (C0, DEL, C1); tab, CR and LF become spaces."""
    if text.isprintable():  # the common case, checked in C: nothing to remove
        return text
    return text.translate(_CONTROLS)


def is_digits(text: str, most: int = 12) -> bool:
    """True for 1 to ``most`` ASCII digits and nothing else (no sign, space or Unicode digit)."""
    return 0 < len(text) <= most and text.isascii() and text.isdigit()
