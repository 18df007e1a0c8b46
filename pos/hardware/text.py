"""Laying out text for character devices (receipt paper, pole displays)."""


def two_cols(left: str, right: str, width: int) -> str:
    """``left`` and ``right`` on one line of ``width``; ``left`` is cut when both do not fit."""
    room = width - len(right) - 1
    if room < 0:
        return right[-width:]
    return f"{left[:room]:<{room}} {right}"
