"""A checked approval carried over a second question.

A request approved with a PIN (an apoteker's for an obat keras, a manager's) can meet another
question before it is done: who buys it (``NeedsBuyer``).  That question's dialog sends the
request again once answered; it must not carry the PIN in the page to do so.  It carries a
pass instead: who approved, signed with the app's secret, for that till, that cashier and that
request's path, for ``MAX_AGE_S``.  The pass stands for the PIN check alone: the approver's
right is checked again in the transaction (``authorize``, ``require_right``), as after a PIN.
"""
from __future__ import annotations

from itsdangerous import BadData, URLSafeTimedSerializer

from pos.approvals.service import PASS_FIELD, Approval, ApprovalRefused

FIELD = PASS_FIELD     # the form field that carries it, in place of ``approval_pin``
MAX_AGE_S = 300
_SALT = "gerai-pos-approval-pass"
STALE = ("Persetujuan tadi sudah kedaluwarsa atau bukan untuk transaksi ini: minta nama pengguna "
         "dan PIN lagi. Tidak ada yang diubah.")


def issue(secret: str, approval: Approval, *, till_id: int | None, staff_id: int, path: str) -> str:
    return URLSafeTimedSerializer(secret, salt=_SALT).dumps(
        [approval.approver_id, till_id, staff_id, path])


def redeem(secret: str, token: str, *, till_id: int | None, staff_id: int, path: str,
           reason: str) -> Approval:
    """The approval ``token`` carries, when it is this app's, for this till, cashier and path,
    and younger than ``MAX_AGE_S``; else ``ApprovalRefused``."""
    try:
        approver, till, staff, at = URLSafeTimedSerializer(secret, salt=_SALT).loads(
            token, max_age=MAX_AGE_S)
    except (BadData, TypeError, ValueError):
        raise ApprovalRefused(STALE) from None
    if (till, staff, at) != (till_id, staff_id, path) or not isinstance(approver, int):
        raise ApprovalRefused(STALE)
    return Approval(approver, reason)
