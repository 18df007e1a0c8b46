"""Drug classes at the till (filled by issue 10's pharmacy work)."""
from __future__ import annotations


def check(rows, *, strict: bool = True, at_checkout: bool = False) -> list[str]:
    """Refuse pharmacy lines that may not be sold; the notes the cart shows."""
    return []
