"""Manager overrides at the till: ask (``NeedsApproval``), check the manager's PIN, log.

A service that meets an action beyond the cashier's right raises ``NeedsApproval``
(through ``authorize``); the till shows a dialog where a manager types their user name
and PIN, and the same form is posted again with them.  The PIN is checked by
``check_pin`` with no write transaction open (the hash takes about 100 ms), with the
login throttle, so five wrong PINs lock like a login; then, inside the transaction,
``authorize`` / ``approve`` require the manager's right (the one approver rule,
``require_right``) and write an ``Override`` row.  The manager's PIN starts no session:
the cashier stays logged in.  A manager doing the action themselves is not asked; the
action is still logged, with themselves as approver.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from pos.approvals.models import Override, RefusedApproval
from pos.auth.models import User
from pos.auth.service import authenticate, login_candidate, require_right
from pos.auth.throttle import LoginGuard
from pos.clock import utcnow
from pos.errors import Forbidden, PosError, typed
from pos.tills.models import Till

# Form fields of the approval dialog; every other field of the asking form rides along hidden.
# ``approval_kind`` names the action asked for, for the log of refused PINs (``refused``).
FIELDS = ("approval_user", "approval_pin", "approval_reason", "approval_kind")
SEAL_FIELD, PASS_FIELD = "approval_seal", "approval_pass"   # ``seal``, ``passes``
# Never carried hidden by the dialog: its own answers, the CSRF token, its seal and a pass.
NOT_CARRIED = frozenset((*FIELDS, "csrf_token", SEAL_FIELD, PASS_FIELD))
REFUSED = ("Nama pengguna atau PIN manajer salah, atau akun sedang dikunci sementara. "
           "Tidak ada yang diubah.")
KIND_LABELS = {"price_override": "Ubah harga", "line_discount": "Diskon baris",
               "sale_discount": "Diskon transaksi", "prescription": "Resep obat keras",
               "return": "Retur", "shift_close": "Tutup shift",
               "shift_open": "Selisih kas awal shift", "cash_in": "Kas masuk",
               "cash_out": "Kas keluar", "savings_withdrawal": "Penarikan simpanan",
               "savings_cancel": "Pembatalan setoran anggota",
               "savings_leaver": "Pengembalian simpanan anggota keluar",
               "batch_expiry": "Perbaiki kedaluwarsa batch", "batch_number": "Perbaiki nomor batch",
               "no_sale": "Buka laci tanpa penjualan", "void": "Hapus baris atau keranjang"}


class NeedsApproval(PosError):
    """The action needs a manager: what is asked, and the values before and after.

    ``swap`` is how the approved answer replaces the asking form's target (default: the
    cart's ``outerHTML``, anything else ``innerHTML``); ``suggested`` fills the dialog's reason
    when the asking form gave none (a shift closed with nothing off: "Tanpa selisih").
    """

    status = 403

    def __init__(self, kind: str, what: str, before: str, after: str, *, right: str = "manage",
                 swap: str | None = None, suggested: str = ""):
        super().__init__(f"Perlu persetujuan manajer: {what}.")
        self.kind, self.what, self.before, self.after = kind, what, before, after
        self.right, self.swap, self.suggested = right, swap, suggested


class ApprovalRefused(PosError):
    """A wrong PIN, a user without the right, or no reason: nothing changes."""

    status = 403


@dataclass(frozen=True)
class Approval:
    """A manager's approval typed at the till, the PIN already checked (``check_pin``)."""

    approver_id: int
    reason: str


@dataclass(frozen=True)
class Actor:
    """Who acts at the till: the logged-in staff member, their rights, and an approval."""

    user_id: int
    till_id: int | None
    rights: frozenset[str]
    reason: str = ""                 # the reason typed on the asking form
    approval: Approval | None = None
    allow_self: bool = False         # POS_SELF_APPROVAL

    def may(self, right: str) -> bool:
        return right in self.rights


@dataclass(frozen=True)
class Asked:
    """The approval fields of a posted form: user name, PIN and reason."""

    username: str
    pin: str
    reason: str


def asked(form: Mapping[str, str]) -> Asked | None:
    """The approval fields of ``form`` (None when the dialog did not send it)."""
    if "approval_user" not in form:
        return None
    reason = typed(form.get("approval_reason") or form.get("reason"), 200, "Alasan")
    return Asked((form.get("approval_user") or "").strip()[:64], form.get("approval_pin") or "",
                 reason)


def carried(form: Mapping[str, str]) -> list[tuple[str, str]]:
    """The asking form's own fields, which the dialog posts again hidden."""
    pairs = form.items(multi=True) if hasattr(form, "getlist") else form.items()
    return [(name, value) for name, value in pairs if name not in NOT_CARRIED]


def check_pin(session: Session, ask: Asked, guard: LoginGuard, address: str,
              right: str = "manage") -> Approval:
    """The approval of the user ``ask`` names, when the PIN is right and their role has
    ``right``; else ``ApprovalRefused``.

    Call it with no write transaction open (``session`` only reads): the hash takes about
    100 ms.  Wrong PINs count towards the login lock of that user from this address, and so
    does the right PIN of a user who may not approve (a cashier, a manager where an apoteker
    must): ``REFUSED`` alike, so the dialog never tells a colleague's right PIN from a wrong one.
    Each check takes one of the address's attempts a minute (``guard.admit``, shared with the
    login); an approval given gives it back, so only refused PINs use the minute up.
    A reason left empty is asked for by ``approve``, which knows the action's own (the asking
    form's, or its ``suggested``: a shift closed with nothing off is "Tanpa selisih").
    """
    if not ask.username or not ask.pin:
        raise ApprovalRefused("Isi nama pengguna dan PIN manajer.", 422)
    wait = guard.admit(address)
    if wait:
        raise ApprovalRefused(f"Terlalu banyak percobaan PIN dari kasir ini. Coba lagi dalam {wait} "
                              "detik.", 429)
    candidate = login_candidate(session, ask.username)
    with guard.hash_slot() as turn:
        if not turn:
            raise ApprovalRefused("Terlalu banyak percobaan PIN saat ini. Coba lagi sebentar lagi.", 429)
        user_id = authenticate(candidate, ask.pin, guard, address, right=right)
    if user_id is None:
        raise ApprovalRefused(REFUSED)
    return Approval(user_id, ask.reason)


def refused(session: Session, *, asked_by: int, till_id: int | None, username: str, kind: str,
            address: str, now: datetime | None = None) -> RefusedApproval:
    """Log a name and PIN refused in the dialog (``check_pin``'s ``REFUSED``): who asked, at
    which till and address, the name typed, and for what (a kind not in ``KIND_LABELS``, which a
    tampered form may send, is kept as none)."""
    row = RefusedApproval(asked_by=asked_by, till_id=till_id, username=(username or "")[:64],
                          kind=kind if kind in KIND_LABELS else "", address=(address or "")[:45],
                          created_at=now or utcnow())
    session.add(row)
    session.flush()
    return row


def approve(session: Session, *, right: str, kind: str, asked_by: int, till_id: int | None,
            reason: str, before: str, after: str, what: str = "", cart_id: int | None = None,
            sale_id: int | None = None, approval: Approval | None = None,
            username: str | None = None, pin: str | None = None, guard: LoginGuard | None = None,
            address: str = "", allow_self: bool = False, now: datetime | None = None) -> Override:
    """Log a manager's approval of ``kind`` asked by ``asked_by``; refuse a user without ``right``.

    Pass ``approval`` from ``check_pin`` (PIN checked before the write transaction).  Given
    ``username``, ``pin`` and ``guard`` instead, the PIN is checked here, inside whatever
    transaction the caller holds (slower for the other tills; prefer ``check_pin``).
    """
    if approval is None:
        if guard is None:
            raise ApprovalRefused(REFUSED)
        approval = check_pin(session, Asked(username or "", pin or "", (reason or "").strip()),
                             guard, address, right)
    reason = typed(reason or approval.reason, 200, "Alasan")
    if not reason:
        raise ApprovalRefused("Tulis alasan persetujuan.", 422)
    try:
        require_right(session, approval.approver_id, right, REFUSED,   # as ``check_pin`` says it
                      made_by={asked_by}, allow_self=allow_self)
    except Forbidden as refusal:
        raise ApprovalRefused(refusal.message) from None
    return log(session, kind=kind, what=what, asked_by=asked_by, approved_by=approval.approver_id,
               reason=reason, before=before, after=after, till_id=till_id, cart_id=cart_id,
               sale_id=sale_id, self_approved=approval.approver_id == asked_by, now=now)


def log(session: Session, *, kind: str, what: str, asked_by: int, approved_by: int, reason: str,
        before: str, after: str, till_id: int | None, cart_id: int | None = None,
        sale_id: int | None = None, self_approved: bool = False,
        now: datetime | None = None) -> Override:
    """Write one row of the override log (``approved_by == asked_by``: a manager's own action),
    at ``now`` (the moment the action it approves is recorded at; by default the clock's)."""
    row = Override(kind=kind[:32], description=(what or KIND_LABELS.get(kind, kind))[:200],
                   asked_by=asked_by, approved_by=approved_by,
                   self_approved=self_approved, reason=(reason or "-")[:200], before=before[:100],
                   after=after[:100], till_id=till_id, cart_id=cart_id, sale_id=sale_id,
                   created_at=now or utcnow())
    session.add(row)
    session.flush()
    return row


def authorize(session: Session, actor: Actor, *, kind: str, what: str, before: str, after: str,
              right: str = "manage", cart_id: int | None = None,
              sale_id: int | None = None, now: datetime | None = None,
              suggested: str = "", swap: str | None = None) -> Override:
    """Let an action beyond a cashier's right go on, logged; or ask for a manager.

    A user with ``right`` acts alone (logged as their own approval); otherwise the actor's
    approval is checked (right, the approver rule) and logged; without one, ``NeedsApproval``.
    """
    if actor.approval is None:
        if not actor.may(right):
            raise NeedsApproval(kind, what, before, after, right=right, suggested=suggested, swap=swap)
        return log(session, kind=kind, what=what, asked_by=actor.user_id,
                   approved_by=actor.user_id, reason=actor.reason, before=before, after=after,
                   till_id=actor.till_id, cart_id=cart_id, sale_id=sale_id, now=now)
    return approve(session, right=right, kind=kind, asked_by=actor.user_id, till_id=actor.till_id,
                  reason=actor.approval.reason or actor.reason or suggested, before=before, after=after,
                  what=what, cart_id=cart_id, sale_id=sale_id, approval=actor.approval,
                  allow_self=actor.allow_self, now=now)


@dataclass(frozen=True)
class Logged:
    """One row of the managers' list."""

    id: int
    created_at: datetime
    kind: str
    description: str
    asked_by: str
    approved_by: str
    self_approved: bool
    reason: str
    before: str
    after: str
    till: str | None

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def own(self) -> bool:
        """Someone's own action with the right to act alone (a manager's price, an apoteker's
        prescription): nobody else asked."""
        return self.asked_by == self.approved_by and not self.self_approved


def listed(session: Session, first: date, last: date, zone: str, limit: int = 500) -> list[Logged]:
    """Overrides from ``first`` to ``last`` (outlet-local dates, both included), newest first."""
    start, end = (datetime.combine(day, time(0), tzinfo=ZoneInfo(zone)).astimezone(UTC)
                  .replace(tzinfo=None) for day in (first, last + timedelta(days=1)))
    asker, approver = aliased(User), aliased(User)
    rows = session.execute(
        select(Override.id, Override.created_at, Override.kind, Override.description,
               asker.full_name, approver.full_name, Override.self_approved, Override.reason,
               Override.before, Override.after, Till.name)
        .join(asker, asker.id == Override.asked_by).join(approver, approver.id == Override.approved_by)
        .outerjoin(Till, Till.id == Override.till_id)
        .where(Override.created_at >= start, Override.created_at < end)
        .order_by(Override.created_at.desc(), Override.id.desc()).limit(limit)).all()
    return [Logged(*row) for row in rows]
