"""``pos ledger-hub outlet deactivate|activate|rotate``: taking an outlet's credentials back."""
from __future__ import annotations

import json

from pos.ledger_hub import outlets
from tests.ledger_hub.helpers import document, env_lines, push


def test_a_deactivated_outlet_is_refused_from_its_next_push_and_can_come_back(hub_runner, hub_client, creds):
    assert push(hub_client, creds, document(day="2026-11-29")).status_code == 201
    result = hub_runner.invoke(args=["ledger-hub", "outlet", "deactivate", "KDMP01"])
    assert result.exit_code == 0 and "dinonaktifkan" in result.output
    refused = push(hub_client, creds, document(day="2026-11-30"))
    assert refused.status_code == 403 and "dinonaktifkan" in refused.json["message"]
    listed = json.loads(hub_runner.invoke(args=["ledger-hub", "outlet", "list", "--json"]).output)
    assert [(o["code"], o["active"]) for o in listed] == [("KDMP01", False)]
    assert hub_runner.invoke(args=["ledger-hub", "outlet", "activate", "KDMP01"]).exit_code == 0
    assert push(hub_client, creds, document(day="2026-11-30")).status_code == 201


def test_rotate_issues_new_credentials_and_the_old_ones_stop_working(hub_runner, hub_client, hub_db, creds):
    result = hub_runner.invoke(args=["ledger-hub", "outlet", "rotate", "KDMP01"])
    assert result.exit_code == 0, result.output
    issued = env_lines(result.stdout)
    assert set(issued) == {"POS_LEDGER_TOKEN", "POS_LEDGER_SECRET"}
    assert issued["POS_LEDGER_TOKEN"] != creds.token and issued["POS_LEDGER_SECRET"] != creds.secret
    assert push(hub_client, creds, document()).status_code == 401
    old_token_new_secret = outlets.Credentials("KDMP01", creds.token, issued["POS_LEDGER_SECRET"])
    assert push(hub_client, old_token_new_secret, document()).status_code == 401
    fresh = outlets.Credentials("KDMP01", issued["POS_LEDGER_TOKEN"], issued["POS_LEDGER_SECRET"])
    assert push(hub_client, fresh, document()).status_code == 201
    with hub_db.reading() as s:
        assert outlets.authenticate(s, "KDMP01", creds.token) is None


def test_an_unknown_outlet_is_named_and_nothing_is_printed(hub_runner, creds):
    for command in ("deactivate", "activate", "rotate"):
        result = hub_runner.invoke(args=["ledger-hub", "outlet", command, "KDMP09"])
        assert result.exit_code == 1
        assert "Gerai KDMP09 tidak terdaftar di hub (gerai terdaftar: KDMP01)." in result.output
        assert "POS_LEDGER_TOKEN" not in result.output
