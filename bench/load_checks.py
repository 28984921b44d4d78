"""What a load run found: the table per operation, and the checks that nothing was lost.

- Lost plans: every plan a client was given (a 201, or a job done) reads back, as the newest
  document the server returned for it; every job the database holds as done has its plan.
- Lost updates: every swap answered 200 is in the stored plan (its meal holds the recipe the
  answer showed, unless a later stored change swapped that same meal), and no two 200s of one
  plan claim the same version.
- Unfinished work: no job is still queued or running once the run has drained.
"""

from __future__ import annotations

import http.client
import json
import statistics
from collections import Counter, defaultdict
from datetime import datetime

import sqlalchemy as sa
from load_clients import MealChange, Record, Results, meal_recipe

ORDER = ["create", "create_job", "job_poll", "job_plan", "swap", "swap_job", "swap_pair",
         "swap_pair_job", "swap_retry", "swap_retry_job", "list_json", "list_csv", "list_md",
         "get_plan"]
EXPECTED = {"503"}  # planner_busy: the deliberate answer of a full queue


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def is_unexpected(status: str) -> bool:
    """A 5xx other than planner_busy, no answer, or a job that failed for the server's fault
    (or never finished)."""
    if status.isdigit():
        return int(status) >= 500 and status not in EXPECTED
    if status.startswith("failed "):
        return status.split(" ", 1)[1] in ("internal_error", "None")
    return status not in ("done",)


def _row(op: str, records: list[Record], elapsed: float) -> str:
    ms = [r.seconds * 1000 for r in records]
    ok = [r.seconds * 1000 for r in records if r.status[:1] == "2" or r.status == "done"]
    statuses = Counter(r.status for r in records)
    ok_figures = (f"{len(ok):>5} {len(ok) / elapsed:>6.2f} {statistics.median(ok):>7.0f} "
                  f"{percentile(ok, 0.95):>7.0f}" if ok else f"{0:>5} {'':>6} {'':>7} {'':>7}")
    return (f"{op:<14} {len(records):>6} {len(records) / elapsed:>6.2f} "
            f"{statistics.median(ms):>7.0f} {percentile(ms, 0.95):>7.0f} {max(ms):>7.0f} | "
            f"{ok_figures} | " + ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items())))


def report(results: Results, elapsed: float) -> tuple[list[str], int]:
    """Lines of the per-operation table (a job's row: from the POST to done or failed), and
    the count of unexpected answers."""
    by_op: dict[str, list[Record]] = defaultdict(list)
    for record in results.records:
        by_op[record.op].append(record)
    lines = [f"{'operation':<14} {'count':>6} {'/s':>6} {'p50 ms':>7} {'p95 ms':>7} "
             f"{'max ms':>7} | {'ok':>5} {'ok/s':>6} {'p50 ms':>7} {'p95 ms':>7} | statuses"]
    for op in sorted(by_op, key=lambda o: ORDER.index(o) if o in ORDER else 99):
        lines.append(_row(op, by_op[op], elapsed))
    bad = sum(is_unexpected(r.status) for r in results.records)
    return lines, bad


def read_back(port: int, results: Results) -> tuple[dict[str, dict], list[str]]:
    """Every plan a client was given, as stored now: (documents, lost or changed)."""
    problems, stored = [], {}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for plan_id, expected in results.plans.items():
        conn.request("GET", f"/api/v1/plans/{plan_id}")
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            problems.append(f"{plan_id}: lost (GET {response.status})")
            continue
        stored[plan_id] = json.loads(body)
        if plan_id not in results.uncertain and stored[plan_id] != expected:
            problems.append(f"{plan_id}: differs from the newest document returned "
                            f"(version {expected.get('version')}, stored "
                            f"{stored[plan_id].get('version')})")
    conn.close()
    given = {f.plan_id for f in results.finished}
    problems += [f"{plan_id}: given to a client, never read" for plan_id in
                 sorted(given - set(results.plans))]
    return stored, problems


def lost_updates(results: Results, stored: dict[str, dict]) -> list[str]:
    """Each swap answered 200 whose change is not in the stored plan."""
    by_plan: dict[str, list[MealChange]] = defaultdict(list)
    for change in results.changes:
        by_plan[change.plan_id].append(change)
    problems = []
    for plan_id, changes in by_plan.items():
        versions = Counter(c.version for c in changes if c.via == "200")
        problems += [f"{plan_id}: {n} swaps answered 200 as version {v}"
                     for v, n in versions.items() if n > 1]
        document = stored.get(plan_id)
        if document is None:
            continue  # counted as a lost plan
        for change in changes:
            overtaken = any(o.version > change.version and (o.day, o.slot) ==
                            (change.day, change.slot) for o in changes)
            now = meal_recipe(document, change.day, change.slot)
            if not overtaken and now != change.recipe_id:
                problems.append(f"{plan_id}: day {change.day} {change.slot} answered "
                                f"{change.recipe_id} (version {change.version}), stored {now}")
    return problems


def job_figures(database_url: str, known_plans: set[str]) -> dict:
    """The job table as the run left it: statuses, errors, times, plans of done jobs."""
    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        jobs = conn.execute(sa.text(
            "SELECT id, kind, status, created_at, started_at, finished_at, plan_id, error "
            "FROM job")).mappings().all()
        plan_ids = set(conn.execute(sa.text("SELECT id FROM plan")).scalars())
    engine.dispose()
    done = [j for j in jobs if j["status"] == "done"]
    errors = Counter((j["error"] if isinstance(j["error"], dict) else
                      json.loads(j["error"] or "{}")).get("code") for j in jobs
                     if j["status"] == "failed")
    figures = {
        "jobs": len(jobs), "statuses": dict(Counter(j["status"] for j in jobs)),
        "failed_codes": dict(errors),
        "pending": sum(j["status"] in ("queued", "running") for j in jobs),
        "done_without_plan": sorted(j["id"] for j in done if j["plan_id"] not in plan_ids),
        "plans_stored": len(plan_ids), "plans_no_client_got": len(plan_ids - known_plans),
    }
    ran = [j for j in jobs if j["started_at"] is not None and j["finished_at"] is not None]
    figures["running_total_s"] = round(sum(_seconds(j["started_at"], j["finished_at"])
                                           for j in ran), 1)
    for name, start, end in (("finished_s", "created_at", "finished_at"),
                             ("queued_s", "created_at", "started_at"),
                             ("running_s", "started_at", "finished_at")):
        values = [_seconds(j[start], j[end]) for j in done]
        if values:
            figures[name] = {"p50": round(statistics.median(values), 2),
                             "p95": round(percentile(values, 0.95), 2),
                             "max": round(max(values), 2)}
    return figures


def pending_jobs(database_url: str) -> int:
    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        count = conn.scalar(sa.text(
            "SELECT count(*) FROM job WHERE status IN ('queued', 'running')"))
    engine.dispose()
    return int(count or 0)


def _seconds(start: datetime | str, end: datetime | str) -> float:
    start, end = (datetime.fromisoformat(v) if isinstance(v, str) else v for v in (start, end))
    return (end - start).total_seconds()


def server_log_summary(log_text: str) -> str:
    statuses: Counter = Counter()
    for line in log_text.splitlines():
        if line.startswith("{"):
            try:
                statuses[json.loads(line)["status"]] += 1
            except (ValueError, KeyError):
                continue
    return (f"server request log: {sum(statuses.values())} JSON lines; statuses "
            + ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items())))
