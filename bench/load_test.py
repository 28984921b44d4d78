"""Load test: `mealplanner serve --production` (gunicorn) under N concurrent clients.

    python bench/load_test.py [--clients 8] [--duration 60] [--sqlite] [--workers W]
                              [--threads T] [--postgres ADMIN_URL] [--rate-limits] [--out FILE]

1. Makes a throwaway database: a new PostgreSQL database on ADMIN_URL (default
   postgresql://postgres@127.0.0.1:5432/postgres), or a SQLite file with --sqlite.
2. Starts `mealplanner serve --production` on a free port of 127.0.0.1 with it (the server
   migrates and seeds the database) and waits for /ready.
3. Runs N client threads until the time is up. Each client, on its own keep-alive connection,
   creates a plan (a full week of four meals by default, 1-4 people, a random diet, the
   default time limit), swaps one or two
   of its meals, downloads its shopping list (JSON, CSV or Markdown) and reads it back; on a
   503 it waits a moment and goes on. Rate limits are raised out of the way unless
   --rate-limits is given (all clients share 127.0.0.1).
4. Reports, per operation: requests, throughput, p50/p95/max latency and the count of each
   status; then reads back every plan that got a 201 and compares it with the last document
   the server returned for it (the 201, or the last successful swap).
5. Stops the server (SIGTERM), drops the database, and exits 1 if a 5xx other than a deliberate
   503 was seen, a plan did not read back unchanged, or the server did not stop cleanly.

The server's JSON request log is kept and summarised (lines and statuses), as a cross-check.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

DIETS = ("omnivore", "pescatarian", "vegetarian", "vegan")
LIST_FORMATS = ("json", "csv", "md")
CLIENT_TIMEOUT = 120  # seconds; a request still open then counts as "timeout"
HIGH_LIMIT = "1000000 per minute"


@dataclass
class Record:
    op: str
    status: int | str  # HTTP status, or "timeout" / "connection_error"
    seconds: float


@dataclass
class Results:
    records: list[Record] = field(default_factory=list)
    plans: dict[str, dict] = field(default_factory=dict)  # id -> last document returned
    uncertain: set[str] = field(default_factory=set)  # a write whose answer was lost
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, record: Record) -> None:
        with self.lock:
            self.records.append(record)


class Client:
    """One simulated user on one keep-alive HTTP connection."""

    def __init__(self, port: int, results: Results, seed: int, days: int = 7) -> None:
        self.days = days
        self.port = port
        self.results = results
        self.rng = random.Random(seed)
        self.conn: http.client.HTTPConnection | None = None
        self.tokens: dict[str, str] = {}  # plan id -> owner token, for the plans it made

    def request(self, op: str, method: str, path: str, body: dict | None = None,
                extra_headers: dict | None = None):
        """(status, parsed JSON or text, headers), recorded; (None, None, {}) on no answer."""
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if data is not None else {}
        headers.update(extra_headers or {})
        started = time.perf_counter()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port,
                                                       timeout=CLIENT_TIMEOUT)
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
            raw = response.read()
        except TimeoutError:
            self._drop()
            self.results.add(Record(op, "timeout", time.perf_counter() - started))
            return None, None, {}
        except (OSError, http.client.HTTPException):
            self._drop()
            self.results.add(Record(op, "connection_error", time.perf_counter() - started))
            return None, None, {}
        self.results.add(Record(op, response.status, time.perf_counter() - started))
        if response.getheader("Connection", "").lower() == "close":
            self._drop()
        ctype = response.getheader("Content-Type", "")
        payload = json.loads(raw) if raw and ctype.startswith("application/json") else raw
        return response.status, payload, dict(response.getheaders())

    def _drop(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.conn = None

    def backoff(self) -> None:
        time.sleep(self.rng.uniform(0.3, 1.0))

    def run(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            plan = self.create()
            if plan is None:
                continue
            for _ in range(self.rng.choice((1, 2))):
                if time.monotonic() >= deadline:
                    break
                self.swap(plan)
            if time.monotonic() < deadline:
                fmt = self.rng.choice(LIST_FORMATS)
                self.request(f"list_{fmt}", "GET",
                             f"/api/v1/plans/{plan['id']}/shopping-list?format={fmt}")
            if time.monotonic() < deadline:
                self.request("get_plan", "GET", f"/api/v1/plans/{plan['id']}")
        self._drop()

    def create(self) -> dict | None:
        body = {"days": self.days, "people": self.rng.randint(1, 4),
                "diet": self.rng.choice(DIETS)}
        status, payload, _ = self.request("create", "POST", "/api/v1/plans", body)
        if status == 201:
            self.tokens[payload["id"]] = payload.pop("owner_token")  # swapping needs it
            with self.results.lock:
                self.results.plans[payload["id"]] = payload
            return payload
        if status in (None, 429, 503):
            self.backoff()
        return None

    def swap(self, plan: dict) -> None:
        day = self.rng.choice(plan["days"])
        slot = self.rng.choice([m["slot"] for m in day["meals"]])
        status, payload, _ = self.request("swap", "POST", f"/api/v1/plans/{plan['id']}/swap",
                                          {"day": day["day"], "slot": slot},
                                          {"X-Owner-Token": self.tokens[plan["id"]]})
        if status == 200:
            with self.results.lock:
                self.results.plans[plan["id"]] = payload
            plan.update(payload)
        elif status is None:
            with self.results.lock:
                self.results.uncertain.add(plan["id"])
        elif status in (429, 503):
            self.backoff()


# Server and database ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_database(args, workdir: Path):
    """(SQLAlchemy URL, drop callback)."""
    if args.sqlite:
        return f"sqlite:///{workdir / 'load.sqlite'}", lambda: None
    name = f"mealplanner_load_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(args.postgres, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    url = sa.make_url(args.postgres).set(database=name).render_as_string(hide_password=False)
    return url, drop


def start_server(args, url: str, port: int, log_path: Path) -> subprocess.Popen:
    env = {**os.environ, "MEALPLANNER_DATABASE_URL": url,
           "MEALPLANNER_SECRET_KEY": secrets.token_urlsafe(32)}
    if not args.rate_limits:
        env.update(MEALPLANNER_RATE_LIMIT=HIGH_LIMIT, MEALPLANNER_PLAN_RATE_LIMIT=HIGH_LIMIT)
    command = [sys.executable, "-c", "from mealplanner.cli import main; main()", "serve",
               "--production", "--host", "127.0.0.1", "--port", str(port)]
    if args.workers:
        command += ["--workers", str(args.workers)]
    if args.threads:
        command += ["--threads", str(args.threads)]
    with log_path.open("w") as log:
        return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT,
                                cwd=log_path.parent)


def wait_ready(server: subprocess.Popen, port: int, log_path: Path, limit: float = 180) -> float:
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if server.poll() is not None:
            sys.exit(f"server stopped (exit {server.returncode}):\n{log_path.read_text()}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/ready")
            if conn.getresponse().status == 200:
                conn.close()
                return time.monotonic() - started
            conn.close()
        except OSError:
            pass
        time.sleep(0.5)
    sys.exit(f"server not ready after {limit} s:\n{log_path.read_text()}")


# Report ------------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _row(op: str, records: list[Record], elapsed: float) -> str:
    ms = [r.seconds * 1000 for r in records]
    ok = [r.seconds * 1000 for r in records if isinstance(r.status, int) and r.status < 300]
    statuses = Counter(str(r.status) for r in records)
    ok_figures = (f"{len(ok):>4} {len(ok) / elapsed:>6.2f} {statistics.median(ok):>7.0f} "
                  f"{percentile(ok, 0.95):>7.0f}" if ok else f"{0:>4} {'':>6} {'':>7} {'':>7}")
    return (f"{op:<10} {len(records):>8} {len(records) / elapsed:>6.2f} "
            f"{statistics.median(ms):>7.0f} {percentile(ms, 0.95):>7.0f} {max(ms):>7.0f} | "
            f"{ok_figures} | " + ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items())))


def report(results: Results, elapsed: float) -> tuple[list[str], int]:
    """Lines of the per-operation table, and the count of unexpected 5xx / failed requests."""
    by_op: dict[str, list[Record]] = defaultdict(list)
    for record in results.records:
        by_op[record.op].append(record)
    lines = [f"{'operation':<10} {'requests':>8} {'req/s':>6} {'p50 ms':>7} {'p95 ms':>7} "
             f"{'max ms':>7} | {'2xx':>4} {'2xx/s':>6} {'p50 ms':>7} {'p95 ms':>7} | statuses"]
    order = ["create", "swap", "list_json", "list_csv", "list_md", "get_plan"]
    for op in sorted(by_op, key=lambda o: order.index(o) if o in order else 99):
        lines.append(_row(op, by_op[op], elapsed))
    lines.append(_row("all", results.records, elapsed))
    statuses = Counter(str(r.status) for r in results.records)
    bad = sum(n for s, n in statuses.items()
              if (s.isdigit() and int(s) >= 500 and s != "503") or not s.isdigit())
    return lines, bad


def verify(port: int, results: Results) -> tuple[int, list[str]]:
    """Read back every plan that got a 201: (plans checked, problems)."""
    problems = []
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    checked = 0
    for plan_id, expected in results.plans.items():
        if plan_id in results.uncertain:
            continue
        conn.request("GET", f"/api/v1/plans/{plan_id}")
        response = conn.getresponse()
        body = json.loads(response.read())
        checked += 1
        if response.status != 200:
            problems.append(f"{plan_id}: GET {response.status}")
        elif body != expected:
            problems.append(f"{plan_id}: differs from the last document returned")
    conn.close()
    return checked, problems


def server_log_summary(log_path: Path) -> str:
    statuses: Counter = Counter()
    for line in log_path.read_text().splitlines():
        if line.startswith("{"):
            try:
                statuses[json.loads(line)["status"]] += 1
            except (ValueError, KeyError):
                continue
    return (f"server request log: {sum(statuses.values())} JSON lines; statuses "
            + ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items())))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--days", type=int, default=7, help="days per plan created")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load")
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres",
                        help="admin URL to create the throwaway database with")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--rate-limits", action="store_true",
                        help="keep the default rate limits (clients share one address)")
    parser.add_argument("--out", type=Path, default=None, help="write the figures as JSON")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="mealplanner-load-"))
    url, drop = make_database(args, workdir)
    port = free_port()
    log_path = workdir / "server.log"
    server = start_server(args, url, port, log_path)
    failed = 0
    try:
        startup = wait_ready(server, port, log_path)
        banner = next((line for line in log_path.read_text().splitlines()
                       if "gunicorn on" in line), "")
        print(f"{banner.strip()} ; ready in {startup:.1f} s (migrate + seed + catalog)")
        print(f"database: {'SQLite' if args.sqlite else 'PostgreSQL'}; {args.clients} clients "
              f"for {args.duration:.0f} s; load average before: {os.getloadavg()[0]:.2f}")
        results = Results()
        deadline = time.monotonic() + args.duration
        started = time.monotonic()
        clients = [Client(port, results, seed, args.days) for seed in range(args.clients)]
        threads = [threading.Thread(target=client.run, args=(deadline,)) for client in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        lines, bad = report(results, elapsed)
        print(f"elapsed {elapsed:.1f} s (clients finish their last request after the deadline);"
              f" load average after: {os.getloadavg()[0]:.2f}")
        print("\n".join(lines))
        checked, problems = verify(port, results)
        print(f"read back {checked} plans that got a 201 (after their last swap): "
              f"{checked - len(problems)} unchanged, {len(problems)} problems"
              + (f"; {len(results.uncertain)} skipped (a swap's answer was lost)"
                 if results.uncertain else ""))
        for problem in problems[:20]:
            print("  !!", problem)
        print(f"unexpected 5xx / failed requests (other than deliberate 503s): {bad}")
        failed = bad + len(problems)
        if args.out:
            args.out.write_text(json.dumps({
                "clients": args.clients, "duration": args.duration, "elapsed": elapsed,
                "database": "sqlite" if args.sqlite else "postgresql", "table": lines,
                "plans_checked": checked, "problems": problems, "unexpected": bad,
            }, indent=2))
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            code = server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            code = "killed"
        print(server_log_summary(log_path))
        print(f"server stopped: exit {code}")
        failed += code != 0
        drop()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
