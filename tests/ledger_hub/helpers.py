"""Documents and signed pushes for the hub's tests."""
from __future__ import annotations

import time

from pos.ledger_hub import protocol


def document(outlet: str = "KDMP01", day: str = "2026-11-30", kind: str = "day", n: int = 0,
             amount: int = 125_000, **changes) -> dict:
    """A valid, balanced, hashed version-1 document; ``changes`` replace keys before hashing."""
    doc = {"schema": protocol.SCHEMA, "version": 1,
           "document_id": f"{outlet}-{day}-{kind}" + (f"-{n}" if n else ""), "outlet_code": outlet,
           "kind": kind, "business_date": day, "created_at": f"{day}T15:05:00Z", "currency": "IDR",
           "journal": [
               {"account": "111000", "name": "Kas", "debit": amount - 25_000, "credit": 0, "memo": "tunai",
                "unit": None, "member": None},
               {"account": "113100", "name": "Piutang Anggota", "debit": 25_000, "credit": 0,
                "memo": "kasbon", "unit": None, "member": True},
               {"account": "411100", "name": "Penjualan Sembako Anggota", "debit": 0,
                "credit": amount - 40_000, "memo": "", "unit": "sembako", "member": True},
               {"account": "411200", "name": "Penjualan Sembako Non-Anggota", "debit": 0, "credit": 40_000,
                "memo": "", "unit": "sembako", "member": False}],
           "summary": {"sale_count": 3, "gross": amount, "discount": 0, "tax": 0, "total": amount,
                       "rounding": 0, "payments": {"cash": {"count": 2, "amount": amount - 25_000},
                                                   "kasbon": {"count": 1, "amount": 25_000}},
                       "business_units": {"sembako": {"lines": 4, "amount": amount, "tax": 0}},
                       "members": {"member": {"sale_count": 2}}}}
    doc.update(changes)
    doc["hash"] = protocol.content_hash(doc)
    return doc


def headers(credentials, body: bytes, *, document_id: str | None = None, timestamp: int | None = None,
            outlet: str | None = None, token: str | None = None, secret: str | None = None) -> dict:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    return {"Authorization": f"Bearer {credentials.token if token is None else token}",
            "X-Gerai-Outlet": credentials.code if outlet is None else outlet,
            "X-Gerai-Timestamp": stamp,
            "X-Gerai-Signature": protocol.sign(credentials.secret if secret is None else secret, stamp, body),
            "Idempotency-Key": document_id or "", "Content-Type": "application/json"}


def push(client, credentials, doc: dict | bytes, **kw):
    """POST a document (a dict is sent canonical) signed with ``credentials``."""
    body = doc if isinstance(doc, bytes) else protocol.canonical(doc)
    key = kw.pop("document_id", None) or (doc.get("document_id") if isinstance(doc, dict) else "")
    sent = headers(credentials, body, document_id=key, **kw)
    return client.post("/api/v1/documents", data=body, headers=sent)


def env_lines(output: str) -> dict:
    """The POS_LEDGER_... lines a command printed, as a dict."""
    return dict(line.split("=", 1) for line in output.splitlines() if line.startswith("POS_LEDGER_"))
