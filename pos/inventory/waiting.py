"""What waits on the stock side, counted for the manager's home page: receipt corrections
and adjustments to approve, and counts still open."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pos.inventory.counts.models import ApprovalStatus, CountSession, CountStatus, StockAdjustment
from pos.inventory.receiving.models import GoodsReceipt
from pos.inventory.receiving.queries import waiting_correction


@dataclass(frozen=True)
class StockWaiting:
    corrections: int   # receipt corrections (drafts) waiting for a manager
    open_counts: int   # stock counts not yet approved or cancelled
    adjustments: int   # adjustment and write-off requests waiting for a manager


def stock_waiting(session: Session) -> StockWaiting:
    def count(model, condition) -> int:
        return session.scalar(select(func.count()).select_from(model).where(condition)) or 0

    return StockWaiting(count(GoodsReceipt, waiting_correction()),
                        count(CountSession, CountSession.status == CountStatus.OPEN),
                        count(StockAdjustment, StockAdjustment.status == ApprovalStatus.PENDING))
