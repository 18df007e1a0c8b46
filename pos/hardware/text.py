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
