"""Text that is safe to store, print and export (no control characters) and digits that are ASCII.

Names and notes typed at a till, imported from a spreadsheet or pasted from a chat
may carry control characters (ESC, NUL, BEL, ...).  Stored, they would reach the
receipt printer as commands (``ESC p`` kicks the cash drawer), make XLSX exports
fail and hide in CSV files.  ``clean`` removes them: every String/Text column calls
it on the way in (``pos.db``), and the ESC/POS adapter and the exports call it again
for rows stored before.

A spreadsheet runs a cell starting with ``= + - @`` (or tab, CR) as a formula, so a name
like ``=HYPERLINK(...)`` in an export would run on the manager's computer (CSV injection);
``neutral`` gives such text a leading ``'`` and is the one rule every CSV/XLSX writer uses.

``os_reason`` says why the system refused a file or folder in Indonesian (the C library's
"Read-only file system" sat inside every Indonesian message).

Python's ``\\d``, ``str.isdigit`` and ``int()`` accept any Unicode digit
(``８``, ``٣``, ``²``); ``is_digits`` is the one test for the digits a form may hold.
"""
from __future__ import annotations

import errno
import re
import unicodedata
from collections.abc import Callable, Mapping

# C0 controls, DEL and C1 controls.  Tab, line feed and carriage return become a
# space (two words stay two words); every other one is dropped.
_CONTROLS = {code: None for code in [*range(0x20), 0x7F, *range(0x80, 0xA0)]}
_CONTROLS.update({0x09: " ", 0x0A: " ", 0x0D: " "})


def clean(text: str) -> str:
    """``text`` without control characters (C0, DEL, C1); tab, CR and LF become spaces."""
    if text.isprintable():  # the common case, checked in C: nothing to remove
        return text
    return text.translate(_CONTROLS)


def visible(text: str) -> str:
    """``clean`` text without format characters either (Unicode Cf: a zero-width space, a soft
    hyphen, a byte-order mark pasted from a PDF or a chat), which show as nothing: for a code
    that is read and matched as typed (a batch number)."""
    text = clean(text)
    if text.isascii():
        return text
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def sentence(text: str) -> str:
    """``text`` ended by one full stop, for a reason joined to the next sentence ("Struk belum
    tercetak: {reason}. Cetak ulang …"): a reason that ends its own ("… sama dengan setelan.")
    is not given a second one. Templates have it as the ``sentence`` filter."""
    return text.rstrip().rstrip(".").rstrip() + "."


def is_digits(text: str, most: int = 12) -> bool:
    """True for 1 to ``most`` ASCII digits and nothing else (no sign, space or Unicode digit)."""
    return 0 < len(text) <= most and text.isascii() and text.isdigit()


# What a spreadsheet reads as the start of a formula (OWASP "CSV injection"): these after
# any leading spaces, or a tab or CR as the very first character.
FORMULA_START = ("=", "+", "-", "@")
_NEGATIVE_NUMBER = re.compile(r"-[0-9]+(?:[.,][0-9]+)*")


def neutral(text: str) -> str:
    """``text`` with a leading ``'`` when a spreadsheet would run it as a formula (it starts,
    after spaces, with ``= + - @``, a tab or a CR); a plain negative number stays a number, and
    a lone ``-`` (a report's "none") stays as it is.
    A text that already starts with ``'`` before such a formula gets one more, so a reader
    that takes one off (``_unquote`` of the catalog import) gives back exactly what was written."""
    bare = text.lstrip("'")
    risky = bare.startswith(("\t", "\r")) or bare.lstrip().startswith(FORMULA_START)
    if risky and not _NEGATIVE_NUMBER.fullmatch(bare) and bare.strip(" -") != "":   # "-": no value
        return "'" + text
    return text


def nearest(text: str, fits: Callable[[str], bool], replace: Mapping[str, str] | None = None) -> str:
    """``text`` in the characters a printer's or font's charset has (``fits``): others become
    ``replace[ch]``, else their nearest (``À`` -> ``A``, ``ﬁ`` -> ``fi``), else ``?`` (Chinese,
    emoji: a name never vanishes silently); combining marks and joiners are dropped."""
    return "".join(_nearest_char(ch, fits, replace or {}) for ch in text)


def _nearest_char(ch: str, fits: Callable[[str], bool], replace: Mapping[str, str]) -> str:
    if fits(ch):
        return ch
    if ch in replace:
        return replace[ch]
    if unicodedata.category(ch) in ("Mn", "Me", "Cf"):  # accents, variation selectors, ZWJ
        return ""
    near = "".join(part for part in unicodedata.normalize("NFKD", ch)
                   if fits(part) and not unicodedata.combining(part))
    return near or "?"


# Why the system refused a file or folder, in the operator's words (the C library's English,
# "Read-only file system", sat inside every Indonesian message).
_OS_REASONS = {
    errno.EROFS: "disknya hanya dapat dibaca (flashdisk terkunci atau dipasang hanya-baca?)",
    errno.EACCES: "tidak ada izin menulis di sana", errno.EPERM: "tidak diizinkan",
    errno.ENOENT: "tidak ada", errno.ENOTDIR: "bagian jalurnya bukan folder",
    errno.EISDIR: "itu sebuah folder", errno.ENOSPC: "disk penuh", errno.EDQUOT: "kuota disk habis",
    errno.EIO: "galat baca/tulis pada perangkat (flashdisk dicabut atau rusak?)",
    errno.EEXIST: "sudah ada", errno.ENAMETOOLONG: "nama terlalu panjang",
    errno.ECONNREFUSED: "sambungan ditolak", errno.ETIMEDOUT: "waktu habis",
    errno.EHOSTUNREACH: "alamat tidak terjangkau", errno.ENETUNREACH: "jaringan tidak terjangkau",
}


def os_reason(error: OSError) -> str:
    """``error`` in Indonesian where it is a common one (its C text otherwise); a time-out without
    an errno (``socket.timeout``: "timed out") is "waktu habis" too."""
    if error.errno is None and isinstance(error, TimeoutError):
        return _OS_REASONS[errno.ETIMEDOUT]
    return _OS_REASONS.get(error.errno) or error.strerror or str(error)
