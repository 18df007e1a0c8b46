"""The day summary frozen when a day closes (``pos report day --json``, extended): built
by ``pos.reports.day_full`` and marked closed, with when and by whom."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from pos.clock import utc_iso
from pos.reports.day_full import full_summary


def build(session: Session, day: date, *, zone: str = "Asia/Makassar", outlet_pkp: bool = False,
          dpp_share: tuple[int, int] = (11, 12), closed_at: datetime | None = None,
          closed_by: dict | None = None, accounts: dict | None = None) -> dict:
    """The day's full summary; with ``closed_at`` it is the closed day's document."""
    summary = full_summary(session, day, zone=zone, outlet_pkp=outlet_pkp, dpp_share=dpp_share,
                           accounts=accounts)
    if closed_at is not None:
        summary.update(closed=True, closed_at=utc_iso(closed_at, "seconds"),   # its zone said
                       closed_by=closed_by)
    return summary
