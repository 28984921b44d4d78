"""Explanation benchmark: requests no plan can meet, and what the planner says about each.

    python bench/explain_bench.py [--only NAME,...] [--limit N] [--out FILE] [--feasible]

Every request of explain_profiles.py goes through make_plan on the packaged catalog; the wall
time of the call is the explanation's time (make_plan explains before it returns). For each
explanation: its reason, how many requirements it names, whether it is proven, whether a best
value it quotes already meets its own limit, and its suggested fixes: each suggested request
is validated and planned in turn, and counts as working when it gets a plan.

The explanation and each conflict carry `proven`; `suggestions` are {"text", "request"}
objects as the API gives them (plans/suggestions.py), each request planned in turn.

With --feasible, the profiles of profiles.py are planned too and each plan's `solver.gap`
recorded (a gap on every plan is the goal).

The planner runs in a child process: a solver that aborts the process (a native CHECK failure)
is recorded as a crash, the child restarted (with its own warm-up) and the request tried again
(--retries). Results: a table on stdout and JSON in --out (default
bench/results/explain-<date>.json).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from explain_profiles import REQUESTS, request_dict
from planner_bench import machine, percentile, select, share, source_version
from profiles import PROFILES
from profiles import request_dict as profile_dict

from mealplanner.plans.schemas import PlanRequestSchema
from mealplanner.plans.suggestions import suggestion_documents

BENCH_DIR = Path(__file__).resolve().parent
GOAL_P95_SECONDS = 2.0
PROVEN_PREFIX = "No plan can meet"
CALL_TIMEOUT_SECONDS = 300  # a call still running after this is a hang: the child is killed


# --- the child process: catalog, warm-up, one make_plan per message ---------------------------

def _serve(conn) -> None:
    from mealplanner.catalog.store import load_catalog
    from mealplanner.planner import pipeline

    catalog = load_catalog()
    # Warm-up (imports, first model): not recorded.
    pipeline.make_plan(PlanRequestSchema().load(
        {"days": 1, "meals": ["lunch"], "time_limit_seconds": 1}), catalog)
    conn.send({"recipes": len(catalog.recipes), "foods": len(catalog.foods)})
    while True:
        data = conn.recv()
        if data is None:
            return
        conn.send(_plan(data, catalog, pipeline))


def _plan(data: dict[str, Any], catalog, pipeline) -> dict[str, Any]:
    try:
        request = PlanRequestSchema().load(data)
    except Exception as error:  # a suggested request the API would refuse
        return {"invalid": f"{type(error).__name__}: {error}"}
    started = time.perf_counter()
    try:
        outcome = pipeline.make_plan(request, catalog)
    except Exception as error:
        return {"seconds": round(time.perf_counter() - started, 3),
                "error": f"{type(error).__name__}: {error}",
                "traceback": traceback.format_exc()}
    seconds = round(time.perf_counter() - started, 3)
    document = outcome.document
    if outcome.ok:
        solver = document.get("solver") or {}
        return {"seconds": seconds, "ok": True, "cost": (document.get("cost") or {}).get("total"),
                "solver": {k: solver.get(k) for k in ("status", "objective", "best_bound",
                                                      "gap")}}
    document = {**document, "suggestions": suggestion_documents(outcome.fixes, request)}
    return {"seconds": seconds, "ok": False, "explanation": document}


class Planner:
    """The child process that plans, restarted when it dies."""

    def __init__(self) -> None:
        self.context = multiprocessing.get_context("spawn")
        self.process = None
        self.conn = None
        self.catalog: dict[str, int] = {}
        self.restarts = 0

    def start(self, attempts: int = 3) -> None:
        """A new child, ready once it has loaded the catalog and planned its warm-up (which
        can crash too: it is started again)."""
        for attempt in range(attempts):
            parent, child = self.context.Pipe()
            self.process = self.context.Process(target=_serve, args=(child,), daemon=True)
            self.process.start()
            child.close()
            self.conn = parent
            try:
                self.catalog = self.conn.recv()
                return
            except EOFError:
                self.process.join()
                if attempt == attempts - 1:
                    raise RuntimeError("the planner process died while starting "
                                       f"(exit code {self.process.exitcode})") from None

    def plan(self, data: dict[str, Any]) -> dict[str, Any]:
        """make_plan in the child; {"crash": ...} when the child died or hung."""
        if self.process is None or not self.process.is_alive():
            self.start()
        self.conn.send(data)
        try:
            if self.conn.poll(CALL_TIMEOUT_SECONDS):
                return self.conn.recv()
            crash = f"no answer in {CALL_TIMEOUT_SECONDS} s"
            self.process.kill()
        except (EOFError, ConnectionError):
            crash = None
        self.process.join()
        crash = crash or f"planner process died (exit code {self.process.exitcode})"
        self.process = None
        self.restarts += 1
        return {"crash": crash}

    def close(self) -> None:
        if self.process is not None and self.process.is_alive():
            self.conn.send(None)
            self.process.join(10)


def plan_with_retries(planner: Planner, data: dict[str, Any], retries: int) -> dict[str, Any]:
    """The first answer that is not a crash; the crashes before it are kept."""
    crashes = []
    for _attempt in range(retries + 1):
        result = planner.plan(data)
        if "crash" not in result:
            break
        crashes.append(result["crash"])
    result["crashes"] = crashes
    return result


# --- reading an explanation -------------------------------------------------------------------

def is_proven(explanation: dict[str, Any]) -> bool:
    """The explanation's own `proven` when it has one; else its wording. A meal with no dish
    left after the filters is a fact, not a search result: proven."""
    if "proven" in explanation:
        return bool(explanation["proven"])
    if explanation.get("reason") == "no_dishes":
        return True
    return (explanation.get("message") or "").startswith(PROVEN_PREFIX)


def conflict_count(explanation: dict[str, Any]) -> int:
    """Requirements named in conflict; for a meal without dishes, the meals named."""
    return len(explanation.get("conflicts") or []) or len(explanation.get("empty_slots") or [])


def suggested_requests(explanation: dict[str, Any]) -> list:
    """The one-click fixes as (text, request body), as the API gives them."""
    return [(e.get("text"), e["request"]) for e in explanation.get("suggestions") or []]


def satisfied_limits(explanation: dict[str, Any], data: dict[str, Any]) -> list[str]:
    """Conflicts whose quoted best value already meets their own limit: a plan reaching it
    would meet the requirement, so it is not what conflicts. Read from `limit` and
    `best_value` when the conflict has them; in today's format only the budget can be read
    (value: the cheapest plan found, in cents for the plan's days)."""
    found = []
    for conflict in explanation.get("conflicts") or []:
        value, limit = conflict.get("best_value"), conflict.get("limit")
        if value is not None and isinstance(limit, dict):
            low, high = limit.get("min"), limit.get("max")
            if (low is None or value >= low) and (high is None or value <= high):
                found.append(f"{conflict.get('requirement')}: {value} within {limit}")
    return found


def per_conflict_proven(explanation: dict[str, Any]) -> list[bool] | None:
    conflicts = explanation.get("conflicts") or []
    if conflicts and all("proven" in c for c in conflicts):
        return [bool(c["proven"]) for c in conflicts]
    return None


# --- running ----------------------------------------------------------------------------------

def run_request(planner: Planner, entry: dict[str, Any], retries: int) -> dict[str, Any]:
    data = request_dict(entry)
    load_before = os.getloadavg()[0]
    result = plan_with_retries(planner, data, retries)
    record: dict[str, Any] = {"name": entry["name"], "reason_tag": entry["reason"],
                              "request": data, "crashes": result.pop("crashes")}
    if "crash" in result or "error" in result or "invalid" in result:
        record["status"] = "crash"
        record["error"] = result.get("crash") or result.get("error") or result.get("invalid")
        record["traceback"] = result.get("traceback")
    elif result["ok"]:
        record.update(status="plan", seconds=result["seconds"], cost=result["cost"],
                      solver=result["solver"])
    else:
        explanation = result["explanation"]
        source, fixes = "explanation", suggested_requests(explanation)
        tried = []
        for text, body in fixes:
            outcome = plan_with_retries(planner, body, retries)
            tried.append({"text": text, "request": body, "ok": bool(outcome.get("ok")),
                          "seconds": outcome.get("seconds"), "crashes": outcome["crashes"],
                          "problem": outcome.get("crash") or outcome.get("error")
                          or outcome.get("invalid"),
                          "reason": (outcome.get("explanation") or {}).get("reason")})
        record.update(
            status="explained", seconds=result["seconds"], reason=explanation.get("reason"),
            message=explanation.get("message"), conflicts=conflict_count(explanation),
            requirements=[c.get("requirement") for c in explanation.get("conflicts") or []],
            proven=is_proven(explanation),
            minimal=bool(explanation.get("minimal")),
            conflicts_proven=per_conflict_proven(explanation),
            satisfied_limits=satisfied_limits(explanation, data),
            suggestion_source=source, suggestions=tried,
            suggestions_ok=sum(t["ok"] for t in tried),
            explanation=explanation,
        )
    record["load_average_1min"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    return record


def run_feasible(planner: Planner, profile: dict[str, Any], retries: int) -> dict[str, Any]:
    data = profile_dict(profile)
    result = plan_with_retries(planner, data, retries)
    record: dict[str, Any] = {"name": profile["name"], "crashes": result["crashes"],
                              "ok": bool(result.get("ok")), "seconds": result.get("seconds")}
    if record["ok"]:
        gap = result["solver"].get("gap")
        record.update(gap=gap, has_gap=gap is not None,
                      best_bound=result["solver"].get("best_bound"),
                      status=result["solver"].get("status"))
    return record


# --- figures ----------------------------------------------------------------------------------

def summarize(records: list[dict[str, Any]], feasible: list[dict[str, Any]] | None
              ) -> dict[str, Any]:
    explained = [r for r in records if r["status"] == "explained"]
    seconds = [r["seconds"] for r in explained]
    with_fixes = [r for r in explained if r["suggestions"]]
    all_work = [r for r in with_fixes if r["suggestions_ok"] == len(r["suggestions"])]
    one_set = [r for r in explained if r["conflicts"] == 1]
    summary: dict[str, Any] = {
        "requests": len(records),
        "explained": len(explained),
        "got_a_plan": [r["name"] for r in records if r["status"] == "plan"],
        "crashed": [r["name"] for r in records if r["status"] == "crash"],
        "requests_with_a_crash": [r["name"] for r in records if r["crashes"]
                                  or any(s["crashes"] for s in r.get("suggestions", []))],
        "crashes": sum(len(r["crashes"]) + sum(len(s["crashes"])
                                               for s in r.get("suggestions", []))
                       for r in records),
        "seconds_p50": _r(percentile(seconds, 0.5)),
        "seconds_p95": _r(percentile(seconds, 0.95)),
        "seconds_max": _r(max(seconds, default=None)),
        "conflicts_mean": _r(sum(r["conflicts"] for r in explained) / len(explained)
                             if explained else None),
        "share_one_conflict": share(len(one_set), len(explained)),
        "share_proven": share(sum(r["proven"] for r in explained), len(explained)),
        # one proven set no requirement of which can be left out (deletion filter finished)
        "share_minimal": share(sum(r.get("minimal", False) for r in explained), len(explained)),
        "share_with_suggestions": share(len(with_fixes), len(explained)),
        # an explanation without a suggestion has no fix that works
        "share_every_suggestion_works": share(len(all_work), len(explained)),
        "suggestions_ok": sum(r["suggestions_ok"] for r in explained),
        "suggestions_total": sum(len(r["suggestions"]) for r in explained),
        "self_satisfying": {r["name"]: r["satisfied_limits"] for r in explained
                            if r["satisfied_limits"]},
        "reasons": _count(r["reason"] for r in explained),
    }
    if feasible is not None:
        plans = [f for f in feasible if f["ok"]]
        summary["feasible"] = {
            "profiles": len(feasible), "plans": len(plans),
            "share_with_gap": share(sum(f["has_gap"] for f in plans), len(plans)),
            "gap_p50": _r(percentile([f["gap"] for f in plans if f["has_gap"]], 0.5), 6),
            "gap_max": _r(max((f["gap"] for f in plans if f["has_gap"]), default=None), 6),
        }
    summary["goals"] = {
        f"p95 <= {GOAL_P95_SECONDS:g} s": _met(summary["seconds_p95"],
                                               lambda v: v <= GOAL_P95_SECONDS),
        "one minimal conflict set per explanation": _met(summary["share_minimal"],
                                                         lambda v: v == 1),
        "every suggested fix gets a plan": _met(summary["share_every_suggestion_works"],
                                                lambda v: v == 1),
        "a gap on every plan": _met((summary.get("feasible") or {}).get("share_with_gap"),
                                    lambda v: v == 1),
    }
    return summary


def _count(values) -> dict[str, int]:
    counted: dict[str, int] = {}
    for value in values:
        counted[value] = counted.get(value, 0) + 1
    return counted


def _met(value, test) -> str:
    return "n/a" if value is None else ("MET" if test(value) else "NOT MET")


def _r(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f} %"


def print_table(records: list[dict[str, Any]]) -> None:
    print(f"{'request':34} {'tag':9} {'status':9} {'seconds':>8} {'conflicts':>9} "
          f"{'proven':>6} {'fixes ok':>8}  reason / requirements")
    for r in records:
        if r["status"] == "explained":
            fixes = f"{r['suggestions_ok']}/{len(r['suggestions'])}"
            named = ", ".join(r["requirements"][:4]) + (
                f" +{len(r['requirements']) - 4}" if len(r["requirements"]) > 4 else "")
            tail = f"{r['reason']}: {named}" if named else r["reason"]
            print(f"{r['name']:34} {r['reason_tag']:9} {r['status']:9} {r['seconds']:8.2f} "
                  f"{r['conflicts']:9d} {'yes' if r['proven'] else 'no':>6} {fixes:>8}  {tail}"
                  + (f"  [{len(r['crashes'])} crash(es)]" if r["crashes"] else ""))
        elif r["status"] == "plan":
            print(f"{r['name']:34} {r['reason_tag']:9} {'PLAN':9} {r['seconds']:8.2f} "
                  f"{'':9} {'':6} {'':8}  got a plan costing {r['cost']}")
        else:
            print(f"{r['name']:34} {r['reason_tag']:9} {'CRASH':9} {'':8} {'':9} {'':6} "
                  f"{'':8}  {r['error']} ({len(r['crashes'])} crash(es))")


def print_summary(summary: dict[str, Any]) -> None:
    print()
    print(f"requests {summary['requests']}, explained {summary['explained']}, "
          f"got a plan {len(summary['got_a_plan'])}, crashed every time "
          f"{len(summary['crashed'])}; planner process crashes {summary['crashes']} "
          f"(in {len(summary['requests_with_a_crash'])} requests)")
    print(f"explanation seconds: p50 {summary['seconds_p50']}, p95 {summary['seconds_p95']}, "
          f"max {summary['seconds_max']}")
    print(f"conflicts per explanation: mean {summary['conflicts_mean']}, exactly one "
          f"{_pct(summary['share_one_conflict'])}")
    print(f"proven: {_pct(summary['share_proven'])}, proven minimal: "
          f"{_pct(summary['share_minimal'])}")
    print(f"suggestions: {summary['suggestions_ok']} of {summary['suggestions_total']} get a "
          f"plan; explanations with any {_pct(summary['share_with_suggestions'])}, with every "
          f"one working {_pct(summary['share_every_suggestion_works'])}")
    print(f"reasons: {summary['reasons']}")
    if summary["got_a_plan"]:
        print(f"!!!!!! built to be infeasible but got a plan: {', '.join(summary['got_a_plan'])}")
    for name, items in summary["self_satisfying"].items():
        print(f"!!!!!! {name}: a best value meets its own limit: {'; '.join(items)}")
    if "feasible" in summary:
        f = summary["feasible"]
        print(f"feasible profiles: {f['plans']} plans of {f['profiles']}, with a gap "
              f"{_pct(f['share_with_gap'])} (p50 {f['gap_p50']}, max {f['gap_max']})")
    for goal, verdict in summary["goals"].items():
        print(f"goal {goal}: {verdict}")


# --- main -------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=None, help="comma-separated request names to run")
    parser.add_argument("--limit", type=int, default=None, help="run only the first N requests")
    parser.add_argument("--out", type=Path, default=None,
                        help="JSON results (default bench/results/explain-<date>.json)")
    parser.add_argument("--feasible", action="store_true",
                        help="also plan the profiles of profiles.py and record each gap")
    parser.add_argument("--retries", type=int, default=3,
                        help="times a request is tried again after the planner process "
                             "crashed (default 3)")
    args = parser.parse_args(argv)
    today = dt.date.today().isoformat()
    out = args.out or BENCH_DIR / "results" / f"explain-{today}.json"

    chosen = select(REQUESTS, args.only, args.limit, parser, "request")

    started = time.perf_counter()
    source = source_version()
    planner = Planner()
    planner.start()
    print(f"commit {source['commit']}, uncommitted planner changes: "
          f"{source['uncommitted_planner_changes']}; {planner.catalog['recipes']} recipes, "
          f"{planner.catalog['foods']} foods", flush=True)
    records = []
    for position, entry in enumerate(chosen):
        record = run_request(planner, entry, args.retries)
        records.append(record)
        done = (f"{record['seconds']:.2f} s, {record.get('reason')}, {record.get('conflicts')} "
                f"conflict(s), fixes {record.get('suggestions_ok')}/"
                f"{len(record.get('suggestions', []))}" if record["status"] == "explained"
                else record.get("error") or f"plan in {record['seconds']:.2f} s")
        print(f"[{position + 1}/{len(chosen)}] {entry['name']}: {record['status']} -- {done}"
              + (f" ({len(record['crashes'])} crash(es) first)" if record["crashes"] else ""),
              flush=True)
    feasible = None
    if args.feasible:
        feasible = []
        for position, profile in enumerate(PROFILES):
            row = run_feasible(planner, profile, args.retries)
            feasible.append(row)
            print(f"[feasible {position + 1}/{len(PROFILES)}] {profile['name']}: "
                  + (f"plan, gap {row['gap']}" if row["ok"] else "no plan"), flush=True)
    planner.close()

    summary = summarize(records, feasible)
    loads = [x for r in records for x in r["load_average_1min"]]
    summary["load_average_1min"] = {"min": min(loads, default=None),
                                    "max": max(loads, default=None)}
    summary["planner_restarts"] = planner.restarts
    print()
    print_table(records)
    print_summary(summary)

    results = {
        "date": today, "machine": machine(), "source": source, "catalog": planner.catalog,
        "arguments": {"only": args.only, "limit": args.limit, "feasible": args.feasible,
                      "retries": args.retries},
        "total_seconds": round(time.perf_counter() - started, 1),
        "summary": summary, "requests": records, "feasible": feasible,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1, default=str) + "\n")
    print(f"\nResults written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
