"""A checked approval carried over a second question.

A request approved with a PIN (an apoteker's for an obat keras, a manager's) can meet another
question before it is done: who buys it (``NeedsBuyer``).  That question's dialog sends the
request again once answered; it must not carry the PIN in the page to do so.  It carries a
pass instead: a random token whose approval the server keeps (``Passes``, in the server's
memory), for that till, that cashier and exactly that request: a digest of its path, its
fields (the code and its quantity, the prescription, the discount, the amount: all but the
dialog's own answers and the buyer the later question adds, as ``seal`` counts them) and the
reason.  A pass is good once: the request sent with it takes it out of the server's keeping,
and should that request meet the question again, its dialog carries a new pass for the same
request, its ``MAX_AGE_S`` still counted from the PIN.  A pass for another request, spent,
older, or from before a restart, is refused: the approver is asked again.  The pass stands for
the PIN check alone: the approver's right is checked again in the transaction (``authorize``,
``require_right``), as after a PIN.
"""
from __future__ import annotations

import hashlib
import json
import secrets
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass

from pos.approvals import seal
from pos.approvals.service import PASS_FIELD, Approval, ApprovalRefused

FIELD = PASS_FIELD     # the form field that carries it, in place of ``approval_pin``
MAX_AGE_S = 300
STALE = ("Persetujuan tadi sudah kedaluwarsa, sudah dipakai, atau bukan untuk transaksi ini: minta "
         "nama pengguna dan PIN lagi. Tidak ada yang diubah.")


@dataclass(frozen=True)
class Checked:
    """An approval checked for one request: who approved, at which till, for which cashier,
    the request's ``digest`` and when the PIN was checked (``time.monotonic``)."""

    approval: Approval
    till_id: int | None
    staff_id: int
    digest: str
    at: float


def digest(path: str, pairs: Iterable[tuple[str, str]], reason: str) -> str:
    """What an approval of the request (``pairs`` sent to ``path``, for ``reason``) covers."""
    text = json.dumps([seal.approved(path, pairs), reason], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def checked(approval: Approval, *, till_id: int | None, staff_id: int, path: str,
            pairs: Iterable[tuple[str, str]], reason: str) -> Checked:
    """``approval``, its PIN just checked, for the request ``pairs`` sent to ``path``."""
    return Checked(approval, till_id, staff_id, digest(path, pairs, reason), time.monotonic())


class Passes:
    """The passes issued and not yet redeemed (one server process: ``server_lock``)."""

    def __init__(self) -> None:
        self._held: dict[str, Checked] = {}
        self._lock = threading.Lock()

    def issue(self, held: Checked) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            now = time.monotonic()
            for stale in [t for t, kept in self._held.items() if now - kept.at > MAX_AGE_S]:
                del self._held[stale]
            self._held[token] = held
        return token

    def redeem(self, token: str, *, till_id: int | None, staff_id: int, path: str,
               pairs: Iterable[tuple[str, str]], reason: str) -> Checked:
        """The approval ``token`` stands for, taken out of keeping, when it is for this till,
        cashier and request and younger than ``MAX_AGE_S``; else ``ApprovalRefused`` (a pass
        sent for another request is spent all the same)."""
        with self._lock:
            held = self._held.pop(token, None)
        if held is None or time.monotonic() - held.at > MAX_AGE_S or (
                (held.till_id, held.staff_id) != (till_id, staff_id)
                or not secrets.compare_digest(held.digest, digest(path, pairs, reason))):
            raise ApprovalRefused(STALE)
        return held
