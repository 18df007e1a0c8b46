"""``pos ledger-hub backup``: the hub's PostgreSQL database dumped whole, with the newest
document in it, named ``hub-…`` and rotated apart from an outlet's backups; a SQLite hub is
refused with a clear message."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from pos.backup import copy, pg
from pos.backup.pg_dump import SUFFIX
from pos.clock import to_local, utcnow
from pos.hardware.fakes import RecordingPrinter
from pos.ledger_hub import outlets
from tests.conftest import build_app
from tests.ledger_hub.helpers import document, push


@pytest.fixture
def hub_runner(tmp_path, hub_url):
    app = build_app(tmp_path, f"sqlite:///{tmp_path / 'pos.db'}", RecordingPrinter(columns=32),
                    LEDGER_DATABASE_URL=hub_url, CLI=True)
    return app.test_cli_runner()


def test_a_hub_backup_holds_every_document_pushed_before_it(hub_runner, hub_app, hub_db, hub_url,
                                                            tmp_path):
    if not hub_url.startswith("postgresql"):
        result = hub_runner.invoke(args=["ledger-hub", "backup", "--to", str(tmp_path / "c")])
        assert result.exit_code == 1 and "hanya untuk hub di PostgreSQL" in result.output
        assert not (tmp_path / "c").exists()
        return
    with hub_db.transaction() as session:
        credentials = outlets.add(session, "KDMP01", "Gerai Desa Makmur")
    client = hub_app.test_client()
    sent = [document(day=f"2026-11-0{d}") for d in (1, 2, 3)]
    for body in sent:
        assert push(client, credentials, body).status_code == 201
    folder = tmp_path / "cadangan-hub"
    old = {name: folder / copy.name_for(at, SUFFIX, prefix)
           for name, (at, prefix) in {"hub_old": (datetime(2025, 1, 5, 21), "hub-"),
                                      "outlet_old": (datetime(2025, 1, 5, 21), "gerai-")}.items()}
    folder.mkdir()
    today = to_local(utcnow(), hub_runner.app.config["TIMEZONE"]).date()
    recent = [folder / copy.name_for(datetime(d.year, d.month, d.day, 21), SUFFIX, "hub-")
              for d in (today - timedelta(days=n) for n in range(1, 14))]   # 14 with today's
    for path in [*old.values(), *recent]:
        path.write_bytes(b"x")
    result = hub_runner.invoke(args=["ledger-hub", "backup", "--to", str(folder)])
    assert result.exit_code == 0, result.output
    [made] = [p for p in folder.glob("hub-*.pgdump") if p not in (old["hub_old"], *recent)]
    assert re.fullmatch(r"hub-\d{8}-\d{6}\.pgdump", made.name)
    newest = re.search(r"dokumen terakhir (\S+)\)", result.output).group(1)
    target = pg.Target.from_url(hub_db.engine.url)
    ids = set(pg.rows(made, "hub_document", "document_id", target))
    assert ids == {body["document_id"] for body in sent} and newest in ids
    assert "Cadangan lama dihapus: 1." in result.output     # the year-old hub dump, not the outlet's
    assert not old["hub_old"].exists() and old["outlet_old"].exists() and all(p.exists() for p in recent)
    assert list(folder.glob(".*")) == []
