"""The day document the hub receives: the journal, the closed day's summary, a content hash.

Its shape is the wire protocol's (``docs/ledger-api.md``, ``pos.ledger_hub.protocol``);
the hash is added when it enters the outbox (``outbox.enqueue``).
"""
from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy.orm import Session

from pos.chart import Chart
from pos.errors import PosError
from pos.ledger.journal import day_journal
from pos.ledger_hub import protocol


class Unbalanced(PosError):
    status = 500


def document_id(outlet_code: str, day: date) -> str:
    return f"{outlet_code}-{day.isoformat()}-day"


def day_document(session: Session, *, day: date, outlet_code: str, summary_text: str,
                 zone: str, chart: Chart, created_at: datetime) -> dict:
    """The closed day ``day`` as a document; refuses (and so rolls the closing back) if its
    journal does not balance, which would be a bug: nothing unbalanced ever leaves."""
    lines = day_journal(session, day, zone=zone, chart=chart)
    debit, credit = sum(x.debit for x in lines), sum(x.credit for x in lines)
    if debit != credit:
        raise Unbalanced(f"Jurnal hari {day:%d-%m-%Y} tidak seimbang (debit {debit}, kredit "
                         f"{credit}); hari tidak ditutup. Laporkan ke pengembang.")
    return {"schema": protocol.SCHEMA, "version": protocol.VERSION,
            "document_id": document_id(outlet_code, day), "outlet_code": outlet_code,
            "kind": "day", "business_date": day.isoformat(),
            "created_at": created_at.isoformat(timespec="seconds") + "Z", "currency": "IDR",
            "journal": [x.as_dict() for x in lines], "summary": json.loads(summary_text)}
