"""Food-economy benchmark: what the planner's weeks cost households against the USDA Thrifty
Food Plan (TFP), one week and four weeks in a row.

    python bench/economy_bench.py [--limit N] [--only NAME,...] [--out FILE] [--weeks W]
                                  [--levels 1.0,1.25,1.6] [--rolling-levels 1.25,1.0]
                                  [--budget-basis checkout|eaten]

For every household of economy_profiles.py and every budget level, the request (its weekly
budget = level x the household's TFP, tfp.household_tfp) goes through make_plan on the packaged
catalog. Over the plans found, per level: the share of households with a plan, checkout / TFP
and eaten / TFP (median, p90), and waste as a share of checkout. The plan document's `cost`
gives, for the household: `checkout` (whole packages bought), `eaten` (the food eaten),
`carried_over` (leftovers that keep) and `waste` (leftovers that will spoil).

Then the rolling run, per rolling level: week 1 is the level's own plan (the same request);
each next week's request is continue_request(the household's request, previous document,
catalog), with the previous week's leftovers that keep as its pantry. A household whose week
has no plan stops there. Per week: the share with a plan, checkout / eaten (median, p90) and
waste.

Results: a summary on stdout, with the issue's goals marked MET / NOT MET, and JSON in --out
(default bench/results/economy-<date>.json).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from economy_profiles import HOUSEHOLDS, request_dict
from planner_bench import BENCH_DIR, machine, percentile, select, source_version
from tfp import SOURCE as TFP_SOURCE
from tfp import household_tfp

from mealplanner.catalog.store import Catalog, load_catalog
from mealplanner.planner.pipeline import PlanCheckError, make_plan
from mealplanner.planner.purchase import keeps_days
from mealplanner.planner.request import BUDGET_BASES, PlanRequest
from mealplanner.planner.rolling import continue_request
from mealplanner.plans.schemas import PlanRequestSchema, request_to_json

LEVELS = (1.0, 1.25, 1.6)
ROLLING_LEVELS = (1.25, 1.0)
WEEKS = 4
COST_FIELDS = ("checkout", "eaten", "carried_over", "waste")

# The goals of issue 12, point 4.
GOAL_PLAN_SHARE_125 = 0.90  # with a plan at 1.25 x TFP
GOAL_PLAN_SHARE_100 = 0.60  # with a plan at 1.0 x TFP in week 1
GOAL_PLAN_SHARE_ROLLING = 0.90  # with a plan in every rolling week from week 2
GOAL_CHECKOUT_WITHIN = 0.10  # rolling weekly checkout within 10 % of the eaten cost
GOAL_WASTE_SHARE = 0.05  # waste under 5 % of checkout


# --- one plan ---------------------------------------------------------------------------------

def run_plan(request: PlanRequest, catalog: Catalog) -> tuple[dict[str, Any], dict | None]:
    """make_plan on the request, timed; the record and the plan document (None without one)."""
    record: dict[str, Any] = {"ok": False, "crash": None}
    started = time.perf_counter()
    try:
        outcome = make_plan(request, catalog)
    except PlanCheckError as error:  # a plan failing the checker is a bug: report it loudly
        record.update(wall_seconds=_seconds(started), status="checker_failure",
                      crash=f"PlanCheckError: {error}")
        return record, None
    except Exception as error:  # a crash is a finding: record it and keep going
        record.update(wall_seconds=_seconds(started), status="crash",
                      crash=f"{type(error).__name__}: {error}", traceback=traceback.format_exc())
        return record, None
    record["wall_seconds"] = _seconds(started)
    document = outcome.document
    if not outcome.ok:
        record["status"] = document.get("status", "infeasible")
        record["reason"] = document.get("reason")
        record["message"] = document.get("message")
        record["conflicts"] = [
            {k: c.get(k) for k in ("requirement", "label", "limit", "best_value", "unit",
                                   "best_reachable")}
            for c in document.get("conflicts", [])
        ]
        return record, None
    cost = document["cost"]
    record["ok"] = True
    record["status"] = "plan"
    record["cost"] = {key: cost[key] for key in ("total", *COST_FIELDS)}
    record["meals"] = [[day["day"], m["slot"], m["recipe_id"], m["portion"]]
                       for day in document["days"] for m in day["meals"]]
    record["pantry_in"] = [{"food": p.food, "grams": p.grams} for p in request.pantry]
    if abs(cost["total"] - cost["checkout"]) > 0.005:
        record["total_differs_from_checkout"] = True
    return record, document


def _seconds(started: float) -> float:
    return round(time.perf_counter() - started, 3)


def ratios(record: dict[str, Any], tfp: float) -> dict[str, float | None]:
    """The plan's costs against the household's TFP, waste against checkout, checkout against
    eaten; None where the denominator is zero."""
    cost = record["cost"]

    def over(a: float, b: float) -> float | None:
        return round(a / b, 4) if b else None

    return {"checkout_over_tfp": over(cost["checkout"], tfp),
            "eaten_over_tfp": over(cost["eaten"], tfp),
            "waste_over_checkout": over(cost["waste"], cost["checkout"]),
            "checkout_over_eaten": over(cost["checkout"], cost["eaten"])}


def cheapest_over_tfp(record: dict[str, Any], tfp: float) -> float | None:
    """A budget conflict names the cheapest plan the search found (USD a week)."""
    for conflict in record.get("conflicts") or []:
        if conflict["requirement"] == "budget" and conflict.get("best_value") is not None:
            return round(conflict["best_value"] / tfp, 3)
    return None


def failure_of(record: dict[str, Any], tfp: float) -> dict[str, Any]:
    conflicts = [c["requirement"] for c in record.get("conflicts") or []]
    row = {"status": record["status"], "reason": record.get("reason"), "conflicts": conflicts}
    cheapest = cheapest_over_tfp(record, tfp)
    if cheapest is not None:
        row["cheapest_over_tfp"] = cheapest
    if record.get("crash"):
        row["crash"] = record["crash"]
    return row


# --- one household ----------------------------------------------------------------------------

def run_household(entry: dict[str, Any], catalog: Catalog, levels: tuple[float, ...],
                  rolling_levels: tuple[float, ...], weeks: int,
                  basis: str = "checkout") -> dict[str, Any]:
    tfp = household_tfp(entry["members"])
    result: dict[str, Any] = {"name": entry["name"], "members": entry["members"],
                              "people": entry["people"], "tfp": tfp, "levels": {},
                              "rolling": {}}
    week_one: dict[float, tuple[PlanRequest, dict | None]] = {}
    for level in levels:
        data = request_dict(entry, level * tfp)
        data["budget"]["basis"] = basis
        request = PlanRequestSchema().load(data)
        record, document = run_plan(request, catalog)
        record["request"] = data
        if record["ok"]:
            record.update(ratios(record, tfp))
        result["levels"][str(level)] = record
        week_one[level] = (request, document)
    for level in rolling_levels:
        # Every week continues the household's own request (no pantry of its own) from the
        # week before: continue_request adds the request's pantry to what the previous plan
        # carries over, which already holds that plan's unused pantry.
        household_request, document = week_one[level]
        chain = [{"week": 1, **_week_of(result["levels"][str(level)])}]
        for week in range(2, weeks + 1):
            if document is None:
                chain.append({"week": week, "ok": False, "status": "not_run"})
                continue
            started = time.perf_counter()
            try:
                request = continue_request(household_request, document, catalog)
            except Exception as error:  # the interface failing is a finding too
                chain.append({"week": week, "ok": False, "status": "crash",
                              "crash": f"continue_request: {type(error).__name__}: {error}",
                              "traceback": traceback.format_exc()})
                document = None
                continue
            continue_seconds = _seconds(started)
            record, document = run_plan(request, catalog)
            record["continue_request_seconds"] = continue_seconds
            record["request"] = request_to_json(request)
            if record["ok"]:
                record.update(ratios(record, tfp))
            chain.append({"week": week, **record})
        result["rolling"][str(level)] = chain
    return result


def _week_of(record: dict[str, Any]) -> dict[str, Any]:
    """Rolling week 1 is the level's plan: the same request, not solved again."""
    return {key: value for key, value in record.items() if key != "request"}


# --- figures ----------------------------------------------------------------------------------

def spread(values: list[float | None]) -> dict[str, Any]:
    kept = [v for v in values if v is not None]
    return {"n": len(kept), "median": _r(percentile(kept, 0.5)), "p90": _r(percentile(kept, 0.9))}


def _r(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def share(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def waste_figures(plans: list[dict[str, Any]]) -> dict[str, Any]:
    """Waste against checkout: pooled (all waste over all checkout) and per plan."""
    checkout = sum(p["cost"]["checkout"] for p in plans)
    waste = sum(p["cost"]["waste"] for p in plans)
    return {"pooled": share_float(waste, checkout),
            **spread([p["waste_over_checkout"] for p in plans])}


def share_float(a: float, b: float) -> float | None:
    return round(a / b, 4) if b else None


def level_summary(results: list[dict[str, Any]], level: float) -> dict[str, Any]:
    records = [r["levels"][str(level)] for r in results]
    plans = [x for x in records if x["ok"]]
    return {
        "households": len(records),
        "with_plan": len(plans),
        "share_with_plan": share(len(plans), len(records)),
        "checkout_over_tfp": spread([p["checkout_over_tfp"] for p in plans]),
        "eaten_over_tfp": spread([p["eaten_over_tfp"] for p in plans]),
        "waste": waste_figures(plans),
        "failures": {r["name"]: failure_of(x, r["tfp"]) for r, x in zip(results, records,
                                                                         strict=True)
                     if not x["ok"]},
    }


def rolling_summary(results: list[dict[str, Any]], level: float, weeks: int) -> dict[str, Any]:
    chains = [r["rolling"][str(level)] for r in results]
    rows = []
    for week in range(1, weeks + 1):
        records = [chain[week - 1] for chain in chains]
        plans = [x for x in records if x["ok"]]
        continuing = [x for x in records if x["status"] != "not_run"]
        rows.append({
            "week": week,
            "households": len(records),
            "with_plan": len(plans),
            "share_with_plan": share(len(plans), len(records)),
            # of the households whose previous week had a plan (week 1: all of them)
            "continued": len(continuing),
            "share_of_continued": share(len(plans), len(continuing)),
            "checkout_over_eaten": spread([p["checkout_over_eaten"] for p in plans]),
            "checkout_within": share(sum(1 for p in plans if _within(p)), len(plans)),
            "waste": waste_figures(plans),
            "carried_over_over_checkout": spread(
                [share_float(p["cost"]["carried_over"], p["cost"]["checkout"]) for p in plans]),
            "failures": {r["name"]: failure_of(x, r["tfp"])
                         for r, x in zip(results, records, strict=True)
                         if not x["ok"] and x["status"] != "not_run"},
        })
    later = [chain[w] for chain in chains for w in range(1, weeks) if chain[w]["ok"]]
    every = [chain for chain in chains if all(x["ok"] for x in chain)]
    all_plans = [x for chain in chains for x in chain if x["ok"]]
    return {
        "weeks": rows,
        "from_week_2": {
            "plans": len(later),
            "checkout_over_eaten": spread([p["checkout_over_eaten"] for p in later]),
            "checkout_within": share(sum(1 for p in later if _within(p)), len(later)),
            "waste": waste_figures(later),
        },
        "all_weeks_waste": waste_figures(all_plans),
        # over the households with a plan every week: what the weeks cost against what was eaten
        "households_every_week": len(every),
        "run_checkout_over_eaten": spread([
            share_float(sum(x["cost"]["checkout"] for x in chain),
                        sum(x["cost"]["eaten"] for x in chain)) for chain in every]),
    }


def _within(plan: dict[str, Any]) -> bool:
    ratio = plan["checkout_over_eaten"]
    return ratio is not None and abs(ratio - 1) <= GOAL_CHECKOUT_WITHIN


def missed_budgets(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A level without a plan although the explanation at another level names a plan meeting
    every other requirement whose cost is within this level's budget: the search missed it."""
    missed = []
    for r in results:
        cheapest = {level: x["conflicts"][0]["best_value"]  # USD a week
                    for level, x in r["levels"].items()
                    if not x["ok"] and [c["requirement"] for c in x.get("conflicts") or []]
                    == ["budget"] and x["conflicts"][0].get("best_value") is not None}
        for level, x in r["levels"].items():
            if x["ok"]:
                continue
            budget = x["request"]["budget"]["amount"]
            found = {other: cost for other, cost in cheapest.items() if cost <= budget}
            if found:
                other, cost = min(found.items(), key=lambda item: item[1])
                missed.append({"household": r["name"], "level": level, "budget": budget,
                               "found_at_level": other, "cost": round(cost, 2)})
    return missed


def timing(results: list[dict[str, Any]]) -> dict[str, Any]:
    walls = [x["wall_seconds"] for r in results for x in r["levels"].values()]
    walls += [x["wall_seconds"] for r in results for chain in r["rolling"].values()
              for x in chain[1:] if "wall_seconds" in x]
    return {"n": len(walls), "p50": _r(percentile(walls, 0.5), 3),
            "p95": _r(percentile(walls, 0.95), 3), "max": _r(max(walls, default=None), 3)}


def goals(levels: dict[str, Any], rolling: dict[str, Any],
          storage_known: bool) -> list[dict[str, Any]]:
    """The issue's goals, each with the figure that judges it (None when not run)."""
    out = []

    def goal(label: str, value: float | None, met: bool | None, note: str = "") -> None:
        out.append({"goal": label, "value": value, "met": met, "note": note})

    for level, target in (("1.25", GOAL_PLAN_SHARE_125), ("1.0", GOAL_PLAN_SHARE_100)):
        value = levels[level]["share_with_plan"] if level in levels else None
        goal(f"with a plan at {level} x TFP (week 1) >= {target:.0%}", value,
             None if value is None else value >= target)
    for level, run in rolling.items():
        later = run["weeks"][1:]
        if not later:
            continue
        worst = min((w["share_of_continued"] for w in later if w["share_of_continued"]
                     is not None), default=None)
        goal(f"rolling at {level} x TFP, weeks 2-{len(run['weeks'])}: with a plan >= "
             f"{GOAL_PLAN_SHARE_ROLLING:.0%} each week (of the households whose previous week "
             f"had one)", worst, None if worst is None else worst >= GOAL_PLAN_SHARE_ROLLING)
    main = rolling.get("1.25")
    if main and main["weeks"][1:]:
        median = main["from_week_2"]["checkout_over_eaten"]["median"]
        goal(f"rolling at 1.25 x TFP, weeks 2-{len(main['weeks'])}: median weekly checkout / "
             f"eaten within {GOAL_CHECKOUT_WITHIN:.0%} of 1", median,
             None if median is None else abs(median - 1) <= GOAL_CHECKOUT_WITHIN)
    if main:
        pooled = main["all_weeks_waste"]["pooled"]
        goal(f"rolling at 1.25 x TFP, all weeks: waste < {GOAL_WASTE_SHARE:.0%} of checkout",
             pooled, None if pooled is None else pooled < GOAL_WASTE_SHARE,
             "" if storage_known else "no food has a storage time: 0 by construction")
    return out


def summarize(results: list[dict[str, Any]], levels: tuple[float, ...],
              rolling_levels: tuple[float, ...], weeks: int,
              storage: dict[str, int]) -> dict[str, Any]:
    by_level = {str(level): level_summary(results, level) for level in levels}
    rolling = ({str(level): rolling_summary(results, level, weeks) for level in rolling_levels}
               if weeks > 1 else {})
    everything = [x for r in results for x in r["levels"].values()]
    everything += [x for r in results for chain in r["rolling"].values() for x in chain[1:]]
    return {
        "households": len(results),
        "levels": by_level,
        "rolling": rolling,
        "goals": goals(by_level, rolling, storage["foods_with_storage_time"] > 0),
        "catalog_storage": storage,
        "wall_seconds": timing(results),
        "crashes": [{"household": r["name"], "error": x["crash"]} for r in results
                    for x in [*r["levels"].values(), *(y for c in r["rolling"].values()
                                                       for y in c[1:])]
                    if x.get("crash")],
        "total_differs_from_checkout": sum(1 for x in everything
                                           if x.get("total_differs_from_checkout")),
        "missed_budgets": missed_budgets(results),
    }


# --- output -----------------------------------------------------------------------------------

def _pct(value: float | None) -> str:
    return "  -  " if value is None else f"{100 * value:5.1f}%"


def _x(value: float | None) -> str:
    return "  -  " if value is None else f"{value:5.2f}"


def progress_line(position: int, count: int, result: dict[str, Any]) -> str:
    parts = []
    for level, x in result["levels"].items():
        if x["ok"]:
            parts.append(f"{level}x {x['cost']['checkout']:.2f} (eaten {x['cost']['eaten']:.2f},"
                         f" waste {x['cost']['waste']:.2f})")
        else:
            cheapest = cheapest_over_tfp(x, result["tfp"])
            why = x.get("reason") or x["status"]
            if cheapest is not None:
                why = f"cheapest {cheapest:.2f} TFP"
            parts.append(f"{level}x none ({why})")
    for level, chain in result["rolling"].items():
        marks = "".join("+" if x["ok"] else ("." if x["status"] == "not_run" else "-")
                        for x in chain)
        parts.append(f"rolling {level}x {marks}")
    return (f"[{position}/{count}] {result['name']} ({result['people']} p, TFP "
            f"{result['tfp']:.2f}): " + "; ".join(parts))


def print_summary(summary: dict[str, Any]) -> None:
    print()
    print(f"Households: {summary['households']}   TFP: {TFP_SOURCE}")
    storage = summary["catalog_storage"]
    if not storage["foods_with_storage_time"]:
        print(f"NOTE: none of the catalog's {storage['foods']} foods has a storage time, so "
              "every leftover counts as keeping: waste is 0 by construction, not measured.")
    print()
    print(f"{'budget':>10} {'with plan':>10} | {'checkout/TFP':>13} {'p90':>5} | "
          f"{'eaten/TFP':>10} {'p90':>5} | {'waste/checkout':>14} {'median':>7} {'p90':>6}")
    for level, s in summary["levels"].items():
        c, e, w = s["checkout_over_tfp"], s["eaten_over_tfp"], s["waste"]
        print(f"{level + ' x TFP':>10} {_pct(s['share_with_plan']):>10} | {_x(c['median']):>13} "
              f"{_x(c['p90']):>5} | {_x(e['median']):>10} {_x(e['p90']):>5} | "
              f"{_pct(w['pooled']):>14} {_pct(w['median']):>7} {_pct(w['p90']):>6}")
    print("(checkout/TFP and eaten/TFP: median over the plans found, then p90; waste: all waste "
          "over all checkout, then the median and p90 per plan)")
    for level, run in summary["rolling"].items():
        print()
        print(f"Rolling weeks at {level} x TFP (week 1 is the {level} x TFP plan above; each next "
              "week continues from the last week's document)")
        print(f"{'week':>4} {'with plan':>10} {'of cont.':>9} | {'checkout/eaten':>14} {'p90':>5}"
              f" {'within 10%':>10} | {'waste/checkout':>14} {'p90':>6} | {'carried/checkout':>16}")
        for w in run["weeks"]:
            r, wa = w["checkout_over_eaten"], w["waste"]
            print(f"{w['week']:>4} {_pct(w['share_with_plan']):>10} "
                  f"{_pct(w['share_of_continued']):>9} | {_x(r['median']):>14} {_x(r['p90']):>5} "
                  f"{_pct(w['checkout_within']):>10} | {_pct(wa['pooled']):>14} "
                  f"{_pct(wa['p90']):>6} | {_x(w['carried_over_over_checkout']['median']):>16}")
        later = run["from_week_2"]
        if later["plans"]:
            r = later["checkout_over_eaten"]
            print(f"weeks 2-{len(run['weeks'])} ({later['plans']} plans): checkout/eaten median "
                  f"{_x(r['median'])}, p90 {_x(r['p90'])}, within 10 % "
                  f"{_pct(later['checkout_within'])}; waste {_pct(later['waste']['pooled'])} of "
                  "checkout")
        run_ratio = run["run_checkout_over_eaten"]
        print(f"over all {len(run['weeks'])} weeks ({run['households_every_week']} households with "
              f"a plan every week): checkout/eaten median {_x(run_ratio['median'])}, p90 "
              f"{_x(run_ratio['p90'])}")
    t = summary["wall_seconds"]
    print()
    print(f"make_plan wall time per plan (n={t['n']}): p50 {t['p50']} s, p95 {t['p95']} s, "
          f"max {t['max']} s")
    print()
    print("Goals (issue 12):")
    for g in summary["goals"]:
        mark = "n/a" if g["met"] is None else ("MET" if g["met"] else "NOT MET")
        value = g["value"]
        shown = "-" if value is None else (f"{value:.3f}" if "eaten" in g["goal"]
                                           else f"{100 * value:.1f} %")
        print(f"  {mark:8} {g['goal']}: {shown}" + (f" ({g['note']})" if g["note"] else ""))
    print()
    print("Without a plan:")
    for level, s in summary["levels"].items():
        _print_failures(f"{level} x TFP, week 1", s["failures"])
    for level, run in summary["rolling"].items():
        for w in run["weeks"][1:]:
            _print_failures(f"rolling {level} x TFP, week {w['week']} ({w['continued']} "
                            "continued)", w["failures"])
    if summary["crashes"]:
        print()
        print(f"!!!!!! CRASHES: {len(summary['crashes'])} !!!!!!")
        for crash in summary["crashes"]:
            print(f"  {json.dumps(crash)}")
    if summary["missed_budgets"]:
        print()
        print(f"!!!!!! NO PLAN THOUGH ANOTHER LEVEL FOUND ONE WITHIN THE BUDGET: "
              f"{len(summary['missed_budgets'])} !!!!!!")
        for miss in summary["missed_budgets"]:
            print(f"  {miss['household']} at {miss['level']} x TFP ({miss['budget']:.2f}): the "
                  f"{miss['found_at_level']} x TFP run's explanation found a plan meeting every "
                  f"other requirement at {miss['cost']:.2f}")
    if summary["total_differs_from_checkout"]:
        print(f"!!!!!! cost.total differs from cost.checkout in "
              f"{summary['total_differs_from_checkout']} plans !!!!!!")


def _print_failures(label: str, failures: dict[str, dict[str, Any]]) -> None:
    if not failures:
        print(f"  {label}: none")
        return
    print(f"  {label}: {len(failures)}")
    for name, f in failures.items():
        detail = ", ".join(f["conflicts"]) or f["reason"] or f["status"]
        if "cheapest_over_tfp" in f:
            detail += f" (cheapest plan found {f['cheapest_over_tfp']:.2f} x TFP)"
        if f.get("crash"):
            detail += f" -- {f['crash']}"
        print(f"    {name}: {detail}")


# --- main -------------------------------------------------------------------------------------

def _levels(text: str) -> tuple[float, ...]:
    return tuple(float(x) for x in text.split(",") if x.strip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="run only the first N households")
    parser.add_argument("--only", default=None, help="comma-separated household names to run")
    parser.add_argument("--out", type=Path, default=None,
                        help="JSON results (default bench/results/economy-<date>.json)")
    parser.add_argument("--weeks", type=int, default=WEEKS,
                        help=f"weeks of the rolling run (default {WEEKS}; 1 leaves it out)")
    parser.add_argument("--levels", type=_levels, default=LEVELS,
                        help="budget levels, multiples of the household's TFP (default "
                             + ",".join(map(str, LEVELS)) + ")")
    parser.add_argument("--rolling-levels", type=_levels, default=ROLLING_LEVELS,
                        help="levels of the rolling run, each one of --levels (default "
                             + ",".join(map(str, ROLLING_LEVELS)) + ")")
    parser.add_argument("--budget-basis", choices=BUDGET_BASES, default="checkout",
                        help="what the budget limits: the shopping's cost (checkout, the "
                             "default) or the cost of the food eaten")
    args = parser.parse_args(argv)
    if args.weeks < 1:
        parser.error("--weeks must be at least 1")
    missing = set(args.rolling_levels) - set(args.levels)
    if missing and args.weeks > 1:
        parser.error(f"rolling level(s) {sorted(missing)} are not among --levels")
    rolling_levels = args.rolling_levels if args.weeks > 1 else ()
    today = dt.date.today().isoformat()
    out = args.out or BENCH_DIR / "results" / f"economy-{today}.json"

    started = time.perf_counter()
    catalog = load_catalog()
    source = source_version()
    print(f"commit {source['commit']}, uncommitted planner changes: "
          f"{source['uncommitted_planner_changes']}; {len(catalog.recipes)} recipes, "
          f"{len(catalog.foods)} foods", flush=True)
    # Warm-up (imports, first model): not recorded.
    make_plan(PlanRequestSchema().load({"days": 1, "meals": ["lunch"], "time_limit_seconds": 1}),
              catalog)

    chosen = select(HOUSEHOLDS, args.only, args.limit, parser, "household")
    results = []
    loads = []
    for position, entry in enumerate(chosen, start=1):
        loads.append(os.getloadavg()[0])
        result = run_household(entry, catalog, args.levels, rolling_levels, args.weeks,
                               args.budget_basis)
        results.append(result)
        print(progress_line(position, len(chosen), result), flush=True)
    loads.append(os.getloadavg()[0])

    storage = {"foods": len(catalog.foods),
               "foods_with_storage_time": sum(1 for f in catalog.foods.values()
                                              if keeps_days(f) is not None)}
    summary = summarize(results, args.levels, rolling_levels, args.weeks, storage)
    summary["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    summary["load_average_1min"] = {"min": round(min(loads), 2), "max": round(max(loads), 2)}
    print_summary(summary)
    total = round(time.perf_counter() - started, 1)
    print(f"\n{total} s in all; 1-min load average {summary['load_average_1min']['min']} - "
          f"{summary['load_average_1min']['max']} ({os.cpu_count()} CPUs)")

    document = {
        "date": today,
        "machine": machine(),
        "source": source,
        "tfp_source": TFP_SOURCE,
        "catalog": {"foods": len(catalog.foods), "recipes": len(catalog.recipes)},
        "arguments": {"limit": args.limit, "only": args.only, "weeks": args.weeks,
                      "levels": list(args.levels), "rolling_levels": list(rolling_levels),
                      "budget_basis": args.budget_basis},
        "total_seconds": total,
        "summary": summary,
        "households": results,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(document, indent=1, default=str) + "\n")
    print(f"Results written to {out}")
    return 1 if summary["crashes"] else 0


if __name__ == "__main__":
    sys.exit(main())
