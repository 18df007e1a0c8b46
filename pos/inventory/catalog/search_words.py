"""The words a product search indexes and looks for (``product_word``), in any script.

A word is a run of ASCII letters and digits, as it always was for Latin text (an accented
letter, ``ß`` or a punctuation mark still ends a word: ``Café`` is ``caf``), or a run of the
letters, digits and own marks of any other script (``Беляш``, ``ข้าวหอม``, ``田中``), so a name
in Cyrillic, Thai or Chinese is found by its words too.  Words are casefolded (``Σ``, ``ς`` and
``σ`` are one letter) and capped at 60 characters.  Scripts written without spaces (Thai,
Chinese, Japanese) give one word per run: a search finds it by its beginning.

Only a name holding a character of another script (``other_script``) has other words than
before these rules; revision 0045 re-indexed those.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_ASCII_WORD = re.compile(r"[0-9a-z]+")


def words(name: str) -> set[str]:
    """Search words of a name: casefolded runs of letters and digits, capped at 60 chars."""
    text = name.lower()
    found = _ASCII_WORD.findall(text) if text.isascii() else _runs(text)
    return {w.casefold()[:60] for w in found}


def product_words(name: str, sku: str) -> set[str]:
    """A product's search words: its name's and its SKU's (``product_word``)."""
    return words(name) | words(sku)


def has_other_script(text: str) -> bool:
    """Whether ``text`` has a letter, digit or mark of a script other than Latin (its words
    were not indexed before revision 0045)."""
    return not text.isascii() and any(other_script(ch) for ch in text.lower())


def _runs(text: str) -> list[str]:
    found, run = [], []
    for ch in text:
        if ("0" <= ch <= "9" or "a" <= ch <= "z") or (ch > "\x7f" and other_script(ch)):
            run.append(ch)
        elif run:
            found.append("".join(run))
            run = []
    if run:
        found.append("".join(run))
    return found


@lru_cache(maxsize=4096)
def other_script(ch: str) -> bool:
    """A letter, decimal digit or script mark (Thai vowels, Devanagari signs) of a script other
    than Latin.  Latin letters (``é``, ``ß``, ``ﬁ``, ``ℓ``, fullwidth ``Ａ``), other digits
    (``１``, ``²``) and the shared combining accents stay outside words, as before."""
    kind = unicodedata.category(ch)
    if not (kind[0] in "LM" or kind == "Nd"):
        return False
    name = unicodedata.name(ch, "")
    if "LATIN" in name or (kind[0] == "M" and name.startswith("COMBINING")):
        return False
    return not any(part.isascii() for part in unicodedata.normalize("NFKD", ch))


def successor(prefix: str) -> str:
    """The smallest string above every string starting with ``prefix``, in code point order
    (SQLite's binary and PostgreSQL's "C" collation of UTF-8 text)."""
    while prefix:
        last = ord(prefix[-1]) + 1
        if last == 0xD800:           # surrogates cannot be stored: the next character is U+E000
            last = 0xE000
        if last <= 0x10FFFF:
            return prefix[:-1] + chr(last)
        prefix = prefix[:-1]
    return "\U0010ffff"
