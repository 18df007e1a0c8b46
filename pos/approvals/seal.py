"""What the manager (the apoteker, for a prescription) approves is what the dialog showed.

The approval dialog sends the asking form's fields again, hidden, with the manager's name and
PIN (``service.carried``).  Those fields decide what is done (the amount withdrawn, the member,
the quantity returned, the discount), so a PIN alone would approve whatever the page sends
once the dialog is open.  The dialog therefore carries a seal: an HMAC, with the app's secret,
of the request's path and those fields as the server received them when it asked.  An answer
whose fields differ from the sealed ones is refused before its PIN is checked
(``dialog.dialog_approval``): nothing is done and the manager is asked again for what is sent.
"""
from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable

from pos.approvals.service import NOT_CARRIED, SEAL_FIELD, ApprovalRefused

FIELD = SEAL_FIELD
# Not sealed: what the dialog does not carry (its own answers, the CSRF token, the seal, a
# pass), and the buyer a later question adds to the request it sends again.
UNSEALED = NOT_CARRIED | {"pembeli"}
CHANGED = ("Data yang akan disetujui berubah sesudah dialog persetujuan dibuka: tidak ada yang "
           "diubah. Ulangi dari awal agar {approver} melihat yang sebenarnya akan disetujui.")


def approved(path: str, pairs: Iterable[tuple[str, str]]) -> str:
    """``pairs`` (a form's fields, repeated names kept) sent to ``path`` as one text, without
    the fields that are not sealed: what an approval of that request approves."""
    fields = sorted((name, value.replace("\r\n", "\n").replace("\r", "\n")) for name, value in pairs
                    if name not in UNSEALED)   # line breaks as an HTML attribute gives them back
    return json.dumps([path, fields], ensure_ascii=False, separators=(",", ":"))


def make(secret: str, path: str, pairs: Iterable[tuple[str, str]]) -> str:
    """The seal of ``pairs`` (a form's fields, repeated names kept) sent to ``path``."""
    text = approved(path, pairs)
    return hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest()


def check(secret: str, sealed: str | None, path: str, pairs: Iterable[tuple[str, str]],
          approver: str = "manajer") -> None:
    """Nothing when ``pairs`` are the fields the dialog was drawn with; else ``ApprovalRefused``,
    naming who approves in that dialog (``approver``: "manajer", "apoteker" for a prescription)."""
    if not sealed or not hmac.compare_digest(sealed, make(secret, path, pairs)):
        raise ApprovalRefused(CHANGED.format(approver=approver), 409)
