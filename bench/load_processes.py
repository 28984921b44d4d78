"""The processes a load run starts and watches: a throwaway database, a Redis DB and queue of
its own, gunicorn, `mealplanner worker` processes, and their memory and CPU read from /proc.

Everything made here is removed again by the run (`Scratch.cleanup`), so runs never see each
other's plans, jobs or workers.
"""

from __future__ import annotations

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

HIGH_LIMIT = "1000000 per minute"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024
# Settings a run chooses itself: never inherited from the shell that started it.
OWN_SETTINGS = ("MEALPLANNER_REDIS_URL", "MEALPLANNER_JOBS", "MEALPLANNER_JOB_QUEUE",
                "MEALPLANNER_DATABASE_URL", "MEALPLANNER_RATE_LIMIT",
                "MEALPLANNER_PLAN_RATE_LIMIT")
MEALPLANNER = [sys.executable, "-c", "from mealplanner.cli import main; main()"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_database(sqlite: bool, admin_url: str, workdir: Path):
    """(SQLAlchemy URL, drop callback): a new PostgreSQL database, or a SQLite file."""
    if sqlite:
        return f"sqlite:///{workdir / 'load.sqlite'}", lambda: None
    name = f"mealplanner_load_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    url = sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    return url, drop


@dataclass
class RedisScratch:
    """An empty Redis DB and a queue name of this run's own; `cleanup` deletes what it made."""

    base_url: str
    db: int
    queue: str

    @property
    def url(self) -> str:
        return f"{self.base_url.rstrip('/')}/{self.db}"

    @classmethod
    def claim(cls, base_url: str, wanted: int | None) -> RedisScratch:
        """DB `wanted`, or the first empty one of 1-15 (DB 0 is left to everyone else)."""
        from redis import Redis

        queue = f"mealplanner-load-{uuid.uuid4().hex[:10]}"
        for db in [wanted] if wanted is not None else range(1, 16):
            connection = Redis.from_url(f"{base_url.rstrip('/')}/{db}")
            empty = connection.dbsize() == 0
            connection.close()
            if empty or wanted is not None:
                return cls(base_url, db, queue)
        sys.exit("no empty Redis DB among 1-15: pass --redis-db")

    def cleanup(self, job_ids: list[str]) -> int:
        """Delete the run's keys (its queue, registries, workers, jobs, rate-limit counters);
        returns the keys left in the DB (0 unless something else uses it)."""
        from redis import Redis

        connection = Redis.from_url(self.url)
        doomed = set(connection.scan_iter(f"*{self.queue}*"))
        doomed |= set(connection.scan_iter("LIMIT*"))  # the limiter's counters for 127.0.0.1
        for job_id in job_ids:
            doomed |= set(connection.scan_iter(f"rq:*{job_id}*"))
        for key in doomed:
            connection.delete(key)
        for members in ("rq:queues", "rq:workers"):  # RQ's sets of every queue and worker
            for member in connection.smembers(members):
                if self.queue in member.decode():
                    connection.srem(members, member)
        left = connection.dbsize()
        connection.close()
        return left


def base_env(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in OWN_SETTINGS}
    env.update(MEALPLANNER_DATABASE_URL=database_url,
               MEALPLANNER_SECRET_KEY=secrets.token_urlsafe(32))
    return env


def start_server(env: dict, port: int, log_path: Path, workers: int | None,
                 threads: int | None) -> subprocess.Popen:
    command = MEALPLANNER + ["serve", "--production", "--host", "127.0.0.1", "--port", str(port)]
    if workers:
        command += ["--workers", str(workers)]
    if threads:
        command += ["--threads", str(threads)]
    with log_path.open("w") as log:
        return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT,
                                cwd=log_path.parent)


def start_workers(env: dict, count: int, queue: str, workdir: Path) -> list[subprocess.Popen]:
    """`mealplanner worker` x count, each named after the run's queue (so cleanup finds it)."""
    processes = []
    for number in range(1, count + 1):
        with (workdir / f"worker-{number}.log").open("w") as log:
            processes.append(subprocess.Popen(
                MEALPLANNER + ["worker", "--name", f"{queue}-{number}"], env=env, stdout=log,
                stderr=subprocess.STDOUT, cwd=workdir))
    return processes


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


def wait_workers(scratch: RedisScratch, workers: list[subprocess.Popen], workdir: Path,
                 limit: float = 120) -> float:
    """Seconds until every worker is registered on the run's queue."""
    from redis import Redis
    from rq import Queue, Worker

    connection = Redis.from_url(scratch.url)
    queue = Queue(scratch.queue, connection=connection)
    started = time.monotonic()
    try:
        while time.monotonic() - started < limit:
            if any(worker.poll() is not None for worker in workers):
                logs = "\n".join(p.read_text() for p in sorted(workdir.glob("worker-*.log")))
                sys.exit(f"a worker stopped before the run:\n{logs}")
            if Worker.count(connection=connection, queue=queue) >= len(workers):
                return time.monotonic() - started
            time.sleep(0.3)
    finally:
        connection.close()
    sys.exit(f"workers not registered after {limit} s")


def stop(process: subprocess.Popen, timeout: float = 60) -> int | str:
    """SIGTERM (gunicorn's graceful stop, RQ's warm shutdown); the exit code, or 'killed'."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        return "killed"


# Memory and CPU from /proc -------------------------------------------------------------------


def _stat(pid: int) -> tuple[int, float, float] | None:
    """(parent pid, own CPU seconds, reaped children's CPU seconds), or None once gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()
    own = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    children = (int(fields[13]) + int(fields[14])) / CLOCK_TICKS
    return int(fields[1]), own, children


def _memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in KiB: PSS shares copy-on-write pages (a horse forked from its worker)
    among the processes that map them, so PSS adds up and RSS does not."""
    rss = pss = 0
    try:
        rss = int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_KB
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return rss, pss


@dataclass
class RoleFigures:
    """Peaks of one kind of process (web master, web worker, rq worker, work horse)."""

    peak_rss_kb: int = 0  # the largest single process
    peak_total_rss_kb: int = 0
    peak_total_pss_kb: int = 0
    peak_count: int = 0
    pids: set[int] = field(default_factory=set)
    cpu_seconds: float = 0.0  # at the last sample (rq worker: with its horses')

    def as_dict(self) -> dict:
        return {"peak_rss_mb": round(self.peak_rss_kb / 1024, 1),
                "peak_total_rss_mb": round(self.peak_total_rss_kb / 1024, 1),
                "peak_total_pss_mb": round(self.peak_total_pss_kb / 1024, 1),
                "processes_seen": len(self.pids), "peak_at_once": self.peak_count,
                "cpu_seconds": round(self.cpu_seconds, 1)}


class ProcessWatch(threading.Thread):
    """Samples the run's processes every `every` seconds: memory peaks and CPU per role.

    A role's CPU is its live processes' own time; the RQ workers' also holds their horses'
    (the live ones, and the reaped ones in the workers' children time)."""

    def __init__(self, server_pid: int, worker_pids: list[int], every: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.server_pid, self.worker_pids, self.every = server_pid, worker_pids, every
        self.roles = {name: RoleFigures() for name in
                      ("web master", "web worker", "rq worker", "work horse")}
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.sample()
            self._stop_event.wait(self.every)

    def finish(self) -> dict:
        self._stop_event.set()
        self.join()
        return {name: role.as_dict() for name, role in self.roles.items() if role.pids}

    def sample(self) -> None:
        parents: dict[int, list[int]] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
                parents.setdefault(stat[0], []).append(int(entry.name))
        horses = [c for w in self.worker_pids for c in parents.get(w, [])]
        self._record("web master", [self.server_pid], reaped=True)
        self._record("web worker", parents.get(self.server_pid, []), reaped=False)
        workers_cpu = self._record("rq worker", self.worker_pids, reaped=True)
        horses_cpu = self._record("work horse", horses, reaped=False)
        if workers_cpu is not None:  # reaped horses are in their workers' children time
            self.roles["rq worker"].cpu_seconds = workers_cpu + (horses_cpu or 0.0)

    def _record(self, name: str, pids: list[int], reaped: bool) -> float | None:
        """Peaks of one role at this sample; its CPU seconds, None when none is alive."""
        role = self.roles[name]
        total_rss = total_pss = live = 0
        cpu = 0.0
        for pid in pids:
            stat = _stat(pid)
            if stat is None:
                continue
            rss, pss = _memory_kb(pid)
            live += 1
            role.pids.add(pid)
            role.peak_rss_kb = max(role.peak_rss_kb, rss)
            total_rss, total_pss = total_rss + rss, total_pss + pss
            cpu += stat[1] + (stat[2] if reaped else 0.0)
        role.peak_total_rss_kb = max(role.peak_total_rss_kb, total_rss)
        role.peak_total_pss_kb = max(role.peak_total_pss_kb, total_pss)
        role.peak_count = max(role.peak_count, live)
        if not live:
            return None
        if name != "work horse":
            role.cpu_seconds = cpu
        return cpu


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / CLOCK_TICKS, sum(values) / CLOCK_TICKS
