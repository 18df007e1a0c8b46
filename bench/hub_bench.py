"""``make bench-hub``: many outlets push their closed days into one ledger hub on PostgreSQL.

``python -m bench.hub_bench [--outlets 1000] [--days 30] [--concurrency 16] [--hubs 2]`` makes a
throwaway database on the local PostgreSQL (``POS_BENCH_PG_ADMIN_URL``, default the tests'
server at 127.0.0.1:5432), registers the outlets, starts the real hub (``pos ledger-hub serve
--processes HUBS``: waitress, one process per core sharing the port, as deployed) and pushes
every outlet's days over HTTP exactly as ``pos ledger push`` does (signed, one document per
request, each outlet's days in order, all outlets interleaved, ``--concurrency`` requests in
flight; the kernel spreads the connections over the hub processes). Day documents are synthetic
but shaped like a real day's: about 26 journal lines (tenders, member / non-member revenue per
unit, cost of goods sold, a cash movement) and a summary with a dozen members' purchases and
some savings.

Reported: documents per second, p50/p95/p99 latency of one push (client side, whole HTTP
round trip), the database size, and the time of the consolidated trial balance over all of
it; then it checks that every document is stored once (documents, journal lines and SHU basis
rows counted against what was sent; a sample pushed again answers "duplicate" and adds
nothing).  Goals: 200 documents/s on the 2-core machine, p95 under 250 ms, none lost or
duplicated.  Exit 1 only when a push failed or a count is off (then the numbers mean nothing).
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import deque
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text

from pos.db import Database, make_engine
from pos.ledger_hub import books, outlets, protocol, schema
from pos.ledger_hub.models import HubOutlet

HERE = Path(__file__).resolve().parent
POS = str(Path(sys.executable).parent / "pos")
ADMIN = os.environ.get("POS_BENCH_PG_ADMIN_URL",
                       os.environ.get("POS_TEST_PG_ADMIN_URL",
                                      "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"))
GOAL_DOCS_PER_S, GOAL_P95_MS = 200.0, 250.0
UNITS = (("sembako", "1"), ("pupuk", "2"), ("umkm", "4"), ("lainnya", "9"))
TENDERS = (("cash", "111000", "Kas"), ("transfer", "112100", "Bank (transfer/debit)"),
           ("qris", "112900", "Piutang QRIS (kliring)"),
           ("member_credit", "113100", "Piutang anggota (kasbon)"))


def _line(account: str, name: str, debit: int = 0, credit: int = 0, memo: str = "", unit=None, member=None):
    return {"account": account, "name": name, "debit": debit, "credit": credit, "memo": memo,
            "unit": unit, "member": member}


def day_document(outlet: str, day: date, rng: random.Random) -> bytes:
    """One outlet's closed day as the canonical body ``pos ledger push`` sends."""
    journal, units, total = [], {}, 0
    for unit, digit in UNITS:
        member, other = rng.randint(50, 800) * 500, rng.randint(50, 800) * 500
        cost = (member + other) * rng.randint(78, 90) // 100
        units[unit] = {"amount": member + other, "cost": cost, "lines": rng.randint(5, 40), "tax": 0,
                       "margin": member + other - cost}
        total += member + other
        journal += [_line(f"41{digit}100", f"Penjualan {unit} - anggota", credit=member, memo="Penjualan",
                          unit=unit, member=True),
                    _line(f"41{digit}200", f"Penjualan {unit} - bukan anggota", credit=other,
                          memo="Penjualan", unit=unit, member=False),
                    _line(f"51{digit}000", f"Harga pokok penjualan {unit}", debit=cost, memo="HPP",
                          unit=unit),
                    _line(f"1141{digit}0", f"Persediaan {unit}", credit=cost, memo="HPP", unit=unit)]
    payments, left = {}, total
    for n, (method, account, name) in enumerate(TENDERS):
        amount = left if n == len(TENDERS) - 1 else left * rng.randint(5, 60) // 100
        left -= amount
        payments[method] = {"count": rng.randint(1, 30), "amount": amount}
        journal.append(_line(account, name, debit=amount, memo="Penjualan"))
    deposit = payments["cash"]["amount"] // 50_000 * 50_000
    journal += [_line("119900", "Kas masuk/keluar laci", debit=deposit, memo="Setor kas"),
                _line("111000", "Kas", credit=deposit, memo="Setor kas")]
    purchases = [{"number": f"{outlet}-AGT-{k:04d}", "name": f"Anggota {k}", "purchases": amount,
                  "returned": 0, "total": amount}
                 for k, amount in ((rng.randint(1, 400), rng.randint(10, 400) * 500) for _ in range(12))]
    savings = [{"number": f"{outlet}-AGT-{rng.randint(1, 400):04d}", "name": "Anggota", "pokok": 0,
                "wajib": 10_000, "sukarela": rng.randint(0, 20) * 5_000, "repayments": 0} for _ in range(3)]
    for saving in savings:
        amount = saving["wajib"] + saving["sukarela"]
        journal += [_line("111000", "Kas", debit=amount, memo="Simpanan anggota"),
                    _line("312000", "Simpanan anggota", credit=amount, memo="Simpanan anggota")]
    document = {"schema": protocol.SCHEMA, "version": protocol.VERSION,
                "document_id": f"{outlet}-{day.isoformat()}-day", "outlet_code": outlet, "kind": "day",
                "business_date": day.isoformat(), "created_at": f"{day.isoformat()}T12:30:00Z",
                "currency": protocol.CURRENCY, "journal": journal,
                "summary": {"sale_count": sum(p["count"] for p in payments.values()), "gross": total,
                            "discount": 0, "tax": 0, "total": total, "rounding": 0, "payments": payments,
                            "business_units": units, "member_purchases": purchases,
                            "member_savings": savings}}
    document["hash"] = protocol.content_hash(document)
    return protocol.canonical(document)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Pusher:
    """Round robin over the outlets, each outlet's next day only after its previous one was
    stored; ``concurrency`` threads, one keep-alive connection each."""

    def __init__(self, ports: list[int], credentials: dict[str, outlets.Credentials], days: list[date],
                 seed: int):
        self.ports, self.credentials, self.days = ports, credentials, days
        self.port = ports[0]
        self.queue = deque((code, 0) for code in sorted(credentials))
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.lines = self.basis = 0
        self.failures: list[str] = []
        self.seed = seed

    def _next(self):
        with self.lock:
            return self.queue.popleft() if self.queue else None

    def _worker(self, port: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while (item := self._next()) is not None:
            code, n = item
            rng = random.Random(f"{self.seed}:{code}:{n}")
            body = day_document(code, self.days[n], rng)
            status, answer, took = self.send(connection, code, body, f"{code}-{self.days[n].isoformat()}-day")
            with self.lock:
                if status == 201 and answer.get("status") == "stored":
                    self.latencies.append(took)
                    parsed = json.loads(body)
                    self.lines += len(parsed["journal"])
                    self.basis += len({p["number"] for p in parsed["summary"]["member_purchases"]}) + \
                        len({s["number"] for s in parsed["summary"]["member_savings"]})
                    if n + 1 < len(self.days):
                        self.queue.append((code, n + 1))
                else:
                    self.failures.append(f"{code} {self.days[n]}: HTTP {status} {answer}")
        connection.close()

    def send(self, connection: http.client.HTTPConnection, code: str, body: bytes, document_id: str):
        creds = self.credentials[code]
        stamp = str(int(time.time()))
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {creds.token}",
                   protocol.HEADER_OUTLET: code, protocol.HEADER_TIMESTAMP: stamp,
                   protocol.HEADER_SIGNATURE: protocol.sign(creds.secret, stamp, body),
                   protocol.HEADER_IDEMPOTENCY: document_id}
        began = time.perf_counter()
        try:
            connection.request("POST", protocol.PATH, body=body, headers=headers)
            response = connection.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            return 0, {"error": str(error)}, 0.0
        took = (time.perf_counter() - began) * 1000
        try:
            return response.status, json.loads(raw), took
        except ValueError:
            return response.status, {"error": raw[:200].decode("utf-8", "replace")}, took

    def run(self, concurrency: int) -> float:
        threads = [threading.Thread(target=self._worker, args=(self.ports[n % len(self.ports)],))
                   for n in range(concurrency)]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.perf_counter() - began


def percentile(values: list[float], share: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, len(ordered) * share // 100)] if ordered else 0.0


def register(database: Database, count: int) -> dict[str, outlets.Credentials]:
    with database.transaction() as session:
        issued = {}
        for n in range(1, count + 1):
            code = f"KDMP{n:05d}"
            issued[code] = outlets.add(session, code, f"Gerai bench {n}")
        return issued


def start_hub(url: str, port: int, threads: int, folder: Path, n: int = 0,
              processes: int = 1) -> subprocess.Popen:
    env = {**os.environ, "POS_LEDGER_DATABASE_URL": url, "POS_INSTANCE_PATH": str(folder)}
    log = (folder / f"hub{n}.log").open("w")
    process = subprocess.Popen([POS, "ledger-hub", "serve", "--host", "127.0.0.1", "--port", str(port),
                                "--threads", str(threads), "--processes", str(processes)],
                               env=env, stdout=log, stderr=subprocess.STDOUT)
    log.close()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the hub ended: {(folder / f'hub{n}.log').read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the hub did not start within 60 s")


def verify(database: Database, pusher: Pusher, expected: int, sample: list[tuple[str, int]]) -> dict:
    """Counts against what was sent, and a sample pushed again: duplicates, nothing added."""
    with database.engine.connect() as conn:
        documents, distinct = conn.execute(text("SELECT count(*), count(DISTINCT document_id) "
                                                "FROM hub_document")).one()
        lines = conn.execute(text("SELECT count(*) FROM hub_journal_line")).scalar_one()
        basis = conn.execute(text("SELECT (SELECT count(*) FROM hub_member_purchase) + "
                                  "(SELECT count(*) FROM hub_member_saving)")).scalar_one()
    connection = http.client.HTTPConnection("127.0.0.1", pusher.port, timeout=60)
    again = []
    time.sleep(1.1)   # a new timestamp: the same body within the same second would be a replay
    for code, n in sample:
        body = day_document(code, pusher.days[n], random.Random(f"{pusher.seed}:{code}:{n}"))
        again.append(pusher.send(connection, code, body, f"{code}-{pusher.days[n].isoformat()}-day")[:2])
    connection.close()
    with database.engine.connect() as conn:
        after = conn.execute(text("SELECT count(*) FROM hub_document")).scalar_one()
    duplicates_ok = all(status == 200 and answer.get("status") == "duplicate" for status, answer in again)
    for status, answer in again if not duplicates_ok else ():
        print("pushed again, answered:", status, answer)
    return {"documents_stored": documents, "documents_expected": expected,
            "journal_lines_stored": lines, "journal_lines_sent": pusher.lines,
            "shu_basis_rows": basis, "shu_basis_rows_sent": pusher.basis,
            "repushed_sample": len(sample), "repushed_answered_duplicate": duplicates_ok,
            "none_lost_or_duplicated": documents == distinct == expected == after
            and lines == pusher.lines and basis == pusher.basis and duplicates_ok}


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.hub_bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--outlets", type=int, default=1000, help="simulated outlets")
    parser.add_argument("--days", type=int, default=30, help="closed days per outlet")
    parser.add_argument("--concurrency", type=int, default=16, help="pushes in flight")
    parser.add_argument("--threads", type=int, default=8, help="each hub process's waitress threads")
    parser.add_argument("--hubs", type=int, default=2,
                        help="hub processes (serve --processes) on the same database")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", type=Path, default=HERE / "hub_results.json", help="results file")
    parser.add_argument("--keep", action="store_true", help="keep the database (its URL is printed)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    admin = create_engine(ADMIN, isolation_level="AUTOCOMMIT")
    name = f"gerai_hub_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = ADMIN.rsplit("/", 1)[0] + f"/{name}"
    database = Database(make_engine(url))
    folder = Path(tempfile.mkdtemp(prefix="gerai-hub-bench-"))
    processes: list[subprocess.Popen] = []
    try:
        schema.ensure(database.engine)
        credentials = register(database, args.outlets)
        first = date(2026, 11, 30) - timedelta(days=args.days)
        days = [first + timedelta(days=n) for n in range(args.days)]
        ports = [free_port()]   # one `pos ledger-hub serve --processes N`, as deployed
        processes.append(start_hub(url, ports[0], args.threads, folder, 0, processes=args.hubs))
        pusher = Pusher(ports, credentials, days, args.seed)
        print(f"pushing {args.outlets} outlets x {args.days} days, {args.concurrency} in flight ...")
        seconds = pusher.run(args.concurrency)
        stored = len(pusher.latencies)
        with database.reading() as session:
            began = time.perf_counter()
            balance = books.trial_balance(session)
            trial_ms = (time.perf_counter() - began) * 1000
            outlets_held = session.query(HubOutlet).count()
        with database.engine.connect() as conn:
            size = conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
        rng = random.Random(args.seed)
        pairs = [(code, n) for code in sorted(credentials) for n in range(args.days)]
        sample = rng.sample(pairs, min(50, stored))
        checks = verify(database, pusher, args.outlets * args.days, sample)
        rate = stored / seconds if seconds else 0.0
        p95 = percentile(pusher.latencies, 95)
        results = {"outlets": args.outlets, "outlets_registered": outlets_held, "days": args.days,
                   "concurrency": args.concurrency, "hub_processes": args.hubs,
                   "hub_threads": args.threads, "cpus": os.cpu_count(),
                   "seconds": round(seconds, 2), "documents_per_s": round(rate, 1),
                   "p50_ms": round(statistics.median(pusher.latencies), 1) if stored else None,
                   "p95_ms": round(p95, 1), "p99_ms": round(percentile(pusher.latencies, 99), 1),
                   "database_mb": round(size / 1_048_576, 1), "trial_balance_ms": round(trial_ms, 1),
                   "trial_balance_balanced": balance.balanced, "trial_balance_accounts": len(balance.rows),
                   "failures": len(pusher.failures), **checks,
                   "goal_documents_per_s": GOAL_DOCS_PER_S, "goal_p95_ms": GOAL_P95_MS,
                   "pass": rate >= GOAL_DOCS_PER_S and p95 < GOAL_P95_MS
                   and checks["none_lost_or_duplicated"]}
        for failure in pusher.failures[:5]:
            print("FAILED", failure)
        for key, value in results.items():
            print(f"{key:<30} {value}")
        args.out.write_text(json.dumps(results, indent=2) + "\n")
        ok = not pusher.failures and checks["none_lost_or_duplicated"] and balance.balanced
        return 0 if ok else 1
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=15)
        database.engine.dispose()
        shutil.rmtree(folder, ignore_errors=True)
        if args.keep:
            print(f"database kept: {url}")
        else:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    sys.exit(main())
