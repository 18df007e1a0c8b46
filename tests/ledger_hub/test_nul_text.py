"""A NUL character anywhere in a pushed document is refused as invalid (422), on both
databases: PostgreSQL text cannot hold it, so storing it failed with a 5xx that the outlet
would retry for ever."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pos.ledger_hub import protocol
from pos.ledger_hub.models import HubDocument
from tests.ledger_hub.helpers import document, push


def with_nul(where: str) -> dict:
    doc = document()
    if where == "account":
        doc["journal"][0]["account"] = "11\x001000"
    elif where == "unit":
        doc["journal"][2]["unit"] = "sem\x00bako"
    elif where == "memo":
        doc["journal"][0]["memo"] = "tunai\x00"
    else:  # a key of the summary
        doc["summary"]["business_units"] = {"sem\x00bako": doc["summary"]["business_units"]["sembako"]}
    doc["hash"] = protocol.content_hash({k: v for k, v in doc.items() if k != "hash"})
    return doc


@pytest.mark.parametrize("where", ["account", "unit", "memo", "summary key"])
def test_a_nul_in_any_text_is_invalid_and_nothing_is_stored(hub_client, hub_db, creds, where):
    answer = push(hub_client, creds, with_nul(where))
    assert answer.status_code == 422 and answer.json["error"] == "invalid", answer.get_data(as_text=True)
    assert "NUL" in answer.json["message"]
    with hub_db.reading() as s:
        assert s.scalar(select(func.count()).select_from(HubDocument)) == 0
    assert push(hub_client, creds, document()).status_code in (200, 201)  # a clean one goes in
