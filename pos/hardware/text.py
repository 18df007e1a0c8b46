"""Laying out text for character devices (receipt paper, pole displays)."""


def two_cols(left: str, right: str, width: int) -> str:
    """``left`` and ``right`` on one line of ``width``; ``left`` is cut when both do not fit."""
    room = width - len(right) - 1
    if room < 0:
        return right[-width:]
    return f"{left[:room]:<{room}} {right}"


def fit_cols(left: str, right: str, width: int) -> list[str]:
    """``two_cols`` when both fit on one line. Else ``left`` keeps a line of its own when it fits
    one whole, ``right`` at the end of the next: a quantity and its price are never cut
    (``1,25 kg (manual) x Rp13.500`` on 32 columns). A ``left`` longer than a line is broken
    between words (never inside one, nor at a hyphen), indented as it is, and ``right`` stands at
    the right end of its last line: "Retur ke kasbon anggota (dikreditkan)" on 32 columns had
    "(dikreditkan)" alone on a line and the amount alone on the next. A last line of one word
    takes the word before it along when both still fit beside ``right``; a full last line gives
    its last two words (or one) to a line of their own beside ``right``, which is on a line after
    the words only when not even the last word fits beside it."""
    if len(left) + 1 + len(right) <= width:
        return [two_cols(left, right, width)]
    alone = right.rjust(width)[-width:]
    if len(left) <= width:
        return [left, alone]
    indent = left[:len(left) - len(left.lstrip())]
    if width - len(indent) < 8:     # no room beside the indent: the words from the edge
        indent = ""
    lines = [indent + part for part in wrap(left, width - len(indent))]
    room = width - len(right) - 1
    if len(lines) > 1 and len(lines[-1].split()) == 1 and len(lines[-2].split()) > 1:
        before, _, word = lines[-2].rpartition(" ")
        if len(f"{lines[-1]} {word}") <= room:
            lines[-2:] = [before, f"{indent}{word} {lines[-1].lstrip()}"]
    words = lines[-1].split()
    for take in (2, 1):             # a full last line: its last words go down beside ``right``
        if len(lines[-1]) > room and len(words) > take and len(indent + " ".join(words[-take:])) <= room:
            lines[-1:] = [indent + " ".join(words[:-take]), indent + " ".join(words[-take:])]
    if len(lines[-1]) <= room:
        return [*lines[:-1], two_cols(lines[-1], right, width)]
    return [*lines, alone]


def wrap(text: str, width: int) -> list[str]:
    """``text`` on lines of ``width``, broken at spaces (a word longer than a line, at the edge)."""
    words, lines, current = text.split(), [], ""
    for word in words:
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
        while len(current) > width:
            lines.append(current[:width])
            current = current[width:]
    return lines + ([current] if current else [])


def wrap_phrases(phrases: list[str], width: int) -> list[str]:
    """``phrases`` (a number, a doctor's name, a date) on lines of ``width``, broken between them
    and never inside one that fits a line (``Resep: No R/2026/1203-07`` then ``dr. Hendra
    Wijaya 03-12-2026``, not ``… dr.`` then ``Hendra …``); one longer than a line starts a line
    of its own and is broken at spaces (``wrap``), the next phrase going on after its end."""
    lines, current = [], ""
    for phrase in (" ".join(p.split()) for p in phrases):
        if not phrase:
            continue
        if len(current) + 1 + len(phrase) <= width or not current:
            joined = f"{current} {phrase}".strip()
        else:
            lines.append(current)
            joined = phrase
        parts = wrap(joined, width)
        lines += parts[:-1]
        current = parts[-1]
    return lines + ([current] if current else [])


def labelled(label: str, value: str, columns: int) -> list[str]:
    """``Kasir: apt. Rina Marlina, S.Farm`` over as many lines as it takes, the value's next
    lines under its first (a titled name was cut at the paper's edge: "Rina Marlina, S.")."""
    if columns - len(label) < 8:   # no room beside the label: the words under it
        return wrap(label + value, columns)
    parts = wrap(value, columns - len(label)) or [""]
    return [label + parts[0]] + [" " * len(label) + part for part in parts[1:]]
