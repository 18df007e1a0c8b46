"""The demo's cash drawers: outlet-local clock times as stored UTC, notes and coins for an
amount, and a shift opened and closed through ``pos.shifts.service`` (demo only).
"""
from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from pos.approvals.service import Actor, Approval
from pos.auth.models import Role
from pos.auth.service import RIGHTS
from pos.shifts import service as shifts
from pos.shifts.denominations import DENOMINATIONS
from pos.shifts.figures import figures

# A float's small change first (what a cashier asks the treasurer for), the rest in notes.
_SMALL = {"c100": 10, "c200": 10, "c500": 10, "k1000": 20, "k2000": 20, "k5000": 10,
          "k10000": 10, "k20000": 5}


def at(day: date, hour: int, minute: int, zone: str) -> datetime:
    """Naive UTC of ``hour:minute`` outlet-local time on ``day`` (what ``now=`` takes)."""
    local = datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(zone))
    return local.astimezone(UTC).replace(tzinfo=None)


def cash_of(amount: int) -> shifts.Cash:
    """``amount`` counted by denomination (small change first, then the largest notes);
    typed as a total when no notes and coins make it (not a multiple of Rp100)."""
    if amount % 100:
        return shifts.Cash(amount, None)
    counts: dict[str, int] = {}
    rest = amount
    for d in sorted(DENOMINATIONS, key=lambda d: d.value):
        want = _SMALL.get(d.key, 0)
        take = min(want, rest // d.value)
        if take:
            counts[d.key] = take
            rest -= take * d.value
    for d in DENOMINATIONS:  # largest first; notes before coins of the same value
        pieces = rest // d.value
        if pieces:
            counts[d.key] = counts.get(d.key, 0) + pieces
            rest -= pieces * d.value
    return shifts.Cash(amount, counts)


def staff_actor(user_id: int, till_id: int, role: Role, reason: str,
                approver: int | None = None) -> Actor:
    """Who acts at the till; a cashier's action beyond their right carries the manager's
    approval (``approver``), a manager acts on their own right."""
    approval = Approval(approver, reason) if approver is not None and role is not Role.MANAGER \
        else None
    return Actor(user_id, till_id, RIGHTS[role], reason=reason, approval=approval)


def expected_cash(session: Session, shift_id: int) -> int:
    return figures(session, shifts.get(session, shift_id)).expected["cash"]
