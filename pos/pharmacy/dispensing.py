"""An apoteker's approval of an obat keras at the till.

The dialog sends the apoteker's user name and PIN (``pin``: checked with no write
transaction open, counted towards the login lock like a manager's PIN; the right PIN of
someone who is no apoteker, a manager's too, is refused and counted as a wrong one); a
logged-in apoteker approves alone.  Inside the transaction ``approve`` requires the
"dispense" right (a manager does not have it), a licence number (SIPA), and logs the
approval in the override log (kind ``prescription``, "Resep obat keras").
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from pos.approvals.service import REFUSED, Actor, Approval, ApprovalRefused, Asked, authorize, check_pin
from pos.auth.service import require_right
from pos.auth.throttle import LoginGuard
from pos.errors import Forbidden
from pos.pharmacy.prescriptions import Prescription

RIGHT, KIND = "dispense", "prescription"
# Someone who may not approve obat keras (a cashier, a manager) is refused as a wrong PIN is.
NOT_PHARMACIST = REFUSED.replace("manajer", "apoteker")


def pin(session: Session, username: str, pin_text: str, reason: str, guard: LoginGuard,
        address: str) -> Approval:
    """The apoteker's approval when the PIN is right (no write transaction open)."""
    if not (username or "").strip() or not pin_text:
        raise ApprovalRefused("Isi nama pengguna dan PIN apoteker.", 422)
    try:
        return check_pin(session, Asked(username.strip()[:64], pin_text, reason[:200]), guard,
                         address, RIGHT)
    except ApprovalRefused as refused:
        raise ApprovalRefused(refused.message.replace("manajer", "apoteker"),
                              refused.status) from None


def approve(session: Session, actor: Actor, rx: Prescription, *, name: str,
            cart_id: int | None = None) -> Prescription:
    """Log the apoteker's approval of ``rx`` for ``name``; the prescription with who approved.

    Refused: no apoteker (``ApprovalRefused``), one without the right or without a SIPA.
    """
    if actor.approval is None and not actor.may(RIGHT):
        raise ApprovalRefused("Isi nama pengguna dan PIN apoteker.", 422)
    pharmacist_id = actor.approval.approver_id if actor.approval else actor.user_id
    try:
        user = require_right(session, pharmacist_id, RIGHT, NOT_PHARMACIST)
    except Forbidden as refusal:
        raise ApprovalRefused(refusal.message) from None
    if not user.licence_no:
        raise ApprovalRefused(f"Apoteker {user.full_name} belum punya nomor SIPA; tanpa SIPA "
                              "tidak dapat menyetujui obat keras. Manajer mengisinya di halaman "
                              f"Staf (Nomor SIPA), atau dengan 'pos user licence {user.username} NOMOR'.")
    authorize(session, actor, kind=KIND, what=f"Resep obat keras: {name}"[:200],
              before="tanpa resep", after=f"Resep No. {rx.number}", right=RIGHT, cart_id=cart_id)
    return Prescription(rx.doctor, rx.rx_date, rx.number, pharmacist_id)
