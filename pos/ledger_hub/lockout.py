"""Wrong hub passwords, counted in the hub's database so that every hub process sees them.

The hub may run several processes (``serve --processes N``); a count in each process's
memory (``pos.auth.throttle``, right for the till's one process) would give a guesser N
times the tries. The rules are the till's, over a window that slides: ``max_attempts``
wrong passwords for one operator from one address within ``lock_seconds`` lock that
address out of the operator, ``per_user`` from all addresses lock the operator everywhere,
until the oldest of them is ``lock_seconds`` old. A right password clears its address's
count. Only existing, active operators are counted, and rows older than the window are
deleted as new ones come, so the table stays a few rows per operator.

What guards a process's own CPU (tries per address a minute, one password hash at a time,
the tarpit) stays in its memory, in ``pos.auth.throttle.LoginGuard``.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, func, insert, select
from sqlalchemy.orm import Session

from pos.clock import utcnow
from pos.ledger_hub.models import HubLoginFailure

_T = HubLoginFailure.__table__


@dataclass(frozen=True)
class Lockout:
    max_attempts: int
    per_user: int
    lock_seconds: int
    clock: Callable[[], datetime] = utcnow

    @classmethod
    def from_config(cls, config) -> Lockout:
        return cls(max_attempts=config["LOGIN_MAX_ATTEMPTS"],
                   per_user=config["LOGIN_MAX_ATTEMPTS_PER_USER"],
                   lock_seconds=config["LOGIN_LOCK_SECONDS"])

    def _since(self) -> datetime:
        return self.clock() - timedelta(seconds=self.lock_seconds)

    def locked(self, session: Session, operator: str, address: str) -> bool:
        """Is ``operator`` locked for ``address``, or everywhere?"""
        address = address[:45]
        pair, everywhere = session.execute(
            select(func.coalesce(func.sum(case((_T.c.address == address, 1), else_=0)), 0),
                   func.count())
            .where(_T.c.operator == operator, _T.c.at > self._since())).one()
        return pair >= self.max_attempts or everywhere >= self.per_user

    def failed(self, session: Session, operator: str, address: str) -> None:
        """Count a wrong password of ``operator`` from ``address``; forget what no longer counts."""
        session.execute(delete(_T).where(_T.c.at <= self._since()))
        session.execute(insert(_T).values(operator=operator, address=address[:45], at=self.clock()))

    def succeeded(self, session: Session, operator: str, address: str) -> None:
        """A right password from ``address`` clears that address's count for ``operator``."""
        session.execute(delete(_T).where(_T.c.operator == operator, _T.c.address == address[:45]))
