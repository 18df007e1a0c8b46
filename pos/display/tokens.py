"""The link tokens of the read-only screens: an HMAC of the app's SECRET_KEY and what the link
opens (a till's customer screen, the outlet's price check).  Nothing is stored; a new
SECRET_KEY makes new links.  Pure."""
from __future__ import annotations

import hashlib
import hmac


def _token(secret: str, what: str) -> str:
    return hmac.new(secret.encode(), what.encode(), hashlib.sha256).hexdigest()[:32]


def screen_token(secret: str, till_id: int) -> str:
    """The token of till ``till_id``'s customer screen link."""
    return _token(secret, f"layar-pelanggan:{int(till_id)}")


def price_check_token(secret: str) -> str:
    """The token of the outlet's price check link (one per outlet)."""
    return _token(secret, "cek-harga")


def valid(expected: str, given: str | None) -> bool:
    """``given`` is ``expected`` (compared in constant time)."""
    return hmac.compare_digest(expected.encode(), (given or "")[:64].encode())
