"""Load test: gunicorn (`mealplanner serve --production`), and RQ workers beside it, under N
concurrent clients.

    python bench/load_test.py [--clients 32] [--duration 90] [--workers-rq M] [--workers W]
                              [--threads T] [--sqlite] [--postgres ADMIN_URL]
                              [--redis redis://127.0.0.1:6379] [--redis-db N] [--drain S]
                              [--pair-share 0.3] [--impatient] [--rate-limits] [--out FILE]

1. Makes a throwaway database: a new PostgreSQL database on ADMIN_URL (default
   postgresql://postgres@127.0.0.1:5432/postgres), or a SQLite file with --sqlite.
   With --workers-rq M: an empty Redis DB (the first of 1-15, or --redis-db) and a queue name
   of the run's own (MEALPLANNER_REDIS_URL, MEALPLANNER_JOB_QUEUE).
2. Starts `mealplanner serve --production` on a free port of 127.0.0.1 (it migrates and seeds
   the database) and waits for /ready; then M `mealplanner worker` processes, and waits until
   all are registered on the queue. Without --workers-rq jobs run in-process (the default).
3. Runs N clients until the time is up (load_clients.py): each creates a full-week plan
   (a 202 is followed by polling its job until done or failed), swaps one or two meals with
   If-Match, or (--pair-share of the time) two meals at once from two connections, downloads
   its shopping list and reads the plan. A 503 planner_busy is waited out as its Retry-After
   asks (--impatient: 0.3-1 s). Rate limits are raised out of the way unless --rate-limits
   is given (clients share 127.0.0.1).
   After the deadline clients finish what they are doing; jobs are followed for up to
   --drain seconds more, then the job table is watched until nothing is queued or running.
4. Reports (load_checks.py): per operation the count, rate, latencies and statuses; plans
   finished per second and the time to a finished plan (from the POST to the 201, or to its
   job being done) p50/p95; the concurrent swaps' outcomes; lost plans, lost updates, jobs
   left unfinished; the job table's own times; memory peaks (RSS, PSS) and CPU of the web and
   worker processes and work horses (from /proc), and how busy the machine's cores were.
5. Stops the workers and the server (SIGTERM), drops the database and the run's Redis keys,
   and exits 1 on an unexpected 5xx (any but 503 planner_busy) or unanswered request, a lost
   plan or update, an unfinished job, or a process that did not stop cleanly.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from load_checks import (
    job_figures,
    lost_updates,
    pending_jobs,
    percentile,
    read_back,
    report,
    server_log_summary,
)
from load_clients import Client, Results
from load_processes import (
    HIGH_LIMIT,
    ProcessWatch,
    RedisScratch,
    base_env,
    free_port,
    machine_busy,
    make_database,
    start_server,
    start_workers,
    stop,
    wait_ready,
    wait_workers,
)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--days", type=int, default=7, help="days per plan created")
    parser.add_argument("--duration", type=float, default=90, help="seconds of load")
    parser.add_argument("--drain", type=float, default=120,
                        help="seconds after the load to finish the jobs accepted")
    parser.add_argument("--pair-share", type=float, default=0.3,
                        help="share of plans that get two swaps at once")
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres",
                        help="admin URL to create the throwaway database with")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn web workers")
    parser.add_argument("--threads", type=int, default=None, help="threads per web worker")
    parser.add_argument("--workers-rq", type=int, default=0, metavar="M",
                        help="run jobs on RQ with M `mealplanner worker` processes")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379",
                        help="Redis server for --workers-rq (without a DB number)")
    parser.add_argument("--redis-db", type=int, default=None,
                        help="Redis DB to use (default: the first empty one of 1-15)")
    parser.add_argument("--impatient", action="store_true",
                        help="retry a 503 after 0.3-1 s instead of its Retry-After")
    parser.add_argument("--rate-limits", action="store_true",
                        help="keep the default rate limits (clients share one address)")
    parser.add_argument("--out", type=Path, default=None, help="write the figures as JSON")
    return parser.parse_args()


def run_clients(args, port: int, results: Results) -> dict:
    """The clients until the deadline, then until their jobs are done or the drain is over;
    the window's timings and how busy the machine was during the load."""
    started = time.monotonic()
    deadline, drain_until = started + args.duration, started + args.duration + args.drain
    busy_before, own_before = machine_busy(), _own_cpu()
    clients = [Client(port, results, seed, args.days, args.pair_share, drain_until,
                      patient=not args.impatient)
               for seed in range(args.clients)]
    threads = [threading.Thread(target=client.run, args=(deadline,)) for client in clients]
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, deadline - time.monotonic()))
    busy_after = machine_busy()
    for thread in threads:
        thread.join()
    clients_done = time.monotonic() - started
    return {"started": started, "deadline": deadline, "drain_until": drain_until,
            "clients_done_s": clients_done, "clients_cpu_s": round(_own_cpu() - own_before, 1),
            "machine_busy_share": (busy_after[0] - busy_before[0])
            / max(1e-9, busy_after[1] - busy_before[1])}


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def drain(database_url: str, until: float) -> tuple[int, float]:
    """Wait until no job is queued or running (or `until`): (left, seconds waited)."""
    started = time.monotonic()
    while (left := pending_jobs(database_url)) and time.monotonic() < until:
        time.sleep(0.5)
    return left, time.monotonic() - started


def plan_figures(results: Results, window: dict, duration: float) -> dict:
    in_window = [f for f in results.finished if f.at <= window["deadline"]]
    seconds = [f.seconds for f in results.finished]
    figures = {"plans_finished": len(results.finished), "plans_in_window": len(in_window),
               "plans_per_s": round(len(in_window) / duration, 3),
               "via": {via: sum(f.via == via for f in results.finished)
                       for via in ("201", "202")},
               "swaps_stored": len(results.changes),
               "swaps_stored_per_s": round(len(results.changes) / duration, 3)}
    if seconds:
        figures["time_to_plan_s"] = {"p50": round(statistics.median(seconds), 2),
                                     "p95": round(percentile(seconds, 0.95), 2),
                                     "max": round(max(seconds), 2)}
    return figures


def print_summary(args, figures: dict) -> None:
    plans, jobs = figures["plans"], figures["jobs_table"]
    timing = plans.get("time_to_plan_s", {})
    print(f"plans finished: {plans['plans_finished']} ({plans['plans_in_window']} within the "
          f"{args.duration:.0f} s: {plans['plans_per_s']:.2f}/s; {plans['via']['201']} as 201, "
          f"{plans['via']['202']} after a 202); time to a finished plan p50 "
          f"{timing.get('p50', 0):.2f} s, p95 {timing.get('p95', 0):.2f} s, max "
          f"{timing.get('max', 0):.2f} s")
    print(f"swaps stored: {plans['swaps_stored']} ({plans['swaps_stored_per_s']:.2f}/s); "
          f"concurrent pairs: " + ", ".join(f"{k}: {n}" for k, n in
                                            sorted(figures["pairs"].items())))
    print(f"job table: {jobs['jobs']} jobs {jobs['statuses']}, failed {jobs['failed_codes']}; "
          f"created->finished {jobs.get('finished_s')}, queued {jobs.get('queued_s')}, "
          f"running {jobs.get('running_s')}")
    print(f"solvers busy: {jobs['running_total_s']:.0f} s of jobs running in "
          f"{figures['solvers']} solver(s) x {figures['clients_done_s']:.0f} s = "
          f"{100 * figures['solvers_busy_share']:.0f}% (the rest they waited for work)")
    print(f"machine cores busy during the load: {100 * figures['machine_busy_share']:.0f}% "
          f"(all processes on the machine, {os.cpu_count()} cores); the clients' own CPU "
          f"{figures['clients_cpu_s']:.0f} s")
    for role, memory in figures["processes"].items():
        cpu = ("CPU in the workers'" if role == "work horse" else
               f"CPU {memory['cpu_seconds']:.0f} s" + (" (with horses)" if role == "rq worker"
                                                       else ""))
        print(f"  {role:<11} peak RSS {memory['peak_rss_mb']:>6.1f} MB each, together "
              f"{memory['peak_total_rss_mb']:>6.1f} MB RSS / {memory['peak_total_pss_mb']:>6.1f}"
              f" MB PSS; {memory['processes_seen']} seen, {memory['peak_at_once']} at once; "
              + cpu)
    print(f"lost plans: {len(figures['lost_plans'])}; lost updates: "
          f"{len(figures['lost_updates'])}; jobs left queued or running after the drain: "
          f"{figures['jobs_left']}; unexpected 5xx / unanswered / lost jobs: "
          f"{figures['unexpected']}")
    for problem in (figures["lost_plans"] + figures["lost_updates"])[:20]:
        print("  !!", problem)


def job_ids(database_url: str) -> list[str]:
    import sqlalchemy as sa

    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(sa.text("SELECT id FROM job")).scalars())
    except sa.exc.SQLAlchemyError:
        return []
    finally:
        engine.dispose()


def main() -> int:
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="mealplanner-load-"))
    url, drop = make_database(args.sqlite, args.postgres, workdir)
    env = base_env(url)
    if not args.rate_limits:
        env.update(MEALPLANNER_RATE_LIMIT=HIGH_LIMIT, MEALPLANNER_PLAN_RATE_LIMIT=HIGH_LIMIT)
    scratch = None
    if args.workers_rq:
        scratch = RedisScratch.claim(args.redis, args.redis_db)
        env.update(MEALPLANNER_REDIS_URL=scratch.url, MEALPLANNER_JOBS="rq",
                   MEALPLANNER_JOB_QUEUE=scratch.queue)
    port = free_port()
    log_path = workdir / "server.log"
    server = start_server(env, port, log_path, args.workers, args.threads)
    workers: list = []
    failed = 0
    try:
        startup = wait_ready(server, port, log_path)
        banner = next((line for line in log_path.read_text().splitlines()
                       if "gunicorn on" in line), "")
        print(f"{banner.strip()} ; ready in {startup:.1f} s (migrate + seed + catalog)")
        if scratch is not None:
            workers = start_workers(env, args.workers_rq, scratch.queue, workdir)
            ready = wait_workers(scratch, workers, workdir)
            print(f"jobs: RQ, {len(workers)} `mealplanner worker` on {scratch.url} queue "
                  f"{scratch.queue} (registered in {ready:.1f} s)")
        else:
            print("jobs: in-process (each web process's pool; no Redis)")
        print(f"database: {'SQLite' if args.sqlite else 'PostgreSQL'}; {args.clients} clients "
              f"for {args.duration:.0f} s; load average before: {os.getloadavg()[0]:.2f}")
        watch = ProcessWatch(server.pid, [worker.pid for worker in workers])
        watch.start()
        results = Results()
        window = run_clients(args, port, results)
        left, waited = drain(url, window["drain_until"])
        processes = watch.finish()
        elapsed = window["clients_done_s"]
        lines, bad = report(results, args.duration)
        print(f"clients done {elapsed:.1f} s after the start (the last jobs followed to the end;"
              f" rates below per second of the {args.duration:.0f} s load); drained the job "
              f"table for {waited:.1f} s more; load average after: {os.getloadavg()[0]:.2f}")
        print("\n".join(lines))
        stored, lost_plans = read_back(port, results)
        jobs = job_figures(url, set(results.plans))
        # Who runs jobs at once: the RQ workers, or each web process's pool (1 by default).
        solvers = args.workers_rq or (args.workers or 2) * int(
            env.get("MEALPLANNER_JOB_WORKERS") or env.get("MEALPLANNER_PLANNER_SLOTS") or 1)
        lost_plans += [f"job {job_id}: done, its plan is not stored"
                       for job_id in jobs["done_without_plan"]]
        figures = {
            "clients": args.clients, "duration": args.duration, "workers_rq": args.workers_rq,
            "web_workers": args.workers, "database": "sqlite" if args.sqlite else "postgresql",
            "table": lines, "plans": plan_figures(results, window, args.duration),
            "pairs": dict(results.pairs), "jobs_table": jobs, "jobs_left": left,
            "processes": processes, "machine_busy_share": window["machine_busy_share"],
            "clients_cpu_s": window["clients_cpu_s"], "clients_done_s": elapsed,
            "solvers": solvers, "solvers_busy_share": jobs["running_total_s"]
            / max(1e-9, solvers * elapsed),
            "lost_plans": lost_plans, "lost_updates": lost_updates(results, stored),
            "unexpected": bad, "plans_read_back": len(stored),
        }
        print_summary(args, figures)
        failed = (bad + len(lost_plans) + len(figures["lost_updates"]) + left)
        if args.out:
            args.out.write_text(json.dumps(figures, indent=2, default=str))
    finally:
        codes = [stop(worker) for worker in workers]
        code = stop(server)
        print(server_log_summary(log_path.read_text()))
        print(f"server stopped: exit {code}" + (f"; workers: exit {codes}" if codes else "")
              + f"; logs in {workdir}")
        failed += code != 0 or any(c != 0 for c in codes)
        if scratch is not None:
            print(f"Redis DB {scratch.db}: {scratch.cleanup(job_ids(url))} keys left")
        drop()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
