"""A real hub process: ``pos ledger-hub serve`` (waitress) on 127.0.0.1 with PostgreSQL
behind it, pushed to over HTTP with urllib."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from pos import server_lock
from pos.hardware.fakes import RecordingPrinter
from pos.ledger_hub import outlets, protocol, schema
from tests.conftest import build_app, throwaway_pg
from tests.ledger_hub.helpers import document, headers

POS = str(Path(sys.executable).parent / "pos")
pytestmark = pytest.mark.postgres


@pytest.fixture
def fresh_pg():
    """An empty PostgreSQL database, dropped afterwards: the hub must create its schema itself."""
    with throwaway_pg("gerai_hub_serve") as url:
        yield url


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def pos(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([POS, *args], env=env, capture_output=True, text=True, timeout=60)


def post(url: str, credentials, doc: dict | bytes, **kw) -> tuple[int, dict]:
    body = doc if isinstance(doc, bytes) else protocol.canonical(doc)
    key = doc["document_id"] if isinstance(doc, dict) else "x"
    request = urllib.request.Request(f"{url}/api/v1/documents", data=body, method="POST",
                                     headers=headers(credentials, body, document_id=key, **kw))
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def wait_healthy(url: str, process: subprocess.Popen) -> dict:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, "the hub process ended"
        try:
            with urllib.request.urlopen(f"{url}/api/v1/health", timeout=2) as answer:
                return json.loads(answer.read())
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the hub did not answer within 30 s")


def test_a_real_hub_process_receives_pushes_over_http(fresh_pg, tmp_path):
    env = {**os.environ, "POS_LEDGER_DATABASE_URL": fresh_pg, "POS_INSTANCE_PATH": str(tmp_path / "instance")}
    added = pos(env, "ledger-hub", "outlet", "add", "KDMP01", "--name", "Gerai Desa Makmur")
    assert added.returncode == 0, added.stderr
    issued = dict(line.split("=", 1) for line in added.stdout.splitlines())
    credentials = outlets.Credentials("KDMP01", issued["POS_LEDGER_TOKEN"], issued["POS_LEDGER_SECRET"])
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = (tmp_path / "hub.log").open("w")
    process = subprocess.Popen([POS, "ledger-hub", "serve", "--host", "127.0.0.1", "--port", str(port)],
                               env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        assert wait_healthy(url, process) == {"status": "ok", "database": "postgresql",
                                              "schema_version": schema.SCHEMA_VERSION, "protocol_version": 1}
        with pytest.raises(server_lock.ServerRunning), \
                server_lock.alone(tmp_path / "instance", server_lock.HUB_NAME):   # a restore refuses
            pass
        november, december = document(), document(day="2026-12-01", amount=200_000)
        assert post(url, credentials, november) == (201, {"status": "stored",
                                                          "document_id": november["document_id"]})
        assert post(url, credentials, december)[0] == 201
        assert post(url, credentials, november, timestamp=int(time.time()) + 1)[1]["status"] == "duplicate"
        tampered = protocol.canonical(november).replace(b"125000", b"125001")
        status, answer = post(url, credentials, tampered, secret="tebakan")
        assert (status, answer["error"]) == (401, "unauthorized")
        assert post(url, credentials, november, timestamp=int(time.time()) - 3600)[1]["error"] == "stale"
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()
    said = (tmp_path / "hub.log").read_text()
    assert f"POS_LEDGER_URL={url}\n" in said and "/api/v1" not in said
    with server_lock.alone(tmp_path / "instance", server_lock.HUB_NAME):    # stopped: let go
        pass
    runner = build_app(tmp_path, f"sqlite:///{tmp_path / 'pos.db'}", RecordingPrinter(columns=32),
                       LEDGER_DATABASE_URL=fresh_pg, CLI=True).test_cli_runner()
    report = runner.invoke(args=["ledger-hub", "report", "--outlet", "KDMP01", "--date", "2026-11-30",
                                 "--json"])
    assert report.exit_code == 0, report.output
    held = json.loads(report.output)
    assert held["documents"] == ["KDMP01-2026-11-30-day"]
    assert (held["sale_count"], held["gross"], held["total"]) == (3, 125_000, 125_000)
    assert held["payments"] == november["summary"]["payments"]
    assert held["debit"] == held["credit"] == 125_000 and len(held["journal"]) == 4
    balance = json.loads(runner.invoke(args=["ledger-hub", "trial-balance", "--json"]).output)
    assert balance["balanced"] and balance["debit"] == 325_000
    engine = create_engine(fresh_pg)
    with engine.connect() as conn:
        assert schema.partitions(conn) == ["hub_journal_line_p202611", "hub_journal_line_p202612"]
    engine.dispose()


def _children(pid: int) -> list[int]:
    """The live processes whose parent is ``pid`` (read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    """Is ``pid`` a running (not zombie) process?"""
    try:
        return (Path(f"/proc/{pid}") / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_serve_with_two_processes_shares_the_port_and_stops_together(fresh_pg, tmp_path):
    env = {**os.environ, "POS_LEDGER_DATABASE_URL": fresh_pg, "POS_INSTANCE_PATH": str(tmp_path / "instance")}
    added = pos(env, "ledger-hub", "outlet", "add", "KDMP01")
    issued = dict(line.split("=", 1) for line in added.stdout.splitlines())
    credentials = outlets.Credentials("KDMP01", issued["POS_LEDGER_TOKEN"], issued["POS_LEDGER_SECRET"])
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = (tmp_path / "hub.log").open("w")
    process = subprocess.Popen([POS, "ledger-hub", "serve", "--host", "127.0.0.1", "--port", str(port),
                                "--processes", "2"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        assert wait_healthy(url, process)["status"] == "ok"
        children = _children(process.pid)
        assert len(children) == 1                       # the parent and one forked child serve
        for n in range(6):                              # whichever process answers, each is stored once
            assert post(url, credentials, document(day=f"2026-11-{n + 1:02d}"))[0] == 201
        again = post(url, credentials, document(day="2026-11-01"), timestamp=int(time.time()) + 1)
        assert again[1]["status"] == "duplicate"
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in children if _alive(pid)]   # the child stopped with the parent
    assert "(2 proses)" in (tmp_path / "hub.log").read_text()


def test_serve_says_the_address_an_outlet_writes_in_pos_ledger_url():
    """It said "Hub buku besar di http://127.0.0.1:8163/api/v1", and that address in
    POS_LEDGER_URL was a 404; a hub on every interface names no address an outlet can use."""
    from pos.ledger_hub.cli import announce

    said = announce("127.0.0.1", 8163, 1)
    assert "POS_LEDGER_URL=http://127.0.0.1:8163\n" in said + "\n" and "/api/v1" not in said
    wide = announce("0.0.0.0", 8090, 2)
    assert "POS_LEDGER_URL=http://<alamat-IP-server-ini>:8090" in wide and "2 proses" in wide
