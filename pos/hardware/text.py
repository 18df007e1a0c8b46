"""Laying out text for character devices (receipt paper, pole displays)."""
import textwrap


def two_cols(left: str, right: str, width: int) -> str:
    """``left`` and ``right`` on one line of ``width``; ``left`` is cut when both do not fit."""
    room = width - len(right) - 1
    if room < 0:
        return right[-width:]
    return f"{left[:room]:<{room}} {right}"


def fit_cols(left: str, right: str, width: int) -> list[str]:
    """``two_cols`` when both fit on one line; else ``left`` on lines of its own (broken at
    spaces, indented as it is) and ``right`` at the end of the next: a quantity and its price
    are never cut (``1,25 kg (manual) x Rp13.500`` on 32 columns)."""
    if len(left) + 1 + len(right) <= width:
        return [two_cols(left, right, width)]
    indent = left[:len(left) - len(left.lstrip())]
    return textwrap.wrap(left, width, subsequent_indent=indent) + [right.rjust(width)[-width:]]


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


def labelled(label: str, value: str, columns: int) -> list[str]:
    """``Kasir: apt. Rina Marlina, S.Farm`` over as many lines as it takes, the value's next
    lines under its first (a titled name was cut at the paper's edge: "Rina Marlina, S.")."""
    if columns - len(label) < 8:   # no room beside the label: the words under it
        return wrap(label + value, columns)
    parts = wrap(value, columns - len(label)) or [""]
    return [label + parts[0]] + [" " * len(label) + part for part in parts[1:]]
