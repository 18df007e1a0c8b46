"""``make bench-hub`` still runs end to end: a few outlets and days into a real hub process."""
from __future__ import annotations

import json
import random
from datetime import date

import pytest
from sqlalchemy import create_engine, text

from bench import hub_bench
from pos.ledger_hub import protocol
from tests.conftest import unavailable

pytestmark = pytest.mark.postgres


def test_a_synthetic_day_is_a_valid_balanced_document():
    body = hub_bench.day_document("KDMP00001", date(2026, 11, 1), random.Random(1))
    document = protocol.validate(protocol.parse(body))
    assert sum(line["debit"] for line in document["journal"]) == \
        sum(line["credit"] for line in document["journal"]) > 0
    assert sum(p["amount"] for p in document["summary"]["payments"].values()) == document["summary"]["total"]
    assert body == hub_bench.day_document("KDMP00001", date(2026, 11, 1), random.Random(1))


def test_the_hub_bench_runs_tiny_and_counts_everything(tmp_path):
    try:
        engine = create_engine(hub_bench.ADMIN)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as error:  # any connection failure
        unavailable(f"PostgreSQL not reachable at {hub_bench.ADMIN}: {error}")
    out = tmp_path / "hub.json"
    assert hub_bench.main(["--outlets", "3", "--days", "2", "--concurrency", "2", "--threads", "2",
                           "--out", str(out)]) == 0
    results = json.loads(out.read_text())
    assert results["documents_stored"] == results["documents_expected"] == 6
    assert results["journal_lines_stored"] == results["journal_lines_sent"] > 0
    assert results["none_lost_or_duplicated"] and results["repushed_answered_duplicate"]
    assert results["trial_balance_balanced"] and results["failures"] == 0
    assert results["documents_per_s"] > 0 and results["p95_ms"] >= results["p50_ms"] > 0
    assert results["database_mb"] > 0 and results["trial_balance_ms"] > 0
